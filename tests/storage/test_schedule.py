"""The daemon's tables: the plan per source, scheduled outcomes, the heartbeat row, and what `status` reads."""

from __future__ import annotations

from pathlib import Path

from wxwatch.storage.db import open_database
from wxwatch.storage.runs import RunLog, SourceResult
from wxwatch.storage.schedule import PlannedSource, ScheduleStore


def store(tmp_path: Path) -> ScheduleStore:
    return ScheduleStore(open_database(tmp_path / "wx.db"))


def test_plan_is_replaced_and_sources_no_longer_scheduled_lose_their_next_run(tmp_path: Path) -> None:
    schedule = store(tmp_path)
    schedule.save_plan([PlannedSource("a", "crawl", "cron 0 7 * * *", "2025-01-02T07:00:00+08:00"),
                        PlannedSource("b", "crawl", "cron 0 7 * * *", "2025-01-02T07:00:00+08:00")])
    schedule.save_plan([PlannedSource("a", "crawl", "every 2 s", "2025-01-01T12:00:02+08:00")])
    states = schedule.source_states()
    assert (states["a"]["schedule"], states["a"]["next_run"]) == ("every 2 s", "2025-01-01T12:00:02+08:00")
    assert states["b"]["next_run"] is None and states["b"]["job"] is None


def test_states_join_runs_outcomes_and_errors(tmp_path: Path) -> None:
    schedule = store(tmp_path)
    runs = RunLog(schedule.db)
    first = runs.start_run("scheduled")
    runs.record_source(first, SourceResult("a", status="failed", error="HTTP 503"))
    runs.finish_run(first, "partial")
    second = runs.start_run("manual")
    runs.record_source(second, SourceResult("a"))
    runs.finish_run(second, "ok")
    schedule.record_outcome(("a",), "2025-01-01T07:00:00+00:00", "partial", "some sources failed: a", first,
                            {"a": "failed"})
    state = schedule.source_states()["a"]
    assert (state["last_status"], state["last_trigger"], state["last_run_id"]) == ("ok", "manual", second)
    assert (state["last_error"], state["last_scheduled_status"], state["last_scheduled_run_id"]) == (
        "HTTP 503", "failed", first)
    assert state["last_success"] and schedule.last_success(["a", "zz"]) == {"a": state["last_success"], "zz": None}


def test_daemon_row_lifecycle(tmp_path: Path) -> None:
    schedule = store(tmp_path)
    assert schedule.daemon() is None
    schedule.daemon_started(1234, "host")
    schedule.heartbeat("next run 07:00")
    row = schedule.daemon()
    assert (row["pid"], row["status"], row["stopped"]) == (1234, "next run 07:00", None)
    schedule.daemon_stopped()
    assert schedule.daemon()["stopped"] and schedule.daemon()["status"] == "stopped"


def test_pending_alerts_counts_pending_rows_when_the_table_exists(tmp_path: Path) -> None:
    schedule = store(tmp_path)
    if not schedule.db["alerts"].exists():
        assert schedule.pending_alerts() == 0
        schedule.db["alerts"].create({"id": int, "kind": str, "metric_key": str, "status": str}, pk="id")
    rows = [{"kind": "new", "metric_key": "k", "status": status} for status in ("pending", "sent", "pending")]
    schedule.db["alerts"].insert_all(rows, alter=True)
    assert schedule.pending_alerts() == 2


def test_pending_alerts_is_0_without_the_alerts_table(tmp_path: Path) -> None:
    schedule = store(tmp_path)
    schedule.db.execute("drop table if exists deliveries")
    schedule.db.execute("drop table if exists alerts")
    assert schedule.pending_alerts() == 0
