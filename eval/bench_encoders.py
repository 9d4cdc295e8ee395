"""Encoder benchmark: sentences/second, cold start and peak memory for each bundled encoder.

Each encoder runs in a fresh subprocess, so cold start (interpreter start to the
first vector, model load included) and peak resident memory are its own. The
texts are the sentences of the seed files (Chinese and English), cycled up to
--sentences; the embedding cache is off.

    python eval/bench_encoders.py [--sentences 2000] [--models e5-small,use-m]
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def seed_sentences() -> list[str]:
    from align.documents import load_document
    from align.sentences import split_document

    texts: list[str] = []
    for path in sorted((ROOT / "fixtures" / "seeds").glob("*.txt")):
        texts += [s.norm for s in split_document(load_document(str(path)))]
    return texts


def child(model: str, n: int) -> None:
    t0 = time.perf_counter()
    from align.vectors import get_encoder

    encoder = get_encoder(model, cache=False)
    encoder.encode(["冷启动。"])
    cold = time.perf_counter() - t0 + float(os.environ["BENCH_SPAWN_S"])
    base = seed_sentences()
    texts = [base[i % len(base)] for i in range(n)]
    t1 = time.perf_counter()
    encoder.encode(texts)
    elapsed = time.perf_counter() - t1
    chars = sum(len(t) for t in texts)
    print(json.dumps({
        "model": model, "model_id": encoder.model_id, "sentences": n, "chars": chars,
        "seconds": round(elapsed, 2), "sent_per_s": round(n / elapsed, 1),
        "cold_start_s": round(cold, 2),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 0),
    }))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sentences", type=int, default=2000)
    ap.add_argument("--models", default="e5-small,use-m")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(args.child, args.sentences)
        return

    from align.vectors import ensure_e5

    ensure_e5()  # the one-time build is not part of a cold start
    print(f"machine: {os.cpu_count()} cores, {platform.processor() or platform.machine()}, "
          f"python {platform.python_version()}")
    print(f"{'model':10} {'sent/s':>8} {'chars/s':>9} {'cold start':>11} {'peak RSS':>9}  model id")
    for model in args.models.split(","):
        # Interpreter start-up counts toward cold start: time it with an empty run.
        t = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], check=True)
        spawn = time.perf_counter() - t
        out = subprocess.run(
            [sys.executable, __file__, "--child", model, "--sentences", str(args.sentences)],
            check=True, capture_output=True, text=True, env={**os.environ, "BENCH_SPAWN_S": str(spawn)},
        ).stdout.strip().splitlines()[-1]
        r = json.loads(out)
        print(f"{r['model']:10} {r['sent_per_s']:8.1f} {r['chars'] / r['seconds']:9.0f} "
              f"{r['cold_start_s']:10.2f}s {r['peak_rss_mb']:7.0f}MB  {r['model_id']}")


if __name__ == "__main__":
    main()
