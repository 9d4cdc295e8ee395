"""Measure the shipped quality scorer on MQM 2021 zh-en, exactly as users get it.

    python eval/qe_eval.py ../shared/eval/qe

Runs ``align.quality.assess`` (the head in src/align/quality/qe-head.npz, the
registered checks, the verdict) over every translated article of
mqm2021_zhen.tsv and prints, beside plain cosine of each encoder and the source
length: Kendall tau-b and Spearman against -mqm over all items and averaged
per source segment; the recall of the clearly garbled (non_translation = 1 or
mqm >= 25) when the lowest-scored 1 % and 5 % are flagged; and the recall,
precision and flag rate of the garbled verdict itself.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

# Run as a script, Python puts eval/ on the path, not the repository root where the eval package lives.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from eval.mqm import VALID_FILE, agreement, read_mqm, recall_at, table, verdict_figures
from align.quality import assess, signature
from align.vectors import get_encoder

COLUMNS = ["kendall", "spearman", "spearman_art", "kendall_seg", "spearman_seg", "recall@1%", "recall@5%"]


def figures(score: np.ndarray, data) -> dict[str, float]:
    out = agreement(score, data)
    out["recall@1%"] = recall_at(score, data.garbled, 0.01)
    out["recall@5%"] = recall_at(score, data.garbled, 0.05)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("data", type=Path, help="the folder with mqm2021_zhen.tsv")
    args = ap.parse_args()
    data = read_mqm(args.data / VALID_FILE)
    pairs = data.texts()
    start = time.perf_counter()
    qualities = [None] * len(data)
    for article in data.articles():  # one call per translated article, as a report makes it
        for i, q in zip(article, assess([pairs[i] for i in article])):
            qualities[i] = q
    seconds = time.perf_counter() - start
    score = np.array([q.score for q in qualities])
    garbled = np.array([q.garbled for q in qualities])
    rows = [("quality score (align score)", figures(score, data))]
    for name in ("e5-small", "use-m"):
        encoder = get_encoder(name)
        cosine = np.sum(encoder.encode(data.source) * encoder.encode(data.target), axis=1)
        rows.append((f"cosine, {name}", figures(cosine, data)))
    rows.append(("source length (longer = worse)", figures(-np.array([len(s) for s in data.source], float), data)))
    print(f"{VALID_FILE}: {len(data):,} items, {data.garbled.sum()} clearly garbled; scorer {signature()}; "
          f"assess took {seconds:.1f} s\n")
    print(table(rows, COLUMNS))
    segment_mean = np.bincount(data.segment, data.mqm) / np.bincount(data.segment)
    oracle = -segment_mean[data.segment]
    print(f"\nFor scale, flagging by the true mean MQM of each item's source segment across systems (an oracle "
          f"that knows the answers) recalls {recall_at(oracle, data.garbled, 0.01):.3f} at 1 % and "
          f"{recall_at(oracle, data.garbled, 0.05):.3f} at 5 %.\n")
    flags = sum(1 for q in qualities for f in q.flags if f.name == "score")
    print(table([("garbled verdict", verdict_figures(garbled, data.garbled))], ["recall", "precision", "flagged"]))
    print(f"\n{garbled.sum()} items judged garbled, {flags} of them with a score flag.")


if __name__ == "__main__":
    main()
