"""Repetition loops and duplicated words: "the creative creative creative love", "Enterprise Enterprises"."""
from __future__ import annotations

import re

from align.lexicon.english import Token, stem, tokens
from align.quality.checks.base import Check, Finding
from align.types import Flag, PairText, Severity

# Doubled words that English grammar allows ("had had", "that that").
_GRAMMATICAL_DOUBLES = frozenset({"had", "that", "is", "do", "very", "bye", "ha"})
_MAX_PHRASE = 6
# Words stay in one stretch when only spaces part them; punctuation ends a stretch
# ("China, China" is two mentions, not a loop) and a hyphen makes a word ("win-win").
_SPACES = re.compile(r"[ \t]+")


def _same(a: Token, b: Token) -> bool:
    """One word, whatever its case or number: "Enterprise" and "Enterprises"."""
    x, y = a.lower, b.lower
    return x == y or (len(x) > 3 and stem(x) == stem(y))


def _stretches(en: str) -> list[list[Token]]:
    out: list[list[Token]] = []
    prev: Token | None = None
    for tok in tokens(en):
        if not tok.is_word:
            prev = None
            continue
        if prev is None or not _SPACES.fullmatch(en[prev.end:tok.start]):
            out.append([])
        out[-1].append(tok)
        prev = tok
    return out


def _repeat_at(toks: list[Token], i: int) -> tuple[int, int]:
    """The phrase length and the number of back-to-back copies starting at ``i`` (the most
    text covered wins)."""
    best = (1, 1)
    for size in range(1, _MAX_PHRASE + 1):
        if i + size >= len(toks) or not _same(toks[i], toks[i + size]):
            continue  # the cheap test first: a copy must start with the same word
        times = 1
        while i + size * (times + 1) <= len(toks) and all(
                _same(toks[i + k], toks[i + size * times + k]) for k in range(size)):
            times += 1
        if times > 1 and size * times > best[0] * best[1]:
            best = (size, times)
    return best


class RepetitionCheck(Check):
    """A word or phrase repeated back to back, the mark of a decoder stuck in a loop."""

    name = "repetition"

    def run(self, pair: PairText) -> Finding:
        en = pair.en
        flags = []
        longest = 0
        for toks in _stretches(en):
            i = 0
            while i < len(toks):
                size, times = _repeat_at(toks, i)
                if times == 1:
                    i += 1
                    continue
                first, last = toks[i], toks[i + size * times - 1]
                if not self._allowed(toks, i, size, times):
                    loop = times >= 3 or size > 1
                    phrase = en[first.start:toks[i + size - 1].end]
                    reason = (f"'{phrase}' repeated {times} times in a row" if loop
                              else f"duplicated word: '{en[first.start:last.end]}'")
                    flags.append(Flag(self.name, Severity.MAJOR if loop else Severity.MINOR, reason, "en",
                                      first.start, last.end))
                    longest = max(longest, size * times)
                i += size * times
        words = [t.lower for t in tokens(en) if t.is_word]
        trigrams = [tuple(words[k:k + 3]) for k in range(len(words) - 2)]
        signals = {"repetition.runs": float(len(flags)), "repetition.longest": float(longest),
                   "repetition.trigram_repeat": 1 - len(set(trigrams)) / len(trigrams) if trigrams else 0.0}
        return Finding(tuple(flags), signals)

    @staticmethod
    def _allowed(toks: list[Token], i: int, size: int, times: int) -> bool:
        """Doubles English allows: "had had", and the same capitalised word twice inside a
        name ("Sir Run Run Shaw")."""
        if size > 1 or times > 2:
            return False
        a, b = toks[i], toks[i + 1]
        if a.lower in _GRAMMATICAL_DOUBLES:
            return True
        in_name = (i > 0 and toks[i - 1].is_capitalised) or (i + 2 < len(toks) and toks[i + 2].is_capitalised)
        return a.text == b.text and a.is_capitalised and in_name
