"""Helpers for the daemon tests: polling, database queries, a daemon subprocess with its log in a file."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import sqlite_utils


def wait_for(predicate: Callable[[], object], timeout: float = 20.0, what: str = "condition") -> object:
    """Poll `predicate` every 50 ms until it returns something truthy."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        time.sleep(0.05)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


def query(db_path: Path, sql: str, params: tuple = ()) -> list[dict]:
    if not db_path.exists():
        return []
    db = sqlite_utils.Database(db_path)
    try:
        return list(db.query(sql, params)) if db["runs"].exists() else []
    finally:
        db.close()


class DaemonProcess:
    """`python -m wxwatch -v --config SETTINGS run` as a subprocess, its log in a file."""

    def __init__(self, settings: Path, env: dict[str, str], log_path: Path) -> None:
        self.log_path = log_path
        self.log_file = log_path.open("wb")
        self.proc = subprocess.Popen([sys.executable, "-m", "wxwatch", "-v", "--config", str(settings), "run"],
                                     stdout=self.log_file, stderr=subprocess.STDOUT, env=env, cwd=settings.parent)

    @property
    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def wait_log(self, text: str, count: int = 1, timeout: float = 20.0) -> None:
        wait_for(lambda: self.log.count(text) >= count or self.proc.poll() is not None, timeout, repr(text))
        assert self.log.count(text) >= count, self.log

    def stop(self, signum: int = signal.SIGTERM, timeout: float = 30.0) -> int:
        self.proc.send_signal(signum)
        try:
            return self.proc.wait(timeout)
        finally:
            self.log_file.close()
