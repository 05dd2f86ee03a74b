"""Open the wxwatch database: WAL mode, busy timeout, migrations applied."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from sqlite_utils import Database

from storage.migrations import migrations

logger = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 30_000


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


def open_database(path: str | Path) -> Database:
    """Open (creating if needed) the database at `path` with the schema up to date."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    db = WxDatabase(path)
    db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    db.enable_wal()
    db.execute("PRAGMA synchronous = NORMAL")
    pending = migrations.pending(db)
    if pending:
        logger.info("applying %d migration(s) to %s", len(pending), path)
        migrations.apply(db)
    return db


def utc_now() -> str:
    """The current time as an ISO 8601 UTC timestamp (seconds precision)."""
    return datetime.now(UTC).isoformat(timespec="seconds")
