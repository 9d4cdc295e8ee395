"""What machine translation keeps of a document: its numbers and its names.

A translated article and its source share few words but nearly all of their
numbers (dates, amounts, counts) and their names, which MT renders as
CC-CEDICT's English or as pinyin. Two reports of one event share them too,
while two reports of like events in other places share the boilerplate and not
these, which is what sentence vectors alone confuse.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
# jieba's tags for names of people, places and organisations. Its tags are loose (热烈祝贺
# tagged a place): a name counts when CC-CEDICT knows it as a proper noun, or, for a person,
# when it is two or three characters opening with a surname (its pinyin is what MT writes).
_NAME_TAGS = ("nr", "ns", "nt")
_EN_NAME = re.compile(r"\b[A-Z][a-z]+(?:[ -](?:of |and |the )?[A-Z][a-z]+)*")
MAX_NAMES = 40  # the most frequent names of a document; the long tail adds noise, not evidence
# Single-word places at least this frequent in English (wordfreq's Zipf scale: china 5.9,
# japan 5.4, beijing 4.6, hohhot 2.2) are too common to place an event.
COMMON_ZIPF = 4.5


def numbers(text: str) -> set[str]:
    """The numbers written in digits, as digit strings: "1,200" and "1200" are one number.

    Numbers of one digit are left out: list numbers and "1" say nothing of an article.
    """
    out = set()
    for m in _NUMBER.finditer(text):
        value = m.group().replace(",", "")
        if "." in value:
            value = value.rstrip("0").rstrip(".")
        if len(value.replace(".", "")) >= 2:
            out.add(value)
    return out


def zh_names(sentences: Iterable[str]) -> tuple[list[list[str]], list[list[str]]]:
    """The names of a Chinese document, most frequent first, each as the lower-case English
    forms MT gives it (CC-CEDICT's English names, else a person's pinyin, joined or spaced),
    and which of them are places (tagged a place, with an English name in CC-CEDICT)."""
    from collections import Counter

    from align.lexicon.cedict import english_names, is_surname
    from align.lexicon.chinese import char_pinyin, words

    counts: Counter[tuple[str, str]] = Counter()
    for text in sentences:
        counts.update((w.text, w.flag[:2]) for w in words(text)
                      if w.flag.startswith(_NAME_TAGS) and len(w.text) >= 2)
    names: list[list[str]] = []
    places: list[list[str]] = []
    for (name, tag), _ in counts.most_common():
        forms = {f.lower() for f in english_names(name)}
        if tag == "ns" and forms and not any(_common(f) for f in forms):
            place = sorted(f for f in forms if len(f) >= 4)
            if place and place not in places:
                places.append(place)
        if tag == "nr" and not forms and len(name) <= 3 and is_surname(name[0]):
            syllables = [options[0].lower() for options in char_pinyin(name) if options]
            forms = {"".join(syllables), " ".join(syllables)}
        forms = {f for f in forms if len(f) >= 4}
        if forms and sorted(forms) not in names and len(names) < MAX_NAMES:
            names.append(sorted(forms))
    return names, places[:MAX_NAMES]


def _common(name: str) -> bool:
    """A place named in every other article (China, Japan): it tells no event from another."""
    from align.lexicon.english import zipf

    return " " not in name and zipf(name) >= COMMON_ZIPF


def en_names(text: str) -> set[str]:
    """The capitalised phrases of an English text (not a lone capitalised first word of a
    sentence), lower case without spaces: "Inner Mongolia" -> "innermongolia"."""
    out = set()
    for m in _EN_NAME.finditer(text):
        phrase = m.group()
        before = text[:m.start()].rstrip()
        if " " not in phrase and (not before or before[-1] in ".!?\"'“"):
            continue
        key = re.sub(r"[^a-z]", "", _ascii(phrase))
        if len(key) >= 4:
            out.add(key)
    return out


def name_keys(names: Iterable[Sequence[str]]) -> dict[str, str]:
    """A document's name forms as ``en_names`` writes them -> the name's first form."""
    return {key: forms[0] for forms in names for f in forms if len(key := re.sub(r"[^a-z]", "", _ascii(f))) >= 4}


def en_names_matched(en: Iterable[str], zh_keys: dict[str, str]) -> dict[str, list[str]]:
    """For each English name, the Chinese names (first forms) that account for it: one's key
    contains the other's ("innermongoliaautonomousregion" holds "innermongolia")."""
    return {e: [name for k, name in zh_keys.items() if k in e or e in k] for e in en}


def _ascii(text: str) -> str:
    """Lower case without diacritics: CC-CEDICT writes Ōsaka, MT writes Osaka."""
    import unicodedata

    return "".join(c for c in unicodedata.normalize("NFKD", text.lower()) if not unicodedata.combining(c))


def en_words(text: str) -> str:
    """The English text as lower-case words between single spaces, with spaces around, for
    whole-word matching of name forms."""
    return " " + " ".join(re.findall(r"[a-z0-9]+", _ascii(text))) + " "


def name_found(forms: Iterable[str], en_text: str) -> bool:
    """Whether any English form of a name occurs as whole words in ``en_words`` text."""
    return any(f" {' '.join(re.findall(r'[a-z0-9]+', _ascii(f)))} " in en_text for f in forms)
