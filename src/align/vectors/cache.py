"""An on-disk embedding cache, so re-runs do not re-encode.

One SQLite table keyed by (model id, SHA-256 of the text); the vector is stored
as raw float32 bytes, so a hit returns exactly the vector first computed.
"""
from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from align.vectors.base import Encoder, Progress

_CHUNK = 500  # keys per SELECT, well under SQLite's variable limit


def _key(text: str) -> bytes:
    return hashlib.sha256(text.encode("utf-8")).digest()


class EmbeddingCache:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.db = sqlite3.connect(str(path), timeout=30)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute(
            "CREATE TABLE IF NOT EXISTS vectors (model TEXT NOT NULL, key BLOB NOT NULL, "
            "vec BLOB NOT NULL, PRIMARY KEY (model, key)) WITHOUT ROWID"
        )

    def get(self, model_id: str, texts: Sequence[str], dim: int) -> dict[str, np.ndarray]:
        keys = {_key(t): t for t in texts}
        found: dict[str, np.ndarray] = {}
        items = list(keys)
        for i in range(0, len(items), _CHUNK):
            chunk = items[i : i + _CHUNK]
            rows = self.db.execute(
                f"SELECT key, vec FROM vectors WHERE model = ? AND key IN ({','.join('?' * len(chunk))})",
                [model_id, *chunk],
            )
            for key, blob in rows:
                vec = np.frombuffer(blob, dtype=np.float32)
                if vec.shape[0] == dim:
                    found[keys[key]] = vec
        return found

    def put(self, model_id: str, texts: Sequence[str], vectors: np.ndarray) -> None:
        with self.db:
            self.db.executemany(
                "INSERT OR REPLACE INTO vectors (model, key, vec) VALUES (?, ?, ?)",
                [(model_id, _key(t), np.ascontiguousarray(v, dtype=np.float32).tobytes())
                 for t, v in zip(texts, vectors)],
            )

    def count(self, model_id: str | None = None) -> int:
        if model_id is None:
            return self.db.execute("SELECT COUNT(*) FROM vectors").fetchone()[0]
        return self.db.execute("SELECT COUNT(*) FROM vectors WHERE model = ?", (model_id,)).fetchone()[0]

    def close(self) -> None:
        self.db.close()


class CachedEncoder(Encoder):
    """Wraps an encoder: texts seen before come from the cache, the rest are encoded once."""

    def __init__(self, inner: Encoder, cache: EmbeddingCache) -> None:
        self.inner = inner
        self.cache = cache
        self.name, self.model_id, self.dim = inner.name, inner.model_id, inner.dim

    def _encode_batch(self, texts: list[str]) -> np.ndarray:
        return self.inner._encode_batch(texts)

    def encode(self, texts: Sequence[str], progress: Progress | None = None) -> np.ndarray:
        texts = list(texts)
        known = self.cache.get(self.model_id, texts, self.dim)
        missing = list(dict.fromkeys(t for t in texts if t not in known))
        # Stored batch by batch, so a run killed mid-encoding keeps what it had encoded.
        step = max(self.inner.batch_size, 1)
        for start in range(0, len(missing), step):
            batch = missing[start : start + step]
            fresh = self.inner.encode(batch)
            self.cache.put(self.model_id, batch, fresh)
            known.update(zip(batch, fresh))
            if progress:
                progress(start + len(batch), len(missing))
        if not missing and progress:
            progress(len(texts), len(texts))
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, t in enumerate(texts):
            out[i] = known[t]
        return out
