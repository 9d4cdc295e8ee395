"""Dictionary evidence: a Chinese text as the bag of English words its dictionary glosses give.

The encoders judge meaning as a whole and are weakest on short sentences; a
bilingual dictionary adds evidence they miss (心想 -> "think", 创新联合体 ->
"innovation" and "consortium"). Chinese is segmented with jieba and every word
looked up in CC-CEDICT; a word the dictionary lacks is glossed character by
character. English words and gloss words meet as five-letter stems.
"""
from __future__ import annotations

import re

from align.lexicon.cedict import bag_gloss_stems
from align.lexicon.chinese import segment
from align.lexicon.english import bag_stem, bag_stems

_ZH_LATIN = re.compile(r"[A-Za-z0-9]+(?:\.[0-9]+)?")


def zh_bag(text: str) -> dict[str, float]:
    """Gloss stems of a (simplified) Chinese text; a word with g glosses gives each 1/g."""
    bag: dict[str, float] = {}
    for word in segment(text):
        stems = frozenset([bag_stem(word)]) if _ZH_LATIN.fullmatch(word) else bag_gloss_stems(word)
        for s in stems:
            bag[s] = bag.get(s, 0.0) + 1.0 / len(stems)
    return bag


def en_bag(text: str) -> dict[str, float]:
    """Stems of the content words (and numbers) of an English text."""
    bag: dict[str, float] = {}
    for s in bag_stems(text):
        bag[s] = bag.get(s, 0.0) + 1.0
    return bag
