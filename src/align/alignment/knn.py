"""Exact k-best neighbours of both sides, from a matrix of cosines seen a block of rows at a time.

Each row's k best and each column's k best are kept in faiss's k-best heaps (C++), fed
straight from every block: the rows as they are, the columns transposed a tile at a time.
The whole matrix never exists, so memory grows with the length, not its square. Both the
sentence vectors (``mode.nearest``) and the dictionary bags (``cues.LexicalOverlap``) search
this way; in a profile of eval/bench_long.py, numpy's partial sorts of the same blocks took
10.6 s of the lexical search's 26 s.
"""
from __future__ import annotations

import numpy as np

BLOCK_CELLS = 2**25  # cosines per block of rows (128 MB of float32)
TILE = 1024  # columns transposed at a time: a strided copy is faster in tiles that stay in cache


class KBest:
    """The ``k_rows`` best columns of each of ``rows`` rows and the ``k_cols`` best rows of each
    of ``cols`` columns, over the blocks ``add``ed; ``result`` gives them best first."""

    def __init__(self, rows: int, cols: int, k_rows: int, k_cols: int) -> None:
        self.cols = cols
        self.row_sim, self.row_idx, self._row_heaps = _heaps(rows, k_rows)
        self.col_sim, self.col_idx, self._col_heaps = _heaps(cols, k_cols)

    @staticmethod
    def block_rows(cols: int) -> int:
        """Rows per block for a matrix ``cols`` wide."""
        return max(1, BLOCK_CELLS // max(cols, 1))

    def add(self, start: int, block: np.ndarray) -> None:
        """Rows ``start`` .. ``start + len(block)`` of the matrix, float32."""
        import faiss

        block = np.ascontiguousarray(block, dtype=np.float32)
        self._row_heaps.addn(self.cols, faiss.swig_ptr(block), 0, start, block.shape[0])
        for c0 in range(0, self.cols, TILE):
            tile = np.ascontiguousarray(block[:, c0 : c0 + TILE].T)
            self._col_heaps.addn(tile.shape[1], faiss.swig_ptr(tile), start, c0, tile.shape[0])

    def result(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """(row indices, row cosines) of shape (rows, k_rows) and (column indices, column
        cosines) of shape (k_cols, cols), best first."""
        self._row_heaps.reorder()
        self._col_heaps.reorder()
        return self.row_idx, self.row_sim, self.col_idx.T, self.col_sim.T


def _heaps(count: int, k: int):
    """``count`` k-best heaps (faiss's min-heaps, which keep the largest) and the (values,
    indices) arrays they fill."""
    import faiss

    sims, idx = np.empty((count, k), dtype=np.float32), np.empty((count, k), dtype=np.int64)
    heaps = faiss.float_minheap_array_t()
    heaps.nh, heaps.k, heaps.val, heaps.ids = count, k, faiss.swig_ptr(sims), faiss.swig_ptr(idx)
    heaps.heapify()
    return sims, idx, heaps
