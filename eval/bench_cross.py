"""Scoring speed of the cross-encoder, int8 (as it ships) against float32, and how well they agree.

    python eval/bench_cross.py ../shared/eval/qe [--pairs 512] [--rounds 2]

Both run on the same pairs of mqm2021 in one process, alternating rounds (the machine is
shared and noisy, so the figure that counts is the ratio); pairs per second are the best
round of each. Agreement: Spearman and Pearson between the two predicted log-penalties,
the largest absolute difference, and how many of the float32 model's lowest 5 % the int8
model also puts in its lowest 5 %. The int8 layers round each pair on its own (``cross.PerPair``); beside
them, the same layers rounding each batch as one tensor, as before. The cache is not used: every pair is scored.
Last, how far a pair's int8 output is from the one it gets scored alone (the first ``--alone`` pairs): what
the pairs batched with it change.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
from scipy.stats import pearsonr, spearmanr

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from align.quality.cross import CROSS_FILE, load_cross  # noqa: E402
from eval.mqm import VALID_FILE, read_mqm  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("data", type=Path, help="the folder with mqm2021_zhen.tsv")
    ap.add_argument("--pairs", type=int, default=512)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--cross", type=Path, default=CROSS_FILE)
    ap.add_argument("--alone", type=int, default=128, help="pairs also scored one at a time")
    args = ap.parse_args()
    data = read_mqm(args.data / VALID_FILE)
    idx = np.random.default_rng(0).choice(len(data), min(args.pairs, len(data)), replace=False)
    pairs = [data.pairs()[k] for k in idx]
    models = {"float32": load_cross(args.cross, quantised=False), "int8": load_cross(args.cross),
              "int8, each batch rounded as one": load_cross(args.cross, per_pair=False)}
    best = {name: 0.0 for name in models}
    out = {}
    for _ in range(args.rounds):
        for name, model in models.items():
            start = time.perf_counter()
            out[name] = model.predict(pairs)
            best[name] = max(best[name], len(pairs) / (time.perf_counter() - start))
    ref = out["float32"][:, 0]
    k = max(1, len(pairs) // 20)
    print(f"{len(pairs)} pairs of {VALID_FILE}, {args.rounds} rounds, cross-encoder {models['float32'].digest}\n")
    print("| model | pairs/s | x float32 | Spearman | Pearson | max abs diff | worst 5 % shared |\n"
          "|---|---|---|---|---|---|---|")
    for name, rate in best.items():
        q = out[name][:, 0]
        low = len(set(np.argsort(ref)[-k:]) & set(np.argsort(q)[-k:])) / k  # highest penalty = lowest score
        agree = ("| - | - | - | -" if name == "float32" else
                 f"| {spearmanr(ref, q)[0]:.4f} | {pearsonr(ref, q)[0]:.4f} | {np.max(np.abs(ref - q)):.3f} | {low:.0%}")
        print(f"| {name} | {rate:.1f} | {rate / best['float32']:.2f}x {agree} |")
    print("\n(agreement: of the predicted log-penalty with float32's)")
    n = min(args.alone, len(pairs))
    alone = np.concatenate([models["int8"].predict([p]) for p in pairs[:n]])
    moved = np.abs(alone[:, 0] - out["int8"][:n, 0])
    print(f"\nint8, {n} pairs scored alone against in their batches: log-penalty moved by {moved.mean():.2g} on "
          f"average, at most {moved.max():.2g}; by more than .01 for {np.mean(moved > .01):.1%}")


if __name__ == "__main__":
    main()
