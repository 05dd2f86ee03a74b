"""A loopback HTTP server for the bundled sample and the tests: routes with validators and faults."""

from __future__ import annotations

import hashlib
import logging
import mimetypes
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

logger = logging.getLogger(__name__)

BASE_URL_MARK = b"{{BASE_URL}}"
LAST_MODIFIED = formatdate(1641427200, usegmt=True)  # 2022-01-06


@dataclass
class Route:
    """What one path answers: a body with its type, optionally failing first or answering slowly."""

    body: bytes
    content_type: str = "text/html; charset=utf-8"
    fail_first: int = 0  # answer 500 this many times before succeeding
    delay: float = 0.0
    status: int = 200
    validators: bool = True  # send ETag / Last-Modified and honour conditional requests


@dataclass
class SiteServer:
    """Routes served on 127.0.0.1 on an ephemeral (or given) port, with a per-path request log."""

    routes: dict[str, Route] = field(default_factory=dict)
    hits: Counter = field(default_factory=Counter)

    def add_directory(self, root: Path) -> None:
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            self.routes["/" + path.relative_to(root).as_posix()] = Route(path.read_bytes(), _content_type(path))

    @contextmanager
    def running(self, port: int = 0) -> Iterator[str]:
        """Serve in a background thread; yields the base URL."""
        server = _QuietServer(("127.0.0.1", port), _handler_for(self))
        server.daemon_threads = True
        base_url = f"http://127.0.0.1:{server.server_address[1]}"
        self.base_url = base_url
        thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
        thread.start()
        try:
            yield base_url
        finally:
            server.shutdown()
            server.server_close()


class _QuietServer(ThreadingHTTPServer):
    """A client that hung up (a crawler's timeout) is routine here, not a traceback."""

    def handle_error(self, request: object, client_address: tuple) -> None:
        logger.debug("site: client %s went away", client_address)


def _content_type(path: Path) -> str:
    if path.suffix == ".xml":
        return "application/xml; charset=utf-8"
    guessed = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return f"{guessed}; charset=utf-8" if guessed.startswith("text/") else guessed


def _handler_for(site: SiteServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
            path = self.path.split("?", 1)[0]
            site.hits[path] += 1
            route = site.routes.get(path)
            if route is None:
                return self._send(404, b"not found", "text/plain")
            if route.delay:
                time.sleep(route.delay)
            if site.hits[path] <= route.fail_first:
                return self._send(500, b"server error", "text/plain")
            body = route.body.replace(BASE_URL_MARK, getattr(site, "base_url", "").encode())
            etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
            if route.validators and self.headers.get("If-None-Match") == etag:
                return self._send(304, b"", route.content_type, etag)
            self._send(route.status, body, route.content_type, etag if route.validators else None)

        def _send(self, status: int, body: bytes, content_type: str, etag: str | None = None) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            if etag:
                self.send_header("ETag", etag)
                self.send_header("Last-Modified", LAST_MODIFIED)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if status != 304:
                self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            logger.debug("site: " + format, *args)

    return Handler
