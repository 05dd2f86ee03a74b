"""Headless Chromium (Debian's `chromium`) for report tests, every request sent through a recording proxy."""

from __future__ import annotations

import shutil
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

# Chromium's own background calls (component updater, clock check, account probe) that no flag fully stops;
# they go through the proxy too and are left out of what a page requested.
BROWSER_SERVICE_HOSTS = ("update.googleapis.com", "clients2.google.com", "accounts.google.com")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars"]


def chromium_binary() -> str:
    binary = shutil.which("chromium") or shutil.which("chromium-browser")
    if binary is None:
        pytest.skip("headless Chromium is not installed (Debian: apt-get install -y chromium); .ci/run installs it")
    return binary


@contextmanager
def recording_proxy() -> Iterator[tuple[str, list[str]]]:
    """An HTTP proxy on loopback that answers 404 to everything and records each request line."""
    requests: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def _record(self) -> None:
            if not any(host in self.path for host in BROWSER_SERVICE_HOSTS):
                requests.append(f"{self.command} {self.path}")
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()

        do_GET = do_POST = do_HEAD = do_CONNECT = _record  # noqa: N815 (http.server's naming)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", requests
    finally:
        server.shutdown()
        server.server_close()


def dump_dom(page: Path, profile: Path, proxy: str) -> str:
    """The page's DOM after Chromium loaded it, with every request (loopback too) sent through `proxy`."""
    argv = [chromium_binary(), *FLAGS, f"--user-data-dir={profile}", f"--proxy-server={proxy}",
            "--proxy-bypass-list=<-loopback>", "--virtual-time-budget=2000", "--dump-dom", page.as_uri()]
    result = subprocess.run(argv, capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout
