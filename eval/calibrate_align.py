"""Fit the bead-confidence model of align/alignment/calibration.py on mac-dev.

    python eval/calibrate_align.py ../shared/eval/align [--set mac-dev] [--model use-m]

Runs parallel mode on every document of the set, labels each predicted bead
right (it equals a gold bead) or wrong, fits a logistic model of the bead's score
and shape, and prints the coefficients to paste into calibration.py, with a
reliability table (mean confidence against observed accuracy per bin).
"""
from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from align.alignment import align
from align.alignment.scoring import parse_beads
from align.sentences import split_lines
from align.vectors import get_encoder


def features(score: float, x: int, y: int) -> list[float]:
    skip = float(x == 0 or y == 0)
    return [1.0, 0.0 if skip else score, 0.0 if skip else float(x + y > 2), skip]


def fit_logistic(X: np.ndarray, y: np.ndarray, l2: float = 1e-3, steps: int = 50) -> np.ndarray:
    """Newton's method on the L2-regularised log loss (deterministic, no dependencies)."""
    w = np.zeros(X.shape[1])
    for _ in range(steps):
        p = 1 / (1 + np.exp(-X @ w))
        grad = X.T @ (p - y) + l2 * w
        hess = (X * (p * (1 - p))[:, None]).T @ X + l2 * np.eye(X.shape[1])
        w -= np.linalg.solve(hess, grad)
    return w


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("root", type=Path)
    ap.add_argument("--set", default="mac-dev")
    ap.add_argument("--model", default="use-m")
    args = ap.parse_args()
    encoder = get_encoder(args.model)
    rows, labels = [], []
    for gold_file in sorted((args.root / args.set / "gold").glob("*.align")):
        zh = split_lines((args.root / args.set / "zh" / f"{gold_file.stem}.txt").read_text("utf-8"), "zh")
        en = split_lines((args.root / args.set / "en" / f"{gold_file.stem}.txt").read_text("utf-8"), "en")
        gold = set(parse_beads(gold_file.read_text()))
        for b in align(zh, en, encoder, mode="parallel").beads:
            rows.append(features(b.score, len(b.zh), len(b.en)))
            labels.append(float((b.zh, b.en) in gold))
    X, y = np.array(rows), np.array(labels)
    w = fit_logistic(X, y)
    names = ["bias", "score", "multi", "skip"]
    print("PARALLEL = {" + ", ".join(f'"{n}": {v:.4f}' for n, v in zip(names, w)) + "}")
    p = 1 / (1 + np.exp(-X @ w))
    print(f"{len(y)} beads, {y.mean():.3f} right; reliability (confidence bin: mean confidence / accuracy / beads)")
    for lo in np.arange(0, 1, 0.1):
        sel = (p >= lo) & (p < lo + 0.1)
        if sel.any():
            print(f"  {lo:.1f}-{lo + 0.1:.1f}: {p[sel].mean():.3f} / {y[sel].mean():.3f} / {sel.sum()}")


if __name__ == "__main__":
    main()
