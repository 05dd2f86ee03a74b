"""Fixtures for daemon tests: the loopback test site, settings with a seconds-level schedule, a real daemon."""

from __future__ import annotations

import socket
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).parents[2]
sys.path[:0] = [str(Path(__file__).parent), str(REPO / "tests" / "crawler")]

from daemontools import DaemonProcess  # noqa: E402
from testsite import BASE, build_site  # noqa: E402

from wxwatch.sample.pages import rss_feed  # noqa: E402
from wxwatch.sample.server import Route  # noqa: E402

SLOW_SECONDS = 4.0


@pytest.fixture
def site():
    """The test site plus a feed that answers after SLOW_SECONDS (a crawl that is reliably in progress)."""
    server = build_site()
    server.routes["/feeds/slow.xml"] = Route(rss_feed("慢", BASE, []).encode(), "application/rss+xml; charset=utf-8",
                                             delay=SLOW_SECONDS)
    with server.running() as base_url:
        server.base_url = base_url
        yield server


@pytest.fixture
def write_daemon_settings(site, tmp_path: Path) -> Callable[..., Path]:
    """Settings for the daemon against the test site: feed sources, a seconds-level (or cron) schedule."""

    def write(schedule: str = "every_seconds = 1", sources: tuple[str, ...] = ("rss", "atom"),
              stop_grace: int = 30) -> Path:
        feeds = {"rss": "/feeds/rss.xml", "atom": "/feeds/atom.xml", "slow": "/feeds/slow.xml"}
        tables = "".join(f'\n[[sources]]\nname = "{name}"\nkind = "feed"\nurl = "{site.base_url}{feeds[name]}"\n'
                         f"allow_private = true\n" for name in sources)
        path = tmp_path / "settings.toml"
        path.write_text(f"""
[storage]
path = "{tmp_path / 'wx.db'}"

[schedule]
{schedule}
timezone = "Asia/Shanghai"
misfire_grace = 60
stop_grace = {stop_grace}

[crawler]
user_agent = "wxwatch-tests"
autothrottle = false
download_delay = 0.0
download_timeout = 10.0
retry_times = 0
{tables}""", encoding="utf-8")
        return path

    return write


class NotifyListener:
    """systemd's side of NOTIFY_SOCKET: a unix datagram socket read continuously, messages kept in order."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.messages: list[str] = []
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(str(path))
        self.sock.settimeout(0.1)
        self.closed = threading.Event()
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self) -> None:
        while not self.closed.is_set():
            try:
                self.messages.append(self.sock.recv(4096).decode())
            except TimeoutError:
                continue

    def assignments(self) -> list[str]:
        return [line for message in list(self.messages) for line in message.split("\n")]

    def close(self) -> None:
        self.closed.set()
        self.thread.join()
        self.sock.close()


@pytest.fixture
def notify_listener(tmp_path: Path) -> Iterator[NotifyListener]:
    listener = NotifyListener(tmp_path / "notify.sock")
    yield listener
    listener.close()


@pytest.fixture
def start_daemon(subprocess_env: dict[str, str], tmp_path: Path) -> Iterator[Callable[..., DaemonProcess]]:
    started: list[DaemonProcess] = []

    def start(settings: Path, **extra_env: str) -> DaemonProcess:
        daemon = DaemonProcess(settings, subprocess_env | extra_env, tmp_path / f"daemon{len(started)}.log")
        started.append(daemon)
        return daemon

    yield start
    for daemon in started:
        if daemon.proc.poll() is None:
            daemon.proc.kill()
            daemon.proc.wait()
        daemon.log_file.close()
