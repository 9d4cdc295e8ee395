"""Broken casing and fragments: ordinary words capitalised mid-sentence ("let this driving force Get up"),
and names written in lower case ("talks in beijing")."""
from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from align.lexicon import cedict
from align.lexicon.english import DETERMINERS, PREPOSITIONS, PRONOUNS, Token, in_address, tokens, zipf
from align.quality.checks.base import Check, Finding
from align.types import Flag, PairText, Severity

# Text between two words that starts a new sentence, quote, title or list item.
_BREAK = re.compile(r"[.!?:;\"“”‘'(\[\n/•—–-]")
_CLAUSE_END = re.compile(r"[,.;:!?)\"”]")
# Lower-case words that join the capitalised words of a title or an institution's name.
_CONNECTORS = frozenset("of and on for to in with the a an at by from".split())
# A name to the dictionary: CC-CEDICT's glosses write it capitalised at least this often, and
# at least this many times as often as in lower case (beijing 0 of 187, china 4 of 682,
# english 0 of 66; not turkey 0 of 5, trump 2 of 5, buddhist 2 of 91, god 45 of 70).
NAME_CAPITALS = 10
NAME_CAPITAL_RATIO = 40
SHOUTED_LETTERS = 5  # shorter capitals are mostly acronyms that are also words (WHO, AIDS, IT)
_STYLE_LOWER = frozenset({"internet"})  # style guides now write it in lower case (AP since 2016)


class CasingCheck(Check):
    """An ordinary word (lower case in the dictionary's English) capitalised alone in the
    middle of a sentence. Followed by at most two words up to the clause end it is a broken
    fragment ("green Make it."), and so is a capitalised run to the clause end that opens
    with a verb or holds a pronoun ("Get Strong", "Make It"). Other Title Case runs ("Ministry
    of Science and Technology") and words after "the" ("the Party") are names and stay unflagged.
    A name the dictionary only ever capitalises written in lower case ("beijing"), and an
    ordinary word in capitals amid lower-case text ("the MEETING"), are minor flags too."""

    name = "casing"

    def run(self, pair: PairText) -> Finding:
        en = pair.en
        toks = tokens(en)
        flags = [Flag(self.name, Severity.MINOR, f"'{t.text}' is a name written in lower case", "en", t.start, t.end)
                 for t in toks if t.is_word and t.text.islower() and _name_word(t.lower)
                 and not in_address(en, t.start, t.end)]
        if any(t.is_word and t.text.islower() for t in toks):  # not a headline in capitals
            flags += [Flag(self.name, Severity.MINOR, f"'{t.text}' is an ordinary word in capitals", "en",
                           t.start, t.end)
                      for t in toks if t.is_word and len(t.text) >= SHOUTED_LETTERS and t.text.isupper()
                      and cedict.is_ordinary(t.lower) and not in_address(en, t.start, t.end)]
        word_case = len(flags)  # names in lower case, words in capitals
        for i in range(1, len(toks)):
            tok, prev = toks[i], toks[i - 1]
            if not (tok.is_word and tok.is_capitalised) or len(tok.text) < 2 or tok.text[1:].isupper():
                continue
            if _BREAK.search(en[prev.end:tok.start]) or not prev.is_word or prev.is_capitalised:
                continue
            if prev.lower in DETERMINERS or prev.lower in PREPOSITIONS:
                continue  # "the Party", "of Phoenix"
            tail = self._tail(en, toks, i)
            if self._joins(en, toks, i, -1) or (self._joins(en, toks, i, 1) and not self._broken_clause(toks, i, tail)):
                continue  # a title: "Guiding Opinions on Promoting the Development of ..."
            nxt = toks[i + 1] if i + 1 < len(toks) else None
            if nxt is not None and not nxt.is_word:
                continue  # "Article 26", "Phase 3"
            if cedict.pinyin_like(tok.text) and zipf(tok.lower) < 4.0:
                continue  # a Chinese name (Zhou), whatever the glosses say of the syllable; "Make" is English
            if not cedict.is_ordinary(tok.text):
                continue  # names, and words the glosses never use
            if tail is not None:
                start, end = tok.start, toks[tail].end
                flags.append(Flag(self.name, Severity.MAJOR, f"'{en[start:end]}' is a fragment capitalised mid-sentence",
                                  "en", start, end))
            else:
                flags.append(Flag(self.name, Severity.MINOR, f"'{tok.text}' is capitalised mid-sentence",
                                  "en", tok.start, tok.end))
        signals = {"casing.midsentence": float(len(flags) - word_case), "casing.word_case": float(word_case),
                   "casing.lower_start": float(bool(toks) and toks[0].is_word and toks[0].text[0].islower())}
        return Finding(tuple(flags), signals)

    @staticmethod
    def _joins(en: str, toks: Sequence[Token], i: int, step: int) -> bool:
        """Whether a capitalised word joins another capitalised word before it (step -1) or
        after it (step 1), directly or through lower-case connectors ("Minister of Science",
        "Opinions on Promoting the Development"): a title."""
        k = i + step
        while 0 <= k < len(toks) and toks[k].lower in _CONNECTORS and not toks[k].is_capitalised:
            k += step
        if not 0 <= k < len(toks) or (step < 0 and k == 0 == i - 1):
            return False  # the sentence's first word is capitalised anyway ("Law and Justice" still joins)
        lo, hi = (toks[k].end, toks[i].start) if step < 0 else (toks[i].end, toks[k].start)
        return toks[k].is_word and toks[k].is_capitalised and not _BREAK.search(en[lo:hi])

    @staticmethod
    def _tail(en: str, toks: Sequence[Token], i: int) -> int | None:
        """The index of the clause's last word when the capitalised word is followed by at
        most two more up to the clause end: a fragment left over from a broken clause ("Get up,")."""
        for k in range(i + 1, min(i + 3, len(toks))):
            after = en[toks[k].end:toks[k + 1].start] if k + 1 < len(toks) else en[toks[k].end:]
            if k + 1 == len(toks) or _CLAUSE_END.search(after):
                return k
        return None

    @staticmethod
    def _broken_clause(toks: Sequence[Token], i: int, tail: int | None) -> bool:
        """Capitalised ordinary words that start no title and end the clause, opening with a
        verb or holding a pronoun ("Get Strong", "Make It"): a broken clause, for titles are
        built on nouns ("Belt and Road Initiative")."""
        if tail is None:
            return False
        run = toks[i:tail + 1]
        return all(t.is_capitalised and cedict.is_ordinary(t.text) for t in run) and (
            cedict.is_verb(run[0].lower) or any(t.lower in PRONOUNS for t in run[1:]))


@lru_cache(maxsize=20_000)
def _name_word(word: str) -> bool:
    if word in _STYLE_LOWER:
        return False
    lower, capital = cedict.english_case(word)
    return capital >= NAME_CAPITALS and lower * NAME_CAPITAL_RATIO <= capital
