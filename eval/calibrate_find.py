"""Fit the find model (src/align/corpus/find-model.json) on the MQM 2020 news documents only.

    python -m eval.calibrate_find ../shared/eval [--work DIR]

Two kinds of articles, both from mqm2020: every system's rendering of every document,
ranked against a pool of the 155 source documents (its source is the answer), and
every system's rendering of a document's first half, ranked against a pool of
second halves (``find_data.mqm_other_reports``: another report of the same event is
the answer, since ``align find`` lists those too). Every retrieved document gives one
row of features, labelled 1 for the answer. A logistic regression (standardised
features, light L2) gives the weights; the threshold is the probability with the best
F1 of the listing decision (a document among an article's 5 best at or above it) over
the same rows. mqm2021,
the seeds and the alignment gold's other domains are never seen here
(``eval/find_eval.py`` measures on them).
"""
from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np

from eval.find_data import mqm_articles, mqm_other_reports

MODEL_FILE = Path(__file__).resolve().parent.parent / "src" / "align" / "corpus" / "find-model.json"
L2 = 1e-2
TOP = 5  # align find's default --top: only the best five can be listed


def feature_rows(finder, articles, encoder) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Features of every retrieved document per article, labels, and each row's rank by mean cosine."""
    from align.corpus import english_query

    xs, ys, ranks = [], [], []
    for article in articles:
        query = english_query(article.english, encoder)
        ranked = sorted(finder.rank(query), key=lambda c: -c.features["mean_cosine"])
        for rank, c in enumerate(ranked):
            xs.append([c.features[f] for f in finder.model.features])
            ys.append(1.0 if c.source == article.source else 0.0)
            ranks.append(rank)
    return np.asarray(xs), np.asarray(ys), np.asarray(ranks)


def best_threshold(p: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """The probability threshold with the best F1 of "listed" against "is the answer"."""
    order = np.argsort(-p)
    tp = np.cumsum(y[order])
    precision = tp / np.arange(1, len(p) + 1)
    recall = tp / max(y.sum(), 1)
    f1 = 2 * precision * recall / np.maximum(precision + recall, 1e-12)
    k = int(np.argmax(f1))
    return float(p[order][k]), float(f1[k])


def reliability(p: np.ndarray, y: np.ndarray) -> None:
    print("| probability | rows | share that is the answer |")
    print("|---|---|---|")
    for lo in np.arange(0, 1, 0.1):
        chosen = (p >= lo) & (p < lo + 0.1 + (lo >= 0.9))
        if chosen.any():
            print(f"| {lo:.1f}-{lo + 0.1:.1f} | {int(chosen.sum())} | {y[chosen].mean():.3f} |")


def fit_logistic(x: np.ndarray, y: np.ndarray, l2: float = L2, steps: int = 50) -> tuple[np.ndarray, float]:
    """Newton's method on the L2-penalised log loss (the bias unpenalised)."""
    xb = np.hstack([x, np.ones((len(x), 1))])
    w = np.zeros(xb.shape[1])
    penalty = np.full(xb.shape[1], l2 * len(x))
    penalty[-1] = 0.0
    for _ in range(steps):
        p = 1 / (1 + np.exp(-(xb @ w)))
        grad = xb.T @ (p - y) + penalty * w
        hess = (xb * (p * (1 - p))[:, None]).T @ xb + np.diag(penalty + 1e-9)
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w[:-1], float(w[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data", type=Path, help="../shared/eval")
    parser.add_argument("--work", type=Path, default=Path("/tmp/align-find-eval"))
    parser.add_argument("--model", default="use-m")
    args = parser.parse_args()

    from align.corpus import Finder, PoolIndex
    from align.corpus.rank import FEATURES, FindModel
    from align.vectors import get_encoder

    t0 = time.perf_counter()
    encoder = get_encoder(args.model)
    n = len(FEATURES)
    blank = FindModel(FEATURES, np.zeros(n), np.ones(n), np.zeros(n), 0.0, 0.5, "none")
    xs, ys, rs, counts = [], [], [], []
    for kind, articles, pool in (
            ("translations", mqm_articles(args.data / "qe", args.work, "mqm2020"), args.work / "pool" / "mqm2020"),
            ("other reports", mqm_other_reports(args.data / "qe", args.work, "mqm2020"),
             args.work / "halves" / "pool" / "mqm2020")):
        index = PoolIndex.for_pool(str(pool), encoder)
        stats = index.update(str(pool), encoder)
        x, y, r = feature_rows(Finder(index, blank), articles, encoder)
        print(f"{kind}: pool of {stats.documents} documents ({stats.read} read, {stats.seconds:.1f} s); "
              f"{len(articles)} articles, {len(x)} rows; the answer retrieved for {y.sum() / len(articles):.3f}")
        xs.append(x)
        ys.append(y)
        rs.append(r)
        counts.append(f"{len(articles)} {kind}")
    x, y, ranks = np.vstack(xs), np.concatenate(ys), np.concatenate(rs)
    mean, scale = x.mean(axis=0), x.std(axis=0) + 1e-9
    weights, bias = fit_logistic((x - mean) / scale, y)
    p = 1 / (1 + np.exp(-(((x - mean) / scale) @ weights + bias)))
    reliability(p, y)
    # Rows past the five best by mean cosine stand in for what --top leaves out.
    threshold, f1 = best_threshold(np.where(ranks < TOP, p, 0.0), y)
    threshold = round(threshold, 3)
    print(f"threshold {threshold} (F1 {f1:.3f} of listing the answer)")
    model = {"features": list(FEATURES), "mean": mean.round(6).tolist(), "scale": scale.round(6).tolist(),
             "weights": weights.round(6).tolist(), "bias": round(bias, 6), "threshold": threshold,
             "fitted_on": f"mqm2020 news: {' and '.join(counts)} ({args.model})"}
    MODEL_FILE.write_text(json.dumps(model, indent=1) + "\n")
    for name, w in zip(FEATURES, weights):
        print(f"  {name:12s} {w:+.3f}")
    print(f"bias {bias:+.3f}; wrote {MODEL_FILE} in {time.perf_counter() - t0:.1f} s")


if __name__ == "__main__":
    main()
