"""The crawl lock: exclusive per database, a holder record for the message, waiting, stale takeover."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from wxwatch.storage.lock import CrawlLock, DaemonLock, LockHeld, current_holder, lock_path, read_holder

HOLD = """
import sys, time
from wxwatch.storage.lock import CrawlLock
with CrawlLock(sys.argv[1], command="wxwatch crawl"):
    print("locked", flush=True)
    time.sleep(60)
"""


def holding_process(db: Path) -> subprocess.Popen:
    """Another process that takes the lock and keeps it until killed."""
    proc = subprocess.Popen([sys.executable, "-c", HOLD, str(db)], stdout=subprocess.PIPE, text=True,
                            cwd=Path(__file__).parents[2])
    assert proc.stdout.readline().strip() == "locked"
    return proc


def test_second_holder_is_refused_with_who_holds_it(tmp_path: Path) -> None:
    db = tmp_path / "wx.db"
    with CrawlLock(db, command="wxwatch crawl --trigger scheduled"):
        with pytest.raises(LockHeld) as excinfo, CrawlLock(db):
            pass
        message = str(excinfo.value)
        assert message.startswith(f"another crawl holds the lock: pid {os.getpid()} (wxwatch crawl --trigger sched")
        assert current_holder(db).pid == os.getpid()
    assert read_holder(db) is None and current_holder(db) is None  # released: the record is cleared


def test_waiting_holder_gets_the_lock_when_it_is_released(tmp_path: Path, caplog) -> None:
    db = tmp_path / "wx.db"
    first = CrawlLock(db)
    first.acquire()
    threading.Timer(0.3, first.release).start()
    started = time.monotonic()
    with CrawlLock(db, wait=5):
        waited = time.monotonic() - started
    assert waited > 0.2  # it waited for the holder (no upper bound: the machine may be busy)
    assert "waiting up to 5 s" in caplog.text


def test_wait_runs_out(tmp_path: Path) -> None:
    db = tmp_path / "wx.db"
    with CrawlLock(db):
        started = time.monotonic()
        with pytest.raises(LockHeld), CrawlLock(db, wait=0.3):
            pass
        assert time.monotonic() - started >= 0.3  # it waited, then gave up (no upper bound: the machine may be busy)


def test_lock_of_a_killed_process_is_taken_over(tmp_path: Path, caplog) -> None:
    db = tmp_path / "wx.db"
    proc = holding_process(db)
    with pytest.raises(LockHeld, match=f"pid {proc.pid} "):
        CrawlLock(db).acquire()
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert read_holder(db).pid == proc.pid and current_holder(db) is None  # a stale record, no live holder
    with CrawlLock(db):
        assert read_holder(db).pid == os.getpid()
    assert f"took over a stale crawl lock left by pid {proc.pid}" in caplog.text


def test_daemon_lock_is_separate_from_the_crawl_lock(tmp_path: Path) -> None:
    db = tmp_path / "wx.db"
    with DaemonLock(db, command="wxwatch run"), CrawlLock(db):
        assert lock_path(db, DaemonLock.suffix).exists() and lock_path(db).exists()
        with pytest.raises(LockHeld, match="^another daemon holds the lock: pid .* \\(wxwatch run, started "):
            DaemonLock(db).acquire()


def test_manual_crawl_fails_at_once_with_one_line(tmp_path: Path, run_cli) -> None:
    db = tmp_path / "wx.db"
    settings = tmp_path / "settings.toml"
    settings.write_text(f'[storage]\npath = "{db}"\n\n[[sources]]\nname = "a"\nkind = "feed"\n'
                        'url = "http://127.0.0.1:9/feed.xml"\nallow_private = true\n', encoding="utf-8")
    proc = holding_process(db)
    try:
        result = run_cli("--config", str(settings), "crawl")
    finally:
        proc.kill()
        proc.wait()
    assert result.returncode == 1
    assert result.stderr.startswith(f"Error: another crawl holds the lock: pid {proc.pid} (wxwatch crawl, started ")
    assert len(result.stderr.splitlines()) == 1 and not (tmp_path / "wx.db").exists()
