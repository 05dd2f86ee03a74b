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
    """Patch socket.connect/connect_ex (and getaddrinfo for *.invalid) once per process."""
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

    _refuse_invalid_names()
    socket.socket.connect = connect  # type: ignore[method-assign]
    socket.socket.connect_ex = connect_ex  # type: ignore[method-assign]
    _installed = True


def _is_invalid_name(host: object) -> bool:
    name = host.decode() if isinstance(host, bytes) else str(host or "")
    return name.rstrip(".").lower().endswith(".invalid")


def _refuse_invalid_names() -> None:
    """RFC 6761 `.invalid` names fail to resolve at once, without a DNS query leaving the machine."""
    for function_name in ("getaddrinfo", "gethostbyname", "gethostbyname_ex"):
        original = getattr(socket, function_name)

        def resolve(host: object, *args: object, _original=original, **kwargs: object) -> object:
            if _is_invalid_name(host):
                raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
            return _original(host, *args, **kwargs)

        setattr(socket, function_name, resolve)
