"""Which hosts are private (loopback, RFC 1918, link-local, ...): the guard shared by the crawl and `extract URL`."""

from __future__ import annotations

import ipaddress
import socket
from functools import lru_cache
from urllib.parse import urlsplit


@lru_cache(maxsize=1024)
def resolves_to_private(host: str) -> bool:
    """True when `host` is, or resolves to, a non-public address (unresolvable hosts are not)."""
    try:
        infos = socket.getaddrinfo(host, None)
    except (socket.gaierror, UnicodeError):
        return False
    for info in infos:
        address = ipaddress.ip_address(str(info[4][0]).split("%")[0])
        if not address.is_global:
            return True
    return False


def private_url_host(url: str) -> str | None:
    """The host of `url` when fetching it would reach a private address (or a file), else None."""
    parts = urlsplit(url)
    if parts.scheme == "file":
        return "file"
    host = parts.hostname or ""
    return host if resolves_to_private(host) else None
