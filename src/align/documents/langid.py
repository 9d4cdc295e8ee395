"""Cheap language and Chinese-script identification from character statistics."""
from __future__ import annotations

import re
import unicodedata

from align.documents.normalise import to_simplified
from align.script import HAN, is_han
from align.types import Language

_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")

# Frequent English function words; none is also a frequent word of the Latin-script
# languages below (so "a", "in", "die", "son" are left out).
_EN_WORDS = frozenset(
    "the of and to is that for it was with be by on not he this are or his from at which but "
    "have they you were has their we will would been there its our can should must who what "
    "been these those than then into about also after more all when if she her them how said "
    "being does did could may shall us your my me do an such other only any over".split()
)
# Frequent function words of French, German, Spanish, Italian, Portuguese and Dutch that
# are not English words.
_OTHER_WORDS = frozenset(
    "le la les des du et est une pour dans que qui sur pas au avec ce il elle nous vous sont "
    "der das und ist nicht ein eine zu den mit von sich auf für ich sie es dem im auch wir "
    "el los las y es por con para del se lo como más su al pero sus muy "
    "il della di che è per una sono gli nel alla anche non "
    "os um uma não com do da em são mais pelo pela "
    "het een van en niet zijn op dat voor met ook aan worden".split()
)


def script_counts(text: str) -> tuple[int, int, int, int]:
    """(Han, kana+hangul, Latin letters, letters of other scripts)."""
    han = kana_hangul = latin = other = 0
    for ch in text:
        code = ord(ch)
        if code < 0x80:
            latin += ch.isalpha()
        elif is_han(ch):
            han += 1
        elif 0x3040 <= code <= 0x30FF or 0xAC00 <= code <= 0xD7AF or 0x1100 <= code <= 0x11FF:
            kana_hangul += 1
        elif ch.isalpha():
            if 0xFF21 <= code <= 0xFF5A or unicodedata.name(ch, "").startswith("LATIN"):
                latin += 1
            else:
                other += 1
    return han, kana_hangul, latin, other


def _english_evidence(words: list[str]) -> float:
    """Positive when the words look English, negative when another Latin-script language."""
    en = sum(w in _EN_WORDS for w in words)
    foreign = sum(w in _OTHER_WORDS for w in words)
    # Diacritics are rare in English and common in the other Latin-script languages.
    foreign += sum(any(ord(c) > 0x7F for c in w) for w in words)
    if en or foreign:
        return en - foreign
    # No function words at all (a headline, a very short sentence): compare how common the
    # words are in English against the best of the other languages.
    from wordfreq import zipf_frequency

    sample = words[:20]
    en_score = sum(zipf_frequency(w, "en") for w in sample)
    other_score = max(
        sum(zipf_frequency(w, lang) for w in sample) for lang in ("fr", "de", "es", "it", "pt", "nl")
    )
    return en_score - other_score


def detect_language(text: str) -> str:
    """``"zh"``, ``"en"`` or ``"other"`` for a text of any length (a word, a sentence, a page)."""
    sample = text[:20000]
    han, kana_hangul, latin, other = script_counts(sample)
    if kana_hangul >= 3 and kana_hangul > 0.1 * (han + kana_hangul):
        return Language.OTHER  # Japanese or Korean: Han characters alone do not make Chinese
    words = [w.lower() for w in _WORD.findall(sample) if not _is_cjk_word(w)]
    if han == 0 and latin == 0:
        return Language.OTHER
    if other > han and other > latin:
        return Language.OTHER
    # One Han character carries about as much as one English word.
    latin_words = sum(1 for w in words if w.isascii())
    if han >= latin_words:
        return Language.ZH
    return Language.EN if _english_evidence(words) > 0 else "other"


def _is_cjk_word(word: str) -> bool:
    # Wider than Han on purpose: a word in any East Asian script (U+2E80-33FF: radicals, CJK
    # punctuation, kana, bopomofo) is no evidence for or against a Latin-script language.
    return any(0x2E80 <= ord(c) <= 0x9FFF or 0xF900 <= ord(c) <= 0xFAFF for c in word)


def chinese_script(text: str) -> str:
    """``"traditional"`` when OpenCC t2s changes a noticeable share of the Han characters,
    else ``"simplified"``."""
    han = HAN.findall(text[:20000])
    if not han:
        return "simplified"
    sample = "".join(han[:5000])
    converted = to_simplified(sample)
    if len(converted) != len(sample):  # phrase conversions changed the length: compare sets
        changed = len(set(sample) - set(converted))
        return "traditional" if changed > 0.02 * len(set(sample)) else "simplified"
    changed = sum(a != b for a, b in zip(sample, converted))
    # Simplified text has almost no characters t2s rewrites; traditional text has many
    # (about a third of running text), so a low threshold separates them cleanly.
    return "traditional" if changed > max(1, 0.03 * len(sample)) else "simplified"
