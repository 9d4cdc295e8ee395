"""Whether two reports can tell one event: the places they name.

Sentence vectors and dictionary overlap find two reports of science conferences in two
provinces near twins, sentence by sentence: the boilerplate of such reports is shared.
What they cannot share is where it happened. When the Chinese names places of its own
and the English names people and places of its own, yet no place of the Chinese appears
in the English, they report different events and comparable mode links nothing.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from align.lexicon.names import name_phrases, place_mentions

# Below these the texts say too little to judge (a short excerpt, a report naming one place).
MIN_PLACES = 2  # distinct places of the Chinese, by English name
MIN_NAMES = 3  # name-like phrases of the English
# Chinese sentences tagged at a time: a report of the English's event names one of its places
# early, and tagging the 20,000 sentences of eval/bench_long.py whole took 6 s.
CHUNK = 200


def different_event(zh_texts: Sequence[str], en_texts: Sequence[str]) -> str | None:
    """Why the texts report different events, or None when they may report one."""
    if not _names_at_least(en_texts, MIN_NAMES):
        return None
    en = " ".join(en_texts)
    mentions: Counter[str] = Counter()  # Chinese form -> times named
    english: dict[str, str] = {}  # Chinese form -> its usual English name
    searched: set[str] = set()  # English names looked for in the English, each once
    for start in range(0, len(zh_texts), CHUNK):
        for place in place_mentions("".join(zh_texts[start : start + CHUNK])):
            mentions[place.word.text] += 1
            english.setdefault(place.word.text, place.english)
            if place.english not in searched:
                if place.pattern.search(en):
                    return None
                searched.add(place.english)
    if len(searched) < MIN_PLACES:
        return None
    shown: dict[str, str] = {}  # English name -> the form most named
    for text, _ in mentions.most_common():
        shown.setdefault(english[text], text)
    listed = ", ".join(f"{text} {name}" for name, text in list(shown.items())[:3])
    return f"they report different events: the English names none of the Chinese's places ({listed})"


def _names_at_least(en_texts: Sequence[str], count: int) -> bool:
    """Whether the English holds ``count`` distinct name-like phrases, read sentence by
    sentence until it does (a long article need not be read to the end)."""
    seen: set[str] = set()
    for text in en_texts:
        seen.update(name_phrases(text))
        if len(seen) >= count:
            return True
    return False
