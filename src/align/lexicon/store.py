"""Read-only SQLite tables built once from a slow source and kept under the per-user cache.

Parsing CC-CEDICT or wordfreq's list takes a second or more, and a run looks up a few
hundred words: the parsed form goes into an SQLite file that a run opens in a
millisecond and reads word by word. Each file records the key of what it was built
from (a data file's size and mtime, a package version); when the key differs the file
is rebuilt into a temporary file and renamed over the old one, so a reader never sees
half a file and concurrent builders do not clash.
"""
from __future__ import annotations

import os
import sqlite3
import tempfile
from collections.abc import Callable
from contextlib import closing
from pathlib import Path


def _connect(path: Path) -> sqlite3.Connection:
    # Read-only, and shareable across threads: the file never changes once renamed into place.
    return sqlite3.connect(path.as_uri() + "?mode=ro", uri=True, check_same_thread=False)


def _open_current(path: Path, key: str) -> sqlite3.Connection | None:
    if not path.exists():
        return None
    db = _connect(path)
    try:
        row = db.execute("SELECT value FROM meta WHERE key = 'source'").fetchone()
    except sqlite3.DatabaseError:
        row = None  # not one of ours, or damaged: rebuild
    if row is not None and row[0] == key:
        return db
    db.close()
    return None


def open_table_file(path: Path, key: str, build: Callable[[sqlite3.Connection], None]) -> sqlite3.Connection:
    """A read-only connection to ``path``, first (re)built by ``build`` unless it was built for ``key``.

    ``build`` creates and fills its tables in the connection it is given; the ``meta``
    table (key, value) exists already and ``build`` may add rows to it.
    """
    db = _open_current(path, key)
    if db is not None:
        return db
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name + ".", suffix=".tmp")
    os.close(fd)
    try:
        with closing(sqlite3.connect(tmp)) as new:
            new.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
            build(new)
            new.execute("INSERT INTO meta VALUES ('source', ?)", (key,))
            new.commit()
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return _connect(path)
