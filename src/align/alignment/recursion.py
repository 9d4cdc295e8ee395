"""The parallel aligner's recursion over its band, compiled with numba.

Kept apart from ``parallel.py`` so that numba is imported (about 0.6 s) only when a parallel
alignment runs, never when the package is; ``cache=True`` keeps the compiled code on disk, so
only the first run on a machine pays for compiling it. Row by row in numpy, the same
recursion makes ~17 numpy calls per row: its three passes took 3.0-3.8 s of the 9-12 s
alignment of eval/bench_align.py's 20,000 sentences (one-off timing of each pass), 0.13-0.2 s
compiled.
"""
from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True, nogil=True)
def fill(lo: np.ndarray, hi: np.ndarray, offset: np.ndarray, xs: np.ndarray, ys: np.ndarray, t01: int,
         scores: np.ndarray, skip: float, neg: float, best: np.ndarray, back: np.ndarray) -> None:
    """Fills ``best`` (the best path score ending at each band cell) and ``back`` (its last bead's
    type, -1 for none). A bead of type t ending at cell (i, j) starts at (i - xs[t], j - ys[t]),
    worth nothing outside the band; 0-1 beads (type ``t01``, -1 for none) chain along a row.
    The arithmetic is the numpy recursion's, operation for operation, so the paths are equal."""
    rows = len(lo)
    types = len(xs)
    cur = np.empty(np.max(offset[1:] - offset[:-1]))
    arg = np.empty(len(cur), dtype=np.int8)
    for i in range(rows):
        base = offset[i]
        width = offset[i + 1] - base
        for c in range(width):
            j = lo[i] + c
            value = neg
            kind = -1
            if i == 0:
                if j == 0:
                    value = 0.0
            else:
                value = -np.inf
                for t in range(types):
                    x = xs[t]
                    if x == 0:
                        continue
                    pi, pj = i - x, j - ys[t]
                    start = neg
                    if pi >= 0 and lo[pi] <= pj <= hi[pi]:
                        start = best[offset[pi] + pj - lo[pi]]
                    candidate = start + scores[t, base + c]
                    if candidate > value:
                        value, kind = candidate, t
                if value <= neg / 2:
                    kind = -1
            cur[c] = value
            arg[c] = kind
        if t01 >= 0:  # English sentences left unaligned, chained along the row
            running = -np.inf
            for c in range(width):
                running = max(running, cur[c] - c * skip)
                chained = running + c * skip
                if chained > cur[c] + 1e-12:
                    cur[c] = chained
                    arg[c] = t01
        for c in range(width):
            best[base + c] = neg if cur[c] <= neg / 2 else cur[c]
            back[base + c] = arg[c]
