"""Pool index scale: build time, query time and memory for pools of 1k, 10k and 100k documents.

    python -m eval.bench_index [--sizes 1000 10000 100000] [--sentences 10] [--queries 200]

Synthetic documents (random unit vectors, 512 dimensions like use-m, ``--sentences``
a document) are stored exactly as ``PoolIndex.update`` stores real ones, so the
figures are the index's own: storing the documents (SQLite, float16 sentence
vectors), building the faiss index of the means and writing it, and ranking an
article: the faiss search alone, and the whole ranking (search, the 32 retrieved
documents' rows, every feature). Reading and
encoding real files is measured by ``eval/bench_batch.py`` and ``eval/find_eval.py``.
Each size runs in a fresh process, so its peak memory is its own.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

DIM = 512


def rss_mb() -> float:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def one(size: int, sentences: int, queries: int) -> dict:
    from align.corpus import Finder, PoolIndex, Query
    from align.corpus.index import mean_vector

    rng = np.random.default_rng(size)
    folder = Path(tempfile.mkdtemp(prefix="align-bench-index-"))
    index = PoolIndex(folder, "synthetic", DIM)
    base = rss_mb()
    t0 = time.perf_counter()
    topics = rng.standard_normal((size, DIM)).astype(np.float32)
    for start in range(0, size, 2000):
        rows = []
        for i in range(start, min(start + 2000, size)):
            vecs = topics[i] + 0.8 * rng.standard_normal((sentences, DIM)).astype(np.float32)
            vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
            rows.append((f"/pool/{i}.txt", 1, 1, f"{i:064x}", mean_vector(vecs).tobytes(),
                         vecs.astype(np.float16).tobytes(), "[]", "[]", "[]"))
        index._write(lambda: index.db.executemany(
            "INSERT INTO docs (path, size, mtime_ns, sha, mean, sents, numbers, names, places) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows))
    store_s = time.perf_counter() - t0
    t1 = time.perf_counter()
    index._load_faiss(write=True)
    faiss_s = time.perf_counter() - t1
    reopened = PoolIndex(folder, "synthetic", DIM)
    t2 = time.perf_counter()
    reopened._load_faiss()
    load_s = time.perf_counter() - t2
    finder = Finder(reopened)
    wanted = rng.integers(0, size, queries)
    hits, times, search_times = 0, [], []
    for i in wanted:
        vecs = topics[i] + 0.8 * rng.standard_normal((sentences, DIM)).astype(np.float32)
        vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
        t = time.perf_counter()
        reopened.search(mean_vector(vecs)[None, :], 32)
        search_times.append(time.perf_counter() - t)
        t = time.perf_counter()
        ranked = finder.rank(Query("q", vecs, frozenset(), " ", frozenset()))
        times.append(time.perf_counter() - t)
        hits += ranked[0].source == f"/pool/{i}.txt"
    db_mb = sum(f.stat().st_size for f in folder.glob("docs.sqlite*")) / 2**20
    faiss_mb = sum(f.stat().st_size for f in folder.glob("*.faiss")) / 2**20
    out = {"documents": size, "store_s": round(store_s, 2), "faiss_build_s": round(faiss_s, 3),
           "faiss_load_s": round(load_s, 3), "query_ms_median": round(1000 * float(np.median(times)), 2),
           "query_ms_p95": round(1000 * float(np.percentile(times, 95)), 2), "p@1": hits / queries,
           "search_ms_median": round(1000 * float(np.median(search_times)), 2),
           "db_mb": round(db_mb, 1), "faiss_mb": round(faiss_mb, 1),
           "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 0),
           "rss_over_start_mb": round(rss_mb() - base, 0)}
    for f in folder.iterdir():
        f.unlink()
    folder.rmdir()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--sentences", type=int, default=10)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one(args.one, args.sentences, args.queries)))
        return
    print(f"{args.sentences} sentences a document, {DIM} dimensions, {args.queries} queries")
    print("| documents | store s | faiss build s | faiss load s | faiss search ms | ranking ms (median) | p95 | P@1 | "
          "SQLite MB | faiss MB | peak RSS MB | RSS over start MB |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for size in args.sizes:
        proc = subprocess.run([sys.executable, "-m", "eval.bench_index", "--one", str(size), "--sentences",
                               str(args.sentences), "--queries", str(args.queries)],
                              capture_output=True, text=True, check=True)
        r = json.loads(proc.stdout)
        print(f"| {r['documents']:,} | {r['store_s']} | {r['faiss_build_s']} | {r['faiss_load_s']} | "
              f"{r['search_ms_median']} | {r['query_ms_median']} | {r['query_ms_p95']} | {r['p@1']:.3f} | {r['db_mb']} | {r['faiss_mb']} | "
              f"{r['peak_rss_mb']:.0f} | {r['rss_over_start_mb']:.0f} |", flush=True)


if __name__ == "__main__":
    main()
