"""English words: tokens with offsets, word frequencies and stems for the checks, and the
cruder five-letter stems of the alignment's dictionary cue.

The frequency list (wordfreq's, ~320,000 words) is copied once into an SQLite file under
the per-user cache (``lexicon.store``, keyed by wordfreq's version), so a run reads the
few hundred words it asks about instead of loading the list; the Snowball stemmer is
loaded on first use.
"""
from __future__ import annotations

import math
import re
import sqlite3
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from importlib.metadata import version

from align import paths
from align.lexicon.store import open_table_file

# Words (with inner apostrophes and hyphens kept apart) and numbers (with separators).
_TOKEN = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)*|\d+(?:[.,:]\d+)*")
# Text around a word that makes it part of an address, handle or code, not prose.
_NOT_PROSE = re.compile(r"[@/\\_]|\.\w|www|https?")

# Closed-class words: they carry grammar, not content, so coverage and order checks treat
# them apart. A closed class is small and fixed, so a list is the honest way to name it.
DETERMINERS = frozenset("the a an this that these those each every either neither some any no "
                        "my your his her its our their whose".split())
PREPOSITIONS = frozenset("of in on at to for from by with about into onto over under between among "
                         "through during before after above below across against along around "
                         "behind beyond near since toward towards upon within without via per".split())
CONJUNCTIONS = frozenset("and or but nor so yet because although though while whereas if unless "
                         "than whether".split())
AUXILIARIES = frozenset("is are was were be been being am has have had do does did will would shall "
                        "should can could may might must".split())
PRONOUNS = frozenset("i you he she it we they me him us them myself yourself himself herself itself "
                     "ourselves themselves who whom which what there".split())
FUNCTION_WORDS = DETERMINERS | PREPOSITIONS | CONJUNCTIONS | AUXILIARIES | PRONOUNS | frozenset(
    "not as also just very more most such then too only all both other another".split())


@dataclass(frozen=True)
class Token:
    text: str
    start: int
    end: int
    lower: str  # the text in lower case, kept: every check compares it
    is_word: bool  # letters, not a number

    @property
    def is_capitalised(self) -> bool:
        return self.text[0].isupper()


@lru_cache(maxsize=4096)
def tokens(text: str) -> tuple[Token, ...]:
    """Words and numbers of ``text`` with their offsets (cached: every check tokenises the pair)."""
    return tuple(Token(m.group(), m.start(), m.end(), m.group().lower(), m.group()[0].isalpha())
                 for m in _TOKEN.finditer(text))


def in_address(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` belongs to a web or mail address, a handle or code
    (ecns.cn, www.xinhuanet.com): the run of text without spaces around it says so."""
    chunk_start = text.rfind(" ", 0, start) + 1
    chunk_end = text.find(" ", end)
    return bool(_NOT_PROSE.search(text[chunk_start:chunk_end if chunk_end >= 0 else len(text)]))


def _build_frequencies(db: sqlite3.Connection) -> None:
    import wordfreq

    db.execute("CREATE TABLE frequency (word TEXT PRIMARY KEY, value REAL)")
    db.executemany("INSERT INTO frequency VALUES (?, ?)", wordfreq.get_frequency_dict("en", wordlist="best").items())


@lru_cache(maxsize=1)
def _frequency_table() -> sqlite3.Connection:
    return open_table_file(paths.lexicon_path("wordfreq-en.sqlite"), f"1:{version('wordfreq')}", _build_frequencies)


@lru_cache(maxsize=200_000)
def _frequency(word: str) -> float | None:
    found = _frequency_table().execute("SELECT value FROM frequency WHERE word = ?", (word.replace("’", "'"),))
    row = found.fetchone()
    return row[0] if row else None


def zipf(word: str) -> float:
    """wordfreq's Zipf frequency of a lower-case word (0 when the word is not in the list)."""
    freq = _frequency(word)
    return math.log10(freq) + 9 if freq else 0.0


def is_known(word: str) -> bool:
    return _frequency(word) is not None


# The dictionary cue's words: letters or digits, stems their first five letters (below).
_BAG_WORD = re.compile(r"[A-Za-z]+|[0-9]+")
# The cue was tuned with this list (README "Alignment"); it also drops dictionary jargon ("sb", "lit").
BAG_STOPWORDS = frozenset(
    "a an the of to in on at by for with from and or but if so as is are was were be been being am do does did "
    "it its this that these those there here not no he she his her him they them their we us our you your i me "
    "my who whom which what when where why how all any some such than then too very can could will would shall "
    "should may might must has have had having into onto over under up down out off about also just only "
    "sb sth one's etc oneself someone something lit fig used kind".split()
)


def bag_stem(word: str) -> str:
    """The dictionary cue's crude stem: the first five letters, lower case. Glosses ("to
    investigate") and running text ("investigation", "investigated") meet on it without a stemmer."""
    return word.lower()[:5]


def bag_stems(text: str) -> list[str]:
    """The dictionary cue's stems of the content words and numbers of ``text``."""
    return [bag_stem(w) for w in _BAG_WORD.findall(text) if len(w) > 1 and w.lower() not in BAG_STOPWORDS]


@lru_cache(maxsize=1)
def _stemmer():
    import snowballstemmer

    return snowballstemmer.stemmer("english")


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """The Snowball (Porter2) stem of a lower-case word."""
    return _stemmer().stemWord(word)


@dataclass(frozen=True)
class Opposites:
    """One English word's stems and those of its opposites (``antonyms.txt``)."""

    own: frozenset[str]  # the stems of its forms, with those of every word it shares a side with
    opposite: frozenset[str]


@lru_cache(maxsize=1)
def _opposites() -> dict[str, Opposites]:
    own: dict[str, set[str]] = {}
    opposite: dict[str, set[str]] = {}
    text = resources.files("align.lexicon").joinpath("antonyms.txt").read_text(encoding="utf-8")
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        left, right = ({stem(w) for w in side.split()} for side in line.split("|"))
        for one, other in ((left, right), (right, left)):
            for s in one:
                own.setdefault(s, set()).update(one)
                opposite.setdefault(s, set()).update(other)
    return {s: Opposites(frozenset(own[s]), frozenset(opposite[s] - own[s])) for s in own}


def opposites(word_stem: str) -> Opposites | None:
    """The opposites of the word whose Snowball stem is ``word_stem``, if it has any listed."""
    return _opposites().get(word_stem)


def content_stems(text: str) -> list[tuple[str, Token]]:
    """Stems of the content words of ``text`` (function words and numbers left out), with their tokens."""
    out = []
    for tok in tokens(text):
        low = tok.lower
        if tok.is_word and low not in FUNCTION_WORDS and len(low) > 1:
            out.append((stem(low), tok))
    return out
