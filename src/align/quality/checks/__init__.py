"""Checks: each looks at an aligned pair for one kind of garble and says why it fired.

One module per check behind the small ``Check`` base class (``base.py``), the
way sacrebleu keeps one file per metric. ``check_pairs`` runs them all over the
pairs of one article, so checks that need the whole article (one name rendered
two ways) see it.
"""
from __future__ import annotations

from collections.abc import Sequence

from align.quality.checks.base import Check, Finding
from align.quality.checks.antonym import AntonymCheck
from align.quality.checks.boilerplate import BoilerplateCheck
from align.quality.checks.casing import CasingCheck
from align.quality.checks.coverage import CoverageCheck
from align.quality.checks.gender import GenderCheck
from align.quality.checks.names import NameCheck
from align.quality.checks.negation import NegationCheck
from align.quality.checks.numbers import NumberCheck
from align.quality.checks.order import OrderCheck
from align.quality.checks.reference import ReferenceCheck
from align.quality.checks.repetition import RepetitionCheck
from align.quality.checks.spelling import SpellingCheck
from align.quality.checks.untranslated import UntranslatedCheck
from align.types import PairText

__all__ = ["CHECKS", "Check", "Finding", "PairText", "check_pairs"]

# The registry, in the order flags are listed: meaning first, then form. Each entry is a
# Check instance; none loads anything until it first runs.
CHECKS: list[Check] = [
    UntranslatedCheck(), CoverageCheck(), NumberCheck(), NameCheck(), NegationCheck(), AntonymCheck(), GenderCheck(),
    RepetitionCheck(), OrderCheck(), SpellingCheck(), CasingCheck(), BoilerplateCheck(), ReferenceCheck(),
]


# Pairs are checked a chunk at a time, every check over one chunk before the next, so a text is still in
# the lexicon's small caches (``english.tokens`` keeps 4,096) when the next check reads it: check by
# check, every check tokenised each sentence of a long article again (eval/bench_long.py's 41,114
# English sentences: scoring 17.3 s against 29.1 s). Checks that need the whole article see it whole.
_CHUNK = 1024


def check_pairs(texts: Sequence[PairText]) -> list[Finding]:
    """Every check's flags, signals and notes for every pair, in input order."""
    whole = {id(c): c.run_all(texts) for c in CHECKS if type(c).run_all is not Check.run_all}
    flags: list[list] = [[] for _ in texts]
    notes: list[list] = [[] for _ in texts]
    signals: list[dict[str, float]] = [{} for _ in texts]
    for start in range(0, len(texts), _CHUNK):
        chunk = texts[start:start + _CHUNK]
        for check in CHECKS:
            found_all = whole[id(check)][start:start + _CHUNK] if id(check) in whole else check.run_all(chunk)
            for i, found in enumerate(found_all, start):
                undeclared = {f.name for f in found.flags} - set(check.flag_names)
                if undeclared:  # the head would have no column for it: a bug in the check, not in the input
                    raise RuntimeError(f"check {check.name} raised undeclared flag(s) {sorted(undeclared)}")
                flags[i].extend(found.flags)
                notes[i].extend(found.notes)
                signals[i].update(found.signals)
    return [Finding(tuple(f), s, tuple(n)) for f, s, n in zip(flags, signals, notes)]
