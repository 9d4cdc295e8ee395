"""Parallel mode: a monotonic alignment of two texts that translate each other.

Two passes over a band of the sentence grid, never the full n*m matrix:

1. a 1-1 pass (with explicit insertions and deletions) finds the rough path,
   inside the rectangles between consecutive anchors of the in-order chain of
   matches (``mode.anchor_rows``; a diagonal corridor when there are none), so
   an untranslated stretch on either side is crossed, not cut off;
2. the bead pass re-aligns within a few sentences of that path, allowing every
   bead with x+y <= 5 sentences plus 1-0 and 0-1.

Every bead type is scored over the whole band first, a block of rows at a time
with a few small matrix products (``BeadScorer``); the recursion then runs row by
row, compiled (``recursion.py``), so time grows linearly with document length for
a fixed band width. Window vectors start approximated and the windows of the
chosen beads are encoded for real before the bead pass looks again
(``windows.py``); only the scores that use those windows are computed again.
Last, a lone 1-0 or 0-1 bead between linked beads is absorbed by a neighbour when
the merged bead scores nearly as well (``Params.lone_gap``): the recursion prices
every unaligned sentence alike, while a translation leaves sentences over in runs
(another article's paragraphs, an untranslated stretch) far more often than one at a
time; and two beads a Chinese clause crosses become one (``crossing.py``).

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

from align.alignment.calibration import parallel_confidence
from align.alignment.crossing import ClauseCrossing
from align.alignment.cues import LexicalOverlap, QuoteCounts, quote_disagreement
from align.alignment.mode import anchor_rows
from align.alignment.windows import WindowVectors
from align.types import Bead

NEG = -1e18
Changed = dict[int, np.ndarray]  # per window size, a mask over starts of the windows that changed
_BLOCK = 64  # grid rows scored together: a few small matrix products per block
# Rows from which the compiled recursion is used: numba's start in a new process (import, and
# loading the code compiled on the first run) takes about 0.75 s, what the numpy recursion spends
# on ~4,500 rows over an alignment's three passes (~55 us a row a pass; eval/bench_align.py sizes,
# AMD EPYC 2 cores). Short texts, the usual case, never import numba.
COMPILED_ROWS = 5_000
# How much more a lone unaligned sentence must resemble the bead it joins than the sentences
# around it (Params.lone_gap). mac-dev .899 at 0 and at 0.05, .898 at 0.1; 0.05 leaves the
# synthetic documents' unrelated insertions alone (eval/bench_align.py F1 .943, .941 at 0).
LONE_MARGIN = 0.05


@dataclass(frozen=True)
class Params:
    """Tuned on mac-dev only (eval/align_eval.py); see README for the figures."""

    max_bead: int = 5  # largest x+y of a bead
    skip: float = -0.1  # score of a 1-0 or 0-1 bead
    bead_bonus: float = 0.06  # added to every bead with both sides
    margin_weight: float = 1.0
    lexical_weight: float = 0.5  # dictionary overlap, added to the margin-corrected cosine
    quote_weight: float = 0.15  # subtracted when the windows' quotation marks disagree
    anchor_reach: int = 10  # first pass: sentences beyond the anchors' rectangles (an anchor may be a neighbour off)
    corridor: float = 0.1  # without anchors, first-pass corridor half-width, share of the longer side,
    min_corridor: int = 50  # at least this many sentences,
    max_corridor: int = 400  # and at most this many (bounds the first pass on long texts)
    band: int = 8  # second-pass half-width around the first-pass path
    realise_rounds: int = 1  # bead passes after encoding the chosen beads' windows (mac-dev: 1, 2 and 3 all gave .890)
    # A lone 1-0 or 0-1 bead is merged into the neighbour that loses least, when the merged bead
    # scores at least the neighbour's score plus ``skip`` less this much: an extra cost of opening
    # a gap of one sentence (and LONE_MARGIN holds). mac-dev strict F1 .899 at 0.05, 0.1 and 0.2
    # with the crossing pass, .896 at 0 (off); the gold has 6 unaligned sentences in 1,343 beads,
    # the path had 12 lone ones.
    lone_gap: float = 0.1
    crossing: bool = True  # merge the beads a Chinese clause crosses (crossing.py)


def bead_types(max_bead: int) -> list[tuple[int, int]]:
    types = [(x, y) for x in range(1, max_bead) for y in range(1, max_bead) if x + y <= max_bead]
    return types + [(1, 0), (0, 1)]


class Band:
    """The cells of a banded grid, stored row after row: row i holds en positions lo[i]..hi[i]."""

    def __init__(self, rows: Sequence[tuple[int, int]]) -> None:
        self.lo = np.array([r[0] for r in rows], dtype=np.int64)
        self.hi = np.array([r[1] for r in rows], dtype=np.int64)
        self.offset = np.concatenate([[0], np.cumsum(self.hi - self.lo + 1)])
        self.cells = int(self.offset[-1])


class BeadScorer:
    """Scores of every bead type at every cell of a band, block of rows by block of rows.

    A cell (i, j) of type (x, y) is the bead covering zh [i-x, i) and en [j-y, j). For a
    block of rows every quantity is one small matrix product over the block's en columns
    (window against window, window against the sentences around the other window), so
    the work is a few BLAS calls per block rather than numpy calls per cell row.
    """

    def __init__(self, zh: WindowVectors, en: WindowVectors, params: Params,
                 lexical: LexicalOverlap | None = None, quotes: tuple[QuoteCounts, QuoteCounts] | None = None
                 ) -> None:
        self.zh, self.en, self.p = zh, en, params
        self.ratio = zh.lengths.sum() / max(en.lengths.sum(), 1.0)
        self.lexical, self.quotes = lexical, quotes

    def scores(self, band: Band, types: Sequence[tuple[int, int]],
               update: tuple[np.ndarray, Changed, Changed] | None = None) -> np.ndarray:
        """``(len(types), band.cells)``: each type's bead score ending at each cell, NEG where the
        bead leaves the texts or starts outside the band; 1-0 beads score ``skip``; 0-1 beads are
        the recursion's business.

        ``update`` is (the scores before, the zh windows changed since, the en ones: masks over
        starts per window size, as ``WindowVectors.realise`` returns them): only the blocks and
        types that use a changed window are scored again, the rest is copied. Sentence vectors
        never change, nor does anything else a score reads, so the result is what scoring
        everything again gives."""
        from threadpoolctl import threadpool_limits

        # The products are small: BLAS threads cost more in hand-offs than they save, and
        # on a busy machine far more (mac-dev 001: 0.2 s on one thread, 2.4 s on two).
        with threadpool_limits(1, user_api="blas"):
            return self._scores(band, types, update)

    def _scores(self, band: Band, types: Sequence[tuple[int, int]],
                update: tuple[np.ndarray, Changed, Changed] | None) -> np.ndarray:
        n, m = self.zh.n, self.en.n
        out = np.full((len(types), band.cells), NEG) if update is None else update[0].copy()
        max_x = max(x for x, _ in types)
        max_y = max(y for _, y in types)
        lex_norms = None
        if self.lexical is not None:
            lex_norms = ({x: self.lexical.window_norms("zh", x) for x in range(1, min(max_x, n) + 1)},
                         {y: self.lexical.window_norms("en", y) for y in range(1, min(max_y, m) + 1)})
        for b0 in range(0, n + 1, _BLOCK):
            b1 = min(b0 + _BLOCK, n + 1)
            rows = np.arange(b0, b1)
            jlo, jhi = int(band.lo[b0:b1].min()), int(band.hi[b0:b1].max())
            cols = np.arange(jlo, jhi + 1)
            inband = (cols[None, :] >= band.lo[rows, None]) & (cols[None, :] <= band.hi[rows, None])
            ri, ci = np.nonzero(inband)
            flat = band.offset[rows[ri]] + cols[ci] - band.lo[rows[ri]]
            zh_side = self._side(self.zh, rows, max_x, lex_norms[0] if lex_norms else None)
            en_side = self._side(self.en, cols, max_y, lex_norms[1] if lex_norms else None)
            todo = [(t, x, y) for t, (x, y) in enumerate(types)
                    if x > 0 and x in zh_side and (y == 0 or y in en_side)]
            if update is not None:
                _, zh_changed, en_changed = update
                todo = [(t, x, y) for t, x, y in todo
                        if (x in zh_changed and zh_changed[x][zh_side[x].start].any())
                        or (y in en_changed and en_changed[y][en_side[y].start].any())]
                if not todo:
                    continue
            # every en window against the zh sentences around the block, every zh window
            # against the en sentences around the block's columns
            z1, e1 = self.zh.window(1), self.en.window(1)
            zr0, er0 = max(b0 - max_x - 1, 0), max(jlo - max_y - 1, 0)
            zh_around = {y: z1[zr0 : min(b1, n)] @ en_side[y].vec.T for y in {y for _, _, y in todo if y}}
            en_around = {x: zh_side[x].vec @ e1[er0 : min(jhi + 1, m)].T for x in {x for _, x, y in todo if y}}
            lex = None
            if lex_norms is not None:
                zd0, ed0 = max(b0 - max_x, 0), max(jlo - max_y, 0)
                dots = self.lexical.block_dots(zd0, max(min(b1 - 1, n), zd0), ed0, max(min(jhi, m), ed0))
                prefix = np.zeros((dots.shape[0] + 1, dots.shape[1] + 1))
                prefix[1:, 1:] = dots.cumsum(0).cumsum(1)
                lex = (prefix, zd0, ed0)
            for t, x, y in todo:
                zw = zh_side[x]
                # the bead must lie inside the texts and start inside the band
                es, start = cols[ci] - y, zw.start[ri]
                valid = zw.ok[ri] & (es >= 0) & (es >= band.lo[start]) & (es <= band.hi[start])
                if y:
                    valid &= en_side[y].ok[ci]
                k = np.flatnonzero(valid)
                out[t, flat[k]] = self.p.skip if y == 0 else self._bead(
                    zw, en_side[y], zh_around[y], en_around[x], zr0, er0, lex, rows, cols, ri[k], ci[k])
        return out

    def _side(self, side: WindowVectors, ends: np.ndarray, max_size: int,
              lex_norms: dict[int, np.ndarray] | None) -> dict[int, _Windows]:
        """The windows of each size ending at ``ends`` on one side (clipped into the text)."""
        out = {}
        counts = self.quotes[0 if side is self.zh else 1] if self.quotes is not None else None
        for x in range(1, min(max_size, side.n) + 1):
            start = np.minimum(np.maximum(ends - x, 0), side.n - x)
            has_left = (ends - x - 1 >= 0).astype(np.float64)
            has_right = (ends < side.n).astype(np.float64)
            out[x] = _Windows(
                ok=ends - x >= 0, start=start, vec=side.window(x)[start],
                length=side.length(start, x), left=has_left, right=has_right,
                count=np.maximum(has_left + has_right, 1.0),
                quotes=counts.count(start, start + x) if counts is not None else None,
                lex_norm=lex_norms[x][start] if lex_norms is not None else None)
        return out

    def _bead(self, zw: _Windows, ew: _Windows, zh_around: np.ndarray, en_around: np.ndarray, zr0: int,
              er0: int, lex: tuple[np.ndarray, int, int] | None, rows: np.ndarray, cols: np.ndarray,
              r: np.ndarray, c: np.ndarray) -> np.ndarray:
        """Scores of the beads at block cells (rows[r], cols[c]): one matrix product for the
        block, then only the band's cells."""
        cos = (zw.vec @ ew.vec.T)[r, c]
        # Local margin: the en window against the zh sentences around the zh window, and the
        # zh window against the en sentences around the en window; a missing neighbour counts
        # the other twice (as Bertalign does), none gives 0.
        last_z, last_e = zh_around.shape[0] - 1, en_around.shape[1] - 1
        left = zh_around[np.minimum(np.maximum(zw.start - 1 - zr0, 0), last_z)[r], c]
        right = zh_around[np.minimum(np.maximum(rows - zr0, 0), last_z)[r], c]
        zh_nb = (left * zw.left[r] + right * zw.right[r]) / zw.count[r]
        left = en_around[r, np.minimum(np.maximum(ew.start - 1 - er0, 0), last_e)[c]]
        right = en_around[r, np.minimum(np.maximum(cols - er0, 0), last_e)[c]]
        en_nb = (left * ew.left[c] + right * ew.right[c]) / ew.count[c]
        sim = cos - self.p.margin_weight * (zh_nb + en_nb) / 2
        if lex is not None:
            prefix, zd0, ed0 = lex
            a1 = np.minimum(np.maximum(rows - zd0, 0), prefix.shape[0] - 1)[r]
            a0 = np.minimum(np.maximum(zw.start - zd0, 0), prefix.shape[0] - 1)[r]
            c1 = np.minimum(np.maximum(cols - ed0, 0), prefix.shape[1] - 1)[c]
            c0 = np.minimum(np.maximum(ew.start - ed0, 0), prefix.shape[1] - 1)[c]
            dot = prefix[a1, c1] - prefix[a0, c1] - prefix[a1, c0] + prefix[a0, c0]
            norms = zw.lex_norm[r] * ew.lex_norm[c]
            sim = sim + self.p.lexical_weight * np.divide(dot, norms, out=np.zeros_like(dot), where=norms > 0)
        lz, le = zw.length[r], ew.length[c] * self.ratio
        value = sim * np.log2(1 + np.minimum(lz, le) / np.maximum(lz, le)) + self.p.bead_bonus
        if self.quotes is not None:
            value = value - self.p.quote_weight * quote_disagreement(zw.quotes[r], ew.quotes[c])
        return value


@dataclass(frozen=True)
class _Windows:
    """One side's windows of one size ending at a block's rows (or columns)."""

    ok: np.ndarray  # the window lies inside the text
    start: np.ndarray
    vec: np.ndarray
    length: np.ndarray  # characters
    left: np.ndarray  # 1.0 where the sentence before the window exists
    right: np.ndarray  # 1.0 where the sentence after it exists
    count: np.ndarray  # how many of the two exist, at least 1
    quotes: np.ndarray | None
    lex_norm: np.ndarray | None


def corridor(n: int, m: int, params: Params) -> list[tuple[int, int]]:
    """Per zh row i (0..n), the range of en positions j the first pass may visit."""
    half = min(params.max_corridor, max(params.min_corridor, int(params.corridor * max(n, m))))
    rows = []
    for i in range(n + 1):
        centre = round(i * m / n) if n else 0
        rows.append((max(0, centre - half), min(m, centre + half)))
    return rows


def fill_rows(band: Band, types: list[tuple[int, int]], t01: int, scores: np.ndarray, skip: float,
              best: np.ndarray, back: np.ndarray) -> None:
    """``recursion.fill`` in numpy: per row, one gather of every type's predecessor cells."""
    ids = np.array([t for t, (x, _) in enumerate(types) if x > 0], dtype=np.int8)
    row = np.repeat(np.arange(len(band.lo)), np.diff(band.offset))
    col = np.arange(band.cells) - band.offset[row] + band.lo[row]
    prev = np.full((len(ids), band.cells), band.cells, dtype=np.int64)  # band.cells: outside the band
    for k, t in enumerate(ids):
        x, y = types[t]
        pr, pc = row - x, col - y
        prc = np.clip(pr, 0, None)
        ok = (pr >= 0) & (pc >= band.lo[prc]) & (pc <= band.hi[prc])
        prev[k, ok] = band.offset[prc[ok]] + pc[ok] - band.lo[prc[ok]]
    padded = np.append(best, NEG)  # the last cell is the sentinel "outside the band"
    for i in range(len(band.lo)):
        cells = slice(int(band.offset[i]), int(band.offset[i + 1]))
        width = cells.stop - cells.start
        if i == 0:
            cur = np.full(width, NEG)
            arg = np.full(width, -1, dtype=np.int8)
            if band.lo[0] == 0:
                cur[0] = 0.0
        else:
            cand = padded[prev[:, cells]] + scores[ids, cells]
            k = cand.argmax(axis=0)
            cur = cand[k, np.arange(width)]
            arg = ids[k]
            arg[cur <= NEG / 2] = -1
        if t01 >= 0:  # English sentences left unaligned, chained along the row
            k = np.arange(width)
            acc = np.maximum.accumulate(cur - k * skip) + k * skip
            better = acc > cur + 1e-12
            cur = np.where(better, acc, cur)
            arg = np.where(better, t01, arg)
        cur[cur <= NEG / 2] = NEG
        padded[cells] = cur
        back[cells] = arg
    best[:] = padded[:-1]


def band_around(path: list[tuple[int, int]], n: int, m: int, half: int) -> list[tuple[int, int]]:
    """Per row, en positions within ``half`` of the path (rows joined without gaps)."""
    pi = np.array([p[0] for p in path], dtype=np.int64)
    pj = np.array([p[1] for p in path], dtype=np.int64)
    lo = np.full(n + 1, m, dtype=np.int64)
    hi = np.zeros(n + 1, dtype=np.int64)
    for d in range(-half, half + 1):  # each path point reaches the rows within half of it
        r = pi + d
        ok = (r >= 0) & (r <= n)
        np.minimum.at(lo, r[ok], np.maximum(pj[ok] - half, 0))
        np.maximum.at(hi, r[ok], np.minimum(pj[ok] + half, m))
    lo, hi = lo.tolist(), hi.tolist()
    for r in range(1, n + 1):  # keep the band connected from row to row
        lo[r] = min(lo[r], hi[r - 1])
        hi[r] = max(hi[r], lo[r])
    return list(zip(lo, hi))


def dynamic_programme(n: int, m: int, band: Band, types: list[tuple[int, int]], scores: np.ndarray,
                      skip: float) -> list[tuple[int, int, int, int]]:
    """Best monotonic segmentation inside the band; returns beads as (i0, i1, j0, j1).

    Row by row, every cell takes its best bead from the rows before it, then 0-1 beads are
    chained along the row: compiled (``recursion.fill``) from ``COMPILED_ROWS`` rows, in numpy
    below, with the same arithmetic, so the same path.
    """
    best = np.empty(band.cells)
    back = np.empty(band.cells, dtype=np.int8)
    t01 = types.index((0, 1)) if (0, 1) in types else -1
    if n + 1 >= COMPILED_ROWS:
        from align.alignment.recursion import fill

        fill(band.lo, band.hi, band.offset, np.array([x for x, _ in types], dtype=np.int64),
             np.array([y for _, y in types], dtype=np.int64), t01,
             np.ascontiguousarray(scores, dtype=np.float64), float(skip), NEG, best, back)
    else:
        fill_rows(band, types, t01, scores, skip, best, back)
    lo_n, hi_n = int(band.lo[n]), int(band.hi[n])
    if not (lo_n <= m <= hi_n) or best[band.offset[n] + m - lo_n] <= NEG / 2:
        raise RuntimeError("the band does not reach the end of both texts")
    beads = []
    i, jj = n, m
    while i > 0 or jj > 0:
        t = back[band.offset[i] + jj - band.lo[i]]
        x, y = types[t]
        beads.append((i - x, i, jj - y, jj))
        i, jj = i - x, jj - y
    return beads[::-1]


class ParallelPath:
    """The two passes with every window approximated, kept so that the mode decision can judge the
    path (``support``) and the alignment finish it (``beads``) without running them twice.

    ``zh_texts``/``en_texts`` (the sentences' matching forms) turn on the surface cues;
    ``anchors`` are (zh, en) sentence pairs known to correspond, in order (``mode.py``).
    """

    def __init__(self, zh: WindowVectors, en: WindowVectors, params: Params = Params(),
                 zh_texts: Sequence[str] | None = None, en_texts: Sequence[str] | None = None,
                 anchors: Sequence[tuple[int, int]] | None = None) -> None:
        self.zh, self.en, self.params = zh, en, params
        n, m = zh.n, en.n
        self.types = bead_types(params.max_bead)
        self._type_index = {t: k for k, t in enumerate(self.types)}
        self.scores: np.ndarray | None = None  # per bead type and band cell; none when a side is empty
        self.crossing: ClauseCrossing | None = None
        if n == 0 or m == 0:
            self.path = [(i, i + 1, 0, 0) for i in range(n)] + [(0, 0, j, j + 1) for j in range(m)]
            return
        self.scorer = BeadScorer(zh, en, params)
        # The 1-1 first pass only needs the rough path: the encoder alone finds it.
        first_types = [(1, 1), (1, 0), (0, 1)]
        band = Band(anchor_rows(list(anchors), n, m, params.anchor_reach) if anchors else corridor(n, m, params))
        first = dynamic_programme(n, m, band, first_types, self.scorer.scores(band, first_types), params.skip)
        path = [(0, 0)] + [(i1, j1) for _, i1, _, j1 in first]
        self.band = Band(band_around(path, n, m, params.band))
        if zh_texts is not None and en_texts is not None:
            if params.lexical_weight:
                self.scorer.lexical = LexicalOverlap(zh_texts, en_texts, params.max_bead - 1)
            if params.quote_weight:
                self.scorer.quotes = (QuoteCounts(zh_texts, "zh"), QuoteCounts(en_texts, "en"))
            if params.crossing:
                self.crossing = ClauseCrossing(zh_texts, en_texts, zh.encoder, zh.progress)
        self.scores = self.scorer.scores(self.band, self.types)
        self._decode()

    def _decode(self) -> None:
        self.path = dynamic_programme(self.zh.n, self.en.n, self.band, self.types, self.scores, self.params.skip)

    def _beads(self) -> list[Bead]:
        if self.scores is None:
            return [_bead(*b, self.params.skip) for b in self.path]
        return [_bead(*b, self._score_at(*b) if b[1] > b[0] and b[3] > b[2] else self.params.skip)
                for b in self.path]

    def support(self) -> float:
        """How much of the shorter text the path aligns, each sentence weighted by its bead's
        calibrated confidence (0 for a 1-0 or 0-1 bead), windows still approximated so nothing is
        encoded: the mode decision's evidence where the chain is doubtful. A path that aligns a few
        paragraphs confidently and leaves the rest over scores low, as a path of doubtful beads does."""
        side = 0 if self.zh.n <= self.en.n else 1
        weighted = sum(b.confidence * len((b.zh, b.en)[side]) for b in self._beads() if b.zh and b.en)
        return weighted / max(min(self.zh.n, self.en.n), 1)

    def cosine(self) -> float:
        """The cosine of each linked bead's two sides, weighted by the sentences of the shorter text
        it covers, over that text's length: what a short text's decision needs besides ``support``
        (``mode.MIN_SHORT_COSINE``). The windows are encoded (``WindowVectors.encoded``) and not
        realised, so the passes after the decision run as those of a forced alignment do."""
        side = 0 if self.zh.n <= self.en.n else 1
        linked = [b for b in self.path if b[1] > b[0] and b[3] > b[2]]
        if not linked:
            return 0.0
        zh = self.zh.encoded([(i0, i1) for i0, i1, _, _ in linked])
        en = self.en.encoded([(j0, j1) for _, _, j0, j1 in linked])
        weights = np.array([(b[1] - b[0], b[3] - b[2])[side] for b in linked], dtype=np.float64)
        cosines = np.einsum("ij,ij->i", zh, en)
        return float(weights @ cosines) / max(min(self.zh.n, self.en.n), 1)

    def beads(self) -> list[Bead]:
        """Beads covering both sides exactly once, in order, each with its score and calibrated
        confidence, after the windows the path uses are encoded for real (windows.py)."""
        if self.scores is not None:
            for _ in range(self.params.realise_rounds):
                if not self._realise(self.path):
                    break
                self._decode()
            if self.params.lone_gap:
                self._absorb_lone_gaps()
            if self.crossing is not None:
                self._merge_crossings()
        return self._beads()

    def _score_at(self, i0: int, i1: int, j0: int, j1: int) -> float | None:
        """The scored bead zh [i0, i1), en [j0, j1); None where the band or the bead types have none."""
        t = self._type_index.get((i1 - i0, j1 - j0))
        if t is None or not self.band.lo[i1] <= j1 <= self.band.hi[i1]:
            return None
        return float(self.scores[t, self.band.offset[i1] + j1 - self.band.lo[i1]])

    def _realise(self, spans: Sequence[tuple[int, int, int, int]]) -> bool:
        """Encode the windows of the beads ``spans`` and score again what uses them; False when
        every one was real already."""
        changed = (self.zh.realise((i0, i1) for i0, i1, _, _ in spans),
                   self.en.realise((j0, j1) for _, _, j0, j1 in spans))
        if not (changed[0] or changed[1]):
            return False
        self.scores = self.scorer.scores(self.band, self.types, (self.scores, *changed))
        return True

    def _merged(self, a: int, b: int) -> tuple[int, int, int, int]:
        """Beads a..b of the path as one."""
        return self.path[a][0], self.path[b][1], self.path[a][2], self.path[b][3]

    def _replace(self, merges: dict[int, int]) -> None:
        """Merge beads a..b of the path for every ``a: b`` (ranges apart)."""
        path, k = [], 0
        while k < len(self.path):
            b = merges.get(k, k)
            path.append(self._merged(k, b))
            k = b + 1
        self.path = path

    def _absorb_lone_gaps(self) -> None:
        """Merge every lone 1-0 or 0-1 bead (its neighbours linked) into the neighbour whose
        merged bead loses least, when it loses less than ``Params.lone_gap`` and the lone
        sentence resembles that bead (``_lone_margin``); the merged windows are encoded first, so
        the comparison is between real vectors."""
        path = self.path
        linked = [i1 > i0 and j1 > j0 for i0, i1, j0, j1 in path]
        options = []  # (the neighbour, the first and last bead merged)
        for k, is_linked in enumerate(linked):
            if is_linked or (k > 0 and not linked[k - 1]) or (k + 1 < len(path) and not linked[k + 1]):
                continue
            options += [(nb, min(nb, k), max(nb, k)) for nb in (k - 1, k + 1)
                        if 0 <= nb < len(path) and self._lone_margin(path[k], path[nb]) > LONE_MARGIN]
        self._realise([self._merged(a, b) for _, a, b in options])
        merges = []
        for nb, a, b in options:
            score, own = self._score_at(*self._merged(a, b)), self._score_at(*path[nb])
            if score is not None and own is not None and own + self.params.skip - score < self.params.lone_gap:
                merges.append((own + self.params.skip - score, a, b))
        taken: set[int] = set()
        done: dict[int, int] = {}
        for _, a, b in sorted(merges):  # least loss first; a bead joins one merge at most
            if a not in taken and b not in taken:
                taken.update((a, b))
                done[a] = b
        self._replace(done)

    def _lone_margin(self, lone: tuple[int, int, int, int], neighbour: tuple[int, int, int, int]) -> float:
        """The lone sentence's cosine with the other side of the bead it would join, less its mean
        cosine with the sentences just outside that side (the scorer's local margin): what keeps
        a line of page chrome, or a sentence about something else, from joining a bead it only
        dilutes."""
        i0, i1, j0, j1 = neighbour
        if lone[1] > lone[0]:
            vec, other, start, stop = self.zh.window(1)[lone[0]], self.en, j0, j1
        else:
            vec, other, start, stop = self.en.window(1)[lone[2]], self.zh, i0, i1
        around = [float(vec @ other.window(1)[t]) for t in (start - 1, stop) if 0 <= t < other.n]
        return float(vec @ other.window(stop - start)[start]) - (sum(around) / len(around) if around else 0.0)

    def _merge_crossings(self) -> None:
        """Merge the consecutive beads a Chinese clause crosses (``crossing.py``)."""
        ks = self.crossing.merges(self.path, self.params.max_bead)
        self._realise([self._merged(k, k + 1) for k in ks])
        self._replace({k: k + 1 for k in ks})


def align_parallel(zh: WindowVectors, en: WindowVectors, params: Params = Params(),
                   zh_texts: Sequence[str] | None = None, en_texts: Sequence[str] | None = None,
                   anchors: Sequence[tuple[int, int]] | None = None) -> list[Bead]:
    """Beads covering both sides exactly once, in order (``ParallelPath``, finished)."""
    return ParallelPath(zh, en, params, zh_texts, en_texts, anchors).beads()


def _bead(i0: int, i1: int, j0: int, j1: int, score: float) -> Bead:
    return Bead(tuple(range(i0, i1)), tuple(range(j0, j1)), round(score, 4),
                round(parallel_confidence(score, i1 - i0, j1 - j0), 4))
