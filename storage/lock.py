"""The crawl lock: one crawl at a time per database, shared by the daemon's crawls and manual `wxwatch crawl`."""

from __future__ import annotations

import fcntl
import json
import logging
import os
import socket
import time
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType

from wxwatch.storage.db import WRITE_ACCESS_HINT, StorageError

logger = logging.getLogger(__name__)

POLL_SECONDS = 0.1


class LockHeld(Exception):
    """Another process holds the crawl lock; the message says who."""


@dataclass(frozen=True)
class Holder:
    """Who holds (or last held) the lock, as written in the lock file."""

    pid: int
    host: str
    started: str
    command: str

    def describe(self) -> str:
        where = "" if self.host == socket.gethostname() else f" on {self.host}"
        return f"pid {self.pid}{where} ({self.command}, started {self.started})"

    def alive(self) -> bool:
        """Whether the holder's process still runs (assumed when it is on another host)."""
        if self.host != socket.gethostname():
            return True
        try:
            os.kill(self.pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True


def lock_path(db_path: str | os.PathLike, suffix: str = ".lock") -> Path:
    """The lock file next to the database: `<db path>.lock`."""
    return Path(f"{os.fspath(db_path)}{suffix}")


def read_holder(db_path: str | os.PathLike, suffix: str = ".lock") -> Holder | None:
    """The holder record in the lock file (None when free, empty or unreadable); informational only."""
    try:
        return _parse_holder(lock_path(db_path, suffix).read_bytes())
    except OSError:
        return None


def current_holder(db_path: str | os.PathLike, suffix: str = ".lock") -> Holder | None:
    """The holder of the lock if its process is alive (without touching the lock itself)."""
    holder = read_holder(db_path, suffix)
    return holder if holder and holder.alive() else None


class CrawlLock:
    """An exclusive flock on `<db path>.lock` plus a JSON holder record {pid, host, started, command}.

    The kernel drops a flock when its process dies, so a lock left by a killed crawl is free at once; its
    stale holder record is then logged as taken over. With `wait` > 0 the lock is polled for that many seconds
    before LockHeld is raised.
    """

    suffix = ".lock"
    label = "crawl"

    def __init__(self, db_path: str | os.PathLike, *, command: str = "wxwatch crawl", wait: float = 0.0) -> None:
        self.path = lock_path(db_path, self.suffix)
        self.command = command
        self.wait = wait
        self._fd: int | None = None

    def __enter__(self) -> CrawlLock:
        self.acquire()
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.release()

    def acquire(self) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        except OSError as exc:
            raise StorageError(f"{self.path}: cannot create the lock file ({exc.strerror}); {WRITE_ACCESS_HINT}") \
                from None
        try:
            self._lock_within_wait(fd)
        except BaseException:
            os.close(fd)
            raise
        self._fd = fd
        self._take_over(fd)

    def release(self) -> None:
        if self._fd is None:
            return
        try:
            os.ftruncate(self._fd, 0)
        finally:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None

    def _lock_within_wait(self, fd: int) -> None:
        deadline = time.monotonic() + self.wait
        announced = False
        while not _try_flock(fd):
            holder = _holder_from_fd(fd)
            who = holder.describe() if holder else "another process"
            if time.monotonic() >= deadline:
                raise LockHeld(f"another {self.label} holds the lock: {who}")
            if not announced:
                logger.warning("another %s holds the lock: %s; waiting up to %g s", self.label, who, self.wait)
                announced = True
            time.sleep(min(POLL_SECONDS, max(deadline - time.monotonic(), 0)))

    def _take_over(self, fd: int) -> None:
        previous = _holder_from_fd(fd)
        if previous is not None and previous.pid != os.getpid():
            logger.warning("took over a stale %s lock left by %s", self.label, previous.describe())
        record = Holder(os.getpid(), socket.gethostname(), datetime.now(UTC).isoformat(timespec="seconds"),
                        self.command)
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps(asdict(record)).encode(), 0)
        os.fsync(fd)


class DaemonLock(CrawlLock):
    """One daemon per database: the same mechanism on `<db path>.daemon.lock`."""

    suffix = ".daemon.lock"
    label = "daemon"


def _try_flock(fd: int) -> bool:
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _holder_from_fd(fd: int) -> Holder | None:
    try:
        return _parse_holder(os.pread(fd, 4096, 0))
    except OSError:
        return None


def _parse_holder(raw: bytes) -> Holder | None:
    try:
        data = json.loads(raw.decode() or "null")
        return Holder(int(data["pid"]), str(data["host"]), str(data["started"]), str(data["command"]))
    except (ValueError, TypeError, KeyError):
        return None
