"""Chinese words: jieba's segmentation (with part-of-speech tags for the checks) and pinyin.

Text is converted to simplified script and half-width forms before segmenting (the
dictionaries are simplified), keeping offsets into the original. jieba and pypinyin
are imported on first use, with jieba's start-up chatter on stderr silenced, and
their answers are kept on disk (``lexicon.memo``): a run on texts seen before loads
neither.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import lru_cache

from align.documents.normalise import fold_width, to_simplified
from align.lexicon.memo import remembered
from align.script import is_han

# jieba's tags for proper names: person (nr, and nrt/nrfg for transliterated or
# full names), place (ns), organisation (nt), other proper noun (nz).
PERSON_TAGS = frozenset({"nr", "nrt", "nrfg"})
PLACE_TAGS = frozenset({"ns"})
ORG_TAGS = frozenset({"nt"})
# Tags of words that carry content (nouns, verbs, adjectives, names, numerals with
# units, idioms); particles, prepositions, conjunctions, pronouns and punctuation do not.
CONTENT_TAGS = ("n", "v", "a", "b", "i", "l", "j", "s", "t", "eng")
# Words that negate what follows them and nothing else; jieba keeps lexicalised words
# such as 不断 "continually" or 不仅 "not only" whole, so they never match here.
NEGATORS = frozenset("不 没 没有 未 无 非 别 勿 莫 未能 不能 不会 无法 不要 不得 不再 尚未 并未 从未 绝不 决不 "
                     "并不 从不 毫不 不是 未曾 没能 不可 不用 无须 无需 不必 并非 绝非".split())
# Characters that stand after a name as words of their own (王伟|说, 李明|在): a
# surname-and-one-character name followed by any other lone character has most likely
# been cut short (王伟|中 for 王伟中, 黄溪|连 for 黄溪连); most Chinese names have three.
_AFTER_NAME = frozenset("说讲道在和与及跟同是的了等也都对为将就又还被把向从给让曾已再则而但并或称指到来去要会能可所之于以"
                        "先后首即便亦仍均皆")


@dataclass(frozen=True)
class Word:
    text: str  # as simplified, the form the dictionaries know
    flag: str  # jieba's part-of-speech tag
    start: int  # offsets into the original text
    end: int

    @property
    def is_content(self) -> bool:
        return self.flag.startswith(CONTENT_TAGS)


@lru_cache(maxsize=1)
def _jieba():
    import jieba

    jieba.setLogLevel(logging.WARNING)  # "Building prefix dict..." is not for our users
    jieba.initialize()
    return jieba


@lru_cache(maxsize=1)
def _posseg():
    import jieba.posseg

    _jieba()
    return jieba.posseg


@remembered("jieba")
def segment(text: str) -> list[str]:
    """jieba's words of a (simplified) Chinese text, without tags: what the alignment cue needs."""
    return _jieba().lcut(text)


@remembered("jieba")
def _tagged(text: str) -> list[list[str]]:
    """jieba's [word, tag] pairs of a simplified text."""
    return [[pair.word, pair.flag] for pair in _posseg().cut(text)]


@lru_cache(maxsize=8192)
def simplified(text: str) -> str:
    """Simplified, half-width form of ``text`` with the same length (so offsets carry over)."""
    folded = fold_width(text)
    converted = to_simplified(folded)
    if len(converted) != len(folded):
        # A phrase conversion changed the length: convert character by character instead.
        converted = "".join(c if len(s := to_simplified(c)) != 1 else s for c in folded)
    return converted


@lru_cache(maxsize=8192)
def words(text: str) -> tuple[Word, ...]:
    """The words of a Chinese text with their tags and offsets (cached: sources repeat across systems)."""
    if not text.strip():
        return ()
    out: list[Word] = []
    pos = 0
    for word, flag in _tagged(simplified(text)):
        end = pos + len(word)
        if not word.isspace():
            if out and _cut_name(out[-1], word, flag):
                out[-1] = Word(out[-1].text + word, out[-1].flag, out[-1].start, end)
            else:
                out.append(Word(word, flag, pos, end))
        pos = end
    return tuple(out)


def _cut_name(name: Word, char: str, flag: str) -> bool:
    """Whether jieba cut a three-character name after its second character: a person's
    name of surname + one character (CC-CEDICT's surnames), then a lone Han character that
    is no function word, and the three together no dictionary word."""
    from align.lexicon import cedict

    return (name.flag in PERSON_TAGS and len(name.text) == 2 and len(char) == 1
            and is_han(char) and char not in _AFTER_NAME and not flag.startswith(("p", "c", "x"))
            and name.end == name.start + 2 and cedict.is_surname(name.text[0])
            and not cedict.knows(name.text + char))


@lru_cache(maxsize=1)
def _pypinyin():
    import pypinyin

    return pypinyin


@lru_cache(maxsize=50_000)
@remembered("pypinyin")
def pinyin(text: str) -> str:
    """Toneless pinyin of ``text`` run together, lower case: 淘宝 -> "taobao"."""
    return "".join(_pypinyin().lazy_pinyin(text)).lower()


@remembered("pypinyin")
def char_pinyin(text: str) -> list[list[str]]:
    """Every toneless reading of each character (ü as both v and u): 单 -> ["dan", "chan", "shan"]."""
    pypinyin = _pypinyin()
    return [[s.replace("ü", "v") for s in options] + [s.replace("ü", "u") for s in options if "ü" in s]
            for options in pypinyin.pinyin(text, style=pypinyin.Style.NORMAL, heteronym=True)]


@remembered("pypinyin")
def char_wade_giles(text: str) -> list[list[str]]:
    """Every Wade-Giles reading of each character as names are written in English, without
    apostrophes and with ü as u: 赵 -> ["chao"], 董 -> ["tung", "chung"], 徐 -> ["hsu"]."""
    pypinyin = _pypinyin()
    return [sorted({s.replace("'", "").replace("ü", "u").replace("v", "u") for s in options})
            for options in pypinyin.pinyin(text, style=pypinyin.Style.WADEGILES, heteronym=True)]
