"""Alignment alone (embeddings precomputed) at growing document sizes: time and memory.

    python eval/bench_align.py [--sizes 1000,5000,20000]

Synthetic parallel documents: N "Chinese" sentences with random unit vectors and
an "English" side built from them with 1-1, 1-2, 2-1, 1-0 and 0-1 beads and
noise, so the aligner does real work. Every window vector is computed before the
clock starts (the windows the aligner realises are looked up, not encoded); the
timed part is what ``align()`` does after encoding the sentences: the mode
decision and its anchors (``order_evidence``), then align_parallel (both passes
and the realising rounds, with the dictionary and quote cues on: the synthetic
texts have no words, so the cues cost their bookkeeping but change nothing).
Memory is the peak
of what the alignment allocates (tracemalloc, numpy included, in a second run so
tracing does not slow the timed one), not the vectors.
"""
from __future__ import annotations

import argparse
import time
import tracemalloc

import numpy as np

from align.alignment.mode import order_evidence
from align.alignment.parallel import Params, align_parallel
from align.alignment.scoring import score_beads
from align.alignment.windows import WindowVectors
from align.vectors.base import Encoder

DIM = 512


class Precomputed(Encoder):
    """Looks vectors up in a table filled before timing."""

    name = model_id = "precomputed"
    dim = DIM
    batch_size = 100_000

    def __init__(self, table: dict[str, np.ndarray]) -> None:
        self.table = table

    def _encode_batch(self, texts: list[str]) -> np.ndarray:
        return np.stack([self.table[t] for t in texts])


def synthetic(n: int, rng: np.random.Generator):
    """(zh texts, en texts, table of window vectors, gold beads)."""
    base = rng.standard_normal((n, DIM)).astype(np.float32)
    zh = [f"z{i}|" for i in range(n)]
    en, gold, meaning = [], [], []
    i = 0
    while i < n:
        kind = rng.choice(5, p=[0.7, 0.12, 0.1, 0.04, 0.04])
        if kind == 0 or (kind == 2 and i + 1 >= n):
            gold.append(((i,), (len(en),)))
            en.append(f"e{len(en)}|"); meaning.append(base[i]); i += 1
        elif kind == 1:  # one zh sentence, two en halves
            gold.append(((i,), (len(en), len(en) + 1)))
            for _ in range(2):
                en.append(f"e{len(en)}|"); meaning.append(base[i] + 0.8 * rng.standard_normal(DIM))
            i += 1
        elif kind == 2:
            gold.append(((i, i + 1), (len(en),)))
            en.append(f"e{len(en)}|"); meaning.append(base[i] + base[i + 1]); i += 2
        elif kind == 3:
            gold.append(((i,), ())); i += 1
        else:
            gold.append(((), (len(en),)))
            en.append(f"e{len(en)}|"); meaning.append(rng.standard_normal(DIM))
    en_vecs = np.array(meaning, dtype=np.float32) + 0.3 * rng.standard_normal((len(en), DIM)).astype(np.float32)
    table: dict[str, np.ndarray] = {}
    for texts, joiner, vecs in ((zh, "", base), (en, " ", en_vecs)):
        for x in range(1, 5):
            for s in range(len(texts) - x + 1):
                v = vecs[s : s + x].sum(axis=0)
                table[joiner.join(texts[s : s + x])] = v / np.linalg.norm(v)
    return zh, en, table, gold


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1000,5000,20000")
    args = ap.parse_args()
    print(f"{'zh sents':>8} {'en sents':>8} {'align s':>8} {'s/1k sents':>10} {'peak MB':>8} {'strict F1':>9}")
    for n in map(int, args.sizes.split(",")):
        zh, en, table, gold = synthetic(n, np.random.default_rng(n))
        enc = Precomputed(table)
        zs, es = enc.encode(zh), enc.encode(en)

        def run():
            zv, ev = WindowVectors(zh, "", zs, enc, 4), WindowVectors(en, " ", es, enc, 4)
            return align_parallel(zv, ev, Params(), zh, en, anchors=order_evidence(zs, es).chain)

        t = time.perf_counter()
        beads = run()
        elapsed = time.perf_counter() - t
        tracemalloc.start()  # a second, traced run: tracing slows numpy, so it is not timed
        run()
        peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
        pred = [(b.zh, b.en) for b in beads]
        f1 = score_beads(pred, gold).strict()[2]
        print(f"{n:8} {len(en):8} {elapsed:8.2f} {elapsed / (n + len(en)) * 1000:10.3f} {peak:8.1f} {f1:9.3f}",
              flush=True)


if __name__ == "__main__":
    main()
