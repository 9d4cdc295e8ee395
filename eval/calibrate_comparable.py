"""Calibrate comparable mode (align/alignment/comparable.py) on simulated comparable documents.

    python eval/calibrate_comparable.py ../shared/eval/align [--set mac-dev] [--model use-m]

Comparable reports are made from each parallel document of the set: a random 40%
of its Chinese sentences (shuffled) and a random 40% of its English sentences,
plus as many sentences again from other documents of the set on each side (the
Chinese from the next document, the English from the one after, so the additions
never translate each other), so most English sentences have no counterpart. Every (English, Chinese) sentence
pair gets comparable mode's evidence (sentence margin, best clause margin,
dictionary overlap) and the label "the gold alignment links them". A logistic
fit gives the encoder's LinkModel coefficients; the probability threshold at which comparable mode's
grouping recovers the gold links best gives its threshold. "Best" is F0.5 over
links, weighting precision twice: a wrong link makes the quality stage judge an
English sentence against the wrong Chinese one, a missed link only leaves it unjudged.
"""
from __future__ import annotations

import argparse
import random
from pathlib import Path

import numpy as np

from align.alignment.comparable import link_features, link_groups
from align.alignment.scoring import parse_beads
from align.sentences import split_lines
from align.vectors import get_encoder
from eval.calibrate_align import fit_logistic

FEATURES = ("sentence", "clause", "lexical")


def simulated(root: Path, name: str, rng: random.Random):
    """(zh texts, en texts, set of linked (en row, zh row)) per simulated document."""
    base = root / name
    docs = []
    for gold_file in sorted((base / "gold").glob("*.align")):
        links = {(i, j) for zs, es in parse_beads(gold_file.read_text()) for i in zs for j in es}
        zh = [s.norm for s in split_lines((base / "zh" / f"{gold_file.stem}.txt").read_text("utf-8"), "zh")]
        en = [s.norm for s in split_lines((base / "en" / f"{gold_file.stem}.txt").read_text("utf-8"), "en")]
        docs.append((zh, en, links))
    for d, (zh, en, links) in enumerate(docs):
        other_zh, other_en = docs[(d + 1) % len(docs)][0], docs[(d + 2) % len(docs)][1]
        zh_keep = rng.sample(range(len(zh)), int(0.4 * len(zh)))
        en_keep = rng.sample(range(len(en)), int(0.4 * len(en)))
        zh_ids = [("own", i) for i in zh_keep] + [("other", i) for i in rng.sample(range(len(other_zh)), len(zh_keep))]
        en_ids = [("own", j) for j in en_keep] + [("other", j) for j in rng.sample(range(len(other_en)), len(en_keep))]
        rng.shuffle(zh_ids)
        rng.shuffle(en_ids)
        linked = {(r, c) for r, (es, j) in enumerate(en_ids) for c, (zs, i) in enumerate(zh_ids)
                  if es == zs == "own" and (i, j) in links}
        yield ([(zh if src == "own" else other_zh)[i] for src, i in zh_ids],
               [(en if src == "own" else other_en)[j] for src, j in en_ids], linked)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("root", type=Path)
    ap.add_argument("--set", default="mac-dev")
    ap.add_argument("--model", default="use-m")
    ap.add_argument("--seed", type=int, default=13)
    args = ap.parse_args()
    encoder = get_encoder(args.model)
    docs = []
    for zh, en, linked in simulated(args.root, args.set, random.Random(args.seed)):
        j, i, feats = link_features(zh, en, encoder.encode(zh), encoder.encode(en), encoder)
        label = np.array([(r, c) in linked for r, c in zip(j.tolist(), i.tolist())], dtype=float)
        docs.append((j, i, feats, label, linked))
    X = np.concatenate([np.stack([np.ones(len(j))] + [f[k] for k in FEATURES], axis=1)
                        for j, _, f, _, _ in docs])
    y = np.concatenate([label for _, _, _, label, _ in docs])
    w = fit_logistic(X, y)
    best = (0.0, 0.0, 0.0, 0.0)
    for t in np.round(np.arange(0.05, 0.96, 0.05), 2):
        hits = kept = gold = 0
        for j, i, feats, _, linked in docs:
            z = w[0] + sum(w[k + 1] * feats[name] for k, name in enumerate(FEATURES))
            groups = link_groups(j, i, 1 / (1 + np.exp(-z)), float(t))
            pairs = {(r, c) for zs, es, _ in groups for c in zs for r in es}
            hits += len(pairs & linked)
            kept += len(pairs)
            gold += len(linked)
        p, r = hits / max(kept, 1), hits / max(gold, 1)
        f = 1.25 * p * r / (0.25 * p + r) if p + r else 0.0
        print(f"  threshold {t:.2f}: precision {p:.3f} recall {r:.3f} F0.5 {f:.3f}")
        if f > best[0]:
            best = (f, t, p, r)
    coefs = ", ".join(f"{n}={v:.2f}" for n, v in zip(("bias",) + FEATURES, w))
    print(f'"{encoder.name}": LinkModel({coefs}, threshold={best[1]:.2f}),')
    print(f"{len(docs)} simulated documents, {int(y.sum())} gold links among {y.size} pairs; at the threshold "
          f"links are recovered with precision {best[2]:.3f}, recall {best[3]:.3f}, F0.5 {best[0]:.3f}")


if __name__ == "__main__":
    main()
