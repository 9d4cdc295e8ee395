"""Negation and polarity: a "not" lost or gained in translation."""
from __future__ import annotations

import re

from align.lexicon.chinese import NEGATORS, words
from align.lexicon.english import zipf
from align.quality.checks.base import Check, Finding
from align.types import Flag, PairText, Severity

# Characters that make a Chinese word carry a negative sense (不可能, 无关, 拒绝, 禁止,
# 缺乏...): an English negation may render any of them.
_ZH_NEGATIVE = re.compile(r"[不没无未非否别勿莫禁拒缺免]")
_AFRICA = ("洲", "方", "盟")  # 非 abbreviating Africa: 非洲, 非方 (the African side), 非盟 (the African Union)
_EN_NEGATION = re.compile(r"\b(?:not(?! only)|no|never|none|nothing|nobody|nowhere|neither|nor|without|cannot)\b"
                          r"|n['’]t\b", re.I)
# English also negates inside words (unhealthy, non-energy, endless) and with verbs and
# adjectives of absence or refusal; any of these may render a Chinese 不 or 无.
_EN_NEGATIVE_WORD = re.compile(r"\bnon-?[a-z]{3,}|\b[a-z]{3,}less\b|\b(?:fail|lack|refus|den[yi]|"
                               r"prevent|avoid|stop|ban(?:s|ned)?\b|prohibit|forbid|reject|hard|difficult|rare|"
                               r"seldom|few|little|absen|free|instead|rather|beyond|unable|impossib)", re.I)
# A prefix negates where what follows is a word of its own (unhealthy: healthy, illegal: legal),
# not where it is part of the stem (information, important, under, including); in-, im-, il-,
# ir- and dis- also make common words of their own (improve, intend, discuss), so there the word
# must be rarer than what follows the prefix (illegal 4.7 < legal 5.1; improve 4.8 > prove).
_EN_PREFIXED = re.compile(r"\b(un|in|im|il|ir|dis)-?([a-z]{4,})", re.I)
PREFIX_BASE_ZIPF = 3.0  # the word after the prefix at least this common (wordfreq's Zipf: legal 5.1)


def _negative_word(en: str) -> bool:
    """Whether a word of ``en`` negates inside the word or by its sense."""
    if _EN_NEGATIVE_WORD.search(en):
        return True
    for m in _EN_PREFIXED.finditer(en):
        base = zipf(m.group(2).lower())
        if m.group(1).lower() == "un" and base > 0 or base >= PREFIX_BASE_ZIPF and zipf(m.group().lower()) < base:
            return True
    return False


class NegationCheck(Check):
    """The Chinese negates and the English does not, or the English negates with nothing
    negative in the Chinese. Not on a comparable pair: another report may state the same
    fact the other way round ("kept" for "did not lose"), so a lost "not" proves nothing there."""

    name = "negation"

    def run(self, pair: PairText) -> Finding:
        if not pair.zh.strip():
            return Finding()
        zh_words = words(pair.zh)
        zh = pair.zh
        # 能不能, 有没有, 是不是: a question (A-not-A), not a negation; 非方, 非盟: Africa's, not "non-".
        negators = [w for w in zh_words if w.text in NEGATORS
                    and not (w.start and zh[w.start - 1] == zh[w.end - 1] != zh[w.start])
                    and not (w.text == "非" and zh[w.end:w.end + 1] in _AFRICA)]
        negative = [w for w in zh_words if _ZH_NEGATIVE.search(w.text)]
        en_neg = list(_EN_NEGATION.finditer(pair.en))
        flags = []
        if negators and not en_neg and not _negative_word(pair.en):
            w = negators[0]
            flags.append(Flag(self.name, Severity.MAJOR, f"the Chinese negates ({w.text}) but the English does not",
                              "zh", w.start, w.end))
        elif en_neg and not negative:
            m = en_neg[0]
            flags.append(Flag(self.name, Severity.MAJOR, f"'{m.group()}' negates what the Chinese does not",
                              "en", m.start(), m.end()))
        signals = {"negation.zh": float(len(negators)), "negation.zh_negative": float(len(negative)),
                   "negation.en": float(len(en_neg))}
        return Finding(() if pair.partial else tuple(flags), signals)
