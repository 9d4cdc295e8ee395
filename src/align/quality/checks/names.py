"""People, places and organisations: each Chinese name in its usual English form.

The Chinese names come from jieba's part-of-speech tags; their expected English forms
from CC-CEDICT (二连浩特 -> Erenhot, with demonyms and acronyms: Belgian, UN) and from
pinyin or Wade-Giles (王莉霞 -> Wang Lixia, 赵 -> Chao). A name whose forms are all absent
from the English is looked for among the English name-like phrases nobody else accounts
for ("Doubletham City" for 二连浩特市); names their bearers write their own way abroad
(Elaine Chao) and foreign places the Chinese transliterates (Quezon City) are not
wrong renderings. Administrative
divisions rendered by their everyday sense (盟 "league" as "alliances") are names gone
wrong too, and so is one name rendered two ways across an article.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from difflib import SequenceMatcher
from functools import lru_cache

from align.lexicon import cedict
from align.lexicon.chinese import (ORG_TAGS, PERSON_TAGS, PLACE_TAGS, Word, char_pinyin, char_wade_giles, pinyin,
                                   words)
from align.lexicon.english import Token, in_address, stem, tokens, zipf
from align.quality.checks.base import Check, Finding
from align.types import Flag, PairText, Severity

# Administrative divisions as suffixes of place names, with their English word.
DIVISIONS = {"自治区": "region", "自治州": "prefecture", "自治县": "county", "自治旗": "banner",
             "特别行政区": "region", "省": "province", "市": "city", "县": "county", "区": "district",
             "盟": "league", "旗": "banner", "州": "prefecture", "镇": "town", "乡": "township", "村": "village",
             # natural features end names the same way (卓乃湖 "Zhuonai Lake")
             "湖": "lake", "山": "mountain", "河": "river", "江": "river", "岛": "island"}
# Divisions whose character has an everyday sense a translator may reach for instead
# (盟 "alliance", 旗 "flag"), with the words where they stand as divisions (各盟市, 旗县);
# a place name ending in one (锡林郭勒盟) counts too.
_AMBIGUOUS_DIVISIONS = {"盟": ("盟市", "各盟", "盟旗", "盟委"), "旗": ("旗县", "各旗", "旗区")}
_DIVISION_WORDS = frozenset(DIVISIONS.values())
# Name-like phrases: runs of capitalised words (not acronyms such as ASEAN); "Prime Minister
# of Li Na" gives "Prime Minister" and "Li Na".
_CAPITALISED_RUN = re.compile(r"(?<![A-Za-z])[A-Z][a-z][\w’'-]*(?:[ \t]+[A-Z][a-z][\w’'-]*)*")
_SEPARATOR = r"[\s'’‐-]*"
# Letter similarity (difflib ratio) from which a name is a misspelling of the expected one rather
# than another person's: "Wang Lixa" / "Wang Lixia" 0.95, "Liu Ze" / "Liu Wei" 0.67 (seed 000).
_NEAR_MISS = 0.8
# Zipf frequency from which a place's English name is too common to anchor one event (China 5.1, Japan 4.9)
_COMMON_PLACE = 4.5


@dataclass(frozen=True)
class _Name:
    word: Word  # the Chinese name as jieba found it
    core: str  # without its division suffix: 二连浩特 for 二连浩特市
    division: str  # English word of the suffix ("city"), or ""
    english: str  # its usual English form, for the reason: "Erenhot"
    pattern: re.Pattern  # every expected English form
    from_dictionary: bool  # CC-CEDICT gives its English (which may list several forms)
    person: bool
    chinese_person: bool  # a Chinese name: pinyin is the rule, not a guess at a transliteration


def _fold_accents(text: str) -> str:
    """Ürümqi -> Urumqi: English writes CC-CEDICT's pinyin-accented names without marks."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _split_division(text: str) -> tuple[str, str]:
    for suffix, english in DIVISIONS.items():
        if text.endswith(suffix) and len(text) > len(suffix) + 1:
            return text[: -len(suffix)], english
    return text, ""


def _syllable_pattern(syllables: Sequence[Sequence[str]], separator: str = _SEPARATOR) -> str:
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


@lru_cache(maxsize=20_000)
def _expected(text: str, flag: str) -> _Name | None:
    """The English forms expected for one Chinese name; None when there is nothing to expect."""
    core, division = _split_division(text)
    core = core.rstrip("某") or core  # 周某 "a certain Zhou": only the surname is written
    found = [cedict.entries(w) for w in (text, core)]
    if any(found) and not any(e.is_proper for entries in found for e in entries):
        return None  # a common word jieba took for a name (沙皇 "czar")
    english = [n for w in (text, core) for n in cedict.english_names(w)]
    forms = []
    for name in english:
        words_ = [w for w in re.split(r"[\s,]+", _fold_accents(name)) if w]
        while len(words_) > 1 and words_[-1].lower() in _DIVISION_WORDS:
            words_.pop()  # "Erenhot City" is expected as "Erenhot", whatever follows it
        forms.append(r"\s+".join(_word_form(w) for w in words_))
        if len(words_) > 1 and len(words_[-1]) >= 4:
            forms.append(re.escape(words_[-1]))  # Jacques Chirac -> Chirac, Saint Petersburg -> St. Petersburg
        if len(words_) > 1 and len(words_[0]) >= 4 and zipf(words_[0].lower()) < 4.0:
            forms.append(_word_form(words_[0]))  # Xinhua News Agency -> Xinhua; not "Russian" of Russian Federation
        initials = [w[0] for w in words_ if w[0].isupper()]
        if len(initials) >= 2:
            forms.append("(?-i:" + r"\.?".join(initials) + r"\.?)")  # United Nations -> UN, U.N. (never "us")
    person = flag in PERSON_TAGS
    chinese_person = person and 1 <= len(core) <= 3 and cedict.is_surname(core[0]) and not english
    syllables = char_pinyin(core)
    place = _syllable_pattern(syllables)
    if chinese_person:
        # Wade-Giles too: names from Taiwan, Hong Kong and abroad (赵 Chao, 董继玲 Chiling).
        spellings = [p + w for p, w in zip(syllables, char_wade_giles(core))]
        surname, given = _syllable_pattern(spellings[:1]), _syllable_pattern(spellings[1:])
        if len(core) == 1:
            forms.append(surname)
        else:
            # jieba may cut a given name short (黄溪|连 for 黄溪连): "Huang Xilian" still renders
            # 黄溪; a name cut from a longer transliteration (杜特|尔特) runs on in one word: "Duterte".
            forms += [rf"{surname}[\s,]+{given}[a-z]*", rf"{given}\s+{surname}",
                      _syllable_pattern(spellings, separator="") + "[a-z]*"]
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
    pattern = re.compile(r"(?<![A-Za-z])(?:" + "|".join(forms) + r")(?![a-z])", re.I)
    return _Name(Word(text, flag, 0, 0), core, division, shown, pattern, bool(english), person, chinese_person)


def _names(zh: str) -> list[_Name]:
    out = []
    found = words(zh)
    for i, w in enumerate(found):
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


def _chinese_name_like(run: str) -> bool:
    """Two or three words, all pinyin, a surname first or last: the shape of a Chinese
    person's name (Zhang Wei, Lixia Wang; not "China Open")."""
    parts = run.split()
    return (2 <= len(parts) <= 3 and all(cedict.pinyin_like(w) for w in parts)
            and bool({parts[0].lower(), parts[-1].lower()} & cedict.surname_syllables()))


def _own_romanisation(text: str, name: _Name) -> bool:
    """A Chinese name in Western order as its bearer abroad writes it: an English given name
    before the surname (Elaine Chao for 赵小兰, Grace Meng for 孟昭文), or the given name before
    the surname in a spelling of their own (Chiling Tong for 董继玲). Mainland names keep the
    Chinese order, so near misses in it (Wang Lixa, Zou Qing) stay wrong."""
    parts = [_plain(p) for p in text.split()]
    if len(parts) != 2 or len(name.core) < 2:
        return False
    first, last = parts
    readings = [set(p) | set(w) for p, w in zip(char_pinyin(name.core), char_wade_giles(name.core))]
    if last in readings[0]:
        return zipf(first) >= 3.0 and first not in cedict.pinyin_syllables()
    given = re.compile(_syllable_pattern(readings[1:]), re.I)
    # The surname as spoken (董 dong, Wade-Giles tung), not its rare readings (zhong).
    surname = {char_pinyin(name.core[0])[0][0], *char_wade_giles(name.core[0])[0]}
    return len(readings) >= 3 and bool(given.fullmatch(first)) and any(_similar(last, r) >= 0.75 for r in surname)


def _another_name(run: str) -> bool:
    """A phrase that can be a name in its own right: a Chinese person's name in pinyin, or a
    pinyin word before any division word ("Baotou City"); "Doubletham City" cannot."""
    parts = run.split()
    if len(parts) > 1 and parts[-1].lower() in _DIVISION_WORDS:
        parts = parts[:-1]
    return _chinese_name_like(run) or all(cedict.pinyin_like(w) for w in parts)


def _foreign(run: str) -> bool:
    """A phrase with a rare word that is not pinyin: a foreign name (Quezon, Ruhr), where a
    Chinese place unknown to the dictionary is written in pinyin or garbled into English words."""
    return any(zipf(w.lower()) < 3.0 and not cedict.pinyin_like(w) for w in re.findall(r"[A-Za-z]+", run))


def _name_like(run: str) -> bool:
    """An English phrase that reads as a name: some word in it is rare, unknown or pinyin."""
    return any(zipf(w.lower()) < 3.0 or (cedict.pinyin_like(w) and zipf(w.lower()) < 4.0)
               for w in re.findall(r"[A-Za-z]+", run) if w.lower() not in ("of", "and", "the"))


def _candidates(en: str, explained: list[tuple[int, int]]) -> list[tuple[int, int, str]]:
    """Name-like capitalised phrases of the English that no expected form accounts for."""
    out = []
    for m in _CAPITALISED_RUN.finditer(en):
        start, end = m.start(), m.end()
        if any(s < end and start < e for s, e in explained):
            continue
        text = m.group()
        if in_address(en, start, end):
            continue  # Ecns.cn, www.xinhuanet.com
        k = start  # the character before the run, spaces skipped (no copy of the text before it)
        while k > 0 and en[k - 1].isspace():
            k -= 1
        if (k == 0 or en[k - 1] in ".!?\"“") and " " not in text:
            continue  # a capital that only opens the sentence
        cut = _after_title(text)
        start, text = start + cut, text[cut:]
        if _name_like(text) or _chinese_name_like(text) or text.split()[-1].lower() in _DIVISION_WORDS:
            out.append((start, end, text))
    return out


def _after_title(run: str) -> int:
    """Where a Chinese name starts in a run that puts a title before it ("Reporter Zou Qing",
    "Prime Minister Li Na"): the name is the phrase to judge. 0 when there is no such title."""
    words_ = list(re.finditer(r"\S+", run))
    for size in (2, 3):
        k = len(words_) - size
        if k > 0 and all(zipf(w.group().lower()) >= 3.5 and not cedict.pinyin_like(w.group()) for w in words_[:k]) \
                and _chinese_name_like(run[words_[k].start():]):
            return words_[k].start()
    return 0


def _plain(text: str) -> str:
    return re.sub(r"[^a-z]", "", text.lower())


def _accounted(text: str, zh: str, names: list[_Name], name: _Name) -> bool:
    """Whether the Chinese accounts for an English phrase other than as a rendering of
    ``name``: its Latin text (Rabobank), the pinyin of other words (Taobao for 淘宝, "Zhou Zhe"
    for a 周喆 jieba did not take for a name, Xinhuanet for 新华网), or a word that sounds like
    one of its names (Mozzi for 莫齐)."""
    parts = [w.lower() for w in re.findall(r"[A-Za-z]{3,}", text)]
    if any(w in zh.lower() for w in parts):
        return True
    heard = pinyin(zh)
    joined = _plain(text)
    if len(joined) >= 5 and joined in heard and joined not in _plain(pinyin(name.core)):
        return True
    if name.chinese_person:
        return False  # a Chinese name has one right pinyin: near misses (Wang Lixa) are what we look for
    spoken = [_plain(pinyin(n.core)) for n in names]
    # Short words are single syllables (wei, zhang) that any sentence's pinyin may hold; five
    # letters or more are two syllables, and so are six letters of a longer word (Xinhua-net).
    return any(len(w) >= 5 and w in heard or any(w[k:k + 6] in heard for k in range(len(w) - 5))
               for w in parts) or any(_similar(w, p) >= 0.5 for w in parts for p in spoken)


def _similar(a: str, b: str) -> float:
    return SequenceMatcher(None, re.sub(r"[^a-z]", "", a.lower()), re.sub(r"[^a-z]", "", b.lower())).ratio()


class NameCheck(Check):
    """Names and places in their usual English form, and one form per name across an article."""

    name = "name"

    def run(self, pair: PairText) -> Finding:
        return self._run(pair)[0]

    def run_all(self, pairs: Sequence[PairText]) -> list[Finding]:
        results = [self._run(p) for p in pairs]
        # One name rendered two ways across the article: flag the renderings that differ
        # from the most frequent one.
        seen: dict[str, list[tuple[int, str, int, int]]] = {}
        for i, (_, renderings) in enumerate(results):
            for core, (text, start, end) in renderings.items():
                seen.setdefault(core, []).append((i, text, start, end))
        extra: dict[int, list[Flag]] = {}
        for core, found in seen.items():
            forms = Counter(_key(text) for _, text, _, _ in found)
            usual = forms.most_common(1)[0][0]
            usual_text = next(text for _, text, _, _ in found if _key(text) == usual)
            for i, text, start, end in found:
                key = _key(text)
                # "Vietnam" and "Vietnamese", "Xi" and "Xi Jinping" are one rendering.
                if not (key.startswith(usual) or usual.startswith(key)):
                    extra.setdefault(i, []).append(Flag(
                        self.name, Severity.MINOR, f"{core} rendered as '{text}' here but '{usual_text}' elsewhere",
                        "en", start, end))
        out = []
        for i, (finding, _) in enumerate(results):
            flags = finding.flags + tuple(extra.get(i, ()))
            signals = dict(finding.signals, **{"names.inconsistent": float(len(extra.get(i, ())))})
            out.append(Finding(flags, signals, finding.notes))
        return out

    def _run(self, pair: PairText) -> tuple[Finding, dict[str, tuple[str, int, int]]]:
        """The pair's finding and, per Chinese name, the expected English form found for it
        (wrong renderings are flagged here already, so consistency looks at the right ones)."""
        if not pair.zh.strip():
            return Finding(), {}
        names = _names(pair.zh)
        en = pair.en
        renderings: dict[str, tuple[str, int, int]] = {}
        explained: list[tuple[int, int]] = []
        missing: list[_Name] = []
        for name in names:
            m = name.pattern.search(en)
            if m:
                explained.append(m.span())
                if not name.from_dictionary:
                    # Dictionary names have several right forms (US, United States);
                    # a pinyin rendering has one, so two spellings of it are an inconsistency.
                    renderings[name.core] = (m.group(), m.start(), m.end())
            else:
                missing.append(name)
        flags = []
        # Phrases a Chinese person abroad writes as their own name are theirs, whichever name they are.
        candidates = [c for c in _candidates(en, explained)
                      if not any(n.chinese_person and _own_romanisation(c[2], n) for n in missing)]
        # Best pairs first, each name and phrase used once: a near miss goes to the name it
        # resembles, not to whichever missing name comes first.
        scored = sorted(((score, k, c) for k, name in enumerate(missing) for c in candidates
                         if not _accounted(c[2], pair.zh, names, name)
                         and (score := self._score(name, c, len(en), len(pair.zh))) is not None),
                        key=lambda x: -x[0])
        done: set[int] = set()
        used: set[tuple[int, int, str]] = set()
        notes = []
        for _, k, (start, end, text) in scored:
            if k in done or (start, end, text) in used:
                continue
            done.add(k)
            used.add((start, end, text))
            name = missing[k]
            rare = any(zipf(w.lower()) == 0 for w in re.findall(r"[A-Za-z]+", text))
            shares = any(_similar(w, s) == 1.0 for w in text.split() for s in name.english.split())
            if pair.partial and _similar(text, name.english) < _NEAR_MISS and (
                    _another_name(text) or not (name.division or name.chinese_person)):
                # Another report may name someone or somewhere else here (another speaker, one of
                # the same surname, Kronstadt for St Petersburg): information, unless the English
                # garbles this very name ("Doubletham City", "Wang Lixa" for Wang Lixia).
                shown = pair.zh[name.word.start:name.word.end]
                notes.append(Flag(self.name, Severity.MINOR, f"the other report names {shown} ({name.english}) here; "
                                  f"the English names '{text}'", "en", start, end))
                continue
            severity = Severity.MAJOR if rare or shares or name.division else Severity.MINOR
            flags.append(Flag(self.name, severity, f"{name.core} ({name.english}) rendered as '{text}'",
                              "en", start, end))
        wrong = len(flags) + len(notes)
        flags.sort(key=lambda f: f.start)
        flags += self._divisions(pair.zh, en)
        signals = {
            "names.zh": float(len(names)),
            "names.missing": float(len(missing)),
            "names.wrong": float(wrong),
            "names.matched": (len(names) - len(missing)) / len(names) if names else 1.0,
        }
        return Finding(tuple(flags), signals, tuple(notes)), renderings

    @staticmethod
    def _score(name: _Name, cand: tuple[int, int, str], en_length: int, zh_length: int) -> float | None:
        """How likely an English phrase is the rendering of a name whose expected forms are
        absent; None when it cannot be."""
        start, _, text = cand
        last = text.split()[-1].lower()
        core = " ".join(text.split()[:-1]) if last in _DIVISION_WORDS and " " in text else text
        similarity = _similar(core, name.english)
        if not name.chinese_person and similarity >= 0.5:
            return None  # another transliteration of a foreign name (Wesel for 韦瑟尔), not an error
        if name.division:
            if last != name.division:
                return None
            if not name.from_dictionary and _foreign(core):
                return None  # a foreign place the Chinese transliterates (奎松市 Quezon City, 鲁尔区 Ruhr)
            score = 2.0
        elif name.chinese_person:
            shares = any(_similar(w, s) == 1.0 for w in text.split() for s in name.english.split())
            if not shares and not _chinese_name_like(text):
                return None  # "Andy Lau" for 刘德华, "Kola Peninsula" for a misread 科拉
            score = 1.0 + similarity + shares
        elif name.from_dictionary and _name_like(text) and len(text.split()) <= 3:
            score = 0.5  # the dictionary's name is missing and an unknown name stands in the English
        else:
            return None  # foreign and bare place names: too many legitimate renderings to guess
        # Names keep roughly their place in the sentence across languages.
        return score + 1.0 - abs(start / max(en_length, 1) - name.word.start / max(zh_length, 1))

    def _divisions(self, zh: str, en: str) -> list[Flag]:
        """盟 (league) or 旗 (banner) standing as divisions but rendered by their everyday sense."""
        flags = []
        found = words(zh)
        toks = tokens(en)
        for char, division_words in _AMBIGUOUS_DIVISIONS.items():
            if not any(w.text in division_words or (w.flag in PLACE_TAGS and w.text.endswith(char))
                       or (w.text == char and i and found[i - 1].flag in PLACE_TAGS)
                       for i, w in enumerate(found)):
                continue
            english = DIVISIONS[char]
            if any(stem(t.lower) == stem(english) for t in toks):
                continue
            wrong_senses = cedict.family_stems(char) - {stem(english)}
            hit: Token | None = next((t for t in toks if t.is_word and stem(t.lower) in wrong_senses), None)
            if hit is not None:
                flags.append(Flag(self.name, Severity.MAJOR,
                                  f"{char} ({english}, an administrative division) rendered as '{hit.text}'",
                                  "en", hit.start, hit.end))
        return flags


def _key(text: str) -> str:
    return re.sub(r"[^a-z]", "", text.lower())


def rendered_names(zh: str, en: str) -> list[tuple[int, int]]:
    """Spans of the English that render a name of the Chinese in its expected form."""
    spans = []
    for name in _names(zh):
        m = name.pattern.search(en)
        if m:
            spans.append(m.span())
    return spans


def places(zh: str) -> list[tuple[str, str, re.Pattern]]:
    """The places CC-CEDICT knows that a Chinese text names, each once, most mentioned first:
    (Chinese, usual English, pattern of its expected English forms). Places too widely named
    to tell one story from another (China, Japan: a frequent English word) are left out."""
    # a name is as distinctive as its rarest word: "Inner Mongolia" by "Mongolia"
    found = [n for n in _names(zh) if n.word.flag in PLACE_TAGS and n.from_dictionary  # jieba alone tags noise
             and min(zipf(w) for w in re.findall(r"[a-z]+", n.english.lower()) or ["x"]) < _COMMON_PLACE]
    named = {n.word.text: n for n in found}
    counts = Counter(n.word.text for n in found)
    return [(text, named[text].english, named[text].pattern) for text, _ in counts.most_common()]


def name_phrases(en: str) -> list[str]:
    """The name-like capitalised phrases of an English text (people, places, bodies)."""
    return [text for _, _, text in _candidates(en, [])]
