"""Window vectors: one vector for every run of 1..k consecutive sentences of a side.

A bead such as 1-3 compares one Chinese sentence with three English ones, so the
aligner needs vectors for concatenations, not only for sentences. They are
encoded for real (the concatenated text): on mac-dev, approximating a window by
the length-weighted mean of its sentence vectors cost 3.5 points of strict F1.
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from align.vectors import Encoder, Progress


class WindowVectors:
    """``window(x)[s]`` is the unit vector of sentences ``s .. s+x-1`` of one side."""

    def __init__(self, texts: Sequence[str], joiner: str, encoder: Encoder, max_window: int,
                 progress: Progress | None = None, offset: int = 0, total: int | None = None) -> None:
        self.n = len(texts)
        self.lengths = np.array([max(len(t), 1) for t in texts], dtype=np.float64)
        self._cum_lengths = np.concatenate([[0.0], np.cumsum(self.lengths)])
        self.max_window = max_window
        windows: list[str] = []
        for x in range(1, max_window + 1):
            windows += [joiner.join(texts[s : s + x]) for s in range(self.n - x + 1)]
        done = offset
        all_total = total if total is not None else len(windows)

        def report(k: int, _n: int) -> None:
            if progress:
                progress(done + k, all_total)

        vectors = encoder.encode(windows, report) if windows else np.zeros((0, encoder.dim), np.float32)
        self._by_size: dict[int, np.ndarray] = {}
        start = 0
        for x in range(1, max_window + 1):
            count = max(self.n - x + 1, 0)
            self._by_size[x] = vectors[start : start + count]
            start += count
        self.encoded = len(windows)

    @staticmethod
    def count(n: int, max_window: int) -> int:
        """How many texts ``WindowVectors`` encodes for a side of ``n`` sentences."""
        return sum(max(n - x + 1, 0) for x in range(1, max_window + 1))

    def window(self, x: int) -> np.ndarray:
        return self._by_size[x]

    def length(self, start: np.ndarray, x: int) -> np.ndarray:
        """Characters in the windows of size ``x`` starting at ``start``."""
        return self._cum_lengths[start + x] - self._cum_lengths[start]
