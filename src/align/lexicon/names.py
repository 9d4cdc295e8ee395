"""Names of people, places and organisations: the Chinese names of a text, the English forms
expected for each, and the name-like phrases of an English text.

The Chinese names come from jieba's part-of-speech tags; their expected English forms
from CC-CEDICT (二连浩特 -> Erenhot, with demonyms and acronyms: Belgian, UN) and from
pinyin or Wade-Giles (王莉霞 -> Wang Lixia, 赵 -> Chao). Shared by the name check (which
judges a pair's renderings) and the alignment's different-event test (which compares the
places two reports name).
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

from align.lexicon import cedict
from align.lexicon.chinese import ORG_TAGS, PERSON_TAGS, PLACE_TAGS, Word, char_pinyin, char_wade_giles, words
from align.lexicon.english import in_address, zipf

# Administrative divisions as suffixes of place names, with their English word.
DIVISIONS = {"自治区": "region", "自治州": "prefecture", "自治县": "county", "自治旗": "banner",
             "特别行政区": "region", "省": "province", "市": "city", "县": "county", "区": "district",
             "盟": "league", "旗": "banner", "州": "prefecture", "镇": "town", "乡": "township", "村": "village",
             # natural features end names the same way (卓乃湖 "Zhuonai Lake")
             "湖": "lake", "山": "mountain", "河": "river", "江": "river", "岛": "island"}
# Divisions whose character has an everyday sense a translator may reach for instead
# (盟 "alliance", 旗 "flag"), with the words where they stand as divisions (各盟市, 旗县);
# a place name ending in one (锡林郭勒盟) counts too.
AMBIGUOUS_DIVISIONS = {"盟": ("盟市", "各盟", "盟旗", "盟委"), "旗": ("旗县", "各旗", "旗区")}
DIVISION_WORDS = frozenset(DIVISIONS.values())
# Name-like phrases: runs of capitalised words (not acronyms such as ASEAN); "Prime Minister
# of Li Na" gives "Prime Minister" and "Li Na".
_CAPITALISED_RUN = re.compile(r"(?<![A-Za-z])[A-Z][a-z][\w’'-]*(?:[ \t]+[A-Z][a-z][\w’'-]*)*")
_SEPARATOR = r"[\s'’‐-]*"

# Word frequencies on wordfreq's Zipf scale (lexicon.english.zipf), each chosen by hand when the
# rule that uses it was written, on the examples quoted (wordfreq's values): the seeds, MQM 2020's
# false alarms (eval/checks_eval.py --examples name) and the name tests of tests/test_checks.py.
# Below this a word is no everyday English word but a name or a transliteration (Quezon 2.8,
# Ruhr 2.6, Xinhua 2.8, a garbled Doubletham 0); at or above it, an English word, as the given
# names people abroad put before their pinyin surname are (Elaine 3.6, Grace 4.6).
RARE_ZIPF = 3.0
# A pinyin-shaped word below this reads as a name (Wang 3.95, Zhang 3.7, Qing 3.1); above it, an
# English word that happens to spell a syllable (long 5.8), which MQM 2020's near-perfect
# translations showed is no evidence of a name.
PINYIN_NAME_ZIPF = 4.0
# The first word of a several-word dictionary name stands for the whole name when rarer than
# this (Xinhua 2.8 for Xinhua News Agency), not when an everyday word (Russian 5.0 of Russian
# Federation, United 5.5 of United Nations).
DISTINCTIVE_ZIPF = 4.0
# Capitalised words before a Chinese name at least this common are a title, not part of the
# name ("Reporter Zou Qing": reporter 4.35, "Prime Minister Li Na": prime 4.8, minister 5.0).
TITLE_ZIPF = 3.5
# The most words of an English phrase that stands for a missing name whole.
STAND_IN_WORDS = 3
# Months and weekdays: capitalised in every gloss, yet dates, not names.
_CALENDAR = frozenset("january february march april may june july august september october november december "
                      "monday tuesday wednesday thursday friday saturday sunday".split())
# A place whose English name is this frequent is too common to anchor one event (China 5.1, Japan 4.9).
_COMMON_PLACE = 4.5


@dataclass(frozen=True)
class Name:
    word: Word  # the Chinese name as jieba found it
    core: str  # without its division suffix: 二连浩特 for 二连浩特市
    division: str  # English word of the suffix ("city"), or ""
    english: str  # its usual English form, for the reason: "Erenhot"
    source: str  # the pattern of every expected English form, compiled only when it is matched
    from_dictionary: bool  # CC-CEDICT gives its English (which may list several forms)
    person: bool
    chinese_person: bool  # a Chinese name: pinyin is the rule, not a guess at a transliteration

    @property
    def pattern(self) -> re.Pattern:
        return _compiled(self.source)


@lru_cache(maxsize=20_000)
def _compiled(source: str) -> re.Pattern:
    # Compiling is most of the cost of a name; a long text names thousands, and the different-event
    # test only matches the places among them.
    return re.compile(source, re.I)


def _fold_accents(text: str) -> str:
    """Ürümqi -> Urumqi: English writes CC-CEDICT's pinyin-accented names without marks."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _split_division(text: str) -> tuple[str, str]:
    for suffix, english in DIVISIONS.items():
        if text.endswith(suffix) and len(text) > len(suffix) + 1:
            return text[: -len(suffix)], english
    return text, ""


def syllable_pattern(syllables: Sequence[Sequence[str]], separator: str = _SEPARATOR) -> str:
    """A regex of the syllables in order, each one of its spellings."""
    return separator.join("(?:" + "|".join(sorted(set(s), key=len, reverse=True)) + ")" for s in syllables)


def _word_form(word: str) -> str:
    """The pattern of one word of a dictionary name with the endings English puts on it:
    Russia -> Russian, Belgium -> Belgian, Mongol -> Mongolian, China -> Chinese."""
    if len(word) >= 6:
        base = re.sub(r"[aeiouy]+[a-z]?$", "", word)
        word = base if len(base) >= 4 else word[:-1]
    elif len(word) >= 5:
        word = word[:-1]
    return re.escape(word) + "[a-z]*"


# Two places named together, as CC-CEDICT writes the pairs (中美 "China-USA", 中日 "China-Japan").
_PAIR_OF_PLACES = re.compile(r"([A-Z][A-Za-z]+)-([A-Z][A-Za-z]+)")
_JOINED = r"(?:\s*[-–]\s*|\s+and\s+)"


def _place_form(word: str) -> str:
    """One place of a pair, with the forms English writes in a pair: China also as Sino-, an
    abbreviation with or without points and its last letter (USA, US, U.S.)."""
    if word == "China":
        return r"(?:Chin[a-z]*|Sino)"
    if word.isupper():
        return "(?-i:" + r"\.?".join(word[:-1]) + r"\.?(?:" + word[-1] + r"\.?)?)"
    return _word_form(word)


def _adjectives(place: str) -> list[str]:
    """The English words CC-CEDICT gives a place's people and language (英国人 "British",
    荷兰语 "Dutch", 泰语 for 泰国 "Thai")."""
    stems = [place] + ([place[:-1]] if place.endswith("国") and len(place) > 2 else [])
    return list(dict.fromkeys(n for p in stems for suffix in "人语文" for n in cedict.english_names(p + suffix)))


@lru_cache(maxsize=20_000)
def _expected(text: str, flag: str) -> Name | None:
    """The English forms expected for one Chinese name; None when there is nothing to expect."""
    core, division = _split_division(text)
    core = core.rstrip("某") or core  # 周某 "a certain Zhou": only the surname is written
    found = [cedict.entries(w) for w in (text, core)]
    if any(found) and not any(e.is_proper for entries in found for e in entries):
        return None  # a common word jieba took for a name (沙皇 "czar")
    english = [n for w in (text, core) for n in cedict.english_names(w)]
    forms = []
    # A place is rendered by its adjective too ("American" for 美国), which the name patterns
    # below do not reach when it is no ending on the name (British, Dutch, Thai, Swiss).
    for name in (_adjectives(core) if english else ()):
        forms.append(r"\s+".join(_word_form(w) for w in _fold_accents(name).split()))
    for name in english:
        if pair := _PAIR_OF_PLACES.fullmatch(name):
            # 中美 "China-USA" is as often "US-China" or "Sino-US": either order, each place in any form
            first, second = (_place_form(p) for p in pair.groups())
            forms += [rf"{first}{_JOINED}{second}", rf"{second}{_JOINED}{first}"]
            continue
        words_ = [w for w in re.split(r"[\s,]+", _fold_accents(name)) if w]
        while len(words_) > 1 and words_[-1].lower() in DIVISION_WORDS:
            words_.pop()  # "Erenhot City" is expected as "Erenhot", whatever follows it
        forms.append(r"\s+".join(_word_form(w) for w in words_))
        if len(words_) > 1 and len(words_[-1]) >= 4:
            forms.append(re.escape(words_[-1]))  # Jacques Chirac -> Chirac, Saint Petersburg -> St. Petersburg
        if len(words_) > 1 and len(words_[0]) >= 4 and zipf(words_[0].lower()) < DISTINCTIVE_ZIPF:
            forms.append(_word_form(words_[0]))  # Xinhua News Agency -> Xinhua; not "Russian" of Russian Federation
        initials = [w[0] for w in words_ if w[0].isupper()]
        if len(initials) >= 2:
            forms.append("(?-i:" + r"\.?".join(initials) + r"\.?)")  # United Nations -> UN, U.N. (never "us")
    person = flag in PERSON_TAGS
    chinese_person = person and 1 <= len(core) <= 3 and cedict.is_surname(core[0]) and not english
    syllables = char_pinyin(core)
    place = syllable_pattern(syllables)
    if chinese_person:
        # Wade-Giles too: names from Taiwan, Hong Kong and abroad (赵 Chao, 董继玲 Chiling).
        spellings = [p + w for p, w in zip(syllables, char_wade_giles(core))]
        surname, given = syllable_pattern(spellings[:1]), syllable_pattern(spellings[1:])
        if len(core) == 1:
            forms.append(surname)
        else:
            # jieba may cut a given name short (黄溪|连 for 黄溪连): "Huang Xilian" still renders
            # 黄溪; a name cut from a longer transliteration (杜特|尔特) runs on in one word: "Duterte".
            forms += [rf"{surname}[\s,]+{given}[a-z]*", rf"{given}\s+{surname}",
                      syllable_pattern(spellings, separator="") + "[a-z]*"]
        if division:
            forms.append(place)  # jieba tags some places as people (龙溪河): "Longxi River"
    elif len(core) >= 2 and all(re.fullmatch(r"[a-z]+", s[0]) for s in syllables):
        # A transliteration may be cut short by jieba too (卢卡|库 "Lukaku").
        forms.append(place + "[a-z]*")
    if not forms:
        return None
    if english:
        shown = re.sub(r"\s+(?:City|County|Province|District)$", "", english[0])
    elif chinese_person:
        shown = " ".join(filter(None, (syllables[0][0].capitalize(),
                                       "".join(s[0] for s in syllables[1:]).capitalize())))
    else:
        shown = "".join(s[0] for s in syllables).capitalize()
    source = r"(?<![A-Za-z])(?:" + "|".join(forms) + r")(?![a-z])"
    return Name(Word(text, flag, 0, 0), core, division, shown, source, bool(english), person, chinese_person)


def chinese_names(zh: str) -> list[Name]:
    """The names of a Chinese text in order, each with its expected English forms."""
    out = []
    found = words(zh)
    for i, w in enumerate(found):
        cut = _place_before_title(w.text)
        if cut:
            # jieba keeps a country with the title after it (德国总理, 英国首相 tagged a person, a
            # proper noun or a common noun): the country is a name the English renders ("German").
            name = _expected(w.text[:cut], "ns")
            if name is not None:
                out.append(replace(name, word=Word(w.text[:cut], "ns", w.start, w.start + cut)))
            continue
        if w.flag not in PERSON_TAGS | PLACE_TAGS | ORG_TAGS or len(w.text) < 2:
            continue
        following = found[i + 1].text if i + 1 < len(found) else ""
        if following in DIVISIONS:
            # jieba may split 韦瑟尔|县 and tag the first part a person: it is a place.
            name = _expected(w.text + following, "ns")
        else:
            name = _expected(w.text, w.flag)
        if name is not None:
            out.append(replace(name, word=w))
    return out


@lru_cache(maxsize=20_000)
def _place_before_title(text: str) -> int:
    """Where a word the dictionary does not know splits into a place it knows and a common
    word after it (德国|总理 "German chancellor", 日本|首相); 0 for no such split."""
    if len(text) < 3 or cedict.knows(text):
        return 0
    for cut in (3, 2):
        head, rest = text[:cut], text[cut:]
        if (len(rest) >= 2 and any(e.is_proper for e in cedict.entries(head))
                and cedict.knows(rest) and not any(e.is_proper for e in cedict.entries(rest))):
            return cut
    return 0


def chinese_name_like(run: str) -> bool:
    """Two or three words, all pinyin, a surname first or last: the shape of a Chinese
    person's name (Zhang Wei, Lixia Wang; not "China Open")."""
    parts = run.split()
    return (2 <= len(parts) <= 3 and all(cedict.pinyin_like(w) for w in parts)
            and bool({parts[0].lower(), parts[-1].lower()} & cedict.surname_syllables()))


def name_like(run: str) -> bool:
    """An English phrase that reads as a name: some word in it is rare, unknown or pinyin."""
    return any(zipf(w.lower()) < RARE_ZIPF or (cedict.pinyin_like(w) and zipf(w.lower()) < PINYIN_NAME_ZIPF)
               for w in re.findall(r"[A-Za-z]+", run) if w.lower() not in ("of", "and", "the"))


def dictionary_proper(run: str) -> bool:
    """An English phrase with a word CC-CEDICT's glosses only ever write capitalised (Shanghai
    0 lower-case of 98, Moscow 0 of 1, French 0 of 121; not China 4 of 682, President 140 of
    20): a known name, however common a word it is. Months and weekdays are dates."""
    return bool(proper_words(run))


def proper_words(run: str) -> list[str]:
    """The words of ``dictionary_proper``, in lower case."""
    return [w for w in re.findall(r"[a-z]+", run.lower()) if w not in _CALENDAR and _capital_only(w)]


@lru_cache(maxsize=20_000)
def _capital_only(word: str) -> bool:
    lower, capital = cedict.english_case(word)
    return lower == 0 and capital >= 1


def name_candidates(en: str, explained: list[tuple[int, int]]) -> list[tuple[int, int, str]]:
    """Name-like capitalised phrases of the English, as (start, end, text), outside the spans
    ``explained`` (the expected forms already found)."""
    out = []
    for m in _CAPITALISED_RUN.finditer(en):
        text = re.sub(r"['’]s$", "", m.group())  # the possessive is no part of the name (Berlin's)
        start, end = m.start(), m.start() + len(text)
        # A well-known name inside a long run is a phrase of its own ("Berlin" of "Berlin
        # Provincial Finance Department").
        out += [(s, e, en[s:e]) for s, e in _proper_stretches(en, start, text)
                if (s, e) != (start, end) and not any(a < e and s < b for a, b in explained)]
        if any(s < end and start < e for s, e in explained):
            continue
        if in_address(en, start, end):
            continue  # Ecns.cn, www.xinhuanet.com
        k = start  # the character before the run, spaces skipped (no copy of the text before it)
        while k > 0 and en[k - 1].isspace():
            k -= 1
        if (k == 0 or en[k - 1] in ".!?\"“") and " " not in text and not dictionary_proper(text):
            continue  # a capital that only opens the sentence (Berlin is capitalised anywhere)
        cut = _after_title(text)
        start, text = start + cut, text[cut:]
        if (name_like(text) or dictionary_proper(text) or chinese_name_like(text)
                or text.split()[-1].lower() in DIVISION_WORDS):
            out.append((start, end, text))
    return out


def _proper_stretches(en: str, start: int, run: str) -> list[tuple[int, int]]:
    """The spans of the longest stretches of ``dictionary_proper`` words in a run too long to
    stand for a name whole (more than ``STAND_IN_WORDS``); a shorter one is judged as it is (a
    given name is capitalised in every gloss too: "John" of "John Smith")."""
    spans: list[tuple[int, int]] = []
    if len(run.split()) <= STAND_IN_WORDS:
        return spans
    for w in re.finditer(r"[A-Za-z][\w’'-]*", run):
        if len(proper_words(w.group())) != 1:  # one well-known word, not a compound of two
            continue
        s, e = start + w.start(), start + w.end()
        if spans and en[spans[-1][1]:s].strip() == "":
            spans[-1] = (spans[-1][0], e)
        else:
            spans.append((s, e))
    return spans


def _after_title(run: str) -> int:
    """Where a Chinese name starts in a run that puts a title before it ("Reporter Zou Qing",
    "Prime Minister Li Na"): the name is the phrase to judge. 0 when there is no such title."""
    words_ = list(re.finditer(r"\S+", run))
    for size in (2, 3):
        k = len(words_) - size
        if k > 0 and all(zipf(w.group().lower()) >= TITLE_ZIPF and not cedict.pinyin_like(w.group())
                         for w in words_[:k]) and chinese_name_like(run[words_[k].start():]):
            return words_[k].start()
    return 0


def rendered_names(zh: str, en: str) -> list[tuple[int, int]]:
    """Spans of the English that render a name of the Chinese in its expected form."""
    spans = []
    for name in chinese_names(zh):
        m = name.pattern.search(en)
        if m:
            spans.append(m.span())
    return spans


def place_mentions(zh: str) -> list[Name]:
    """Every mention, in order, of a place CC-CEDICT knows in a Chinese text. Places too widely
    named to tell one story from another (China, Japan: a frequent English word) are left out."""
    # a name is as distinctive as its rarest word: "Inner Mongolia" by "Mongolia"
    return [n for n in chinese_names(zh) if n.word.flag in PLACE_TAGS and n.from_dictionary  # jieba alone tags noise
            and min(zipf(w) for w in re.findall(r"[a-z]+", n.english.lower()) or ["x"]) < _COMMON_PLACE]


def name_phrases(en: str) -> list[str]:
    """The name-like capitalised phrases of an English text (people, places, bodies)."""
    return [text for _, _, text in name_candidates(en, [])]
