"""Comparable mode: two reports of one event, not translations of each other.

Order-free matching. Every English sentence is compared with every Chinese one
on three kinds of evidence, each normalised so that "hub" sentences close to
everything do not win:

* the sentences' cosine, as a LASER ratio margin (k = 4 nearest neighbours on
  both sides);
* the best ratio margin between their clauses (split at commas, semicolons and
  colons): a long machine-translated sentence often renders one clause of a
  Chinese sentence, which the whole-sentence vectors blur;
* their dictionary overlap (``cues.LexicalOverlap``), which names, numbers and
  rare terms make strong where the encoder is unsure.

A logistic model fitted on simulated comparable documents from the dev data
(eval/calibrate_comparable.py) turns them into the probability that the two
sentences correspond. Links are taken best first down to a calibrated threshold;
linked sentences form one bead, so an English sentence may cover parts of two
consecutive Chinese ones (and the reverse), at most ``MAX_SIDE`` sentences a
side, and no sentence is in two beads.
"""
from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from align.alignment.cues import LexicalOverlap
from align.alignment.mode import K, knn_means, nearest, ratio
from align.types import Bead, Language
from align.vectors import Encoder


@dataclass(frozen=True)
class LinkModel:
    """The logistic model of "these two sentences correspond" and the probability links are kept from."""

    bias: float
    sentence: float
    clause: float
    lexical: float
    threshold: float

    def probability(self, features: dict[str, np.ndarray]) -> np.ndarray:
        from scipy.special import expit

        z = self.bias + self.sentence * features["sentence"] + self.clause * features["clause"] \
            + self.lexical * features["lexical"]
        return expit(z)  # without the overflow warning 1 / (1 + exp(-z)) gives for links far below the bar


# Fitted per encoder by eval/calibrate_comparable.py on mac-dev (see README): margins
# differ between encoders. Any other encoder gets use-m's model.
LINK_MODELS = {
    "use-m": LinkModel(bias=-13.47, sentence=4.27, clause=5.03, lexical=2.39, threshold=0.50),
    # e5's margins crowd just above 1, hence the large slopes
    "e5-small": LinkModel(bias=-133.58, sentence=73.08, clause=56.42, lexical=2.60, threshold=0.30),
}
MAX_SIDE = 2  # sentences a side of one comparable bead
# Sentence pairs judged all with all (a 2,000 x 2,000 report); longer texts judge each
# sentence's nearest neighbours only (see link_features).
DENSE_PAIRS = 4_000_000

_ZH_CLAUSE = re.compile(r"(?<=[，,；;：:])")
_EN_CLAUSE = re.compile(r"(?<=[,;:])\s+")
MIN_CLAUSE = {"zh": 6, "en": 20}  # characters; shorter pieces join the clause before them


def _knn_mean(sims: np.ndarray, axis: int, k: int) -> np.ndarray:
    k = max(1, min(k, sims.shape[axis]))
    part = -np.partition(-sims, k - 1, axis=axis)
    return np.take(part, range(k), axis=axis).mean(axis=axis)


def ratio_margin(sims: np.ndarray, k: int = K) -> np.ndarray:
    """cos(x, y) / mean(mean k-NN cos of x, mean k-NN cos of y), for a matrix of cosines."""
    rows = _knn_mean(sims, 1, k)
    cols = _knn_mean(sims, 0, k)
    return ratio(sims, (rows[:, None] + cols[None, :]) / 2)


def clauses(text: str, lang: str) -> list[str]:
    """A sentence cut at commas, semicolons and colons; short pieces stay with the one before."""
    out: list[str] = []
    for piece in (_ZH_CLAUSE if lang == Language.ZH else _EN_CLAUSE).split(text):
        if out and len(piece.strip()) < MIN_CLAUSE[lang]:
            out[-1] += piece
        elif piece.strip():
            out.append(piece)
    if len(out) > 1 and len(out[0].strip()) < MIN_CLAUSE[lang]:
        out[1] = out[0] + out[1]
        out.pop(0)
    return out or [text]


Links = tuple[np.ndarray, np.ndarray, dict[str, np.ndarray]]  # en rows, zh rows, evidence per pair


def link_features(zh_texts: Sequence[str], en_texts: Sequence[str], zh_vecs: np.ndarray,
                  en_vecs: np.ndarray, encoder: Encoder) -> Links:
    """The evidence for the (English sentence, Chinese sentence) pairs worth judging.

    Up to ``DENSE_PAIRS`` pairs, every pair (in row-major order); beyond, each English
    sentence's nearest Chinese ones by cosine (``mode.NEAREST``) and each Chinese sentence's ``K`` English
    ones, so memory grows with the length, not its square. The margins' neighbour means
    are exact either way (computed block by block over all pairs).
    """
    m, n = len(en_texts), len(zh_texts)
    zc = [clauses(t, "zh") for t in zh_texts]
    ec = [clauses(t, "en") for t in en_texts]
    zcv = encoder.encode([c for cs in zc for c in cs])
    ecv = encoder.encode([c for cs in ec for c in cs])
    starts_e = np.concatenate([[0], np.cumsum([len(cs) for cs in ec])[:-1]]).astype(np.int64)
    starts_z = np.concatenate([[0], np.cumsum([len(cs) for cs in zc])[:-1]]).astype(np.int64)
    overlap = LexicalOverlap(zh_texts, en_texts)
    if m * n <= DENSE_PAIRS:
        sentence = ratio_margin(en_vecs @ zh_vecs.T)
        by_clause = ratio_margin(ecv @ zcv.T)
        # clauses are in sentence order: the best clause pair per sentence pair, one reduction per axis
        clause = np.maximum.reduceat(np.maximum.reduceat(by_clause, starts_e, axis=0), starts_z, axis=1)
        lexical = ratio_margin(overlap.sentence_cosines())
        j, i = np.divmod(np.arange(m * n), n)
        return j, i, {"sentence": sentence.ravel(), "clause": clause.ravel(), "lexical": lexical.ravel()}
    row_idx, row_sim, col_idx, col_sim = nearest(en_vecs, zh_vecs)
    pairs = np.unique(np.concatenate([np.repeat(np.arange(m), row_idx.shape[1]) * n + row_idx.ravel(),
                                      col_idx.ravel() * n + np.tile(np.arange(n), col_idx.shape[0])]))
    j, i = np.divmod(pairs, n)
    sentence = _margin(_pair_dots(en_vecs, zh_vecs, j, i), *knn_means(row_sim, col_sim), j, i)
    # clause pairs of every candidate sentence pair, then the best per candidate
    ne = np.diff(np.append(starts_e, len(ecv)))[j]
    nz = np.diff(np.append(starts_z, len(zcv)))[i]
    count = ne * nz
    owner = np.repeat(np.arange(len(j)), count)
    within = np.arange(count.sum()) - np.repeat(np.cumsum(count) - count, count)
    a = starts_e[j][owner] + within // nz[owner]
    b = starts_z[i][owner] + within % nz[owner]
    _, c_row_sim, _, c_col_sim = nearest(ecv, zcv)
    by_clause = _margin(_pair_dots(ecv, zcv, a, b), *knn_means(c_row_sim, c_col_sim), a, b)
    clause = np.maximum.reduceat(by_clause, np.cumsum(count) - count)
    lex_rows, lex_cols = overlap.knn_means(K)
    lexical = _margin(overlap.pair_cosines(j, i), lex_rows, lex_cols, j, i)
    return j, i, {"sentence": sentence, "clause": clause, "lexical": lexical}


def _margin(cos: np.ndarray, rows: np.ndarray, cols: np.ndarray, j: np.ndarray, i: np.ndarray) -> np.ndarray:
    """``ratio_margin`` for listed pairs, from each side's k-NN mean cosine."""
    return ratio(cos, (rows[j] + cols[i]) / 2)


def _pair_dots(a: np.ndarray, b: np.ndarray, ia: np.ndarray, ib: np.ndarray, chunk: int = 65536) -> np.ndarray:
    out = np.empty(len(ia))
    for s in range(0, len(ia), chunk):
        out[s : s + chunk] = np.einsum("ij,ij->i", a[ia[s : s + chunk]], b[ib[s : s + chunk]])
    return out


def align_comparable(zh_vecs: np.ndarray, en_vecs: np.ndarray, zh_texts: Sequence[str],
                     en_texts: Sequence[str], encoder: Encoder) -> list[Bead]:
    """Beads from the two sides' sentence vectors and matching texts."""
    n, m = len(zh_texts), len(en_texts)
    if n == 0 or m == 0:
        return unlinked(n, m)
    model = LINK_MODELS.get(encoder.name, LINK_MODELS["use-m"])
    j, i, features = link_features(zh_texts, en_texts, zh_vecs, en_vecs, encoder)
    beads = [Bead(zs, es, round(_logit(p), 4), round(p, 4))
             for zs, es, p in link_groups(j, i, model.probability(features), model.threshold)]
    linked_zh = {i for b in beads for i in b.zh}
    linked_en = {j for b in beads for j in b.en}
    beads += [Bead((), (j,), 0.0, 0.0) for j in range(m) if j not in linked_en]
    beads += [Bead((i,), (), 0.0, 0.0) for i in range(n) if i not in linked_zh]
    # reading order of the English, unmatched Chinese last in their own order
    beads.sort(key=lambda b: (0, b.en[0]) if b.en else (1, b.zh[0]))
    return beads


def unlinked(n: int, m: int) -> list[Bead]:
    """No sentence linked: the English in order, then the Chinese."""
    return [Bead((), (j,), 0.0, 0.0) for j in range(m)] + [Bead((i,), (), 0.0, 0.0) for i in range(n)]


def link_groups(en_rows: np.ndarray, zh_rows: np.ndarray, prob: np.ndarray, threshold: float
                ) -> list[tuple[tuple[int, ...], tuple[int, ...], float]]:
    """Sentences joined by the links (en_rows[k], zh_rows[k]) whose ``prob`` is at or above
    ``threshold``, best link first (ties in reading order); a link may only join two groups
    while each side stays a run of at most MAX_SIDE consecutive sentences (what one sentence
    of a translation covers). Returns (zh indices, en indices, weakest link probability) per group."""
    group_of: dict[tuple[str, int], int] = {}
    groups: list[tuple[set[int], set[int], float]] = []
    keep = np.flatnonzero(prob >= threshold)
    order = keep[np.lexsort((zh_rows[keep], en_rows[keep], -prob[keep]))]
    for k in order:
        j, i, p = int(en_rows[k]), int(zh_rows[k]), float(prob[k])
        gz, ge = group_of.get(("zh", i)), group_of.get(("en", j))
        if gz is not None and gz == ge:
            continue
        zs = (groups[gz][0] if gz is not None else {i}) | (groups[ge][0] if ge is not None else set())
        es = (groups[ge][1] if ge is not None else {j}) | (groups[gz][1] if gz is not None else set())
        if not (_contiguous(zs) and _contiguous(es)):
            continue
        groups.append((zs, es, min([p] + [groups[g][2] for g in (gz, ge) if g is not None])))
        for k in zs:
            group_of[("zh", k)] = len(groups) - 1
        for k in es:
            group_of[("en", k)] = len(groups) - 1
    return [(tuple(sorted(groups[g][0])), tuple(sorted(groups[g][1])), groups[g][2])
            for g in sorted(set(group_of.values()))]


def _contiguous(indices: set[int]) -> bool:
    return len(indices) <= MAX_SIDE and max(indices) - min(indices) == len(indices) - 1


def _logit(p: float) -> float:
    p = min(max(p, 1e-9), 1 - 1e-9)
    return math.log(p / (1 - p))
