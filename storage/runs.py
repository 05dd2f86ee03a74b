"""Crawl runs, per-source results, and per-source state (conditional-GET validators, failures)."""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass

from sqlite_utils import Database

from wxwatch.storage.db import select_rows, transaction, upsert_row, utc_now

STATE_KEY = ("source", "url")  # source_state's primary key; url "" is the source's run-level row


@dataclass
class SourceResult:
    """What one source did in one crawl run."""

    source: str
    status: str = "ok"  # ok | failed
    pages_fetched: int = 0
    articles_new: int = 0
    articles_updated: int = 0
    articles_unchanged: int = 0
    duplicates: int = 0
    errors: int = 0
    links_found: int = 0
    not_modified: int = 0
    links_skipped: int = 0  # listing links not followed (not article-like, excluded, other site)
    skipped_reasons: str | None = None  # JSON object: reason -> count
    error: str | None = None
    warning: str | None = None  # the source worked but looks wrong (e.g. its link_selector matched no link)


class RunLog:
    """Read and write the runs, run_sources and source_state tables."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def start_run(self, trigger: str = "manual") -> int:
        """Open a run row (closing, as interrupted, runs whose process is gone)."""
        with self.db.atomic():
            self._close_interrupted_runs()
            run_id = self.db["runs"].insert(
                {"started": utc_now(), "status": "running", "trigger": trigger, "pid": os.getpid()}
            ).last_pk
        assert isinstance(run_id, int)  # an integer rowid primary key
        return run_id

    def finish_run(self, run_id: int, status: str) -> None:
        with self.db.atomic():
            self.db["runs"].update(run_id, {"finished": utc_now(), "status": status})

    def record_source(self, run_id: int, result: SourceResult) -> None:
        row = asdict(result) | {"run_id": run_id, "finished": utc_now()}
        with transaction(self.db):
            upsert_row(self.db, "run_sources", row, ("run_id", "source"))
            self._update_state_after_run(result)

    def results(self, run_id: int) -> list[SourceResult]:
        rows = self.db.query("select * from run_sources where run_id = ? order by source", [run_id])
        fields = SourceResult.__dataclass_fields__
        return [SourceResult(**{k: v for k, v in row.items() if k in fields}) for row in rows]

    def last_result(self, source: str) -> dict | None:
        rows = list(
            self.db.query(
                "select rs.*, r.started from run_sources rs join runs r on r.id = rs.run_id"
                " where rs.source = ? order by rs.run_id desc limit 1",
                [source],
            )
        )
        return rows[0] if rows else None

    def validators(self, source: str, url: str) -> tuple[str | None, str | None]:
        """The ETag and Last-Modified last seen for a feed or listing URL."""
        rows = select_rows(self.db, "select etag, last_modified from source_state where source = ? and url = ?",
                           [source, url])
        return (rows[0]["etag"], rows[0]["last_modified"]) if rows else (None, None)

    def save_validators(self, source: str, url: str, etag: str | None, last_modified: str | None) -> None:
        with transaction(self.db):
            upsert_row(self.db, "source_state",
                       {"source": source, "url": url, "etag": etag, "last_modified": last_modified}, STATE_KEY)

    def health_state(self, source: str) -> dict:
        """The source's run-level state: consecutive failures, health, last success and error."""
        rows = select_rows(self.db, "select * from source_state where source = ? and url = ''", [source])
        return rows[0] if rows else {}

    def set_health(self, source: str, health: str | None) -> None:
        upsert_row(self.db, "source_state", {"source": source, "url": "", "health": health}, STATE_KEY)

    def previous_links_found(self, source: str, run_id: int) -> int | None:
        rows = list(self.db.query(
            "select links_found from run_sources where source = ? and run_id < ? and status = 'ok'"
            " and coalesce(not_modified, 0) = 0 order by run_id desc limit 1", [source, run_id]))
        return rows[0]["links_found"] if rows else None

    def _close_interrupted_runs(self) -> None:
        for row in list(self.db.query("select id, pid from runs where status = 'running'")):
            if not _process_alive(row["pid"]):
                self.db["runs"].update(row["id"], {"status": "interrupted", "finished": utc_now()})

    def _update_state_after_run(self, result: SourceResult) -> None:
        failures = self.health_state(result.source).get("consecutive_failures") or 0
        if result.status == "ok":
            state = {"last_success": utc_now(), "consecutive_failures": 0}
        else:
            state = {"last_error": result.error, "consecutive_failures": failures + 1}
        upsert_row(self.db, "source_state", {"source": result.source, "url": ""} | state, STATE_KEY)

def _process_alive(pid: int | None) -> bool:
    if not pid:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
