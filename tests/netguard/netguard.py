"""A guard that makes any non-loopback socket connection fail, in the tests and their subprocesses."""

from __future__ import annotations

import ipaddress
import socket

_installed = False


class NetworkBlocked(OSError):
    """A test tried to reach something other than loopback."""


def _check(address: object) -> None:
    if not isinstance(address, tuple) or not address:
        return  # AF_UNIX paths and the like
    host = str(address[0]).split("%")[0]
    try:
        allowed = ipaddress.ip_address(host).is_loopback
    except ValueError:
        allowed = host == "localhost"
    if not allowed:
        raise NetworkBlocked(f"test network guard: connection to {address!r} blocked (loopback only)")


def install() -> None:
    """Patch socket.connect/connect_ex once per process."""
    global _installed
    if _installed:
        return
    original_connect = socket.socket.connect
    original_connect_ex = socket.socket.connect_ex

    def connect(self: socket.socket, address: object) -> None:
        _check(address)
        return original_connect(self, address)

    def connect_ex(self: socket.socket, address: object) -> int:
        _check(address)
        return original_connect_ex(self, address)

    socket.socket.connect = connect  # type: ignore[method-assign]
    socket.socket.connect_ex = connect_ex  # type: ignore[method-assign]
    _installed = True
