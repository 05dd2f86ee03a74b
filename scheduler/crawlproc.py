"""One crawl as a subprocess (`python -m wxwatch crawl --trigger ...`): its log relayed, its outcome parsed."""

from __future__ import annotations

import json
import logging
import signal
import subprocess
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from wxwatch import WXWATCH_COMMAND
from wxwatch.scheduler.systemd import child_environment
from wxwatch.storage.db import utc_now

logger = logging.getLogger(__name__)

LOCK_HELD_MARK = "another crawl holds the lock"
LEVELS = {name: getattr(logging, name) for name in ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")}


@dataclass
class CrawlOutcome:
    """How one crawl subprocess ended."""

    trigger: str
    sources: tuple[str, ...]
    started: str
    seconds: float = 0.0
    returncode: int | None = None
    run_id: int | None = None
    statuses: dict[str, str] = field(default_factory=dict)
    new_articles: int = 0
    error: str | None = None

    @property
    def status(self) -> str:
        """ok | partial (some source failed) | lock busy | stopped (by a signal) | error (no crawl result)."""
        if self.error and LOCK_HELD_MARK in self.error:
            return "lock busy"
        if self.returncode is not None and self.returncode < 0:
            return "stopped"
        if self.run_id is None:
            return "error"
        return "ok" if self.returncode == 0 else "partial"


def crawl_command(config_path: Path, trigger: str, names: Sequence[str], lock_wait: float,
                  verbosity: int = 0) -> list[str]:
    """The crawl's argv: the same `wxwatch crawl` a user runs, with the trigger recorded and a JSON summary."""
    flags = ["-q"] if verbosity < 0 else ["-" + "v" * (verbosity - 1)] if verbosity >= 2 else []
    return [*WXWATCH_COMMAND, "--config", str(config_path), *flags, "crawl", "--trigger", trigger,
            "--json", "--wait", f"{lock_wait:g}", *names]


def run_dispatch(config_path: Path, timeout: float = 600.0) -> subprocess.CompletedProcess:
    """`wxwatch alerts send` as a subprocess: deliver what is due (the daemon's daily digest job)."""
    argv = [*WXWATCH_COMMAND, "--config", str(config_path), "alerts", "send"]
    return subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=timeout,
                          env=child_environment())


class CrawlProcess:
    """Runs crawls one at a time in subprocesses; `stop` ends the current one cleanly (SIGTERM, then SIGKILL)."""

    def __init__(self, config_path: Path, *, lock_wait: float, verbosity: int = 0) -> None:
        self.config_path = config_path
        self.lock_wait = lock_wait
        self.verbosity = verbosity
        self._proc: subprocess.Popen | None = None
        self._idle = threading.Event()
        self._idle.set()

    @property
    def running(self) -> bool:
        return not self._idle.is_set()

    def run(self, names: Sequence[str], trigger: str, sources: tuple[str, ...]) -> CrawlOutcome:
        """Run one crawl to its end (blocking) and return its outcome."""
        outcome = CrawlOutcome(trigger, sources, utc_now())
        argv = crawl_command(self.config_path, trigger, names, self.lock_wait, self.verbosity)
        self._idle.clear()
        started = time.monotonic()
        try:
            self._proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                          stderr=subprocess.PIPE, env=child_environment(), start_new_session=True)
            relay = threading.Thread(target=self._relay, args=(self._proc, outcome), name="crawl-log", daemon=True)
            relay.start()
            assert self._proc.stdout is not None  # stdout=PIPE
            stdout = self._proc.stdout.read()
            outcome.returncode = self._proc.wait()
            relay.join()
        finally:
            self._proc = None
            outcome.seconds = time.monotonic() - started
            self._idle.set()
        _parse_summary(stdout, outcome)
        return outcome

    def stop(self, timeout: float) -> None:
        """SIGTERM the running crawl (Scrapy closes its spiders and the run is recorded); SIGKILL after `timeout`."""
        proc = self._proc
        if proc is None:
            return
        logger.warning("stopping crawl pid %d", proc.pid)
        _signal(proc, signal.SIGTERM)
        if not self._idle.wait(timeout):
            logger.error("crawl pid %d did not stop within %g s: killing it", proc.pid, timeout)
            _signal(proc, signal.SIGKILL)
            self._idle.wait(timeout)

    def _relay(self, proc: subprocess.Popen, outcome: CrawlOutcome) -> None:
        """The crawl's stderr lines into this process's log, at their own level."""
        assert proc.stderr is not None  # stderr=PIPE
        for raw in proc.stderr:
            line = raw.decode("utf-8", "replace").rstrip()
            if not line:
                continue
            if line.startswith("Error: "):
                outcome.error = line.removeprefix("Error: ")
            logger.log(_line_level(line), "crawl[%d] %s", proc.pid, line)


def _line_level(line: str) -> int:
    first = line.split(" ", 1)[0]
    if first in LEVELS:
        return LEVELS[first]
    return logging.WARNING if line.startswith(f"Error: {LOCK_HELD_MARK}") else logging.ERROR


def _signal(proc: subprocess.Popen, signum: int) -> None:
    try:
        proc.send_signal(signum)
    except ProcessLookupError:
        pass


def _parse_summary(stdout: bytes, outcome: CrawlOutcome) -> None:
    try:
        summary = json.loads(stdout or b"null")
    except ValueError:
        summary = None
    if not isinstance(summary, dict):
        return
    outcome.run_id = summary.get("run_id")
    for row in summary.get("sources", []):
        outcome.statuses[row["source"]] = row["status"]
        outcome.new_articles += row.get("new") or 0
