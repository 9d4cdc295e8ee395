"""What counts as a Chinese (Han) character, for every stage from reading a file to the checks.

One definition, so that the language guess, the cleaner, the splitter and the checks agree
on what is Chinese: the CJK Unified Ideographs with all their extensions (A in the Basic
Multilingual Plane, B onwards in the Supplementary and Tertiary Ideographic Planes, which
hold nothing but ideographs) and the CJK Compatibility Ideographs (plane 0 and its supplement
in plane 2). Radicals, strokes, CJK punctuation, kana and the Yijing hexagram symbols
(U+4DC0-4DFF, between Extension A and the unified block) are not Han characters. Standard
library only: documents/ imports it before anything is loaded.
"""
from __future__ import annotations

import re

# (first, last) code points, inclusive.
HAN_RANGES: tuple[tuple[int, int], ...] = (
    (0x3400, 0x4DBF),  # Extension A
    (0x4E00, 0x9FFF),  # CJK Unified Ideographs
    (0xF900, 0xFAFF),  # CJK Compatibility Ideographs
    (0x20000, 0x3FFFF),  # Extensions B-H and the Compatibility Supplement (planes 2 and 3)
)
# The ranges as the inside of a regex character class, for patterns that mix Han with other
# characters ("[A-Za-z" + HAN_CLASS + "]").
HAN_CLASS = "".join(f"{chr(first)}-{chr(last)}" for first, last in HAN_RANGES)
HAN = re.compile(f"[{HAN_CLASS}]")


def is_han(ch: str) -> bool:
    """Whether the character ``ch`` is a Chinese (Han) character."""
    return HAN.match(ch) is not None
