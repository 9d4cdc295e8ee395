"""Parallel or comparable: does one monotone alignment explain the evidence?

Two texts that translate each other put their best-matching sentence pairs on
one increasing path; two reports of one event match here and there, in no
particular order. The test compares the two directly:

1. every English sentence's best few Chinese sentences (and every Chinese
   sentence's best English one) by LASER ratio margin, each a point with weight
   ``margin - 1`` (how far it stands above its neighbours);
2. the heaviest chain of points increasing on both sides (a weighted longest
   increasing subsequence): what a monotone alignment can explain;
3. the same chain with both sides' sentence order shuffled, many times: what
   order explains by chance, for these very texts and these very points.

The texts are parallel when the real chain stands above the shuffled ones
(``MIN_ORDER_Z`` standard deviations) and explains much of what an order-free
matching explains (``MIN_EXCESS`` of it, beyond the shuffled chains' weight).
Where only one of the two holds (a short text has few pairs; a free translation
puts many of its best matches off the chain), the parallel path is run with its
windows approximated and decides by how much of the shorter text it aligns
with confidence (``settle``). A text of three sentences or fewer a side is too short for
either bar (``SHORT_TEXT``): the path decides there too, and its beads must also be
plainly similar, since their local margins have next to no neighbours.
Mutual nearest neighbours, the old test, were fooled by literary translation (one long Chinese sentence rendered as three
English ones, short dialogue lines that match a neighbour best); a chain
compared with its own shuffles is not, because noise points are just as
likely in shuffled order, and an inserted article or an untranslated half only
adds points that no chain takes. The chain also anchors parallel mode's first
pass (``anchor_rows``), so a partly parallel text keeps its parallel part.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from align.types import Mode

# Both must hold. Measured with eval/mode_eval.py on the dev sets (mac-dev, aca, mag, their
# halves, thirds and tenths, partly parallel variants, the seeds, simulated comparable
# pairs): parallel and partly parallel texts explain .49-.93 of the evidence beyond chance
# at z 17-394 (tenths of chapters, 14-28 pairs: .28-.68 at z 3.9-16); comparable and
# different texts at most .25 (the seeds 000 and 002, z 2.9), with z up to 11 where whole
# paragraphs were shuffled (their inner order survives) but then .12 at most.
MIN_EXCESS = 0.30
MIN_ORDER_Z = 3.0
# Where only one of the two holds, the parallel path itself decides (``settle``): parallel if
# it aligns this much of the shorter text, each sentence weighted by its bead's calibrated
# confidence (``parallel.ParallelPath.support``). Measured with eval/mode_eval.py: every parallel dev
# document, half, third and tenth .76-.96 (the one doubtful among them, a tenth of mac-dev 002
# at z 3.9 and .28: .83), partly parallel texts .69-.94, comparable ones .53-.71 (the five
# doubtful among them, paragraphs shuffled: .53-.66), different events .54-.73.
MIN_PATH_SUPPORT = 0.75
# With this many sentences or fewer on the shorter side the order test has no power: three points
# cannot stand z 3 above their shuffles (runs of 2-3 gold beads of the dev documents: z 0.8-2.2), so
# all 34 news articles of 1-3 segments in mqm2020 and mqm2021 were judged comparable (a one-off
# count; of the 2,281 longer ones, 4 of 5 segments). Such a text is doubtful whatever its figures.
SHORT_TEXT = 3
# ... and there the bead scores' local margin has next to no neighbours to measure against, so the
# path must also show plain similarity: its linked beads' cosine, weighted by the sentences of the
# shorter text they cover (``parallel.ParallelPath.cosine``). Measured with eval/mode_eval.py's 192
# short cases: translations .24-.87 (news .57-.87; runs of literary chapters lowest, 8 of 108 below
# the bar or the support's), other reports of the event and other stretches of the same story
# -.14-.68 (5 of 84 pass both). At .40 / .45 / .50: 7 / 8 / 13 translations fail, 7 / 5 / 4 others pass.
MIN_SHORT_COSINE = 0.45
CANDIDATES = 3  # best Chinese sentences per English sentence that become points
SHUFFLES = 20
MAX_ROWS = 1000  # English sentences used for the evidence (evenly sampled beyond this)
NEAREST = 8  # Chinese sentences per English row, by cosine, among which the margin picks
K = 4  # neighbours in the LASER ratio margin (here and in comparable mode)


@dataclass(frozen=True)
class OrderEvidence:
    """The figures behind the decision."""

    chain: list[tuple[int, int]]  # (zh, en) sentence pairs of the heaviest monotone chain
    chain_weight: float
    shuffled_mean: float
    shuffled_std: float
    matched_weight: float  # what an order-free matching explains
    shorter: int | None = None  # sentences of the shorter side, where any

    @property
    def short(self) -> bool:
        """Too few sentences for the order test to say anything (``SHORT_TEXT``)."""
        return self.shorter is not None and 1 <= self.shorter <= SHORT_TEXT

    @property
    def z(self) -> float:
        return (self.chain_weight - self.shuffled_mean) / max(self.shuffled_std, 1e-9)

    @property
    def excess(self) -> float:
        """Share of the order-free evidence the chain explains beyond chance."""
        return (self.chain_weight - self.shuffled_mean) / max(self.matched_weight, 1e-9)

    @property
    def parallel(self) -> bool:
        return self.z >= MIN_ORDER_Z and self.excess >= MIN_EXCESS

    @property
    def doubtful(self) -> bool:
        """One bar cleared and not the other: a short text's few pairs (a low z) or a free
        translation whose matches are mostly off the chain (a low excess); or a text too short
        for either bar."""
        return self.short or (self.z >= MIN_ORDER_Z) != (self.excess >= MIN_EXCESS)

    def describe(self) -> str:
        return (f"the best in-order chain of matches weighs {self.chain_weight:.1f} "
                f"({len(self.chain)} pairs), shuffled orders {self.shuffled_mean:.1f} +- "
                f"{self.shuffled_std:.1f} (z {self.z:.1f}); in order it explains "
                f"{self.excess:.0%} of the matching evidence beyond chance")


def order_evidence(zh_vecs: np.ndarray, en_vecs: np.ndarray, seed: int = 0) -> OrderEvidence:
    """Points, the real chain and its shuffles, from unit sentence vectors (n, d) and (m, d)."""
    n, m = zh_vecs.shape[0], en_vecs.shape[0]
    if n == 0 or m == 0:
        return OrderEvidence([], 0.0, 0.0, 0.0, 0.0)
    rows = np.unique(np.linspace(0, m - 1, min(m, MAX_ROWS)).round().astype(np.int64))
    row_idx, row_sim, col_idx, col_sim = nearest(en_vecs[rows], zh_vecs)
    row_knn, col_knn = knn_means(row_sim, col_sim)
    row_margin = ratio(row_sim, (row_knn[:, None] + col_knn[row_idx]) / 2)
    col_margin = ratio(col_sim, (row_knn[col_idx] + col_knn[None, :]) / 2)
    c = min(CANDIDATES, row_idx.shape[1])
    top = np.argsort(-row_margin, axis=1)[:, :c]
    best = col_margin.argmax(axis=0)
    pj = [np.repeat(np.arange(len(rows)), c), col_idx[best, np.arange(n)]]
    pi = [np.take_along_axis(row_idx, top, axis=1).ravel(), np.arange(n)]
    pw = [np.take_along_axis(row_margin, top, axis=1).ravel() - 1.0, col_margin[best, np.arange(n)] - 1.0]
    j, i, w = np.concatenate(pj), np.concatenate(pi), np.concatenate(pw)
    keep = w > 0
    j, i, w = j[keep], i[keep], w[keep]
    # One point per (en, zh) pair, the weight it got.
    key = j * n + i
    _, first = np.unique(key, return_index=True)
    j, i, w = j[first], i[first], w[first]
    # Order-free: each sentence's best point, the smaller of the two sides' sums.
    matched = min(_best_sum(j, w, len(rows)), _best_sum(i, w, n))
    chain_weight, chain = heaviest_chain(j, i, w, n)
    rng = np.random.default_rng(seed)
    shuffled = np.array([heaviest_chain(rng.permutation(len(rows))[j], rng.permutation(n)[i], w, n,
                                        want_path=False)[0] for _ in range(SHUFFLES)])
    return OrderEvidence([(int(i[k]), int(rows[j[k]])) for k in chain], float(chain_weight),
                         float(shuffled.mean()), float(shuffled.std()), float(matched), min(n, m))


def choose_mode(zh_vecs: np.ndarray, en_vecs: np.ndarray) -> tuple[Mode, str, OrderEvidence]:
    """``(parallel or comparable, reason, evidence)`` from the two sides' sentence vectors."""
    if zh_vecs.shape[0] == 0 or en_vecs.shape[0] == 0:
        return Mode.COMPARABLE, "comparable: one side is empty", order_evidence(zh_vecs, en_vecs)
    evidence = order_evidence(zh_vecs, en_vecs)
    mode = Mode.PARALLEL if evidence.parallel else Mode.COMPARABLE
    return mode, f"{mode}: {evidence.describe()}", evidence


def settle(evidence: OrderEvidence, path_support: float, path_cosine: float | None = None) -> tuple[Mode, str]:
    """The decision for doubtful evidence, from how much of the shorter text the parallel path
    aligns with confidence (``parallel.ParallelPath.support``) and, for a short text, how similar its
    beads are (``path_cosine``, ``parallel.ParallelPath.cosine``)."""
    supported = path_support >= MIN_PATH_SUPPORT
    similar = not evidence.short or (path_cosine or 0.0) >= MIN_SHORT_COSINE
    mode = Mode.PARALLEL if supported and similar else Mode.COMPARABLE
    # a short text's chain figures say nothing, so they are not given
    why = (f"{evidence.shorter} sentence{'s are' if evidence.shorter > 1 else ' is'} too few for the order test"
           if evidence.short else f"{evidence.describe()}; only one of z {MIN_ORDER_Z:.0f} and "
           f"{MIN_EXCESS:.0%} beyond chance was met")
    said = (f"{mode}: {why}, so the parallel path decided: it aligns "
            f"{path_support:.0%} of the shorter text, weighted by confidence "
            f"({'>=' if supported else '<'} {MIN_PATH_SUPPORT:.0%})")
    if evidence.short:
        said += (f", and its beads' cosine over that text is {path_cosine or 0.0:.2f} "
                 f"({'>=' if similar else '<'} {MIN_SHORT_COSINE:.2f})")
    return mode, said


def heaviest_chain(j: np.ndarray, i: np.ndarray, w: np.ndarray, n: int,
                   want_path: bool = True) -> tuple[float, list[int]]:
    """Heaviest set of points strictly increasing in both ``j`` and ``i`` (``0 <= i < n``).

    Points are taken in ``j`` order, each extending the best chain that ends at a smaller
    ``i`` (a Fenwick tree of prefix maxima); points of one ``j`` never extend each other.
    Returns the weight and, when asked, the indices of the chain's points in ``j`` order.
    """
    order = np.lexsort((i, j))
    tree_val = [0.0] * (n + 1)
    tree_arg = [-1] * (n + 1)
    parent = [-1] * len(order)
    value = [0.0] * len(order)
    best, best_at = 0.0, -1
    jj, ii, ww = j[order].tolist(), i[order].tolist(), w[order].tolist()
    k = 0
    while k < len(order):
        end = k
        while end < len(order) and jj[end] == jj[k]:
            end += 1
        for p in range(k, end):  # query all of this j before any update
            q, v, a = ii[p], 0.0, -1
            while q > 0:
                if tree_val[q] > v:
                    v, a = tree_val[q], tree_arg[q]
                q -= q & -q
            value[p], parent[p] = v + ww[p], a
        for p in range(k, end):
            q, v = ii[p] + 1, value[p]
            while q <= n:
                if tree_val[q] < v:
                    tree_val[q], tree_arg[q] = v, p
                q += q & -q
            if v > best:
                best, best_at = v, p
        k = end
    if not want_path:
        return best, []
    path = []
    while best_at >= 0:
        path.append(int(order[best_at]))
        best_at = parent[best_at]
    return best, path[::-1]


def anchor_rows(chain: list[tuple[int, int]], n: int, m: int, reach: int) -> list[tuple[int, int]]:
    """Per zh row i (0..n), the en positions a monotone path through the anchors may take.

    Between consecutive anchors the path may go anywhere in the rectangle they span, plus
    ``reach`` sentences either way (an anchor can be off by a neighbour or two); before the
    first anchor and after the last the rectangle reaches the texts' corners, so an
    untranslated head or tail becomes a run of 1-0 or 0-1 beads.
    """
    points = [(0, 0)] + sorted(chain) + [(n, m)]
    lo = [m] * (n + 1)
    hi = [0] * (n + 1)
    for (i0, j0), (i1, j1) in zip(points, points[1:]):
        j0, j1 = min(j0, j1), max(j0, j1)
        for r in range(max(0, i0 - reach), min(n, i1 + reach) + 1):
            lo[r] = min(lo[r], max(0, j0 - reach))
            hi[r] = max(hi[r], min(m, j1 + reach))
    lo[0], hi[n] = 0, m
    for r in range(1, n + 1):  # monotone and connected from row to row
        lo[r] = max(lo[r], lo[r - 1])
    for r in range(n - 1, -1, -1):
        hi[r] = min(hi[r], hi[r + 1])
    for r in range(1, n + 1):
        lo[r] = min(lo[r], hi[r - 1])
        hi[r] = max(hi[r], lo[r])
    return list(zip(lo, hi))


def nearest(en: np.ndarray, zh: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Each English row's ``NEAREST`` Chinese sentences by cosine (indices and cosines, best
    first), and each Chinese sentence's ``K`` nearest English rows (as columns).

    Exact, and never the n x m matrix: a block of English rows at a time, one numpy product for
    both directions (``knn.KBest``). ``faiss.knn`` did the same search with a product of its
    own, once per direction: on eval/bench_long.py's 41,114 x 20,000 vectors (an Intel Xeon,
    2 cores) 40 s against 10 s here, the same neighbours but where two cosines tie to the last bit."""
    from align.alignment.knn import KBest

    m, n = en.shape[0], zh.shape[0]
    en32, zh32 = np.ascontiguousarray(en, dtype=np.float32), np.ascontiguousarray(zh, dtype=np.float32)
    best = KBest(m, n, min(NEAREST, n), min(K, m))
    block = KBest.block_rows(n)
    for b0 in range(0, m, block):
        best.add(b0, en32[b0 : b0 + block] @ zh32.T)
    return best.result()


def knn_means(row_sim: np.ndarray, col_sim: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """From ``nearest``'s cosines: each row's and each column's mean cosine with its ``K``
    nearest, the denominator of the LASER ratio margin."""
    return row_sim[:, :K].mean(axis=1), col_sim[:K].mean(axis=0)


def ratio(sims: np.ndarray, scale: np.ndarray) -> np.ndarray:
    """The LASER ratio margin ``sims / scale``, 0 where the neighbours' mean is not positive."""
    out = np.zeros(np.broadcast(sims, scale).shape, dtype=np.result_type(sims, scale))
    return np.divide(sims, scale, out=out, where=scale > 0)


def _best_sum(side: np.ndarray, w: np.ndarray, size: int) -> float:
    best = np.zeros(size)
    np.maximum.at(best, side, w)
    return float(best.sum())
