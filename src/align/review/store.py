"""The review store: every reviewer decision, saved the moment it is made.

One SQLite file per report under the per-user data directory (``store_path_for``), in WAL
mode with ``synchronous=FULL``; each
decision is one transaction committed before the screen changes, so a crash,
``kill -9`` or a closed terminal loses nothing that was on screen.

The decision log (``events``) is append-only (triggers refuse UPDATE and DELETE):
undo is itself an event that names the event it reverts, so the whole history of a
review is kept. A pair's current state is the fold of its events that were not
undone. Decisions hang on stable pair keys (``items.pair_key``), so re-running the
alignment on a changed file keeps them for every pair that did not change. A store of an
older schema is migrated when opened (``_MIGRATIONS``).
"""
from __future__ import annotations

import hashlib
import os
import sqlite3
import stat
import time
import urllib.parse
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from align.errors import InputError
from align.types import Severity

SCHEMA_VERSION = "2"
# Marks the file as an align review store in the SQLite header ("alrv"); 0 in stores made before.
APPLICATION_ID = 0x616C7276


class Action(StrEnum):
    """What one event of the decision log records. A verdict's action is spelled as the
    verdict it sets (``PairState.verdict``), so the log, the state, the export and the
    dashboard say one word for one decision."""

    ACCEPTED = "accepted"  # verdict: the pair is right, correctly aligned and not garbled
    GARBLED = "garbled"  # verdict, with a severity
    FALSE_ALARM = "false_alarm"  # one of the tool's flags on the pair is wrong
    NOTE = "note"
    UNDO = "undo"


_SQLITE_MAGIC = b"SQLite format 3\x00"
# The decision log, apart: migrating a store rebuilds it.
_EVENTS = f"""
CREATE TABLE IF NOT EXISTS events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    session INTEGER NOT NULL REFERENCES sessions(id),
    at REAL NOT NULL,
    pair_key TEXT NOT NULL,
    action TEXT NOT NULL CHECK (action IN ({", ".join(f"'{a}'" for a in Action)})),
    severity TEXT CHECK (severity IS NULL OR severity IN ({", ".join(f"'{s}'" for s in Severity)})),
    flag TEXT,                  -- false_alarm: the flag's name
    detail TEXT,                -- note: its text; false_alarm: the flag's reason as shown
    undoes INTEGER UNIQUE REFERENCES events(id)
);
CREATE INDEX IF NOT EXISTS events_by_pair ON events(pair_key);
CREATE TRIGGER IF NOT EXISTS events_no_update BEFORE UPDATE ON events
    BEGIN SELECT RAISE(ABORT, 'the decision log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS events_no_delete BEFORE DELETE ON events
    BEGIN SELECT RAISE(ABORT, 'the decision log is append-only'); END;
"""
_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sessions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    started REAL NOT NULL,
    updated REAL NOT NULL,
    signature TEXT NOT NULL,    -- the report's signature: model, mode, versions
    report TEXT NOT NULL,       -- what was reviewed: the report file, or the English file and its sources
    pairs INTEGER NOT NULL,
    cursor_key TEXT,            -- the pair the reviewer last had selected
    cursor_index INTEGER
);
-- What each key stood for, so the store stays readable after the report changes.
CREATE TABLE IF NOT EXISTS pairs (
    key TEXT PRIMARY KEY,
    source TEXT NOT NULL,
    en_text TEXT NOT NULL,
    zh_text TEXT NOT NULL,
    first_seen INTEGER NOT NULL REFERENCES sessions(id),
    last_seen INTEGER NOT NULL REFERENCES sessions(id)
);
{_EVENTS}"""
# Schema 1 spelled the accept action "accept" (the verdict it set was "accepted"). The action's
# CHECK is part of the events table, so the table is rebuilt: its triggers and index dropped, the
# table renamed, the new one created and the rows copied over in id order (an undo after the event
# it names) with the new spelling, all in one transaction. The append-only triggers see none of
# it: they are dropped first, and DROP TABLE fires no trigger.
_MIGRATIONS = {"1": f"""
BEGIN IMMEDIATE;
DROP TRIGGER events_no_update;
DROP TRIGGER events_no_delete;
DROP INDEX events_by_pair;
ALTER TABLE events RENAME TO events_v1;
{_EVENTS}
INSERT INTO events (id, session, at, pair_key, action, severity, flag, detail, undoes)
    SELECT id, session, at, pair_key, CASE action WHEN 'accept' THEN '{Action.ACCEPTED}' ELSE action END,
           severity, flag, detail, undoes FROM events_v1 ORDER BY id;
DROP TABLE events_v1;
UPDATE meta SET value='2' WHERE key='schema';
COMMIT;
"""}


def _expected_columns() -> dict[str, list[str]]:
    """Every table of the schema and its columns, read from the schema itself."""
    db = sqlite3.connect(":memory:")
    try:
        db.executescript(_SCHEMA)
        tables = [row[0] for row in db.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'")]
        return {t: [row[1] for row in db.execute(f"PRAGMA table_info({t})")] for t in tables}
    finally:
        db.close()


def _check_store_file(path: Path) -> None:
    """Refuse, before anything is written to it, a file that is not an intact review store of
    this schema: not a regular file, not SQLite, damaged, another program's database, or a
    store of another schema. A missing or empty file becomes a new store."""
    try:
        info = path.stat()
    except FileNotFoundError:
        return
    except OSError as exc:
        raise InputError(f"{path}: cannot be used as a review store ({(exc.strerror or str(exc)).lower()})") from None
    if not stat.S_ISREG(info.st_mode):
        raise InputError(f"{path}: is not a regular file; the review store must be one")
    if info.st_size == 0:
        return
    try:
        with open(path, "rb") as handle:
            header = handle.read(len(_SQLITE_MAGIC))
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({(exc.strerror or str(exc)).lower()})") from None
    if header != _SQLITE_MAGIC:
        raise InputError(f"{path}: is not a review store (not an SQLite database); "
                         "give another --store or move the file away")
    try:
        db = _connect_read_only(path)
    except sqlite3.Error as exc:
        raise InputError(f"{path}: cannot be opened as a review store ({exc})") from None
    try:
        problem = _store_problem(db)
    except sqlite3.DatabaseError as exc:
        problem = f"is damaged ({exc}); restore a copy or move it away to start a new review"
    finally:
        db.close()
    if problem:
        raise InputError(f"{path}: {problem}")


def _connect_read_only(path: Path) -> sqlite3.Connection:
    """A connection that writes nothing, not even SQLite's -wal and -shm files: with no write-ahead
    log beside the file its content is all in the file, which SQLite may then take as immutable."""
    wal = path.with_name(path.name + "-wal")
    # Quoted from the bytes: a name with undecodable bytes, "?" or "#" stays the same file.
    uri = ("file:" + urllib.parse.quote(os.fsencode(path.resolve())) + "?mode=ro"
           + ("" if wal.exists() else "&immutable=1"))
    return sqlite3.connect(uri, uri=True, timeout=10)


def _in_memory(db: sqlite3.Connection) -> sqlite3.Connection:
    """A copy of the store in memory (in autocommit mode, like a store opened for writing); ``db`` is closed."""
    copy = sqlite3.connect(":memory:", isolation_level=None)
    try:
        db.backup(copy)
    finally:
        db.close()
    return copy


def _store_problem(db: sqlite3.Connection) -> str | None:
    check = [row[0] for row in db.execute("PRAGMA quick_check(3)")]
    if check != ["ok"]:
        return f"is damaged ({'; '.join(check)}); restore a copy or move it away to start a new review"
    tables = {row[0] for row in db.execute(
        "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'")}
    if not tables:
        return None  # an empty database: it becomes a new store
    expected = _expected_columns()
    app_id = db.execute("PRAGMA application_id").fetchone()[0]
    if app_id not in (0, APPLICATION_ID) or not tables & set(expected):
        listed = ", ".join(sorted(tables)[:5]) + (", ..." if len(tables) > 5 else "")
        return (f"is an SQLite database of another program (tables: {listed}), not a review store; "
                "give another --store")
    version = _schema_version(db)
    if version is not None and version != SCHEMA_VERSION and version not in _MIGRATIONS:
        return (f"is a review store of schema {version}; this align reads schema {SCHEMA_VERSION} "
                "(open it with the align that wrote it, or move it away)")
    for table, columns in expected.items():
        if table not in tables:
            continue
        have = {row[1] for row in db.execute(f"PRAGMA table_info({table})")}
        missing = [c for c in columns if c not in have]
        if missing:
            return (f"is a review store of an older layout (its {table} table has no {', '.join(missing)} "
                    f"column{'s' if len(missing) > 1 else ''}); open it with the align that wrote it, "
                    "or move it away to start a new review")
    missing_tables = sorted(set(expected) - tables)
    if missing_tables and version is not None:
        return f"is a damaged review store (no {', '.join(missing_tables)} table)"
    return None


def _schema_version(db: sqlite3.Connection) -> str | None:
    """The schema a store says it has (None: no meta table or no schema row, as in a new store)."""
    try:
        row = db.execute("SELECT value FROM meta WHERE key='schema'").fetchone()
    except sqlite3.OperationalError:  # no meta table
        return None
    return row[0] if row else None


def _migrate(db: sqlite3.Connection) -> None:
    """Bring a store of an older schema up to this one (see ``_MIGRATIONS``); each step is one
    transaction, so a store is never left half migrated."""
    while (version := _schema_version(db)) in _MIGRATIONS:
        try:
            db.executescript(_MIGRATIONS[version])
        except sqlite3.Error:
            if db.in_transaction:
                db.execute("ROLLBACK")
            raise


def store_path_for(en_name: str, source_names: Sequence[str]) -> Path:
    """Where the review of a report keeps its store by default: under the per-user data
    directory (``paths.reviews_dir``), never beside the inputs (a user's repo, a read-only folder).

    Keyed by the report's documents, the English file's name and its sources' names: a
    review started from the files and one started from their JSON report share decisions,
    and so does a re-run on an edited English file (its unchanged pairs keep theirs).
    """
    from align import paths

    ident = "\x00".join([en_name, *sorted(source_names)])
    digest = hashlib.sha256(ident.encode("utf-8")).hexdigest()[:12]
    return paths.reviews_dir() / f"{Path(en_name).stem}-{digest}.review.sqlite"


@dataclass(frozen=True)
class Event:
    """One row of the decision log."""

    id: int
    session: int
    at: float
    pair_key: str
    action: Action
    severity: Severity | None = None
    flag: str | None = None
    detail: str | None = None
    undoes: int | None = None


@dataclass
class PairState:
    """A pair's review so far: the verdict, the flags rejected as false alarms, the note."""

    verdict: Action | None = None  # Action.ACCEPTED or Action.GARBLED
    severity: Severity | None = None  # with garbled: how bad
    false_alarms: list[str] = field(default_factory=list)  # flag names, in the order rejected
    note: str = ""

    @property
    def reviewed(self) -> bool:
        """A verdict or a rejected flag counts as reviewed; a note alone does not."""
        return self.verdict is not None or bool(self.false_alarms)

    def apply(self, event: Event) -> None:
        if event.action == Action.ACCEPTED:
            self.verdict, self.severity = Action.ACCEPTED, None
        elif event.action == Action.GARBLED:
            self.verdict, self.severity = Action.GARBLED, event.severity
        elif event.action == Action.FALSE_ALARM and event.flag not in self.false_alarms:
            self.false_alarms.append(event.flag or "")
        elif event.action == Action.NOTE:
            self.note = event.detail or ""


def fold(events: Iterable[Event]) -> dict[str, PairState]:
    """Every pair's state from the log: each event applied in order, undone ones skipped."""
    events = list(events)
    undone = {e.undoes for e in events if e.action == Action.UNDO}
    states: dict[str, PairState] = {}
    for e in events:
        if e.action != Action.UNDO and e.id not in undone:
            states.setdefault(e.pair_key, PairState()).apply(e)
    return states


class ReviewStore:
    """The SQLite store of one review. Open it, ``begin_session``, then record decisions."""

    def __init__(self, path: str | Path, *, read_only: bool = False) -> None:
        """Open (or create) the store at ``path``, migrating one of an older schema; ``read_only``
        opens an existing one for reading, writing nothing at all (as an export does): an older
        one is then migrated in a copy in memory."""
        self.path = Path(path)
        _check_store_file(self.path)
        try:
            if read_only:
                self._db = _connect_read_only(self.path)
                if _schema_version(self._db) in _MIGRATIONS:
                    self._db = _in_memory(self._db)
                    _migrate(self._db)
            else:
                self._open_for_writing()
            self.session: int | None = None
            self.signature: str | None = None  # the signature of the report this session reviews
            self._events: list[Event] = []
            self._states: dict[str, PairState] = {}
            self._sync()
        except sqlite3.DatabaseError as exc:
            raise InputError(f"{self.path}: cannot be used as a review store ({exc})") from None

    def _open_for_writing(self) -> None:
        # Autocommit mode: every transaction below is explicit and committed before returning.
        db = self._db = sqlite3.connect(self.path, isolation_level=None, timeout=10)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=FULL")
        db.execute("PRAGMA foreign_keys=ON")
        _migrate(db)
        # executescript commits on its own; the schema is idempotent, so it runs outside the transaction.
        db.executescript(_SCHEMA)
        with self._transaction():
            db.execute("INSERT OR IGNORE INTO meta VALUES ('schema', ?)", (SCHEMA_VERSION,))
            if db.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
                db.execute(f"PRAGMA application_id={APPLICATION_ID}")

    def _transaction(self):
        return _Transaction(self._db)

    # -- sessions ------------------------------------------------------------------------------

    def begin_session(self, signature: str, report: str,
                      pairs: Iterable[tuple[str, str, str, str]]) -> int:
        """Start a review session of a report; ``pairs`` are ``(key, source, en_text, zh_text)``."""
        pairs = list(pairs)
        now = time.time()
        with self._transaction():
            cur = self._db.execute(
                "INSERT INTO sessions (started, updated, signature, report, pairs) VALUES (?, ?, ?, ?, ?)",
                (now, now, signature, report, len(pairs)))
            self.session = int(cur.lastrowid)
            self.signature = signature
            self._db.executemany(
                "INSERT INTO pairs VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(key) DO UPDATE SET last_seen=excluded.last_seen",
                [(key, source, en, zh, self.session, self.session) for key, source, en, zh in pairs])
        return self.session

    def resume_point(self) -> tuple[str | None, int]:
        """Where the reviewer stopped in an earlier session: the selected pair's key and its row."""
        row = self._db.execute(
            "SELECT cursor_key, cursor_index FROM sessions WHERE cursor_key IS NOT NULL AND id IS NOT ? "
            "ORDER BY id DESC LIMIT 1", (self.session,)).fetchone()
        return (row[0], int(row[1] or 0)) if row else (None, 0)

    def previous_signature(self) -> str | None:
        """The signature of the report the previous session reviewed, if any."""
        row = self._db.execute("SELECT signature FROM sessions WHERE id IS NOT ? ORDER BY id DESC LIMIT 1",
                               (self.session,)).fetchone()
        return row[0] if row else None

    def save_cursor(self, key: str, index: int) -> None:
        """Remember the selected pair, so reopening resumes there."""
        with self._transaction():
            self._db.execute("UPDATE sessions SET cursor_key=?, cursor_index=?, updated=? WHERE id=?",
                             (key, index, time.time(), self._session()))

    # -- decisions -----------------------------------------------------------------------------

    def accept(self, key: str) -> Event:
        """The pair is right: correctly aligned and not garbled."""
        return self._record(key, Action.ACCEPTED)

    def mark_garbled(self, key: str, severity: str) -> Event:
        if severity not in tuple(Severity):
            raise ValueError(f"severity must be one of {', '.join(Severity)}, not {severity!r}")
        return self._record(key, Action.GARBLED, severity=Severity(severity))

    def reject_flag(self, key: str, flag: str, reason: str = "") -> Event:
        """The tool's flag ``flag`` on this pair is a false alarm."""
        return self._record(key, Action.FALSE_ALARM, flag=flag, detail=reason)

    def add_note(self, key: str, note: str) -> Event:
        """Set the pair's note (the latest note is the one that counts; empty clears it)."""
        return self._record(key, Action.NOTE, detail=note)

    def undo(self, keys: Collection[str] | None = None) -> Event | None:
        """Revert the latest decision still in effect (on one of ``keys`` when given); None if none.

        Returns the reverted event, so the caller can show the pair it was about. The log is
        re-read inside the write transaction, so two dashboards on one store never undo the
        same decision twice: the second undoes the next one still in effect.
        """
        with self._transaction():
            self._sync()
            undone = {e.undoes for e in self._events if e.action == Action.UNDO}
            target = next((e for e in reversed(self._events) if e.action != Action.UNDO and e.id not in undone
                           and (keys is None or e.pair_key in keys)), None)
            if target is None:
                return None
            event = self._insert(target.pair_key, Action.UNDO, undoes=target.id)
        self._apply([event])
        return target

    def _record(self, key: str, action: Action, *, severity: Severity | None = None, flag: str | None = None,
                detail: str | None = None) -> Event:
        with self._transaction():
            self._sync()
            event = self._insert(key, action, severity=severity, flag=flag, detail=detail)
        self._apply([event])
        return event

    def _insert(self, key: str, action: Action, *, severity: Severity | None = None, flag: str | None = None,
                detail: str | None = None, undoes: int | None = None) -> Event:
        """Append one event (inside the caller's transaction)."""
        session = self._session()
        now = time.time()
        cur = self._db.execute(
            "INSERT INTO events (session, at, pair_key, action, severity, flag, detail, undoes) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", (session, now, key, action, severity, flag, detail, undoes))
        self._db.execute("UPDATE sessions SET updated=? WHERE id=?", (now, session))
        return Event(int(cur.lastrowid), session, now, key, action, severity, flag, detail, undoes)

    def _sync(self) -> None:
        """Take in the events other processes appended since this store last looked."""
        last = self._events[-1].id if self._events else 0
        rows = self._db.execute("SELECT id, session, at, pair_key, action, severity, flag, detail, undoes "
                                "FROM events WHERE id > ? ORDER BY id", (last,))
        self._apply([Event(n, session, at, key, Action(action), Severity(severity) if severity else None, *rest)
                     for n, session, at, key, action, severity, *rest in rows])

    def _apply(self, events: list[Event]) -> None:
        self._events.extend(events)
        for key in {e.pair_key for e in events}:
            self._states[key] = fold(e for e in self._events if e.pair_key == key).get(key, PairState())

    def _session(self) -> int:
        if self.session is None:
            raise RuntimeError("begin_session() first")
        return self.session

    # -- reading -------------------------------------------------------------------------------

    def state(self, key: str) -> PairState:
        """The pair's current state (an empty one when nothing was decided)."""
        return self._states.get(key) or PairState()

    def states(self) -> dict[str, PairState]:
        """Every pair with a decision still in effect, by key."""
        return {k: s for k, s in self._states.items() if s.reviewed or s.note}

    def events(self) -> list[Event]:
        """The whole decision log, oldest first, undo events included."""
        return list(self._events)

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> ReviewStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class _Transaction:
    """``BEGIN IMMEDIATE`` ... ``COMMIT`` (``ROLLBACK`` on error) on an autocommit connection."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def __enter__(self) -> None:
        self._db.execute("BEGIN IMMEDIATE")

    def __exit__(self, exc_type, *_: object) -> None:
        self._db.execute("ROLLBACK" if exc_type else "COMMIT")
