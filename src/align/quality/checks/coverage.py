"""Omissions and additions: length ratio and dictionary coverage of the content words.

A Chinese content word is covered when the English holds one of its CC-CEDICT glosses
(by stem) or its pinyin; an English content word is covered when some Chinese word of
the pair glosses to it. A Chinese clause with nothing covered is an omission, an English
stretch with nothing covered an addition, and a pair where neither side covers the other
is no translation at all.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from align.lexicon import cedict
from align.lexicon.chinese import Word, pinyin, words
from align.lexicon.english import Token, content_stems, stem
from align.quality.checks.base import Check, Finding
from align.script import HAN
from align.types import Flag, PairText, Severity

# Clause boundaries in each language.
_ZH_CLAUSE = re.compile(r"[，,；;：:。！!？?、]")
# A point or comma inside a number (5.792, 1,000) ends no clause.
_EN_CLAUSE = re.compile(r"[,.](?!\d)|[;:!?()\"“”]")
_LETTERS = re.compile(r"[a-z]")
_ZH_SENTENCE_END = tuple("。！？!?…”」")
_EN_SENTENCE_END = tuple(".!?\"”’')…")
# A clock time's a.m. or p.m. renders the part of the day the Chinese spells out (上午 "morning",
# 下午 "afternoon", 晚上 "evening"): "opened at 9 a.m. and closed at 5 p.m." for 上午9时开幕，下午5时闭幕
# left 下午 unrendered, and with the English that short, the clause read as omitted.
_DAY_PARTS = {"a": ("morning",), "p": ("afternoon", "evening", "night")}
_CLOCK_ABBREVIATION = re.compile(r"(?:\d\s*|\b)([ap])\.\s?m\.|\d\s*([ap])m\b", re.IGNORECASE)
# jieba's tags of names that are transliterated: people, places, other proper nouns.
_NAME_TAGS = ("nr", "ns", "nz")

# log(English letters / Chinese characters) on near-perfect MQM 2020 translations
# (mqm == 0, not human): mean 1.25, standard deviation 0.19.
LOG_RATIO_MEAN = 1.25
LOG_RATIO_SD = 0.19
# Thresholds tuned on MQM 2020 (eval/checks_eval.py): flagged shares are in README.
# What another report of the event (comparable mode) leaves out or adds is no translation error.
PARTIAL_FLAGS = frozenset({"omission", "addition", "unrelated"})
UNRELATED_COVERAGE = 0.2  # both sides below this: the English is not a translation of the Chinese
MIN_CLAUSE_WORDS = 3  # content words a clause needs before its being uncovered means anything
OMISSION_RATIO_Z = -1.5  # an omission shortens the English at least this much
SHORT_RATIO_Z = -3.0  # English this short (about half the usual length) has dropped something
ADDITION_RATIO_Z = 1.0
# Share of a clause's content words that may match a gloss by chance while the clause still
# counts as uncovered: a long invented or dropped clause meets a common gloss now and then
# ("days" for 日), so one stray match in eight words does not account for it.
STRAY_COVERED = 1 / 8


@dataclass(frozen=True)
class _Clause:
    start: int
    end: int
    total: int
    covered: int


def _sounds_like(word: Word, name: str) -> bool:
    """A Chinese name and a capitalised English word (letters only) that sound alike: a
    transliteration (古特雷斯 "Guterres", 奥尼尔 "O'Neal")."""
    return word.flag.startswith(_NAME_TAGS) and SequenceMatcher(None, pinyin(word.text), name).ratio() >= 0.5


def _zh_covered(word: Word, en_stems: set[str], en_letters: str, en_names: list[str]) -> bool:
    if cedict.gloss_stems(word.text) & en_stems:
        return True
    py = pinyin(word.text)
    if len(py) >= 4 and py in en_letters:
        return True
    return any(_sounds_like(word, name) for name in en_names)


def _en_covered(tok: Token, stem_: str, known: set[str], zh_words: tuple[Word, ...]) -> bool:
    if stem_ in known:
        return True
    if not tok.is_capitalised:
        return False
    # A name: spelt inside some Chinese word's pinyin (Taobao), or sounding like a Chinese name.
    name = _name_letters(tok)
    return any((len(w.text) >= 2 and name in pinyin(w.text)) or _sounds_like(w, name) for w in zh_words)


def _name_letters(tok: Token) -> str:
    return "".join(_LETTERS.findall(tok.lower))


def _clauses(spans: list[tuple[int, bool]], text: str, boundary: re.Pattern) -> list[_Clause]:
    """Group (offset, covered) items into the clauses of ``text``."""
    cuts = [m.end() for m in boundary.finditer(text)] + [len(text)]
    out, k = [], 0
    start = 0
    for cut in cuts:
        items = []
        while k < len(spans) and spans[k][0] < cut:
            items.append(spans[k])
            k += 1
        if items:
            out.append(_Clause(start, cut, len(items), sum(c for _, c in items)))
        start = cut
    return out


class CoverageCheck(Check):
    """What the Chinese says that the English does not, and the reverse.

    On a comparable pair none of it is a translation error: the other report saying more
    or less is the rule there, and English that shares almost nothing with it only makes
    the link doubtful (a note).
    """

    name = "coverage"
    flag_names = ("unrelated", "omission", "addition")

    def run(self, pair: PairText) -> Finding:
        found = self._run(pair)
        if not pair.partial:
            return found
        notes = tuple(Flag(f.name, Severity.MINOR, "the English shares almost nothing with this sentence of the other "
                           "report: the link is doubtful", f.side, f.start, f.end)
                      for f in found.flags if f.name == "unrelated")
        return Finding(tuple(f for f in found.flags if f.name not in PARTIAL_FLAGS), found.signals, notes)

    def _run(self, pair: PairText) -> Finding:
        if not pair.zh.strip():
            return Finding()
        zh_words = words(pair.zh)
        content = [w for w in zh_words if w.is_content]
        en_content = content_stems(pair.en)
        en_stems = {s for s, _ in en_content} | {stem(part) for m in _CLOCK_ABBREVIATION.finditer(pair.en)
                                                 for part in _DAY_PARTS[(m[1] or m[2]).lower()]}
        en_letters = "".join(_LETTERS.findall(pair.en.lower()))
        en_names = [_name_letters(t) for _, t in en_content if t.is_capitalised]
        zh_cover = [(w.start, _zh_covered(w, en_stems, en_letters, en_names)) for w in content]
        known: set[str] = set()
        for w in zh_words:
            known |= cedict.gloss_stems(w.text)
        en_cover = [(t.start, _en_covered(t, s, known, zh_words)) for s, t in en_content]
        zh_share = sum(c for _, c in zh_cover) / len(zh_cover) if zh_cover else 1.0
        en_share = sum(c for _, c in en_cover) / len(en_cover) if en_cover else 1.0
        han = len(HAN.findall(pair.zh))
        ratio_z = ((math.log((len(en_letters) + 1) / (han + 1)) - LOG_RATIO_MEAN) / LOG_RATIO_SD) if han else 0.0
        # Each side of the length on its own: a linear head weighs a signed z alike both ways, while
        # English too short (something left out) and too long (something added) are both errors.
        signals = {"coverage.zh": zh_share, "coverage.en": en_share, "coverage.length_z": ratio_z,
                   "coverage.short_z": max(0.0, -ratio_z), "coverage.long_z": max(0.0, ratio_z)}

        flags = []
        if (len(zh_cover) >= 4 and len(en_cover) >= 4 and zh_share < UNRELATED_COVERAGE
                and en_share < UNRELATED_COVERAGE):
            flags.append(Flag("unrelated", Severity.CRITICAL,
                              f"the English shares almost nothing with the Chinese ({zh_share:.0%} of the "
                              f"Chinese words covered)", "en", 0, 0))
            return Finding(tuple(flags), signals)
        clauses = _clauses(zh_cover, pair.zh, _ZH_CLAUSE)
        missing = [c for c in clauses if c.total >= MIN_CLAUSE_WORDS and c.covered <= STRAY_COVERED * c.total]
        # The English stops mid-sentence where the Chinese ends one: the rest was cut off.
        cut_off = bool(pair.zh.rstrip().endswith(_ZH_SENTENCE_END) and pair.en.strip()
                       and not pair.en.rstrip().endswith(_EN_SENTENCE_END))
        omitted = None
        if missing and ratio_z <= OMISSION_RATIO_Z:
            omitted = max(missing, key=lambda c: c.total)
        elif clauses and (ratio_z <= SHORT_RATIO_Z or cut_off):
            # Much too short, or cut off: the least covered clause, the later one on a tie.
            worst = min(reversed(clauses), key=lambda c: c.covered / c.total)
            if worst.covered / worst.total < 0.5 and worst.total >= 2:
                omitted = worst
        if omitted is not None:
            text = pair.zh[omitted.start:omitted.end].strip("，,；;：:。！!？?、 ")
            start = pair.zh.index(text, omitted.start) if text else omitted.start
            why = " (the English stops mid-sentence)" if cut_off else ""
            flags.append(Flag("omission", Severity.MAJOR, f"'{text}' has no counterpart in the English{why}",
                              "zh", start, start + len(text)))
        added = [c for c in _clauses(en_cover, pair.en, _EN_CLAUSE)
                 if c.total >= MIN_CLAUSE_WORDS + 1 and c.covered <= STRAY_COVERED * c.total]
        if added and ratio_z >= ADDITION_RATIO_Z:
            worst = max(added, key=lambda c: c.total)
            text = pair.en[worst.start:worst.end].strip(",;:.!?()\"“” ")
            start = pair.en.index(text, worst.start) if text else worst.start
            flags.append(Flag("addition", Severity.MAJOR, f"'{text}' has no counterpart in the Chinese",
                              "en", start, start + len(text)))
        signals["coverage.uncovered_zh_clauses"] = float(len(missing))
        signals["coverage.cut_off"] = float(cut_off)
        signals["coverage.uncovered_en_clauses"] = float(len(added))
        return Finding(tuple(flags), signals)
