"""Alignment quality against gold beads: strict and lax precision, recall and F1.

The convention of Bertalign and Vecalign: strict counts a predicted bead only if
it equals a gold bead; lax if its zh side overlaps a gold bead's zh side and its
en side overlaps that bead's en side; a predicted insertion or deletion counts
only if the gold has exactly it. Precision is over all predicted beads
(insertions and deletions included), recall over gold beads with both sides.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

BeadPair = tuple[tuple[int, ...], tuple[int, ...]]
_BEAD = re.compile(r"^\s*\[([\d,\s]*)\]\s*:\s*\[([\d,\s]*)\]\s*$")


def parse_beads(text: str) -> list[BeadPair]:
    """Beads in the gold notation, one a line: ``[0,1]:[2]``, ``[5]:[]``."""
    beads = []
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        m = _BEAD.match(line)
        if not m:
            raise ValueError(f"line {n}: not a bead: {line!r}")
        beads.append(tuple(tuple(int(v) for v in side.split(",") if v.strip()) for side in m.groups()))
    return beads


def format_bead(zh: Iterable[int], en: Iterable[int]) -> str:
    return f"[{','.join(map(str, zh))}]:[{','.join(map(str, en))}]"


@dataclass(frozen=True)
class Counts:
    predicted: int
    gold: int  # gold beads with both sides
    strict_hits: int  # predicted beads equal to a gold bead, insertions and deletions included
    strict_recall_hits: int  # gold beads with both sides predicted exactly
    lax_precision_hits: int
    lax_recall_hits: int

    def __add__(self, other: Counts) -> Counts:
        return Counts(*(a + b for a, b in zip(self.__dict__.values(), other.__dict__.values())))

    def strict(self) -> tuple[float, float, float]:
        return _prf(self.strict_hits, self.predicted, self.strict_recall_hits, self.gold)

    def lax(self) -> tuple[float, float, float]:
        return _prf(self.lax_precision_hits, self.predicted, self.lax_recall_hits, self.gold)


def _prf(p_hits: int, p_all: int, r_hits: int, r_all: int) -> tuple[float, float, float]:
    p = p_hits / p_all if p_all else 0.0
    r = r_hits / r_all if r_all else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def score_beads(predicted: Sequence[BeadPair], gold: Sequence[BeadPair]) -> Counts:
    gold_set = set(gold)
    full = [g for g in gold if g[0] and g[1]]
    # A predicted 1-0 or 0-1 bead is a hit when the gold has it too (as ../shared/checks/score_align.py).
    strict = sum(1 for b in predicted if b in gold_set)
    predicted_set = set(predicted)
    strict_recall = sum(1 for g in full if g in predicted_set)
    # index gold beads by sentence for the overlap test
    zh_of: dict[int, set[int]] = {}
    en_of: dict[int, set[int]] = {}
    for k, (zs, es) in enumerate(full):
        for i in zs:
            zh_of.setdefault(i, set()).add(k)
        for j in es:
            en_of.setdefault(j, set()).add(k)
    matched_gold: set[int] = set()
    lax_p = 0
    for zs, es in predicted:
        if not (zs and es):
            lax_p += (zs, es) in gold_set
            continue
        hit_z = set().union(*(zh_of.get(i, set()) for i in zs)) if zs else set()
        hit_e = set().union(*(en_of.get(j, set()) for j in es)) if es else set()
        both = hit_z & hit_e
        if both:
            lax_p += 1
            matched_gold |= both
    return Counts(len(predicted), len(full), strict, strict_recall, lax_p, len(matched_gold))
