"""The daemon as a real subprocess against the loopback test site: schedule, lock, signals, catch-up, systemd."""

from __future__ import annotations

import json
import signal
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlite_utils
from daemontools import query, wait_for

pytestmark = pytest.mark.slow  # real crawls / subprocesses: seconds each

SCHEDULED_DONE = "scheduled crawl finished"


def runs(tmp_path: Path, trigger: str | None = None) -> list[dict]:
    rows = query(tmp_path / "wx.db", "select * from runs order by id")
    return [row for row in rows if trigger is None or row["trigger"] == trigger]


def test_runs_on_schedule_notifies_systemd_and_stops_on_sigterm(write_daemon_settings, start_daemon, notify_listener,
                                                               tmp_path, run_cli) -> None:
    settings = write_daemon_settings("every_seconds = 1")
    daemon = start_daemon(settings, NOTIFY_SOCKET=str(notify_listener.path), WATCHDOG_USEC="1000000")
    daemon.wait_log(SCHEDULED_DONE, count=3)
    assert daemon.stop() == 0, daemon.log
    log = daemon.log
    assert "catch-up: rss, atom missed a scheduled run" in log  # a fresh database: never crawled
    assert "daemon stopped" in log and "Traceback" not in log
    scheduled = runs(tmp_path, "scheduled")
    assert len(scheduled) >= 3 and all(run["status"] == "ok" and run["finished"] for run in scheduled)
    sent = wait_for(lambda: "STOPPING=1" in notify_listener.assignments() and notify_listener.assignments())
    assert sent.index("READY=1") < sent.index("WATCHDOG=1") < sent.index("STOPPING=1")
    assert sent.count("WATCHDOG=1") >= 3 and "WATCHDOG=1" not in sent[sent.index("STOPPING=1"):]
    assert any(line.startswith("STATUS=next run ") for line in sent)
    status = json.loads(run_cli("--config", str(settings), "status", "--json").stdout)
    assert status["daemon"]["state"] == "stopped" and status["pending_alerts"] == 0
    assert {row["source"]: row["last_status"] for row in status["sources"]} == {"rss": "ok", "atom": "ok"}


def test_manual_crawl_during_a_scheduled_run_waits_for_the_lock(write_daemon_settings, start_daemon, tmp_path,
                                                                run_cli) -> None:
    settings = write_daemon_settings("every_seconds = 3600", sources=("slow", "rss"))
    daemon = start_daemon(settings)
    wait_for(lambda: runs(tmp_path, "catchup"), what="the catch-up crawl to start")
    refused = run_cli("--config", str(settings), "crawl", "rss")
    assert refused.returncode == 1
    assert refused.stderr.startswith("Error: another crawl holds the lock: pid ")
    assert "(wxwatch crawl --trigger catchup, started " in refused.stderr and len(refused.stderr.splitlines()) == 1
    waited = run_cli("--config", str(settings), "crawl", "--wait", "30", "--json", "rss")
    assert waited.returncode == 0, waited.stderr
    assert "waiting up to 30 s" in waited.stderr
    assert daemon.stop() == 0
    catchup, manual = runs(tmp_path, "catchup")[0], runs(tmp_path, "manual")[0]
    assert catchup["status"] == "ok" and manual["started"] >= catchup["finished"]


def test_sigterm_during_a_crawl_stops_it_cleanly_and_exits_0(write_daemon_settings, start_daemon, tmp_path,
                                                            site) -> None:
    settings = write_daemon_settings("every_seconds = 3600", sources=("slow", "rss"), stop_grace=0)
    daemon = start_daemon(settings)
    wait_for(lambda: site.hits["/feeds/slow.xml"], what="the crawl to be fetching the slow feed")
    assert daemon.stop() == 0, daemon.log
    assert "stopping crawl pid" in daemon.log and "daemon stopped" in daemon.log
    db = sqlite_utils.Database(tmp_path / "wx.db")
    assert db.execute("pragma integrity_check").fetchone()[0] == "ok"
    [run] = runs(tmp_path)
    assert run["status"] != "running" and run["finished"]
    assert {row["source"] for row in db.query("select source from run_sources where run_id = ?", [run["id"]])} == {
        "slow", "rss"}
    assert next(db.query("select stopped from scheduler_daemon"))["stopped"]


def test_restart_after_missed_days_catches_up_once(write_daemon_settings, start_daemon, tmp_path, run_cli) -> None:
    settings = write_daemon_settings('cron = "0 7 * * *"')
    first = start_daemon(settings)
    first.wait_log("catchup crawl finished")  # never crawled before: caught up at once
    assert first.stop() == 0
    second = start_daemon(settings)
    second.wait_log("ready:")
    assert second.stop() == 0
    assert "catch-up" not in second.log  # crawled since the last 07:00: nothing to catch up
    three_days_ago = (datetime.now(UTC) - timedelta(days=3)).isoformat(timespec="seconds")
    sqlite_utils.Database(tmp_path / "wx.db").execute("update source_state set last_success = ?", [three_days_ago])
    third = start_daemon(settings)  # "the machine was off for three days"
    third.wait_log("catchup crawl finished")
    assert third.stop() == 0
    assert len(runs(tmp_path, "catchup")) == 2 and not runs(tmp_path, "scheduled")
    status = json.loads(run_cli("--config", str(settings), "status", "--json").stdout)
    next_runs = {row["next_run"] for row in status["sources"]}
    assert len(next_runs) == 1 and next_runs.pop().endswith("T07:00:00+08:00")


def test_second_daemon_on_the_same_database_is_refused(write_daemon_settings, start_daemon, run_cli) -> None:
    settings = write_daemon_settings("every_seconds = 3600")
    daemon = start_daemon(settings)
    daemon.wait_log("ready:")
    second = run_cli("--config", str(settings), "run")
    assert second.returncode == 1
    assert second.stderr.startswith("Error: another daemon holds the lock: pid ")
    assert daemon.stop(signal.SIGINT) == 0
