"""A loopback webhook for the demo: the apprise `json://` target that records each message as it arrived."""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

logger = logging.getLogger(__name__)

HOOK_PATH = "/hook"


@dataclass
class DigestReceiver:
    """Accepts POSTs on 127.0.0.1; `.received` holds each JSON body (apprise: version, title, message, type)."""

    received: list[dict] = field(default_factory=list)
    url: str = ""

    @contextmanager
    def running(self) -> Iterator[DigestReceiver]:
        server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        server.daemon_threads = True
        self.url = f"json://127.0.0.1:{server.server_address[1]}{HOOK_PATH}"
        thread = threading.Thread(target=server.serve_forever, args=(0.05,), name="demo-receiver", daemon=True)
        thread.start()
        try:
            yield self
        finally:
            server.shutdown()
            server.server_close()


def _handler_for(receiver: DigestReceiver) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            try:
                receiver.received.append(json.loads(body))
                status = 200
            except ValueError:
                status = 400
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            logger.debug("receiver: " + format, *args)

    return Handler
