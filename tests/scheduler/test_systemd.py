"""sd_notify over a real unix datagram socket, and the watchdog interval from systemd's variables."""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest

from wxwatch.scheduler.systemd import Notifier, child_environment, watchdog_interval


@pytest.mark.parametrize(("environ", "expected"), [
    ({}, None),
    ({"WATCHDOG_USEC": "60000000"}, 30.0),
    ({"WATCHDOG_USEC": "1000000", "WATCHDOG_PID": str(os.getpid())}, 0.5),
    ({"WATCHDOG_USEC": "1000000", "WATCHDOG_PID": "1"}, None),  # meant for another process
    ({"WATCHDOG_USEC": "0"}, None),
    ({"WATCHDOG_USEC": "soon"}, None),
])
def test_watchdog_interval_is_half_of_watchdog_usec(environ: dict, expected: float | None) -> None:
    assert watchdog_interval(environ) == expected


def test_notifications_arrive_as_datagrams(tmp_path: Path) -> None:
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as listener:
        listener.bind(str(tmp_path / "notify.sock"))
        notifier = Notifier({"NOTIFY_SOCKET": str(tmp_path / "notify.sock")})
        notifier.ready("next run 07:00")
        notifier.watchdog()
        notifier.stopping()
        received = [listener.recv(4096).decode() for _ in range(3)]
    assert received == ["READY=1\nSTATUS=next run 07:00", "WATCHDOG=1", "STOPPING=1\nSTATUS=stopping"]


def test_abstract_socket_address() -> None:
    name = f"wxwatch-test-{os.getpid()}"
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as listener:
        listener.bind("\0" + name)
        Notifier({"NOTIFY_SOCKET": "@" + name}).watchdog()
        assert listener.recv(64) == b"WATCHDOG=1"


def test_without_socket_or_reader_nothing_raises(tmp_path: Path, caplog) -> None:
    assert Notifier({}).ready("x") is False  # not under systemd: nothing to do
    notifier = Notifier({"NOTIFY_SOCKET": str(tmp_path / "nobody-listens")})
    assert notifier.ready("x") is False and notifier.watchdog() is False
    warnings = [r for r in caplog.records if r.levelname == "WARNING" and "sd_notify" in r.getMessage()]
    assert len(warnings) == 1  # said once, not at every heartbeat


def test_full_receiver_queue_does_not_block(tmp_path: Path) -> None:
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as listener:
        listener.bind(str(tmp_path / "notify.sock"))
        notifier = Notifier({"NOTIFY_SOCKET": str(tmp_path / "notify.sock")})
        sent = [notifier.watchdog() for _ in range(5000)]  # far beyond the queue; must drop, not hang
        assert sent[0] is True and sent.count(False) > 0  # the first went out, the overflow was dropped
        assert listener.recv(64) == b"WATCHDOG=1"


def test_crawl_subprocess_gets_no_notify_variables() -> None:
    env = child_environment({"NOTIFY_SOCKET": "/run/x", "WATCHDOG_USEC": "1", "WATCHDOG_PID": "2", "PATH": "/bin"})
    assert env == {"PATH": "/bin"}
