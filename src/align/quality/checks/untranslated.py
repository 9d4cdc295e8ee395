"""Chinese left in the English: untranslated characters and Chinese punctuation."""
from __future__ import annotations

import re

from align.quality.checks.base import Check, Finding
from align.script import HAN_CLASS
from align.types import Flag, PairText, Severity

_CJK = re.compile(f"[{HAN_CLASS}]+")
# Punctuation only Chinese typesetting uses. Curly quotes and the ellipsis are left out:
# English typography uses the same code points.
_ZH_PUNCT = re.compile(r"[。，、；：！？（）《》〈〉【】「」『』〔〕·～\u3000\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65]+")
_LETTERS = re.compile(f"[A-Za-z{HAN_CLASS}]")


class UntranslatedCheck(Check):
    """Chinese characters in the English are text the translation never rendered;
    Chinese punctuation is a cosmetic trace of the original."""

    name = "untranslated"

    def run(self, pair: PairText) -> Finding:
        en = pair.en
        runs = list(_CJK.finditer(en))
        cjk = sum(len(m.group()) for m in runs)
        letters = len(_LETTERS.findall(en)) or 1
        flags = []
        if cjk and cjk >= 0.5 * letters:
            flags.append(Flag(self.name, Severity.CRITICAL, "the English is mostly untranslated Chinese",
                              "en", runs[0].start(), runs[-1].end()))
        else:
            flags += [Flag(self.name, Severity.MAJOR, f"'{m.group()}' left untranslated", "en", m.start(), m.end())
                      for m in runs]
        punct = list(_ZH_PUNCT.finditer(en))
        flags += [Flag(self.name, Severity.MINOR, f"Chinese punctuation '{m.group()}' in the English", "en",
                       m.start(), m.end()) for m in punct if not _CJK.search(en[max(0, m.start() - 1):m.end() + 1])]
        signals = {"untranslated.cjk_share": cjk / letters, "untranslated.punctuation": float(len(punct))}
        return Finding(tuple(flags), signals)
