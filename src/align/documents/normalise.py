"""Matching forms of text: traditional -> simplified, full-width -> half-width, whitespace.

These forms are only ever compared with each other; reports always show the original text.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from align.script import HAN, HAN_CLASS
from align.types import Language

# Full-width ASCII variants (U+FF01..U+FF5E) map one-to-one onto U+0021..U+007E, so folding
# keeps string lengths. That block includes the full-width comma, colon, semicolon, brackets,
# ! and ? (，：；（）！？): scraped Chinese pages mix them freely with their ASCII forms, so
# folding makes both spellings match. Chinese-only punctuation (。、“”‘’《》【】「」…) has no
# ASCII twin with the same meaning ("。" is not a decimal point) and is left alone.
_WIDTH_TABLE = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_WIDTH_TABLE.update({0x3000: 0x20, 0xFFE0: 0xA2, 0xFFE1: 0xA3, 0xFFE5: 0xA5, 0xFFE6: 0x20A9})

_SPACES = re.compile(r"\s+")
# In Chinese a space next to a CJK character or a punctuation mark carries no meaning
# (pages wrap and indent at random, and mix ASCII and full-width punctuation). Han and
# more: radicals, kana and full-width forms are CJK characters too.
_CJK = HAN_CLASS + r"\u2e80-\u9fff\u3000-\u303f\uff00-\uffef\u201c\u201d\u2018\u2019\u2026\u2014!-/:-@\[-`{-~"
_SPACE_BY_CJK = re.compile(rf"(?<=[{_CJK}]) | (?=[{_CJK}])")


@lru_cache(maxsize=1)
def _t2s() -> Any:
    # Imported and built on first use: the dictionaries are only needed for Chinese input.
    import opencc

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Convert traditional Chinese characters (and phrases) to simplified with OpenCC t2s."""
    # OpenCC changes only Han characters, and reads the rest slowly: English passes untouched.
    return _t2s().convert(text) if HAN.search(text) else text


def fold_width(text: str) -> str:
    """Map full-width ASCII letters, digits and punctuation and the ideographic space to
    their half-width forms; length-preserving."""
    return text.translate(_WIDTH_TABLE)


def normalise(text: str, lang: str) -> str:
    """The form used for matching: for ``zh`` simplified, width-folded, with whitespace
    removed around CJK characters and collapsed elsewhere; for other languages width-folded
    with whitespace collapsed."""
    folded = _SPACES.sub(" ", fold_width(text)).strip()
    if lang == Language.ZH:
        return _SPACE_BY_CJK.sub("", to_simplified(folded))
    return folded
