"""Parallel mode: a monotonic alignment of two texts that translate each other.

Two passes over a band of the sentence grid, never the full n*m matrix:

1. a 1-1 pass (with explicit insertions and deletions) in a diagonal corridor
   finds the rough path;
2. the bead pass re-aligns within a few sentences of that path, allowing every
   bead with x+y <= 5 sentences plus 1-0 and 0-1.

The dynamic programme runs row by row with numpy over the band, so time grows
linearly with document length for a fixed band width.

A bead's score follows Bertalign's recipe, which measured best of the variants
tried on mac-dev: the window cosine, minus the mean similarity of each side to
the sentences just outside the other side's window (a local margin: a bead whose
neighbours fit as well as it does is a doubtful bead), times a length penalty
log2(1 + shorter/longer) on character counts scaled by the document's ratio.
A small bonus per aligned bead favours finer beads, which strict scoring rewards.
Two surface cues (``cues.py``) join the window cosine in the bead pass: the
dictionary overlap of the two windows, and agreement of their quotation marks.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from align.alignment.cues import LexicalOverlap, QuoteCounts, quote_disagreement
from align.alignment.windows import WindowVectors

NEG = -1e18


@dataclass(frozen=True)
class Params:
    """Tuned on mac-dev only (eval/align_eval.py); see README for the figures."""

    max_bead: int = 5  # largest x+y of a bead
    skip: float = -0.1  # score of a 1-0 or 0-1 bead
    bead_bonus: float = 0.06  # added to every bead with both sides
    margin_weight: float = 1.0
    lexical_weight: float = 0.5  # dictionary overlap, added to the margin-corrected cosine
    quote_weight: float = 0.15  # subtracted when the windows' quotation marks disagree
    corridor: float = 0.1  # first-pass corridor half-width, share of the longer side,
    min_corridor: int = 50  # at least this many sentences,
    max_corridor: int = 400  # and at most this many (bounds the first pass on long texts)
    band: int = 8  # second-pass half-width around the first-pass path


def bead_types(max_bead: int) -> list[tuple[int, int]]:
    types = [(x, y) for x in range(1, max_bead) for y in range(1, max_bead) if x + y <= max_bead]
    return types + [(1, 0), (0, 1)]


class BeadScorer:
    """Scores every bead type for one row of the grid (beads ending at zh sentence i)."""

    def __init__(self, zh: WindowVectors, en: WindowVectors, params: Params,
                 lexical: LexicalOverlap | None = None, quotes: tuple[QuoteCounts, QuoteCounts] | None = None
                 ) -> None:
        self.zh, self.en, self.p = zh, en, params
        self.ratio = zh.lengths.sum() / max(en.lengths.sum(), 1.0)
        self.z1, self.e1 = zh.window(1), en.window(1)
        self.lexical = lexical  # used once prepared for a band
        self.quotes = quotes

    def score(self, i: int, x: int, y: int, j: np.ndarray) -> np.ndarray:
        """Scores of beads covering zh [i-x, i) and en [j-y, j) for each j (all j >= y)."""
        zs, es = i - x, j - y
        zv = self.zh.window(x)[zs]
        ev = self.en.window(y)[es]
        cos = ev @ zv
        # Local margin: the en window against the zh sentences around the zh window,
        # and the zh window against the en sentences around the en window.
        zh_nb = _neighbour_mean(self.z1, zs - 1, i, ev)
        en_nb = _neighbour_mean_rows(self.e1, es - 1, j, zv)
        sim = cos - self.p.margin_weight * (zh_nb + en_nb) / 2
        if self.lexical is not None:
            sim = sim + self.p.lexical_weight * self.lexical.window_cosines(zs, i, es, j)
        lz = self.zh.length(np.array([zs]), x)[0]
        le = self.en.length(es, y) * self.ratio
        penalty = np.log2(1 + np.minimum(lz, le) / np.maximum(lz, le))
        out = sim * penalty + self.p.bead_bonus
        if self.quotes is not None:
            zq, eq = self.quotes
            out = out - self.p.quote_weight * quote_disagreement(zq.count(np.array([zs]), np.array([i])), eq.count(es, j))
        return out


def _neighbour_mean(singles: np.ndarray, left: int, right: int, vecs: np.ndarray) -> np.ndarray:
    """Mean similarity of ``vecs`` to sentence ``left`` and ``right`` of one side
    (a missing neighbour counts the other twice, as Bertalign does; none gives 0)."""
    n = singles.shape[0]
    sims = [vecs @ singles[k] for k in (left, right) if 0 <= k < n]
    if not sims:
        return np.zeros(vecs.shape[0])
    return sum(sims) / len(sims)


def _neighbour_mean_rows(singles: np.ndarray, left: np.ndarray, right: np.ndarray,
                         vec: np.ndarray) -> np.ndarray:
    """As ``_neighbour_mean`` for one vector against per-position neighbours."""
    n = singles.shape[0]
    has_left, has_right = left >= 0, right < n
    total = (np.where(has_left, singles[np.clip(left, 0, n - 1)] @ vec, 0.0)
             + np.where(has_right, singles[np.clip(right, 0, n - 1)] @ vec, 0.0))
    count = has_left.astype(np.int64) + has_right
    return np.where(count > 0, total / np.maximum(count, 1), 0.0)


def corridor(n: int, m: int, params: Params) -> list[tuple[int, int]]:
    """Per zh row i (0..n), the range of en positions j the first pass may visit."""
    half = min(params.max_corridor, max(params.min_corridor, int(params.corridor * max(n, m))))
    rows = []
    for i in range(n + 1):
        centre = round(i * m / n) if n else 0
        rows.append((max(0, centre - half), min(m, centre + half)))
    return rows


def band_around(path: list[tuple[int, int]], n: int, m: int, half: int) -> list[tuple[int, int]]:
    """Per row, en positions within ``half`` of the path (rows joined without gaps)."""
    lo = [m] * (n + 1)
    hi = [0] * (n + 1)
    for i, j in path:
        for r in range(max(0, i - half), min(n, i + half) + 1):
            lo[r] = min(lo[r], max(0, j - half))
            hi[r] = max(hi[r], min(m, j + half))
    for r in range(1, n + 1):  # keep the band connected from row to row
        lo[r] = min(lo[r], hi[r - 1])
        hi[r] = max(hi[r], lo[r])
    return list(zip(lo, hi))


def dynamic_programme(n: int, m: int, rows: list[tuple[int, int]], types: list[tuple[int, int]],
                      scorer: BeadScorer, skip: float) -> tuple[list[tuple[int, int, int, int]], float]:
    """Best monotonic segmentation inside the band; returns beads as (i0, i1, j0, j1)."""
    best: list[np.ndarray] = []
    back: list[np.ndarray] = []
    for i in range(n + 1):
        lo, hi = rows[i]
        j = np.arange(lo, hi + 1)
        cur = np.full(j.shape[0], NEG)
        arg = np.full(j.shape[0], -1, dtype=np.int8)
        if i == 0 and lo == 0:
            cur[0] = 0.0
        for t, (x, y) in enumerate(types):
            if x == 0 or x > i:
                continue
            plo, phi = rows[i - x]
            pj = j - y
            ok = (pj >= plo) & (pj <= phi)
            if not ok.any():
                continue
            prev = np.full(j.shape[0], NEG)
            prev[ok] = best[i - x][pj[ok] - plo]
            ok &= prev > NEG / 2
            if not ok.any():
                continue
            gain = np.full(j.shape[0], NEG)
            gain[ok] = skip if y == 0 else scorer.score(i, x, y, j[ok])
            cand = prev + gain
            better = cand > cur
            cur[better] = cand[better]
            arg[better] = t
        if (0, 1) in types:  # en sentences left unaligned, chained along the row
            t01 = types.index((0, 1))
            k = np.arange(j.shape[0])
            acc = np.maximum.accumulate(cur - k * skip) + k * skip
            better = acc > cur + 1e-12
            cur = np.where(better, acc, cur)
            arg[better] = t01
        best.append(cur)
        back.append(arg)
    lo_n, hi_n = rows[n]
    if not (lo_n <= m <= hi_n) or best[n][m - lo_n] <= NEG / 2:
        raise RuntimeError("the band does not reach the end of both texts")
    beads = []
    i, jj = n, m
    while i > 0 or jj > 0:
        t = back[i][jj - rows[i][0]]
        x, y = types[t]
        beads.append((i - x, i, jj - y, jj))
        i, jj = i - x, jj - y
    return beads[::-1], float(best[n][m - lo_n])


def align_parallel(zh: WindowVectors, en: WindowVectors, params: Params = Params(),
                   zh_texts: Sequence[str] | None = None, en_texts: Sequence[str] | None = None
                   ) -> list[tuple[int, int, int, int, float]]:
    """Beads (i0, i1, j0, j1, score) covering both sides exactly once, in order.

    ``zh_texts``/``en_texts`` (the sentences' matching forms) turn on the surface cues.
    """
    n, m = zh.n, en.n
    if n == 0 or m == 0:
        return [(i, i + 1, 0, 0, params.skip) for i in range(n)] + \
               [(0, 0, j, j + 1, params.skip) for j in range(m)]
    scorer = BeadScorer(zh, en, params)
    # The 1-1 first pass only needs the rough path: the encoder alone finds it.
    first, _ = dynamic_programme(n, m, corridor(n, m, params), [(1, 1), (1, 0), (0, 1)], scorer,
                                 params.skip)
    path = [(0, 0)] + [(i1, j1) for _, i1, _, j1 in first]
    rows = band_around(path, n, m, params.band)
    if zh_texts is not None and en_texts is not None:
        if params.lexical_weight:
            scorer.lexical = LexicalOverlap(zh_texts, en_texts, params.max_bead - 1)
            scorer.lexical.prepare(rows)
        if params.quote_weight:
            scorer.quotes = (QuoteCounts(zh_texts, "zh"), QuoteCounts(en_texts, "en"))
    beads, _ = dynamic_programme(n, m, rows, bead_types(params.max_bead), scorer, params.skip)
    out = []
    for i0, i1, j0, j1 in beads:
        if i1 > i0 and j1 > j0:
            s = float(scorer.score(i1, i1 - i0, j1 - j0, np.array([j1]))[0])
        else:
            s = params.skip
        out.append((i0, i1, j0, j1, s))
    return out
