"""Whether two reports can tell one event: the places they name.

Sentence vectors and dictionary overlap find two reports of science conferences in two
provinces near twins, sentence by sentence: the boilerplate of such reports is shared.
What they cannot share is where it happened. When the Chinese names places of its own
and the English names people and places of its own, yet no place of the Chinese appears
in the English, they report different events and comparable mode links nothing.
"""
from __future__ import annotations

import re
from collections.abc import Sequence

from align.lexicon.names import name_phrases, places

# Below these the texts say too little to judge (a short excerpt, a report naming one place).
MIN_PLACES = 2  # distinct places of the Chinese, by English name
MIN_NAMES = 3  # name-like phrases of the English


def different_event(zh_texts: Sequence[str], en_texts: Sequence[str]) -> str | None:
    """Why the texts report different events, or None when they may report one."""
    en = " ".join(en_texts)
    named: dict[str, tuple[str, re.Pattern]] = {}  # English name -> (first Chinese form, pattern)
    for text, name, pattern in places("".join(zh_texts)):
        named.setdefault(name, (text, pattern))
    if len(named) < MIN_PLACES or not _names_at_least(en_texts, MIN_NAMES):
        return None
    if any(pattern.search(en) for _, pattern in named.values()):
        return None
    shown = ", ".join(f"{text} {name}" for name, (text, _) in list(named.items())[:3])
    return f"they report different events: the English names none of the Chinese's places ({shown})"


def _names_at_least(en_texts: Sequence[str], count: int) -> bool:
    """Whether the English holds ``count`` distinct name-like phrases, read sentence by
    sentence until it does (a long article need not be read to the end)."""
    seen: set[str] = set()
    for text in en_texts:
        seen.update(name_phrases(text))
        if len(seen) >= count:
            return True
    return False
