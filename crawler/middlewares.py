"""Downloader middleware refusing loopback and private addresses unless the source allows them."""

from __future__ import annotations

import ipaddress
import logging
import socket
from functools import lru_cache
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest, NotConfigured

logger = logging.getLogger(__name__)


class PrivateAddressError(IgnoreRequest):
    """A request to a loopback, private or link-local address from a source that does not allow it."""


@lru_cache(maxsize=1024)
def resolves_to_private(host: str) -> bool:
    """True when `host` is, or resolves to, a non-public address (unresolvable hosts are not)."""
    try:
        infos = socket.getaddrinfo(host, None)
    except (socket.gaierror, UnicodeError):
        return False
    for info in infos:
        address = ipaddress.ip_address(info[4][0].split("%")[0])
        if not address.is_global:
            return True
    return False


class PrivateAddressMiddleware:
    """Guard against SSRF-style surprises: a public source's link to an intranet is not followed."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> PrivateAddressMiddleware:
        if not crawler.settings.getbool("WXWATCH_BLOCK_PRIVATE", True):
            raise NotConfigured("WXWATCH_BLOCK_PRIVATE is off")
        return cls(crawler)

    def process_request(self, request: Request) -> None:
        source = getattr(self.crawler.spider, "source", None)
        if source is not None and source.allow_private:
            return None
        parts = urlsplit(request.url)
        if parts.scheme == "file" or resolves_to_private(parts.hostname or ""):
            self.crawler.stats.inc_value("wxwatch/private_blocked")
            raise PrivateAddressError(f"refusing private address {parts.hostname!r} (set allow_private)")
        return None
