"""Downloader middleware refusing loopback and private addresses unless the source allows them."""

from __future__ import annotations

import logging

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest, NotConfigured

from wxwatch.text.addresses import private_url_host

logger = logging.getLogger(__name__)


class PrivateAddressError(IgnoreRequest):
    """A request to a loopback, private or link-local address from a source that does not allow it."""


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
        spider = self.crawler.spider
        if spider is not None and hasattr(spider, "allows_private") and spider.allows_private(request):
            return None
        host = private_url_host(request.url)
        if host is not None:
            self.crawler.stats.inc_value("wxwatch/private_blocked")
            raise PrivateAddressError(f"refusing private address {host!r} (set allow_private)")
        return None
