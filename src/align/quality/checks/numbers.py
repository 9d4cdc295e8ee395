"""Numbers, dates, money and percentages: missing, extra or changed values."""
from __future__ import annotations

import re

from align.quality.checks.base import Check, Finding
from align.quality.numerals import Quantity, en_quantities, is_cardinal_words, same, spoken, zh_quantities
from align.types import Flag, PairText, Severity

_PLAIN = re.compile(r"[\d.,%]+")


def _shown(q: Quantity) -> str:
    """"48.2亿元 (4.82 billion)"; a plain Arabic number needs no gloss: "25日"."""
    digits = _PLAIN.match(q.text)
    if digits and _plain_value(digits.group()) == q.value:
        return q.text
    return f"{q.text} ({spoken(q.value)})"


def _plain_value(text: str) -> float | None:
    try:
        return float(text.rstrip("%").replace(",", ""))
    except ValueError:
        return None


def _matches(q: Quantity, others: list[Quantity]) -> bool:
    return any(same(a, b) for o in others for a in q.values for b in o.values)


class NumberCheck(Check):
    """Every number the Chinese states must come through in the English, and no other.

    A Chinese number with no equal in the English is missing; an English number
    (digits or scaled) with no equal in the Chinese is extra; a missing and an extra one
    in the same pair are most likely one value changed, and are reported as such.

    On a comparable pair a number only the other report states, or only the English, proves
    nothing; one stated differently is information ("the other report states ... here").
    """

    name = "number"

    def run(self, pair: PairText) -> Finding:
        if not pair.zh.strip():
            return Finding()
        zh = zh_quantities(pair.zh)
        en = en_quantities(pair.en)
        wanted = [q for q in zh if q.salient]
        missing = [q for q in wanted if not _matches(q, en)]
        extra = [e for e in en if e.salient and not _matches(e, zh)]
        flags = []
        changed = min(len(missing), len(extra))
        if pair.partial:
            notes = tuple(Flag(self.name, Severity.MINOR,
                               f"the other report states {_shown(q)} here; the English says {e.text}",
                               "en", e.start, e.end) for q, e in zip(missing, extra))
            return Finding((), _signals(wanted, missing, extra, changed), notes)
        for q, e in zip(missing, extra):
            flags.append(Flag(self.name, Severity.MAJOR, f"{_shown(q)} rendered as {e.text}", "en", e.start, e.end))
        for q in missing[changed:]:
            flags.append(Flag(self.name, Severity.MAJOR, f"{_shown(q)} is missing from the English", "zh", q.start, q.end))
        for e in extra[changed:]:
            flags.append(Flag(self.name, Severity.MINOR, f"{e.text} in the English has no counterpart in the Chinese",
                              "en", e.start, e.end))
        for q, e in zip(_small_counts(zh, en), _small_words(en, zh)):
            flags.append(Flag(self.name, Severity.MAJOR, f"{_shown(q)} rendered as {e.text}", "en", e.start, e.end))
        return Finding(tuple(flags), _signals(wanted, missing, extra, changed))


def _small_counts(zh: list[Quantity], en: list[Quantity]) -> list[Quantity]:
    """Chinese twos with a unit (两名, 两岁), too often "both" or "a couple" to be demanded, that no English
    number renders. (Larger numerals with a unit are demanded; those that are not are words: 十分 "very".)"""
    return [q for q in zh if not q.salient and q.value == 2 and len(q.text) > q.end - q.start
            and not _PLAIN.match(q.text) and not _matches(q, en)]


def _small_words(en: list[Quantity], zh: list[Quantity]) -> list[Quantity]:
    """English cardinals in words from two up ("six"; too often a figure of speech to be demanded on their own,
    "two sides") that match no Chinese number: with an unrendered counted Chinese numeral beside them, one was
    changed into the other (两名乘客, "six passengers"). Ordinals and months are no counts."""
    return [e for e in en if not e.salient and e.value >= 2 and is_cardinal_words(e.text)
            and not _matches(e, zh)]


def _signals(wanted: list[Quantity], missing: list[Quantity], extra: list[Quantity], changed: int) -> dict[str, float]:
    return {
        "numbers.zh": float(len(wanted)),
        "numbers.missing": float(len(missing) - changed),
        "numbers.extra": float(len(extra) - changed),
        "numbers.changed": float(changed),
        "numbers.matched": (len(wanted) - len(missing)) / len(wanted) if wanted else 1.0,
    }
