"""`wxwatch status`: daemon state, last and next run per source, last error, pending alerts; table and JSON."""

from __future__ import annotations

import json
from pathlib import Path

from wxwatch.storage.db import open_database
from wxwatch.storage.runs import RunLog, SourceResult
from wxwatch.storage.schedule import PlannedSource, ScheduleStore

SETTINGS = """
[storage]
path = "{db}"

[[sources]]
name = "a"
kind = "feed"
url = "https://e.org/a.xml"

[[sources]]
name = "b"
kind = "feed"
url = "https://e.org/b.xml"
enabled = false
"""


def settings(tmp_path: Path) -> Path:
    path = tmp_path / "settings.toml"
    path.write_text(SETTINGS.format(db=tmp_path / "wx.db"), encoding="utf-8")
    return path


def test_status_shows_schedule_last_run_error_and_alerts(tmp_path: Path, run_cli) -> None:
    path = settings(tmp_path)
    db = open_database(tmp_path / "wx.db")
    runs = RunLog(db)
    run_id = runs.start_run("scheduled")
    runs.record_source(run_id, SourceResult("a", status="failed", error="HTTP 503 from e.org"))
    runs.finish_run(run_id, "partial")
    schedule = ScheduleStore(db)
    schedule.save_plan([PlannedSource("a", "crawl", "cron 0 7 * * * Asia/Shanghai", "2025-01-02T07:00:00+08:00")])
    schedule.daemon_started(999_999, "elsewhere")
    table = run_cli("--config", str(path), "status")
    assert table.returncode == 0, table.stderr
    assert "daemon: stopped (pid 999999" in table.stdout and "pending alerts: 0" in table.stdout
    assert "2025-01-02 07:00:00" in table.stdout and "HTTP 503 from e.org" in table.stdout
    document = json.loads(run_cli("--config", str(path), "status", "--json").stdout)
    a, b = document["sources"]
    assert (a["next_run"], a["last_status"], a["trigger"], a["last_error"]) == (
        "2025-01-02T07:00:00+08:00", "failed", "scheduled", "HTTP 503 from e.org")
    assert b["enabled"] is False and b["last_run"] is None
    assert document["crawl_running"] is None and document["pending_alerts"] == 0


def test_status_without_a_database_says_so(tmp_path: Path, run_cli) -> None:
    result = run_cli("--config", str(settings(tmp_path)), "status")
    assert result.returncode == 0
    assert result.stderr.startswith("no database yet at ") and len(result.stderr.splitlines()) == 1
    assert not (tmp_path / "wx.db").exists()
