"""Alert endpoints that fail: the alert stays pending with the error recorded, and is later delivered once.

A SIGKILL between a target accepting a message and the outbox marking it sent is the one window where a
message can be delivered twice: the delivery was claimed for 5 minutes before sending, so nothing resends it
within that lease, and afterwards it is sent once more (at most one duplicate).
"""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from faultsite import write_settings
from receivers import LOOPBACK, JsonReceiver, SmtpServer

from wxwatch.config import load_config
from wxwatch.events.model import EventSource, MetricEvent
from wxwatch.notify.dispatch import dispatch_pending
from wxwatch.storage.db import open_database
from wxwatch.storage.outbox import Outbox

pytestmark = pytest.mark.slow  # real crawls / subprocesses: seconds each

SOURCE = EventSource("zqsb", "证券时报", "https://news.example.cn/a/1.html", "微信公开课", "2024-01-12T09:00:00+08:00")
EVENTS = [MetricEvent("new", "miniprogram.dau", "miniprogram.dau", "小程序", "日活跃用户数", "count", 4.5e8,
                      period="2021", source=SOURCE),
          MetricEvent("new", "search.mau", "search.mau", "搜一搜", "月活跃用户数", "count", 7e8, source=SOURCE)]


class RefusingSmtp(SmtpServer):
    """aiosmtpd that refuses every recipient while `.refuse` is set (on a port chosen by the test)."""

    def __init__(self, port: int) -> None:
        self.messages, self.port, self.refuse = [], port, True
        self._controller = Controller(self, hostname=LOOPBACK, port=port, ready_timeout=5)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802 (aiosmtpd hook)
        if self.refuse:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"


class Silent:
    """A listening socket on `port` that either never answers (`hang`) or closes each connection at once."""

    def __init__(self, port: int, mode: str) -> None:
        self.sock = socket.create_server((LOOPBACK, port))
        self.mode, self.connections = mode, []
        if mode == "drop":
            threading.Thread(target=self._drop, daemon=True).start()

    def _drop(self) -> None:
        while True:
            try:
                connection, _ = self.sock.accept()
            except OSError:
                return
            connection.close()

    def close(self) -> None:
        try:
            self.sock.shutdown(socket.SHUT_RDWR)  # wakes a thread blocked in accept()
        except OSError:
            pass
        self.sock.close()


class Endpoint:
    """One target and how to break it and mend it: `url`, `break_()`, `mend()`, `received()`."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.silent: Silent | None = None
        if kind.startswith("smtp"):
            self.smtp = RefusingSmtp(JsonReceiver().port)
            self.url = f"mailto://{LOOPBACK}:{self.smtp.port}?mode=insecure&from=w@example.com&to=a@example.com"
        else:
            self.hook = JsonReceiver()
            self.url = self.hook.url

    def break_(self) -> None:
        if self.kind == "smtp_refuses":
            self.smtp.start()
        elif self.kind == "smtp_drops":
            self.silent = Silent(self.smtp.port, "drop")
        elif self.kind == "webhook_500":
            self.hook.up()
            self.hook.fail = True
        else:
            self.silent = Silent(self.hook.port, "hang")

    def mend(self) -> None:
        if self.silent:
            self.silent.close()
        if self.kind.startswith("smtp"):
            self.smtp.refuse = False
            if self.kind == "smtp_drops":
                self.smtp.start()
        else:
            self.hook.fail = False
            self.hook.up()

    def received(self) -> int:
        return len(self.smtp.messages) if self.kind.startswith("smtp") else len(self.hook.requests)

    def stop(self) -> None:
        if self.silent:
            self.silent.close()
        if self.kind.startswith("smtp"):
            self.smtp.stop() if self.smtp._controller._thread else None
        else:
            self.hook.down()


ERRORS = {"smtp_refuses": "", "smtp_drops": "", "webhook_500": "500", "webhook_hangs": ""}


def queue_alerts(db: Path) -> None:
    Outbox(open_database(db)).add_events(EVENTS, run_id=None)


def alerts_json(run_cli, settings: Path) -> list[dict]:
    result = run_cli("--config", str(settings), "alerts", "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.mark.parametrize("kind", ERRORS)
def test_a_failing_endpoint_keeps_the_alert_pending_then_delivers_it_once(kind, run_cli, tmp_path) -> None:
    endpoint = Endpoint(kind)
    settings = write_settings(tmp_path / "settings.toml", tmp_path / "wx.db", [],
                              notify={"urls": [endpoint.url], "timeout": 1.0, "backoff_seconds": 600.0})
    queue_alerts(tmp_path / "wx.db")
    try:
        endpoint.break_()
        failed = run_cli("--config", str(settings), "alerts", "send", timeout=60)
        assert failed.returncode == 1
        errors = [line for line in failed.stderr.splitlines() if line.startswith("Error: ")]
        assert len(errors) == 1 and errors[0].startswith("Error: delivery failed for 1 target(s)"), failed.stderr
        pending = alerts_json(run_cli, settings)
        assert [(a["status"], a["attempts"]) for a in pending] == [("pending", 1)] * 2
        assert all(a["last_error"] and ERRORS[kind] in a["last_error"] for a in pending)
        assert endpoint.received() == 0
        endpoint.mend()
        assert run_cli("--config", str(settings), "alerts", "send").returncode == 0  # still backing off
        assert endpoint.received() == 0
        assert run_cli("--config", str(settings), "alerts", "retry").returncode == 0
        assert endpoint.received() == 1  # one digest carrying both alerts
        assert run_cli("--config", str(settings), "alerts", "retry").returncode == 0
        assert endpoint.received() == 1
        assert [a["status"] for a in alerts_json(run_cli, settings)] == ["sent", "sent"]
    finally:
        endpoint.stop()


class StallingReceiver(JsonReceiver):
    """Records each POST, then stalls before answering until `.release` is set (the sender gets killed meanwhile)."""

    def __init__(self) -> None:
        super().__init__()
        self.got_one, self.release = threading.Event(), threading.Event()

    def _handler_class(self) -> type:
        base, receiver = super()._handler_class(), self

        class Handler(base):
            def do_POST(self) -> None:  # noqa: N802
                if not receiver.release.is_set():
                    self.rfile.read(int(self.headers.get("Content-Length") or 0))
                    receiver.requests.append({"stalled": True})
                    receiver.got_one.set()
                    receiver.release.wait(30)
                    return
                super().do_POST()

        return Handler


def test_sigkill_between_sending_and_marking_sent_repeats_a_message_at_most_once(
        tmp_path, subprocess_env) -> None:
    receiver = StallingReceiver()
    receiver.up()
    settings = write_settings(tmp_path / "settings.toml", tmp_path / "wx.db", [], notify={"urls": [receiver.url]})
    queue_alerts(tmp_path / "wx.db")
    try:
        process = subprocess.Popen([sys.executable, "-m", "wxwatch", "--config", str(settings), "alerts", "send"],
                                   env=subprocess_env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        assert receiver.got_one.wait(60)  # the target has the message; the sender has not recorded it
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
        receiver.release.set()
        config, db = load_config(settings), open_database(tmp_path / "wx.db")
        assert [a.status for a in Outbox(db).alerts()] == ["pending", "pending"]
        dispatch = lambda minutes: dispatch_pending(db, config.notify,  # noqa: E731
                                                    now=datetime.now(UTC) + timedelta(minutes=minutes))
        assert dispatch(1).alerts_sent == 0  # claimed for 5 minutes: nobody resends it meanwhile
        assert dispatch(6).alerts_sent == 2  # the claim expired: sent once more (the one duplicate)
        assert dispatch(60).alerts_sent == 0 and len(receiver.requests) == 2
        assert [a.status for a in Outbox(db).alerts()] == ["sent", "sent"]
    finally:
        receiver.down()

