"""Answers of the slow Chinese text functions (jieba, pypinyin) kept on disk, text by text.

In every process that first needs them, jieba loads its dictionary (~1 s) and its
tagger (~0.8 s) and pypinyin its phrase table (~0.5 s), while a review or report run
again on the same files asks them about the same sentences. ``remembered`` keeps each
answer in an SQLite file under the per-user cache, keyed by the function, the version
of the library behind it and the text, so such a run never loads those libraries.
New answers are written in batches (and at exit); the file is a cache only, so when
it cannot be opened or written, answers are simply computed again.
"""
from __future__ import annotations

import atexit
import json
import sqlite3
from collections.abc import Callable
from functools import lru_cache, wraps
from importlib.metadata import version
from typing import Any, TypeVar

from align import paths

# Bump when a remembered function's answers change for a reason the library versions do
# not show (a user dictionary added to jieba, a different jieba call).
_SCHEMA = "1"
_BATCH = 500

T = TypeVar("T")


class _Memo:
    def __init__(self) -> None:
        self._db: sqlite3.Connection | None = None
        self._pending: dict[tuple[str, str], str] = {}  # answers as JSON: a caller may change what it got
        try:
            path = paths.lexicon_path("answers.sqlite")
            path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(path, timeout=5, check_same_thread=False)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("CREATE TABLE IF NOT EXISTS answer (fn TEXT, text TEXT, value TEXT, PRIMARY KEY (fn, text))"
                       " WITHOUT ROWID")
            self._db = db
        except (OSError, sqlite3.Error):
            pass  # no cache this run
        atexit.register(self.flush)

    def get(self, fn: str, text: str) -> Any | None:
        found = self._pending.get((fn, text))
        if found is None and self._db is not None:
            try:
                row = self._db.execute("SELECT value FROM answer WHERE fn = ? AND text = ?", (fn, text)).fetchone()
            except sqlite3.Error:
                row = None
            found = row[0] if row else None
        return None if found is None else json.loads(found)

    def put(self, fn: str, text: str, value: Any) -> None:
        self._pending[fn, text] = json.dumps(value, ensure_ascii=False)
        if len(self._pending) >= _BATCH:
            self.flush()

    def flush(self) -> None:
        if self._db is None or not self._pending:
            return
        try:
            with self._db:
                self._db.executemany("INSERT OR REPLACE INTO answer VALUES (?, ?, ?)",
                                     [(fn, text, value) for (fn, text), value in self._pending.items()])
        except sqlite3.Error:
            pass  # locked by another writer for too long, or read-only: these answers are recomputed next time
        self._pending.clear()


@lru_cache(maxsize=1)
def _memo() -> _Memo:
    return _Memo()


def remembered(library: str) -> Callable[[Callable[[str], T]], Callable[[str], T]]:
    """Keep the answers of a function of one text, computed with ``library`` (a distribution
    name), on disk. The answer must survive JSON unchanged (strings, numbers, lists)."""
    def wrap(func: Callable[[str], T]) -> Callable[[str], T]:
        @lru_cache(maxsize=1)
        def key() -> str:
            return f"{func.__module__}.{func.__qualname__}:{library} {version(library)}:{_SCHEMA}"

        @wraps(func)
        def cached(text: str) -> T:
            found = _memo().get(key(), text)
            if found is None:
                found = func(text)
                _memo().put(key(), text, found)
            return found
        return cached
    return wrap
