"""The daemon's persisted state: per-source schedule (next run, last scheduled outcome) and its heartbeat."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from sqlite_utils import Database

from wxwatch.storage.db import utc_now

DAEMON_ROW = 1


@contextmanager
def write_transaction(db: Database) -> Iterator[Database]:
    """BEGIN IMMEDIATE: take the write lock up front (waiting up to the busy timeout).

    The daemon's threads and its crawl subprocess write concurrently; a deferred transaction that reads
    before it writes fails at once with "database is locked" when another writer committed in between.
    """
    db.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")


@dataclass(frozen=True)
class PlannedSource:
    """Where one source sits in the daemon's schedule."""

    source: str
    job: str
    schedule: str
    next_run: str | None


class ScheduleStore:
    """Read and write the schedule_sources and scheduler_daemon tables (and read runs for `status`)."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def save_plan(self, planned: Iterable[PlannedSource]) -> None:
        """Record each source's job, schedule and next run; sources no longer scheduled lose their next run."""
        rows = [{"source": p.source, "job": p.job, "schedule": p.schedule, "next_run": p.next_run,
                 "updated": utc_now()} for p in planned]
        with write_transaction(self.db):
            self.db.execute("update schedule_sources set next_run = null, job = null, schedule = null")
            if rows:
                self.db["schedule_sources"].upsert_all(rows, pk="source")

    def record_outcome(self, sources: Sequence[str], started: str, status: str, error: str | None,
                       run_id: int | None, statuses: dict[str, str] | None = None) -> None:
        """What a scheduled (or catch-up) crawl did for each of its sources."""
        statuses = statuses or {}
        rows = [{"source": source, "last_scheduled": started, "last_scheduled_status": statuses.get(source, status),
                 "last_scheduled_error": error, "last_scheduled_run_id": run_id, "updated": utc_now()}
                for source in sources]
        with write_transaction(self.db):
            self.db["schedule_sources"].upsert_all(rows, pk="source")

    def last_success(self, sources: Sequence[str]) -> dict[str, str | None]:
        """When each source was last crawled successfully (any trigger), from the crawl's own state."""
        found = {row["source"]: row["last_success"] for row in self.db.query(
            "select source, last_success from source_state where url = ''")}
        return {source: found.get(source) for source in sources}

    def daemon_started(self, pid: int, host: str) -> None:
        row = {"id": DAEMON_ROW, "pid": pid, "host": host, "started": utc_now(), "heartbeat": utc_now(),
               "stopped": None, "status": "starting"}
        with write_transaction(self.db):
            self.db["scheduler_daemon"].upsert(row, pk="id")

    def heartbeat(self, status: str) -> None:
        with write_transaction(self.db):
            self.db["scheduler_daemon"].update(DAEMON_ROW, {"heartbeat": utc_now(), "status": status})

    def daemon_stopped(self, status: str = "stopped") -> None:
        with write_transaction(self.db):
            self.db["scheduler_daemon"].update(DAEMON_ROW, {"stopped": utc_now(), "status": status})

    def daemon(self) -> dict | None:
        rows = list(self.db.query("select * from scheduler_daemon where id = ?", [DAEMON_ROW]))
        return rows[0] if rows else None

    def source_states(self) -> dict[str, dict]:
        """Per source: schedule row, last run of any trigger, last success and last error."""
        states: dict[str, dict] = {row["source"]: dict(row) for row in self.db.query("select * from schedule_sources")}
        for row in self.db.query(_LAST_RUN_SQL):
            states.setdefault(row["source"], {}).update(last_run=row["started"], last_status=row["status"],
                                                        last_trigger=row["trigger"], last_run_id=row["run_id"])
        for row in self.db.query(_LAST_ERROR_SQL):
            states.setdefault(row["source"], {}).update(last_error=row["error"], last_error_at=row["started"])
        for row in self.db.query("select source, last_success from source_state where url = ''"):
            states.setdefault(row["source"], {}).update(last_success=row["last_success"])
        return states

    def pending_alerts(self) -> int:
        """Alerts waiting to be sent (0 until the alerts table exists)."""
        if not self.db["alerts"].exists() or "status" not in self.db["alerts"].columns_dict:
            return 0
        return self.db.execute("select count(*) from alerts where status = 'pending'").fetchone()[0]


_LAST_RUN_SQL = """
select rs.source, rs.run_id, rs.status, r.started, r.trigger from run_sources rs join runs r on r.id = rs.run_id
where rs.run_id = (select max(run_id) from run_sources where source = rs.source)
"""
_LAST_ERROR_SQL = """
select rs.source, rs.error, r.started from run_sources rs join runs r on r.id = rs.run_id
where rs.run_id = (select max(run_id) from run_sources where source = rs.source and status != 'ok')
"""
