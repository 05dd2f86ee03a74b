"""Open the wxwatch database: WAL mode, busy timeout, migrations applied."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from pathlib import Path

from sqlite_utils import Database

from storage.migrations import migrations

logger = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 30_000


def open_database(path: str | Path) -> Database:
    """Open (creating if needed) the database at `path` with the schema up to date."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    db = Database(path)
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
