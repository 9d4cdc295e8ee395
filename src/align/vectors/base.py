"""The one interface every sentence encoder offers."""
from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence

import numpy as np

Progress = Callable[[int, int], None]  # (texts done, texts in all)


class Encoder(ABC):
    """Maps texts to L2-normalised float32 vectors in one space shared by Chinese and English.

    ``model_id`` names the exact weights and preprocessing: it keys the embedding
    cache and is printed in every signature, so two numbers are comparable only
    when their model ids are equal.
    """

    name: str
    model_id: str
    dim: int
    batch_size: int = 64

    @abstractmethod
    def _encode_batch(self, texts: list[str]) -> np.ndarray:
        """Vectors for one batch, shape (len(texts), dim)."""

    def encode(self, texts: Sequence[str], progress: Progress | None = None) -> np.ndarray:
        texts = list(texts)
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for start in range(0, len(texts), self.batch_size):
            batch = texts[start : start + self.batch_size]
            out[start : start + len(batch)] = self._encode_batch(batch)
            if progress:
                progress(start + len(batch), len(texts))
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.maximum(norms, 1e-12)
