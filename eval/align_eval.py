"""Sentence-alignment evaluation against human gold (strict and lax P/R/F1 per set).

    python eval/align_eval.py ../shared/eval/align [--sets mac-dev,aca,mag] [--model use-m]

Each set is SET/zh/NNN.txt, SET/en/NNN.txt (one sentence a line, fed as they are)
and SET/gold/NNN.align (``[0,1]:[2]``, Chinese side first). Scoring follows
Bertalign and Vecalign: strict counts a predicted bead only if it equals a gold
bead; lax if its zh side overlaps a gold bead's zh side and its en side that
bead's en side. Precision is over all predicted beads, recall over gold beads
with both sides, counts pooled over the documents of a set.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from align.alignment import align
from align.alignment.scoring import parse_beads, score_beads
from align.sentences import split_lines
from align.vectors import get_encoder


def evaluate(root: Path, sets: list[str], model: str, mode: str) -> None:
    encoder = get_encoder(model)
    print(f"model {encoder.model_id}, mode {mode}")
    print(f"{'set':8} {'docs':>4} {'strict P':>8} {'R':>6} {'F1':>6}  {'lax P':>6} {'R':>6} {'F1':>6}"
          f"  {'encode s':>8} {'align s':>7}")
    for name in sets:
        gold_files = sorted((root / name / "gold").glob("*.align"))
        if not gold_files:
            sys.exit(f"no gold files under {root / name / 'gold'}")
        counts = None
        enc_s = align_s = 0.0
        for gold_file in gold_files:
            stem = gold_file.stem
            zh = split_lines((root / name / "zh" / f"{stem}.txt").read_text(encoding="utf-8"), "zh")
            en = split_lines((root / name / "en" / f"{stem}.txt").read_text(encoding="utf-8"), "en")
            result = align(zh, en, encoder, mode=mode)
            enc_s += result.timings["encode"]
            align_s += result.timings["align"]
            predicted = [(b.zh, b.en) for b in result.beads]
            c = score_beads(predicted, parse_beads(gold_file.read_text()))
            counts = c if counts is None else counts + c
        s, lx = counts.strict(), counts.lax()
        print(f"{name:8} {len(gold_files):4} {s[0]:8.3f} {s[1]:6.3f} {s[2]:6.3f}  "
              f"{lx[0]:6.3f} {lx[1]:6.3f} {lx[2]:6.3f}  {enc_s:8.1f} {align_s:7.2f}", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("root", type=Path, help="folder holding the sets, e.g. ../shared/eval/align")
    ap.add_argument("--sets", default="mac-dev,aca,mag")
    ap.add_argument("--model", default="use-m")
    ap.add_argument("--mode", default="parallel", choices=["parallel", "auto"])
    args = ap.parse_args()
    t = time.perf_counter()
    evaluate(args.root, args.sets.split(","), args.model, args.mode)
    print(f"total wall time {time.perf_counter() - t:.1f} s")


if __name__ == "__main__":
    main()
