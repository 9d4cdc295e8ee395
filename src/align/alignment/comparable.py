"""Comparable mode: two reports of one event, not translations of each other.

Order-free matching. Every English sentence is compared with every Chinese
sentence and every pair of adjacent Chinese sentences (one English sentence of a
machine translation often renders parts of two). Cosines are normalised by the
LASER ratio margin (k = 4 nearest neighbours on both sides), which cancels
"hub" sentences that are close to everything. Pairs are taken greedily, best
margin first, each sentence at most once, down to a threshold calibrated on
simulated comparable documents (eval/calibrate_comparable.py).

Also here: ``choose_mode``, which tells parallel texts from comparable ones.
"""
from __future__ import annotations

import math

import numpy as np

from align.alignment.windows import WindowVectors
from align.types import Bead

K = 4
# Fitted by eval/calibrate_comparable.py: the logistic confidence of a pair from
# its ratio margin, and the margin from which pairs are kept (best F1 there).
MARGIN_BIAS = -7.9
MARGIN_SLOPE = 5.1
MARGIN_THRESHOLD = 1.23
# A 2-sentence Chinese window must beat the best single sentence by this much.
PAIR_GAIN = 0.01


def margin_confidence(margin: float) -> float:
    return 1.0 / (1.0 + math.exp(-(MARGIN_BIAS + MARGIN_SLOPE * margin)))


def _knn_mean(sims: np.ndarray, axis: int, k: int) -> np.ndarray:
    k = max(1, min(k, sims.shape[axis]))
    part = -np.partition(-sims, k - 1, axis=axis)
    return np.take(part, range(k), axis=axis).mean(axis=axis)


def ratio_margin(sims: np.ndarray, k: int = K) -> np.ndarray:
    """cos(x, y) / mean(mean k-NN cos of x, mean k-NN cos of y), for a matrix of cosines."""
    rows = _knn_mean(sims, 1, k)
    cols = _knn_mean(sims, 0, k)
    return sims / ((rows[:, None] + cols[None, :]) / 2)


def align_comparable(zh: WindowVectors, en: WindowVectors) -> list[Bead]:
    n, m = zh.n, en.n
    if n == 0 or m == 0:
        return [Bead((i,), (), 0.0, 0.0) for i in range(n)] + [Bead((), (j,), 0.0, 0.0) for j in range(m)]
    single = ratio_margin(en.window(1) @ zh.window(1).T)  # (m, n)
    double = ratio_margin(en.window(1) @ zh.window(2).T) if n > 1 else np.zeros((m, 0))  # (m, n-1)
    candidates: list[tuple[float, int, tuple[int, ...]]] = []
    for j in range(m):
        for i in range(n):
            candidates.append((float(single[j, i]), j, (i,)))
        best_single = float(single[j].max())
        for i in range(double.shape[1]):
            if double[j, i] > best_single + PAIR_GAIN:
                candidates.append((float(double[j, i]), j, (i, i + 1)))
    candidates.sort(key=lambda c: (-c[0], c[1], c[2]))
    used_en: set[int] = set()
    used_zh: set[int] = set()
    beads: list[Bead] = []
    for margin, j, zs in candidates:
        if margin < MARGIN_THRESHOLD:
            break
        conf = margin_confidence(margin)
        if j in used_en or used_zh.intersection(zs):
            continue
        used_en.add(j)
        used_zh.update(zs)
        beads.append(Bead(zs, (j,), round(margin, 4), round(conf, 4)))
    for j in range(m):
        if j not in used_en:
            beads.append(Bead((), (j,), 0.0, 0.0))
    for i in range(n):
        if i not in used_zh:
            beads.append(Bead((i,), (), 0.0, 0.0))
    # reading order of the English, unmatched Chinese last in their own order
    beads.sort(key=lambda b: (0, b.en[0]) if b.en else (1, b.zh[0]))
    return beads


def choose_mode(zh: WindowVectors, en: WindowVectors) -> tuple[str, str]:
    """Parallel when mutual nearest neighbours cover much of the shorter text and run in order."""
    n, m = zh.n, en.n
    if n == 0 or m == 0:
        return "comparable", "one side is empty"
    sims = ratio_margin(en.window(1) @ zh.window(1).T)
    best_zh = sims.argmax(axis=1)
    best_en = sims.argmax(axis=0)
    mutual = [(j, int(best_zh[j])) for j in range(m) if best_en[best_zh[j]] == j]
    coverage = len(mutual) / min(n, m)
    in_order = _longest_increasing([i for _, i in mutual]) / len(mutual) if mutual else 0.0
    detail = (f"{len(mutual)} mutual best matches cover {coverage:.0%} of the shorter text, "
              f"{in_order:.0%} of them in order")
    if coverage >= 0.3 and in_order >= 0.8:
        return "parallel", f"parallel: {detail}"
    return "comparable", f"comparable: {detail}"


def _longest_increasing(seq: list[int]) -> int:
    import bisect

    tails: list[int] = []
    for v in seq:
        k = bisect.bisect_left(tails, v)
        if k == len(tails):
            tails.append(v)
        else:
            tails[k] = v
    return len(tails)
