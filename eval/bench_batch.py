"""Batch throughput: articles per minute with 1 and 2 workers, cold and warm, local and Ray.

    python -m eval.bench_batch ../shared/eval [--articles 12] [--work DIR] [--engines local ray]

Pool: the 51 mqm2021 news documents and the Chinese seeds 001-003. Articles: one
system's rendering of each of the first ``--articles`` mqm2021 documents. Each run is
``align batch`` as a user runs it (a subprocess, default settings but the engine and
``--workers``), timed from start to exit, model loading and pool indexing included.
Cold: a fresh ALIGN_HOME (no embedding cache, no pool index; the built e5-small and
the parsed dictionaries are linked in, as ``make install`` leaves them). Warm: the
same command again into a fresh output folder (nothing skipped, everything cached).
Runs are interleaved on this shared machine, so the figures are comparable as ratios.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

from eval.find_data import mqm_articles, seed_pool

SYSTEM = "hyp.DIDI-NLP"


def fresh_home(folder: Path) -> Path:
    from align import paths

    real = paths.home()
    home = folder / "home"
    home.mkdir(parents=True)
    for kept in ("models", "lexicon"):  # built once at install time
        if (real / kept).exists():
            (home / kept).symlink_to(real / kept)
    return home


def run(articles: list[str], pool: Path, out: Path, home: Path, engine: str, workers: int) -> dict:
    env = {**os.environ, "ALIGN_HOME": str(home)}
    cmd = [sys.executable, "-c", "from align.cli import main; main()", "batch", *articles, "--pool", str(pool),
           "--out", str(out), "--engine", engine, "--workers", str(workers)]
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        raise SystemExit(f"align batch failed: {proc.stderr[-2000:]}")
    journal = [json.loads(line) for line in (out / "journal.jsonl").read_text().splitlines()]
    indexed = re.search(r"(\d+) read, \d+ removed \(([\d.]+) s\)", proc.stderr)
    return {"wall_s": wall, "per_minute": 60 * len(articles) / wall,
            "article_s": sum(e["seconds"] for e in journal) / len(journal),
            "index_s": float(indexed.group(2)) if indexed else 0.0}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data", type=Path, help="../shared/eval")
    parser.add_argument("--articles", type=int, default=12)
    parser.add_argument("--work", type=Path, default=Path("/tmp/align-bench-batch"))
    parser.add_argument("--seeds", type=Path, default=Path(__file__).resolve().parent.parent / "fixtures" / "seeds")
    parser.add_argument("--engines", nargs="+", default=["local", "ray"])
    args = parser.parse_args()

    data = args.work / "data"
    chosen = [a for a in mqm_articles(args.data / "qe", data, "mqm2021") if f"/{SYSTEM}/" in a.english]
    articles = [a.english for a in chosen[:args.articles]]
    seed_pool(args.seeds, data)
    pool = args.work / "pool"
    if not pool.exists():
        shutil.copytree(data / "pool" / "mqm2021", pool / "mqm2021")
        shutil.copytree(data / "pool" / "seeds", pool / "seeds")
    docs = sum(1 for _ in pool.rglob("*.txt"))
    print(f"{len(articles)} articles ({SYSTEM} renderings of mqm2021 documents), pool of {docs} documents")
    print("| engine | workers | cold: articles/min | cold s | of which indexing s | warm: articles/min | warm s | "
          "s/article in a worker: cold | warm |")
    print("|---|---|---|---|---|---|---|---|---|")
    for workers in (1, 2):
        for engine in args.engines:
            folder = args.work / f"{engine}-{workers}"
            shutil.rmtree(folder, ignore_errors=True)
            home = fresh_home(folder)
            cold = run(articles, pool, folder / "out-cold", home, engine, workers)
            warm = run(articles, pool, folder / "out-warm", home, engine, workers)
            print(f"| {engine} | {workers} | {cold['per_minute']:.1f} | {cold['wall_s']:.1f} | {cold['index_s']:.1f} | "
                  f"{warm['per_minute']:.1f} | {warm['wall_s']:.1f} | {cold['article_s']:.2f} | "
                  f"{warm['article_s']:.2f} |", flush=True)
            shutil.rmtree(folder / "home", ignore_errors=True)


if __name__ == "__main__":
    main()
