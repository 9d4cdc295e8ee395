"""An on-disk embedding cache, so re-runs do not re-encode.

One SQLite table keyed by (model id, SHA-256 of the text); the vector is stored
as raw float32 bytes, so a hit returns exactly the vector first computed.

Several processes (batch workers, two commands at once) share the file. SQLite
waits for a lock up to its busy timeout, but not everywhere: switching a new file
to WAL while another process creates it fails at once with "database is locked",
and so can a write that races a checkpoint. ``connect`` and every write retry those
with a growing pause, so no process fails and no vector is lost.
"""
from __future__ import annotations

import hashlib
import random
import sqlite3
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

import numpy as np

from align.vectors.base import Encoder, Progress

_CHUNK = 500  # keys per SELECT, well under SQLite's variable limit
BUSY_SECONDS = 60.0  # how long one statement may wait for other processes before it gives up
T = TypeVar("T")


def retry_busy(action: Callable[[], T]) -> T:
    """Run ``action``, again after a short random pause while SQLite says another process
    holds the file (those errors are transient; any other is raised at once)."""
    deadline = time.monotonic() + BUSY_SECONDS
    pause = 0.01
    while True:
        try:
            return action()
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) and "busy" not in str(exc) or time.monotonic() > deadline:
                raise
        time.sleep(pause * (1 + random.random()))
        pause = min(pause * 2, 0.5)


def connect(path: Path) -> sqlite3.Connection:
    """An SQLite connection in WAL mode (readers never wait for a writer) that waits for other
    processes instead of failing; safe when several processes create the file at once."""
    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(str(path), timeout=BUSY_SECONDS)
    db.execute(f"PRAGMA busy_timeout = {int(BUSY_SECONDS * 1000)}")
    retry_busy(lambda: db.execute("PRAGMA journal_mode=WAL").fetchone())
    return db


def _key(text: str) -> bytes:
    return hashlib.sha256(text.encode("utf-8")).digest()


class EmbeddingCache:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.db = connect(path)
        retry_busy(self._create)

    def _create(self) -> None:
        """The table, moving over the rows of the table earlier versions kept. That one was
        WITHOUT ROWID, which stores each 2 KB vector inside the key's B-tree: 61,114 inserts
        took 8.1-8.9 s and reading them back 1.6-2.1 s, against 3.1-4.1 s and 0.5-0.7 s with
        rowids (a one-off script on this machine)."""
        if self._tables() == {"embeddings"}:
            return  # the usual open: no write lock, so readers opening at once never queue
        with self.db:
            self.db.execute("BEGIN IMMEDIATE")  # one process moves the rows; the others find them moved
            self.db.execute("CREATE TABLE IF NOT EXISTS embeddings (model TEXT NOT NULL, key BLOB NOT NULL, "
                            "vec BLOB NOT NULL, PRIMARY KEY (model, key))")
            if "vectors" in self._tables():
                self.db.execute("INSERT OR IGNORE INTO embeddings (model, key, vec) SELECT model, key, vec FROM vectors")
                self.db.execute("DROP TABLE vectors")

    def _tables(self) -> set[str]:
        return {name for (name,) in self.db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}

    def get(self, model_id: str, texts: Sequence[str], dim: int) -> dict[str, np.ndarray]:
        keys = {_key(t): t for t in texts}
        found: dict[str, np.ndarray] = {}
        items = list(keys)
        for i in range(0, len(items), _CHUNK):
            chunk = items[i : i + _CHUNK]
            rows = retry_busy(lambda: self.db.execute(
                f"SELECT key, vec FROM embeddings WHERE model = ? AND key IN ({','.join('?' * len(chunk))})",
                [model_id, *chunk],
            ).fetchall())
            for key, blob in rows:
                vec = np.frombuffer(blob, dtype=np.float32)
                if vec.shape[0] == dim:
                    found[keys[key]] = vec
        return found

    def put(self, model_id: str, texts: Sequence[str], vectors: np.ndarray) -> None:
        rows = [(model_id, _key(t), np.ascontiguousarray(v, dtype=np.float32).tobytes())
                for t, v in zip(texts, vectors)]

        def write() -> None:
            with self.db:  # one transaction: on an error it is rolled back whole and retried
                self.db.executemany("INSERT OR REPLACE INTO embeddings (model, key, vec) VALUES (?, ?, ?)", rows)

        retry_busy(write)

    def fetch(self, model_id: str, texts: Sequence[str], dim: int, compute: Callable[[list[str]], np.ndarray],
              step: int, progress: Progress | None = None) -> np.ndarray:
        """One row per text, in input order: stored ones from the cache, the rest from ``compute``,
        each text once, ``step`` at a time and stored batch by batch, so a run killed midway keeps
        what it had computed."""
        texts = list(texts)
        known = self.get(model_id, texts, dim)
        missing = list(dict.fromkeys(t for t in texts if t not in known))
        for start in range(0, len(missing), step):
            batch = missing[start : start + step]
            fresh = compute(batch)
            self.put(model_id, batch, fresh)
            known.update(zip(batch, fresh))
            if progress:
                progress(start + len(batch), len(missing))
        if not missing and progress:
            progress(len(texts), len(texts))
        out = np.zeros((len(texts), dim), dtype=np.float32)
        for i, t in enumerate(texts):
            out[i] = known[t]
        return out

    def count(self, model_id: str | None = None) -> int:
        if model_id is None:
            return self.db.execute("SELECT COUNT(*) FROM embeddings").fetchone()[0]
        return self.db.execute("SELECT COUNT(*) FROM embeddings WHERE model = ?", (model_id,)).fetchone()[0]

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
        return self.cache.fetch(self.model_id, texts, self.dim, self.inner.encode, max(self.inner.batch_size, 1),
                                progress)
