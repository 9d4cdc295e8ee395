"""Matching forms of text: traditional -> simplified, full-width -> half-width, whitespace.

These forms are only ever compared with each other; reports always show the original text.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
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


@lru_cache(maxsize=1)
def _t2s_triggers() -> frozenset[str] | None:
    """Characters without which t2s leaves a text as it is: every character the character
    table maps, and every character of a phrase that changes without holding one of those.
    None where the dictionaries cannot be read (then every Han text is converted)."""
    import json

    import opencc

    root = Path(opencc.__file__).parent
    try:
        config = json.loads((root / "config" / "t2s.json").read_text(encoding="utf-8"))
        files = re.findall(r'"file":\s*"([^"]+)"', json.dumps(config["conversion_chain"]))
        entries = [line.rstrip("\n").split("\t", 1) for name in dict.fromkeys(files)
                   for line in (root / "dictionary" / name).read_text(encoding="utf-8").splitlines() if "\t" in line]
    except (OSError, KeyError, ValueError):
        return None
    chars = {key for key, _ in entries if len(key) == 1}
    for key, value in entries:
        if len(key) > 1 and value != key and chars.isdisjoint(key):
            chars.update(key)
    return frozenset(chars)


def to_simplified(text: str) -> str:
    """Convert traditional Chinese characters (and phrases) to simplified with OpenCC t2s."""
    # OpenCC's pure-Python converter is slow, and most text holds nothing it would change:
    # English, and Chinese already in simplified script, pass untouched.
    triggers = _t2s_triggers()
    if triggers is None:
        return _t2s().convert(text) if HAN.search(text) else text
    return text if triggers.isdisjoint(text) else _t2s().convert(text)


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
