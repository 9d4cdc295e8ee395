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
from align.types import Bead
from align.vectors import Encoder

K = 4


@dataclass(frozen=True)
class LinkModel:
    """The logistic model of "these two sentences correspond" and the probability links are kept from."""

    bias: float
    sentence: float
    clause: float
    lexical: float
    threshold: float

    def probability(self, features: dict[str, np.ndarray]) -> np.ndarray:
        z = self.bias + self.sentence * features["sentence"] + self.clause * features["clause"] \
            + self.lexical * features["lexical"]
        return 1.0 / (1.0 + np.exp(-z))


# Fitted per encoder by eval/calibrate_comparable.py on mac-dev (see README): margins
# differ between encoders. Any other encoder gets use-m's model.
LINK_MODELS = {
    "use-m": LinkModel(bias=-13.47, sentence=4.27, clause=5.03, lexical=2.39, threshold=0.50),
    # e5's margins crowd just above 1, hence the large slopes
    "e5-small": LinkModel(bias=-133.58, sentence=73.08, clause=56.42, lexical=2.60, threshold=0.30),
}
MAX_SIDE = 2  # sentences a side of one comparable bead

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
    scale = (rows[:, None] + cols[None, :]) / 2
    return np.divide(sims, scale, out=np.zeros_like(sims), where=scale > 0)


def clauses(text: str, lang: str) -> list[str]:
    """A sentence cut at commas, semicolons and colons; short pieces stay with the one before."""
    out: list[str] = []
    for piece in (_ZH_CLAUSE if lang == "zh" else _EN_CLAUSE).split(text):
        if out and len(piece.strip()) < MIN_CLAUSE[lang]:
            out[-1] += piece
        elif piece.strip():
            out.append(piece)
    if len(out) > 1 and len(out[0].strip()) < MIN_CLAUSE[lang]:
        out[1] = out[0] + out[1]
        out.pop(0)
    return out or [text]


def link_features(zh_texts: Sequence[str], en_texts: Sequence[str], zh_vecs: np.ndarray,
                  en_vecs: np.ndarray, encoder: Encoder) -> dict[str, np.ndarray]:
    """The evidence for every (English sentence, Chinese sentence) pair, each of shape (m, n)."""
    sentence = ratio_margin(en_vecs @ zh_vecs.T)
    zc = [clauses(t, "zh") for t in zh_texts]
    ec = [clauses(t, "en") for t in en_texts]
    zcv = encoder.encode([c for cs in zc for c in cs])
    ecv = encoder.encode([c for cs in ec for c in cs])
    by_clause = ratio_margin(ecv @ zcv.T)
    # clauses are in sentence order: the best clause pair per sentence pair, one reduction per axis
    starts_e = np.concatenate([[0], np.cumsum([len(cs) for cs in ec])[:-1]])
    starts_z = np.concatenate([[0], np.cumsum([len(cs) for cs in zc])[:-1]])
    clause = np.maximum.reduceat(np.maximum.reduceat(by_clause, starts_e, axis=0), starts_z, axis=1)
    lexical = ratio_margin(LexicalOverlap(zh_texts, en_texts).sentence_cosines())
    return {"sentence": sentence, "clause": clause, "lexical": lexical}


def align_comparable(zh_vecs: np.ndarray, en_vecs: np.ndarray, zh_texts: Sequence[str],
                     en_texts: Sequence[str], encoder: Encoder) -> list[Bead]:
    """Beads from the two sides' sentence vectors and matching texts."""
    n, m = len(zh_texts), len(en_texts)
    if n == 0 or m == 0:
        return unlinked(n, m)
    model = LINK_MODELS.get(encoder.name, LINK_MODELS["use-m"])
    prob = model.probability(link_features(zh_texts, en_texts, zh_vecs, en_vecs, encoder))
    beads = [Bead(zs, es, round(_logit(p), 4), round(p, 4)) for zs, es, p in link_groups(prob, model.threshold)]
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


def link_groups(prob: np.ndarray, threshold: float) -> list[tuple[tuple[int, ...], tuple[int, ...], float]]:
    """Sentences joined by links of ``prob`` (shape (m, n)) at or above ``threshold``, best link
    first; a link may only join two groups while each side stays a run of at most MAX_SIDE
    consecutive sentences (what one sentence of a translation covers).
    Returns (zh indices, en indices, weakest link probability) per group."""
    n = prob.shape[1]
    group_of: dict[tuple[str, int], int] = {}
    groups: list[tuple[set[int], set[int], float]] = []
    for flat in np.argsort(-prob, axis=None, kind="stable"):
        j, i = divmod(int(flat), n)
        p = float(prob[j, i])
        if p < threshold:
            break
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
