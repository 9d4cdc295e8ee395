"""Surface cues beside the encoder: dictionary overlap and dialogue quotes.

``LexicalOverlap`` scores a Chinese window against an English window by the
idf-weighted cosine of the Chinese side's dictionary glosses and the English
side's words (``align.lexicon``). Bags add up over the sentences of a window, so
a window's dot product is a sum of sentence-pair dot products: parallel mode
computes those block by block along its band (``block_dots``), comparable mode
for all pairs (``sentence_cosines``). On mac-dev this cue added 1.5 points of strict F1.

``QuoteCounts`` counts quotation marks: a window that opens or closes dialogue
on one side should do so on the other (0.8 points on mac-dev).
"""
from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
from scipy import sparse

from align.lexicon import en_bag, zh_bag
from align.types import Language

# English rows per sparse product: the block the lexical search used before the heaps (not re-tuned).
_LEXICAL_BLOCK = 512
_ZH_QUOTES = re.compile(r"[“”「」『』\"]")
# An English quote is a double quote, or a single one not inside a word (so not "don't").
_EN_QUOTES = re.compile(r"[“”\"]|(?<![A-Za-z])'|'(?![A-Za-z])")


class LexicalOverlap:
    """Idf-weighted cosine between the dictionary bags of Chinese and English windows."""

    def __init__(self, zh_texts: Sequence[str], en_texts: Sequence[str], max_window: int = 1) -> None:
        zb = [zh_bag(t) for t in zh_texts]
        eb = [en_bag(t) for t in en_texts]
        vocab: dict[str, int] = {}
        for bag in eb:
            for s in bag:
                vocab.setdefault(s, len(vocab))
        # Only stems the English has can ever match, so the vocabulary is the English one.
        self.en = _matrix([{vocab[s]: v for s, v in bag.items()} for bag in eb], len(vocab))
        self.zh = _matrix([{vocab[s]: v for s, v in bag.items() if s in vocab} for bag in zb], len(vocab))
        df = np.asarray((self.en > 0).sum(axis=0)).ravel()
        idf = sparse.diags(np.log((len(eb) + 1) / (df + 1)) + 1.0)
        self.en, self.zh = (self.en @ idf).tocsr(), (self.zh @ idf).tocsr()
        self.n, self.m = len(zb), len(eb)
        self._zh_gram = _neighbour_dots(self.zh, max_window)
        self._en_gram = _neighbour_dots(self.en, max_window)

    def sentence_cosines(self) -> np.ndarray:
        """Cosines of every English sentence with every Chinese sentence, shape (m, n)."""
        dots = (self.en @ self.zh.T).toarray()
        norms = np.sqrt(self._en_gram[0])[:, None] * np.sqrt(self._zh_gram[0])[None, :]
        return np.divide(dots, norms, out=np.zeros_like(dots), where=norms > 0)

    def pair_cosines(self, en_rows: np.ndarray, zh_rows: np.ndarray) -> np.ndarray:
        """Cosines of the listed (English sentence, Chinese sentence) pairs."""
        dots = np.asarray(self.en[en_rows].multiply(self.zh[zh_rows]).sum(axis=1)).ravel()
        norms = np.sqrt(self._en_gram[0][en_rows] * self._zh_gram[0][zh_rows])
        return np.divide(dots, norms, out=np.zeros_like(dots), where=norms > 0)

    def knn_means(self, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Each English sentence's mean cosine with its ``k`` nearest Chinese ones, and the
        reverse, a block of English rows at a time (``knn.KBest``, never the whole matrix).
        The bags are normalised once, so a block of cosines is one sparse product, in float32."""
        from align.alignment.knn import KBest

        best = KBest(self.m, self.n, max(1, min(k, self.n)), max(1, min(k, self.m)))
        en, zh = _unit_rows(self.en, self._en_gram[0]), _unit_rows(self.zh, self._zh_gram[0])
        zh_t = zh.T.tocsr()  # a CSC operand would be converted to CSR again for every block
        block = min(KBest.block_rows(self.n), _LEXICAL_BLOCK)
        for b0 in range(0, self.m, block):
            best.add(b0, (en[b0 : b0 + block] @ zh_t).toarray())
        _, row_sim, _, col_sim = best.result()
        return row_sim.mean(axis=1).astype(np.float64), col_sim.mean(axis=0).astype(np.float64)

    def block_dots(self, z0: int, z1: int, e0: int, e1: int) -> np.ndarray:
        """Dot products of zh sentences [z0, z1) with en sentences [e0, e1), dense."""
        return (self.zh[z0:z1] @ self.en[e0:e1].T).toarray()

    def window_norms(self, side: str, x: int) -> np.ndarray:
        """Norm of the summed bag of every window of ``x`` sentences of a side, by start."""
        gram = self._zh_gram if side == "zh" else self._en_gram
        count = (self.n if side == "zh" else self.m) - x + 1
        return np.sqrt(_window_norm2(gram, np.arange(max(count, 0)), x))


def _unit_rows(mat: sparse.csr_matrix, norms2: np.ndarray) -> sparse.csr_matrix:
    """``mat``'s rows scaled to unit length (a row of zeros stays zeros), in float32."""
    scale = np.divide(1.0, np.sqrt(norms2), out=np.zeros_like(norms2), where=norms2 > 0)
    return (sparse.diags(scale) @ mat).astype(np.float32).tocsr()


def _matrix(rows: list[dict[int, float]], width: int) -> sparse.csr_matrix:
    indptr = np.concatenate([[0], np.cumsum([len(r) for r in rows])]).astype(np.int64)
    indices = np.array([k for r in rows for k in r], dtype=np.int64)
    data = np.array([v for r in rows for v in r.values()], dtype=np.float64)
    return sparse.csr_matrix((data, indices, indptr), shape=(len(rows), width))


def _neighbour_dots(mat: sparse.csr_matrix, reach: int) -> list[np.ndarray]:
    """``out[k][a]`` = row a . row a+k, for k < reach: enough for the norm of a window of ``reach`` rows."""
    n = mat.shape[0]
    return [np.asarray(mat[: n - k].multiply(mat[k:]).sum(axis=1)).ravel() if n > k else np.zeros(0)
            for k in range(reach)]


def _window_norm2(gram: list[np.ndarray], start: np.ndarray, x: int) -> np.ndarray:
    """Squared norm of the sum of rows start .. start+x-1: sum over all pairs of rows."""
    total = np.zeros(len(start))
    for k in range(x):
        g = gram[k]
        for a in range(x - k):
            total += (1 if k == 0 else 2) * g[start + a]
    return total


class QuoteCounts:
    """Quotation marks per window of one side, from a prefix sum over its sentences."""

    def __init__(self, texts: Sequence[str], lang: str) -> None:
        pattern = _ZH_QUOTES if lang == Language.ZH else _EN_QUOTES
        self._cum = np.concatenate([[0.0], np.cumsum([len(pattern.findall(t)) for t in texts])])

    def count(self, start: np.ndarray, stop: np.ndarray) -> np.ndarray:
        return self._cum[stop] - self._cum[start]


def quote_disagreement(zh: np.ndarray, en: np.ndarray) -> np.ndarray:
    """0 when both windows hold as many quotation marks, towards 1 as they differ."""
    return np.abs(zh - en) / (zh + en + 1.0)
