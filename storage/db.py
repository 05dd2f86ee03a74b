"""Open the wxwatch database: WAL mode, busy timeout, migrations applied."""

from __future__ import annotations

import contextlib
import logging
import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import cast

from sqlite_utils import Database

from wxwatch.storage.migrations import migrations

logger = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 30_000
MAX_VARIABLES = 999  # bound parameters per statement in SQLite builds before 3.32
WRITE_ACCESS_HINT = ("check [storage] path and that this user may write to its folder "
                     "(under systemd: StateDirectory= or ReadWritePaths=)")


class WxDatabase(Database):
    """A sqlite-utils Database whose transactions take the write lock up front.

    sqlite-utils' atomic() opens with a plain BEGIN: a transaction that reads, then writes, fails at once
    with "database is locked" when another process committed in between (the busy timeout cannot help a
    deferred transaction upgrade). BEGIN IMMEDIATE waits for the lock (up to the busy timeout) instead.
    Nested blocks still use savepoints.
    """

    @contextlib.contextmanager
    def atomic(self) -> Iterator[Database]:
        if self.conn.in_transaction:
            with super().atomic() as db:
                yield db
            return
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self
        except BaseException:
            self.rollback()
            raise
        try:
            self.conn.execute("COMMIT")
        except BaseException:
            self.rollback()
            raise


@contextlib.contextmanager
def transaction(db: Database) -> Iterator[Database]:
    """The caller's open transaction if there is one (no SAVEPOINT/RELEASE pair), else a new `db.atomic()`."""
    if db.conn.in_transaction:
        yield db
        return
    with db.atomic():
        yield db


class StorageError(Exception):
    """The database cannot be used (not a database, another application's, locked, full); one line with the path."""


def open_database(path: str | Path) -> Database:
    """Open (creating if needed) the database at `path` with the schema up to date.

    Raises StorageError, without changing the file, when it is not a SQLite database or belongs to another
    application, and when SQLite cannot open or migrate it (locked past the busy timeout, disk full). The file
    is only ever opened through SQLite: closing another descriptor of it would drop this process's SQLite locks.
    """
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StorageError(f"{path}: cannot create its folder ({exc.strerror}); {WRITE_ACCESS_HINT}") from None
    try:
        db = WxDatabase(path)
        db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        refuse_foreign_database(db, path)
        db.enable_wal()
        db.execute("PRAGMA synchronous = NORMAL")
        pending = migrations.pending(db)
        if pending:
            logger.info("applying %d migration(s) to %s", len(pending), path)
            migrations.apply(db)
    except sqlite3.Error as exc:
        raise StorageError(describe_storage_error(path, exc)) from None
    return db


def refuse_foreign_database(db: Database, path: Path) -> None:
    """A SQLite database with tables but no wxwatch migrations belongs to another application: not changed."""
    tables = set(db.table_names())
    if not tables or ("_sqlite_migrations" in tables and migrations.applied(db)):
        return
    shown = ", ".join(sorted(tables)[:3]) + (", ..." if len(tables) > 3 else "")
    raise StorageError(f"{path}: a database of another application (tables {shown}); left untouched "
                       "(move it away or change [storage] path)")


def describe_storage_error(path: Path, exc: sqlite3.Error) -> str:
    """One line for a SQLite error, with what to do about the usual ones."""
    message = str(exc)
    if "locked" in message or "busy" in message:
        return f"{path}: database is locked (another process kept a write transaction open past the busy timeout)"
    if "full" in message or "disk I/O error" in message:  # ENOSPC is "full"; EFBIG or EIO are "disk I/O error"
        return f"{path}: cannot write: disk full or I/O error ({message}); free some space, then run again"
    if "not a database" in message:  # SQLite read the header and wrote nothing
        return f"{path}: not a SQLite database; left untouched (move it away or change [storage] path)"
    if "unable to open" in message or "readonly" in message:
        return f"{path}: cannot open or write the database ({message}); {WRITE_ACCESS_HINT}"
    if "malformed" in message:
        return f"{path}: the database file is damaged ({message}); left untouched"
    return f"{path}: {message}"


def utc_now() -> str:
    """The current time as an ISO 8601 UTC timestamp (seconds precision)."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def select_rows(db: Database, sql: str, params: Sequence | Mapping = ()) -> list[dict]:
    """The rows of one SELECT as dicts: a single statement (sqlite-utils' query() adds a SAVEPOINT/RELEASE pair)."""
    cursor = db.conn.execute(sql, params)
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor]


def insert_row(db: Database, table: str, row: Mapping) -> int:
    """Insert one row with the columns its keys name; returns its rowid (one statement, no schema look-up)."""
    columns = ", ".join(f'"{name}"' for name in row)
    marks = ", ".join("?" * len(row))
    cursor = db.execute(f'insert into "{table}" ({columns}) values ({marks})', list(row.values()))
    return cast(int, cursor.lastrowid)


def upsert_row(db: Database, table: str, row: Mapping, key: Sequence[str]) -> None:
    """Insert the row, or update the other columns it names where the `key` columns match (one statement)."""
    columns = ", ".join(f'"{name}"' for name in row)
    marks = ", ".join("?" * len(row))
    updates = ", ".join(f'"{name}" = excluded."{name}"' for name in row if name not in key)
    conflict = ", ".join(f'"{name}"' for name in key)
    action = f"do update set {updates}" if updates else "do nothing"
    db.execute(f'insert into "{table}" ({columns}) values ({marks}) on conflict ({conflict}) {action}',
               list(row.values()))


def insert_rows(db: Database, table: str, rows: Sequence[Mapping]) -> None:
    """Insert rows that all have the same keys, many per statement (within SQLite's oldest limit of 999 values)."""
    if not rows:
        return
    columns = ", ".join(f'"{name}"' for name in rows[0])
    per_statement = max(1, MAX_VARIABLES // len(rows[0]))
    for start in range(0, len(rows), per_statement):
        chunk = rows[start : start + per_statement]
        marks = ", ".join(["(" + ", ".join("?" * len(chunk[0])) + ")"] * len(chunk))
        values = [value for row in chunk for value in row.values()]
        db.execute(f'insert into "{table}" ({columns}) values {marks}', values)


def update_row(db: Database, table: str, row_id: int, changes: Mapping) -> None:
    """Set the given columns of the row with this id (one statement, no schema look-up)."""
    assignments = ", ".join(f'"{name}" = ?' for name in changes)
    db.execute(f'update "{table}" set {assignments} where id = ?', [*changes.values(), row_id])
