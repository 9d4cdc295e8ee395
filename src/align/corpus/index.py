"""The pool index: every Chinese report of a folder, read once, kept under the per-user cache.

Each document is stored with what finding needs: the vectors of its sentences
(float16: half the disk, and cosines move by under 1e-3), their normalised mean,
its numbers and its names (``fingerprint``). The means sit in a faiss inner-product
index, so a query is one BLAS pass in C++, never a Python loop over the pool.

Updates are incremental: a file whose size and mtime are unchanged is not opened,
one whose bytes hash as before is not read again, and only new or changed files
are read, cleaned (as ``align report`` reads them) and encoded. Documents are
committed in chunks, so an interrupted build keeps what it did. One process updates
a pool at a time (an exclusive lock on the pool's folder); readers never wait, as
the faiss file is written to a temporary name and renamed, named by the pool's
content, and SQLite serves readers in WAL mode.
"""
from __future__ import annotations

import fcntl
import hashlib
import json
import os
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from align import paths
from align.errors import InputError
from align.types import Language
from align.vectors import Encoder
from align.vectors.cache import connect, retry_busy

CHUNK = 32  # documents encoded and committed together
FORMAT = 3  # bump when what is stored per document changes: the index is rebuilt

DocProgress = Callable[[int, int], None]  # (documents read, documents to read)


@dataclass(frozen=True)
class PoolDoc:
    """One stored document of the pool."""

    id: int
    path: str
    sha: str
    sentences: np.ndarray  # (n, dim) float32
    numbers: frozenset[str]
    names: tuple[tuple[str, ...], ...]
    places: tuple[tuple[str, ...], ...]  # the names that are places (``fingerprint.zh_names``)


@dataclass(frozen=True)
class UpdateStats:
    documents: int
    read: int  # new or changed files read and encoded
    removed: int
    seconds: float


def pool_files(pool: str) -> list[str]:
    """Every file under ``pool``, sorted, leaving out hidden files and folders."""
    if not os.path.isdir(pool):
        raise InputError(f"{pool}: the pool is not a folder")
    out = []
    for root, dirs, files in os.walk(pool):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        out.extend(os.path.join(root, f) for f in sorted(files) if not f.startswith("."))
    return out


def file_sha(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def index_folder(pool: str, model_id: str) -> Path:
    """Where the index of ``pool`` for one encoder lives: under the per-user cache, one
    folder per pool folder and model."""
    key = hashlib.sha256(f"{os.path.realpath(pool)}\0{model_id}\0{FORMAT}".encode()).hexdigest()[:20]
    return paths.home() / "pools" / key


class PoolIndex:
    """The documents of one pool folder for one encoder, and the faiss index of their means."""

    def __init__(self, folder: Path, model_id: str, dim: int) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.folder, self.model_id, self.dim = folder, model_id, dim
        self.db = connect(folder / "docs.sqlite")
        retry_busy(lambda: self.db.execute(
            "CREATE TABLE IF NOT EXISTS docs (id INTEGER PRIMARY KEY, path TEXT UNIQUE NOT NULL, "
            "size INTEGER, mtime_ns INTEGER, sha TEXT NOT NULL, mean BLOB NOT NULL, sents BLOB NOT NULL, "
            "numbers TEXT NOT NULL, names TEXT NOT NULL, places TEXT NOT NULL)"))
        self._faiss = None
        self._ids: np.ndarray | None = None
        self._paths: dict[int, str] | None = None

    @classmethod
    def for_pool(cls, pool: str, encoder: Encoder) -> PoolIndex:
        index = cls(index_folder(pool, encoder.model_id), encoder.model_id, encoder.dim)
        (index.folder / "pool.json").write_text(json.dumps({"pool": os.path.realpath(pool),
                                                            "model": encoder.model_id}))
        return index

    # -- building -------------------------------------------------------------------------

    @contextmanager
    def _writer(self) -> Iterator[None]:
        with open(self.folder / "update.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def update(self, pool: str, encoder: Encoder, progress: DocProgress | None = None) -> UpdateStats:
        """Bring the index up to date with the files under ``pool``; a non-Chinese file is an error."""
        t0 = time.perf_counter()
        files = pool_files(pool)
        if not files:
            raise InputError(f"{pool}: the pool holds no files")
        with self._writer():
            stored = {path: (size, mtime, sha) for path, size, mtime, sha in
                      self.db.execute("SELECT path, size, mtime_ns, sha FROM docs")}
            to_read: list[tuple[str, os.stat_result, str]] = []
            for path in files:
                st = os.stat(path)
                old = stored.get(path)
                if old and old[:2] == (st.st_size, st.st_mtime_ns):
                    continue
                sha = file_sha(path)
                if old and old[2] == sha:
                    self._write(lambda: self.db.execute("UPDATE docs SET size = ?, mtime_ns = ? WHERE path = ?",
                                                        (st.st_size, st.st_mtime_ns, path)))
                    continue
                to_read.append((path, st, sha))
            gone = sorted(set(stored) - set(files))
            if gone:
                self._write(lambda: self.db.executemany("DELETE FROM docs WHERE path = ?", [(p,) for p in gone]))
            for start in range(0, len(to_read), CHUNK):
                rows = _read_chunk(to_read[start:start + CHUNK], encoder)
                self._write(lambda: self.db.executemany(
                    "INSERT OR REPLACE INTO docs (path, size, mtime_ns, sha, mean, sents, numbers, names, places) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows))
                if progress:
                    progress(min(start + CHUNK, len(to_read)), len(to_read))
            self._faiss = None
            self._load_faiss(write=True)
        return UpdateStats(len(files), len(to_read), len(gone), time.perf_counter() - t0)

    def _write(self, statement: Callable[[], object]) -> None:
        def run() -> None:
            with self.db:
                statement()

        retry_busy(run)

    # -- reading --------------------------------------------------------------------------

    def __len__(self) -> int:
        return self.db.execute("SELECT COUNT(*) FROM docs").fetchone()[0]

    def digest(self) -> str:
        """A hash of what the pool holds (every document's path and content): equal digests,
        equal pools."""
        h = hashlib.sha256()
        for path, sha in self.db.execute("SELECT path, sha FROM docs ORDER BY id"):
            h.update(f"{path}\0{sha}\n".encode())
        return h.hexdigest()

    def _load_faiss(self, write: bool = False):
        if self._faiss is not None:
            return self._faiss
        import faiss

        digest = self.digest()[:20]
        file = self.folder / f"means-{digest}.faiss"
        if file.is_file():
            # Mapped, not read: the workers of a batch share one copy of the vectors in memory.
            index = faiss.read_index(str(file), faiss.IO_FLAG_MMAP)
        else:
            index = faiss.IndexIDMap2(faiss.IndexFlatIP(self.dim))
            ids, means = [], []
            for doc_id, blob in self.db.execute("SELECT id, mean FROM docs ORDER BY id"):
                ids.append(doc_id)
                means.append(np.frombuffer(blob, dtype=np.float32))
            if ids:
                index.add_with_ids(np.vstack(means), np.asarray(ids, dtype=np.int64))
            if write:
                tmp = file.with_suffix(f".tmp{os.getpid()}")
                faiss.write_index(index, str(tmp))
                os.replace(tmp, file)
                for old in self.folder.glob("means-*.faiss"):
                    if old != file:
                        old.unlink(missing_ok=True)
        self._faiss = index
        return index

    def search(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """The ``k`` documents whose mean is nearest each query: (cosines, ids), -1 past the pool."""
        index = self._load_faiss()
        return index.search(np.ascontiguousarray(queries, dtype=np.float32), min(k, max(index.ntotal, 1)))

    def documents(self, ids: Sequence[int]) -> dict[int, PoolDoc]:
        wanted = [int(i) for i in ids if i >= 0]
        out = {}
        for start in range(0, len(wanted), 500):
            chunk = wanted[start:start + 500]
            rows = self.db.execute(
                f"SELECT id, path, sha, sents, numbers, names, places FROM docs "
                f"WHERE id IN ({','.join('?' * len(chunk))})", chunk)
            for doc_id, path, sha, sents, nums, names, places in rows:
                vecs = np.frombuffer(sents, dtype=np.float16).astype(np.float32).reshape(-1, self.dim)
                out[doc_id] = PoolDoc(doc_id, path, sha, vecs, frozenset(json.loads(nums)),
                                      tuple(tuple(forms) for forms in json.loads(names)),
                                      tuple(tuple(forms) for forms in json.loads(places)))
        return out

    def name_frequencies(self) -> dict[str, int]:
        """In how many documents each name (by its first English form) occurs: common names
        (China, Beijing) tell documents apart less than rare ones."""
        counts: dict[str, int] = {}
        for (names,) in self.db.execute("SELECT names FROM docs"):
            for forms in json.loads(names):
                counts[forms[0]] = counts.get(forms[0], 0) + 1
        return counts

    def close(self) -> None:
        self.db.close()


def _read_chunk(items: Sequence[tuple[str, os.stat_result, str]], encoder: Encoder) -> list[tuple]:
    """Read, clean, split and encode a chunk of pool files: their rows for the docs table."""
    from align.corpus.fingerprint import numbers, zh_names
    from align.documents import load_document
    from align.sentences import split_document

    docs = []
    for path, st, sha in items:
        doc = load_document(path)
        if doc.language == Language.EN:
            raise InputError(f"{path} is English, but the pool must hold Chinese reports only")
        if doc.language != Language.ZH:
            raise InputError(f"{path} is not Chinese; the pool must hold Chinese reports only")
        sentences = [s.norm for s in split_document(doc)]
        if not sentences:
            raise InputError(f"{path} holds no Chinese sentences once cleaned")
        docs.append((path, st, sha, sentences))
    vectors = encoder.encode([s for *_, sents in docs for s in sents])
    rows, at = [], 0
    for path, st, sha, sents in docs:
        vecs = vectors[at:at + len(sents)]
        at += len(sents)
        names, places = zh_names(sents)
        rows.append((path, st.st_size, st.st_mtime_ns, sha, mean_vector(vecs).tobytes(),
                     vecs.astype(np.float16).tobytes(), json.dumps(sorted(numbers(" ".join(sents)))),
                     json.dumps(names, ensure_ascii=False), json.dumps(places, ensure_ascii=False)))
    return rows


def mean_vector(vectors: np.ndarray) -> np.ndarray:
    """The normalised mean of a document's sentence vectors (float32)."""
    mean = vectors.mean(axis=0) if len(vectors) else np.zeros(vectors.shape[1], np.float32)
    return (mean / max(float(np.linalg.norm(mean)), 1e-12)).astype(np.float32)
