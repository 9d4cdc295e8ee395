"""Cold alignment, side by side: this checkout against another version of align, same run.

    python eval/bench_cold.py ../shared/eval/align --against /tmp/align-old [--sets mac-dev] [--rounds 2]

Each version runs in its own interpreter (``PYTHONPATH`` = its ``src``), alternating, on
every document of the sets: the default path of `align align --presplit` (auto mode) with
the encoder's on-disk cache off, so every text is encoded (use-m). Printed per version:
texts sent to the encoder, wall time (encoding included), strict F1; then the ratio.
Make the other version with e.g. `git worktree add /tmp/align-old <commit>`.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

WORKER = r'''
import json, sys, time
from pathlib import Path
import numpy as np
from align.alignment import align
from align.alignment.scoring import parse_beads, score_beads
from align.sentences import split_lines
from align.vectors import get_encoder

root, sets = Path(sys.argv[1]), sys.argv[2].split(",")
encoder = get_encoder("use-m", cache=False)
texts = 0
inner = encoder.encode
def counting(batch, progress=None):
    global texts
    texts += len(batch)
    return inner(batch, progress)
encoder.encode = counting
encoder.encode(["warm up"])  # the model load is not the aligner's
texts, counts, wall = 0, None, 0.0
for name in sets:
    for gold in sorted((root / name / "gold").glob("*.align")):
        zh = split_lines((root / name / "zh" / f"{gold.stem}.txt").read_text("utf-8"), "zh")
        en = split_lines((root / name / "en" / f"{gold.stem}.txt").read_text("utf-8"), "en")
        t = time.perf_counter()
        result = align(zh, en, encoder)
        wall += time.perf_counter() - t
        c = score_beads([(b.zh, b.en) for b in result.beads], parse_beads(gold.read_text()))
        counts = c if counts is None else counts + c
print(json.dumps({"texts": texts, "wall": wall, "f1": counts.strict()[2]}))
'''


def run(src: Path, root: Path, sets: str) -> dict:
    env = dict(os.environ, PYTHONPATH=str(src))
    out = subprocess.run([sys.executable, "-c", WORKER, str(root), sets], env=env, capture_output=True, text=True)
    if out.returncode:
        sys.exit(f"{src}: {out.stderr.strip().splitlines()[-1]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("root", type=Path)
    ap.add_argument("--against", type=Path, required=True, help="another checkout of align")
    ap.add_argument("--sets", default="mac-dev")
    ap.add_argument("--rounds", type=int, default=2)
    args = ap.parse_args()
    here = Path(__file__).resolve().parents[1] / "src"
    versions = {"this checkout": here, f"{args.against}": args.against / "src"}
    results: dict[str, list[dict]] = {k: [] for k in versions}
    t = time.perf_counter()
    for r in range(args.rounds):
        order = list(versions) if r % 2 == 0 else list(versions)[::-1]
        for name in order:
            results[name].append(run(versions[name], args.root, args.sets))
    print(f"sets {args.sets}, use-m, cache off, {args.rounds} alternating rounds")
    print(f"{'version':32} {'texts':>7} {'wall s (each round)':>24} {'strict F1':>9}")
    best = {}
    for name, rs in results.items():
        best[name] = min(x["wall"] for x in rs)
        walls = ", ".join(f"{x['wall']:.1f}" for x in rs)
        print(f"{name:32} {rs[0]['texts']:7} {walls:>24} {rs[0]['f1']:9.3f}")
    mine, other = best["this checkout"], best[str(args.against)]
    print(f"this checkout is {other / mine:.2f}x as fast (best rounds); total {time.perf_counter() - t:.0f} s")


if __name__ == "__main__":
    main()
