"""Calibrate comparable mode's margin threshold on simulated comparable documents.

    python eval/calibrate_comparable.py ../shared/eval/align [--set mac-dev] [--model use-m]

Comparable reports are made from each parallel document of the set: a random 40%
of its Chinese sentences (shuffled) and a random 40% of its English sentences,
plus as many sentences again from another document of the set on each side, so
most English sentences have no counterpart. For every English sentence its best
Chinese match by ratio margin is labelled right when the gold alignment links
them. A logistic fit of right/wrong on the margin gives MARGIN_BIAS and
MARGIN_SLOPE (the confidence) for comparable.py, and the margin with the best
F1 of right pairs gives MARGIN_THRESHOLD (which pairs are kept).
"""
from __future__ import annotations

import argparse
import random
from pathlib import Path

import numpy as np

from align.alignment.comparable import ratio_margin
from align.alignment.scoring import parse_beads
from align.vectors import get_encoder
from eval.calibrate_align import fit_logistic


def lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("root", type=Path)
    ap.add_argument("--set", default="mac-dev")
    ap.add_argument("--model", default="use-m")
    ap.add_argument("--seed", type=int, default=13)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    encoder = get_encoder(args.model)
    base = args.root / args.set
    docs = []
    for gold_file in sorted((base / "gold").glob("*.align")):
        links = {(i, j) for zs, es in parse_beads(gold_file.read_text()) for i in zs for j in es}
        docs.append((lines(base / "zh" / f"{gold_file.stem}.txt"), lines(base / "en" / f"{gold_file.stem}.txt"),
                     links))
    margins, labels = [], []
    for d, (zh, en, links) in enumerate(docs):
        other_zh, other_en, _ = docs[(d + 1) % len(docs)]
        zh_keep = rng.sample(range(len(zh)), int(0.4 * len(zh)))
        en_keep = rng.sample(range(len(en)), int(0.4 * len(en)))
        zh_ids = [("own", i) for i in zh_keep] + [("other", i) for i in rng.sample(range(len(other_zh)), len(zh_keep))]
        en_ids = [("own", j) for j in en_keep] + [("other", j) for j in rng.sample(range(len(other_en)), len(en_keep))]
        rng.shuffle(zh_ids)
        rng.shuffle(en_ids)
        Z = encoder.encode([(zh if src == "own" else other_zh)[i] for src, i in zh_ids])
        E = encoder.encode([(en if src == "own" else other_en)[j] for src, j in en_ids])
        sims = ratio_margin(E @ Z.T)
        for r, (src, j) in enumerate(en_ids):
            c = int(sims[r].argmax())
            zsrc, i = zh_ids[c]
            margins.append(float(sims[r, c]))
            labels.append(float(src == "own" and zsrc == "own" and (i, j) in links))
    x, y = np.array(margins), np.array(labels)
    w = fit_logistic(np.stack([np.ones_like(x), x], axis=1), y)
    print(f"MARGIN_BIAS = {w[0]:.1f}\nMARGIN_SLOPE = {w[1]:.1f}")
    best = (0.0, 0.0, 0.0, 0.0)
    for t in np.unique(np.round(x, 3)):
        keep = x >= t
        p, r = y[keep].mean(), y[keep].sum() / max(y.sum(), 1)
        if p + r and 2 * p * r / (p + r) > best[0]:
            best = (2 * p * r / (p + r), t, p, r)
    print(f"MARGIN_THRESHOLD = {best[1]:.3f}")
    print(f"{len(y)} English sentences, {int(y.sum())} whose best match is right; kept at the threshold: "
          f"precision {best[2]:.3f}, recall {best[3]:.3f}, F1 {best[0]:.3f}")


if __name__ == "__main__":
    main()
