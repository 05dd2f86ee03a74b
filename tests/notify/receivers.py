"""Loopback receivers for delivery tests: a real SMTP server and a JSON webhook, as importable pytest fixtures.

Use from another test folder's conftest.py:

    sys.path.insert(0, str(Path(__file__).parents[1] / "notify"))
    from receivers import json_receiver, smtp_server  # noqa: F401
"""

from __future__ import annotations

import email
import json
import socket
import threading
from collections.abc import Iterator
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from aiosmtpd.controller import Controller

LOOPBACK = "127.0.0.1"


def free_port() -> int:
    """A loopback TCP port nobody listens on right now (aiosmtpd's Controller cannot take port 0)."""
    with socket.socket() as probe:
        probe.bind((LOOPBACK, 0))
        return probe.getsockname()[1]


class SmtpServer:
    """aiosmtpd on loopback; `.messages` holds every email received (email.message.Message)."""

    def __init__(self) -> None:
        self.messages: list[Message] = []
        self.port = free_port()
        self._controller = Controller(self, hostname=LOOPBACK, port=self.port, ready_timeout=5)

    @property
    def url(self) -> str:
        """An apprise mailto:// URL delivering to this server, without TLS."""
        return f"mailto://{LOOPBACK}:{self.port}?mode=insecure&from=wxwatch@example.com&to=analyst@example.com"

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 (aiosmtpd's hook name)
        self.messages.append(email.message_from_bytes(envelope.original_content or envelope.content))
        return "250 Message accepted for delivery"

    def start(self) -> None:
        self._controller.start()

    def stop(self) -> None:
        self._controller.stop()


class JsonReceiver:
    """An HTTP server on loopback behind an apprise json:// URL.

    `.requests`: the JSON bodies it accepted; `.fail = True`: answer 500 (and record nothing);
    `.down()` / `.up()`: stop listening (connection refused) and listen again on the same port.
    """

    def __init__(self, path: str = "/hook") -> None:
        self.requests: list[dict] = []
        self.rejected = 0
        self.fail = False
        self.path = path
        self.port = free_port()
        self._server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        return f"json://{LOOPBACK}:{self.port}{self.path}"

    def up(self) -> None:
        if self._server is None:
            self._server = ThreadingHTTPServer((LOOPBACK, self.port), self._handler_class())
            threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True).start()

    def down(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's hook name)
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if receiver.fail:
                    receiver.rejected += 1
                    self.send_response(500)
                else:
                    receiver.requests.append(json.loads(body))
                    self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args) -> None:
                pass

        return Handler


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    server = SmtpServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def json_receiver() -> Iterator[JsonReceiver]:
    receiver = JsonReceiver()
    receiver.up()
    yield receiver
    receiver.down()
