"""A loopback HTTP server whose paths misbehave on purpose: hang, drip, reset, flood, bomb, throttle, redirect."""

from __future__ import annotations

import gzip
import socket
import struct
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

Behaviour = Callable[[BaseHTTPRequestHandler, int], None]  # (handler, how many times this path was hit)
CHUNK = 64 * 1024
GZIP_BOMB_BYTES = 64 * 1024 * 1024  # 64 MB of zeros in about 64 kB of gzip


def closed_port() -> int:
    """A loopback port nobody listens on (connection refused)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def answer(body: bytes, status: int = 200, content_type: str = "text/html; charset=utf-8",
           headers: dict | None = None) -> Behaviour:
    def behave(handler: BaseHTTPRequestHandler, hit: int) -> None:
        send(handler, status, body, content_type, headers)
    return behave


def send(handler: BaseHTTPRequestHandler, status: int, body: bytes, content_type: str = "text/html",
         headers: dict | None = None) -> None:
    handler.send_response(status)
    handler.send_header("Content-Type", content_type)
    for name, value in (headers or {}).items():
        handler.send_header(name, value)
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)


def hang(handler: BaseHTTPRequestHandler, hit: int) -> None:
    """Accept the request and never answer."""
    handler.server.stopping.wait(30)
    handler.close_connection = True


def _promise_100k(handler: BaseHTTPRequestHandler) -> None:
    """A 200 whose headers announce a 100 kB HTML body (the caller decides what actually follows)."""
    handler.send_response(200)
    handler.send_header("Content-Type", "text/html; charset=utf-8")
    handler.send_header("Content-Length", "100000")
    handler.end_headers()


def drip(handler: BaseHTTPRequestHandler, hit: int) -> None:
    """Headers at once, then one byte every 0.1 s (a body that never ends in time)."""
    _promise_100k(handler)
    for _ in range(300):
        if handler.server.stopping.wait(0.1):
            break
        handler.wfile.write(b"x")
        handler.wfile.flush()
    handler.close_connection = True


def reset_mid_body(handler: BaseHTTPRequestHandler, hit: int) -> None:
    """Promise 100 kB, send 2 kB, then reset the connection (RST, not FIN)."""
    _promise_100k(handler)
    handler.wfile.write(b"<html><body>" + b"x" * 2000)
    handler.wfile.flush()
    handler.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    handler.connection.close()
    handler.close_connection = True


def flood(total: int, declare_length: bool) -> Behaviour:
    """`total` bytes of HTML, with or without Content-Length; the bytes actually written are counted."""
    def behave(handler: BaseHTTPRequestHandler, hit: int) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html; charset=utf-8")
        if declare_length:
            handler.send_header("Content-Length", str(total))
        handler.send_header("Connection", "close")
        handler.end_headers()
        chunk = b"<p>" + b"x" * (CHUNK - 7) + b"</p>\n"
        try:
            for _ in range(total // CHUNK):
                handler.wfile.write(chunk)
                handler.server.sent[handler.path] += len(chunk)
        except OSError:
            pass
        handler.close_connection = True
    return behave


def gzip_bomb(handler: BaseHTTPRequestHandler, hit: int) -> None:
    """A small gzip body that inflates to 64 MB (far over the test's 1 MB limit)."""
    send(handler, 200, bomb_body(), "text/html; charset=utf-8", {"Content-Encoding": "gzip"})


def bomb_body() -> bytes:
    return _BOMB


_BOMB = gzip.compress(b"\0" * GZIP_BOMB_BYTES, compresslevel=9)


def throttled(retry_after: str, then: Behaviour, times: int = 1) -> Behaviour:
    """Answer 429 with Retry-After `times` times, then behave like `then`."""
    def behave(handler: BaseHTTPRequestHandler, hit: int) -> None:
        if hit <= times:
            return send(handler, 429, b"slow down", "text/plain", {"Retry-After": retry_after})
        then(handler, hit)
    return behave


def redirect(location: str, status: int = 302) -> Behaviour:
    def behave(handler: BaseHTTPRequestHandler, hit: int) -> None:
        send(handler, status, b"", "text/plain", {"Location": location})
    return behave


class FaultServer:
    """Paths mapped to behaviours, on 127.0.0.1; `.hits` and `.times` record each request, `.sent` flood bytes."""

    def __init__(self) -> None:
        self.routes: dict[str, Behaviour] = {}
        self.hits: Counter = Counter()
        self.times: dict[str, list[float]] = defaultdict(list)
        self.base_url = ""

    @contextmanager
    def running(self) -> Iterator[str]:
        server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        server.daemon_threads = True
        server.stopping = threading.Event()
        server.sent = Counter()
        self.sent = server.sent
        server.handle_error = lambda request, address: None
        self.base_url = f"http://127.0.0.1:{server.server_address[1]}"
        threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
        try:
            yield self.base_url
        finally:
            server.stopping.set()
            server.shutdown()
            server.server_close()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fault_server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
                path = self.path.split("?", 1)[0]
                fault_server.hits[path] += 1
                fault_server.times[path].append(time.monotonic())
                behaviour = fault_server.routes.get(path)
                if behaviour is None:
                    return send(self, 404, b"not found", "text/plain")
                behaviour(self, fault_server.hits[path])

            def log_message(self, *args: object) -> None:
                pass

        return Handler
