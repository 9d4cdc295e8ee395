"""Window vectors: one vector for every run of 1..k consecutive sentences of a side.

A bead such as 1-3 compares one Chinese sentence with three English ones, so the
aligner needs vectors for concatenations, not only for sentences. Encoding every
window of up to four sentences is four times the encoding of the sentences, and
most of those windows end up in no bead. So a window starts as the
length-weighted sum of its sentences' vectors (normalised) and is encoded for
real (the concatenated text) only once a bead the aligner chose uses it
(``realise``); the aligner then looks again. On mac-dev, real vectors for every
window gave strict F1 .893 from 13,584 texts, the approximation alone .879 from
3,414, realising the chosen beads' windows .890 from 3,936 (eval/align_eval.py).
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np

from align.vectors import Encoder, Progress


class WindowVectors:
    """``window(x)[s]`` is the unit vector of sentences ``s .. s+x-1`` of one side."""

    def __init__(self, texts: Sequence[str], joiner: str, sentence_vectors: np.ndarray, encoder: Encoder,
                 max_window: int, progress: Progress | None = None) -> None:
        self.n = len(texts)
        self.texts, self.joiner, self.encoder, self.progress = texts, joiner, encoder, progress
        self.lengths = np.array([max(len(t), 1) for t in texts], dtype=np.float64)
        self._cum_lengths = np.concatenate([[0.0], np.cumsum(self.lengths)])
        self.max_window = max_window
        self._by_size: dict[int, np.ndarray] = {1: sentence_vectors}
        weighted = np.zeros((self.n + 1, sentence_vectors.shape[1]), dtype=np.float64)
        np.cumsum(self.lengths[:, None] * sentence_vectors, axis=0, out=weighted[1:])
        for x in range(2, max_window + 1):
            acc = (weighted[x:] - weighted[: max(self.n - x + 1, 0)]).astype(np.float32)
            acc /= np.maximum(np.linalg.norm(acc, axis=1, keepdims=True), 1e-12)
            self._by_size[x] = acc
        self._real: set[tuple[int, int]] = set()  # (start, size) of windows encoded for real

    def realise(self, spans: Iterable[tuple[int, int]]) -> dict[int, np.ndarray]:
        """Encode for real the windows ``[start, stop)`` of two sentences or more not done yet;
        returns, per window size, a mask over starts of the windows that changed (empty when
        none did), so that a scorer re-scores only what uses them."""
        todo = sorted({(a, b - a) for a, b in spans if 2 <= b - a <= self.max_window} - self._real)
        changed: dict[int, np.ndarray] = {}
        if todo:
            vectors = self.encoder.encode([self._text(a, x) for a, x in todo], self.progress)
            for (a, x), vec in zip(todo, vectors):
                self._by_size[x][a] = vec
                changed.setdefault(x, np.zeros(len(self._by_size[x]), dtype=bool))[a] = True
            self._real.update(todo)
        return changed

    def encoded(self, spans: Sequence[tuple[int, int]]) -> np.ndarray:
        """The real vector of each window ``[start, stop)``, in order, leaving the approximated ones
        in place: a sentence's own vector or a window already realised, the rest encoded now."""
        known = {(a, b - a) for a, b in spans if b - a == 1} | self._real
        todo = sorted({(a, b - a) for a, b in spans} - known)
        fresh = dict(zip(todo, self.encoder.encode([self._text(a, x) for a, x in todo], self.progress))) \
            if todo else {}
        return np.stack([fresh[(a, b - a)] if (a, b - a) in fresh else self._by_size[b - a][a] for a, b in spans])

    def _text(self, start: int, x: int) -> str:
        return self.joiner.join(self.texts[start : start + x])

    def window(self, x: int) -> np.ndarray:
        return self._by_size[x]

    def length(self, start: np.ndarray, x: int) -> np.ndarray:
        """Characters in the windows of size ``x`` starting at ``start``."""
        return self._cum_lengths[start + x] - self._cum_lengths[start]
