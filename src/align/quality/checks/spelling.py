"""Non-words and misspellings ("concentrateing", "strenghten"), judged by wordfreq's English word list."""
from __future__ import annotations

import re
import string

from align.lexicon.english import in_address, is_known, tokens, zipf
from align.quality.checks.base import Check, Finding
from align.types import Flag, PairText, Severity

_FIRST_VOWELS = re.compile(r"[aeiou]+")
_VOWELS = "aeiou"
# wordfreq lists frequent misspellings as words ("strenghten", Zipf 1.4). A listed word this
# rare whose likely intended form (one slip away) is this much more frequent (10**2.5, about
# 300 times) is taken for a slip. Measured on the MQM 2020 and 2021 translations: real rare
# words one slip from a frequent one sit below the gap ("planing" for 刨, 2.1 under "planning").
SLIP_MAX_ZIPF = 3.0
SLIP_MIN_GAP = 2.5
# Short words have real neighbours one slip away too often ("loots" and "lots", "seep" and "sleep").
SLIP_MIN_LENGTH = 6


def correction(word: str) -> str | None:
    """The most frequent known word one edit away (Norvig's corrector over wordfreq's list)."""
    letters = string.ascii_lowercase
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    edits = {a + b[1:] for a, b in splits if b}
    edits |= {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    edits |= {a + c + b[1:] for a, b in splits if b for c in letters}
    edits |= {a + c + b for a, b in splits for c in letters}
    known = [w for w in edits if len(w) > 2 and is_known(w)]
    return max(known, key=zipf) if known else None


def _slips(word: str) -> set[str]:
    """The words ``word`` would be if it were a typing slip: a letter left out, two letters
    swapped, a letter doubled, or an unstressed vowel (not the first) mistaken. The first
    letter is kept: slips there are rare, and changing it reaches real words (overage, coverage)."""
    splits = [(word[:i], word[i:]) for i in range(1, len(word) + 1)]
    out = {a + c + b for a, b in splits for c in string.ascii_lowercase}
    out |= {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    out |= {a + b[1:] for a, b in splits if b and a[-1] == b[0]}
    first = _FIRST_VOWELS.search(word)
    start = first.end() if first else len(word)
    out |= {word[:i] + v + word[i + 1:] for i in range(start, len(word)) if word[i] in _VOWELS for v in _VOWELS}
    out.discard(word)
    return out


def intended(word: str) -> str | None:
    """The word a listed but rare ``word`` is most likely a slip for, when that word is far
    more frequent; None for real words."""
    rarity = zipf(word)
    if len(word) < SLIP_MIN_LENGTH or not 0 < rarity <= SLIP_MAX_ZIPF or not word.isalpha():
        return None
    known = [w for w in _slips(word) if is_known(w)]
    best = max(known, key=zipf, default=None)
    return best if best is not None and zipf(best) - rarity >= SLIP_MIN_GAP else None


class SpellingCheck(Check):
    """Lower-case words that no English word list knows, or that it knows only as a rare slip
    for a frequent word. Capitalised words are left to the name check: an unknown capitalised
    word is usually a name."""

    name = "spelling"

    def run(self, pair: PairText) -> Finding:
        en = pair.en
        flags = []
        words = [t for t in tokens(en) if t.is_word]
        for tok in words:
            word = tok.lower
            if tok.text != word or len(word) < 3:
                continue
            known = is_known(word)
            meant = intended(word) if known else None
            if known and meant is None:
                continue
            if in_address(en, tok.start, tok.end):
                continue
            if meant:
                flags.append(Flag(self.name, Severity.MINOR, f"'{tok.text}' looks like a misspelling of '{meant}'",
                                  "en", tok.start, tok.end))
            elif fix := correction(word):
                flags.append(Flag(self.name, Severity.MINOR, f"'{tok.text}' is not an English word ({fix}?)",
                                  "en", tok.start, tok.end))
            else:
                flags.append(Flag(self.name, Severity.MAJOR, f"'{tok.text}' is not an English word",
                                  "en", tok.start, tok.end))
        rare = [zipf(t.lower) for t in words if t.text.islower() and len(t.text) > 2]
        signals = {"spelling.unknown": float(len(flags)),
                   "spelling.unknown_share": len(flags) / len(words) if words else 0.0,
                   "spelling.min_zipf": min(rare) if rare else 8.0}
        return Finding(tuple(flags), signals)
