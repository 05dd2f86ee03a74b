"""systemd notifications (READY, WATCHDOG, STATUS, STOPPING) over the NOTIFY_SOCKET datagram socket."""

from __future__ import annotations

import logging
import os
import socket
import threading

logger = logging.getLogger(__name__)


def watchdog_interval(environ: dict[str, str] | os._Environ | None = None) -> float | None:
    """Seconds between watchdog pings (half of WATCHDOG_USEC), or None when systemd wants none from us."""
    environ = os.environ if environ is None else environ
    usec = environ.get("WATCHDOG_USEC", "")
    pid = environ.get("WATCHDOG_PID", "")
    if not usec.isdigit() or int(usec) == 0 or (pid and pid != str(os.getpid())):
        return None
    return int(usec) / 2 / 1_000_000


class Notifier:
    """Send sd_notify messages; a no-op without NOTIFY_SOCKET, and never raises."""

    def __init__(self, environ: dict[str, str] | os._Environ | None = None) -> None:
        environ = os.environ if environ is None else environ
        address = environ.get("NOTIFY_SOCKET", "")
        self.address = "\0" + address[1:] if address.startswith("@") else address
        self._socket: socket.socket | None = None
        self._lock = threading.Lock()  # the main thread and the crawl worker both send
        self._failed = False  # warn about the first failed send only

    @property
    def enabled(self) -> bool:
        return bool(self.address)

    def send(self, *assignments: str) -> bool:
        """Send `READY=1`, `STATUS=...` etc. as one datagram; whether it was handed to the socket."""
        if not self.enabled:
            return False
        with self._lock:
            return self._send("\n".join(assignments).encode())

    def _send(self, message: bytes) -> bool:
        try:
            if self._socket is None:
                self._socket = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC)
            # never block the daemon on a receiver that does not read (a full queue drops the message)
            self._socket.sendto(message, socket.MSG_DONTWAIT, self.address)
        except OSError as exc:
            logger.log(logging.DEBUG if self._failed else logging.WARNING, "sd_notify to %s failed: %s",
                       self.address, exc)
            self._failed = True
            return False
        return True

    def ready(self, status: str) -> bool:
        return self.send("READY=1", f"STATUS={status}")

    def watchdog(self) -> bool:
        return self.send("WATCHDOG=1")

    def status(self, status: str) -> bool:
        return self.send(f"STATUS={status}")

    def stopping(self, status: str = "stopping") -> bool:
        return self.send("STOPPING=1", f"STATUS={status}")

    def close(self) -> None:
        if self._socket is not None:
            self._socket.close()
            self._socket = None


def child_environment(environ: dict[str, str] | os._Environ | None = None) -> dict[str, str]:
    """The environment for a crawl subprocess: without systemd's notify and watchdog variables."""
    environ = os.environ if environ is None else environ
    hidden = ("NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID")
    return {key: value for key, value in environ.items() if key not in hidden}
