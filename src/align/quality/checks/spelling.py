"""Non-words and misspellings ("concentrateing"), judged by wordfreq's English word list."""
from __future__ import annotations

import re
import string

from align.quality.checks.base import Check, Finding, PairText
from align.quality.english import is_known, tokens, zipf
from align.types import Flag

# Text around a token that makes it part of an address, handle or code, not a word.
_NOT_PROSE = re.compile(r"[@/\\_]|\.\w|www|https?")


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


class SpellingCheck(Check):
    """Lower-case words that no English word list knows. Capitalised words are left to the
    name check: an unknown capitalised word is usually a name."""

    name = "spelling"

    def run(self, pair: PairText) -> Finding:
        en = pair.en
        flags = []
        words = [t for t in tokens(en) if t.is_word]
        for tok in words:
            word = tok.lower
            if tok.text != word or len(word) < 3 or is_known(word):
                continue
            chunk_start = en.rfind(" ", 0, tok.start) + 1
            chunk_end = en.find(" ", tok.end)
            if _NOT_PROSE.search(en[chunk_start:chunk_end if chunk_end >= 0 else len(en)]):
                continue
            fix = correction(word)
            if fix:
                flags.append(Flag(self.name, "minor", f"'{tok.text}' is not an English word ({fix}?)",
                                  "en", tok.start, tok.end))
            else:
                flags.append(Flag(self.name, "major", f"'{tok.text}' is not an English word",
                                  "en", tok.start, tok.end))
        rare = [zipf(t.lower) for t in words if t.text.islower() and len(t.text) > 2]
        signals = {"spelling.unknown": float(len(flags)),
                   "spelling.unknown_share": len(flags) / len(words) if words else 0.0,
                   "spelling.min_zipf": min(rare) if rare else 8.0}
        return Finding(tuple(flags), signals)
