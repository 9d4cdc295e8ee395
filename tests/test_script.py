"""One definition of a Chinese (Han) character for every stage."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from align.script import HAN, HAN_RANGES, is_han


@pytest.mark.parametrize("ch", ["中", "龥", "\u3400", "\u4dbf", "\u9fff", "豈", "\ufaff", "𠮷", "\U0002a700",
                                "\U0002f800", "\U00030000"])
def test_han_characters(ch: str) -> None:
    """The unified block, Extension A, the compatibility ideographs and the ideographic planes."""
    assert is_han(ch)


@pytest.mark.parametrize("ch", ["a", "Z", "1", " ", "。", "，", "「", "\u3000", "ー", "あ", "ㄅ", "가", "⺀", "⼀",
                                "\u4dc0", "\u4dff", "\uff21", "\U0001f600"])
def test_other_characters(ch: str) -> None:
    """Punctuation, kana, bopomofo, hangul, radicals, Yijing hexagrams, full-width Latin, emoji."""
    assert not is_han(ch)


def test_pattern_covers_exactly_the_ranges() -> None:
    every = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF)
    assert len(HAN.findall(every)) == sum(last - first + 1 for first, last in HAN_RANGES)


def test_importing_it_loads_nothing_of_the_project() -> None:
    """documents/ imports it first thing: it must stay a leaf."""
    code = ("import sys; import align.script; "
            "print(sorted(m for m in sys.modules if m.startswith('align') and m not in ('align', 'align.script', "
            "'align.types')))")
    src = Path(__file__).resolve().parent.parent / "src"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={**os.environ, "PYTHONPATH": str(src)}).stdout
    assert out.strip() == "[]"
