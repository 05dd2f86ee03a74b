"""Downloader middleware honouring `Retry-After` on 429 and 503: wait and retry when short, give up when long."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.retry import get_retry_request
from scrapy.http import Request, Response

logger = logging.getLogger(__name__)

THROTTLE_STATUSES = (429, 503)


def retry_after_seconds(value: bytes | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date); None when absent or invalid."""
    text = (value or b"").decode("latin-1").strip()
    if not text:
        return None
    if text.isdigit():
        return float(text)
    try:
        moment = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return max((moment - (now or datetime.now(UTC))).total_seconds(), 0.0)


class RetryAfterMiddleware:
    """A server that says "retry after N seconds" is retried after N seconds (within the retry budget), not at once;
    when N is over WXWATCH_RETRY_AFTER_MAX the request fails now and is not retried (the next crawl tries again)."""

    def __init__(self, crawler: Crawler, max_wait: float) -> None:
        self.crawler = crawler
        self.max_wait = max_wait

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RetryAfterMiddleware:
        return cls(crawler, crawler.settings.getfloat("WXWATCH_RETRY_AFTER_MAX", 30.0))

    async def process_response(self, request: Request, response: Response) -> Request | Response:
        if response.status not in THROTTLE_STATUSES or request.meta.get("dont_retry"):
            return response
        delay = retry_after_seconds(response.headers.get(b"Retry-After"))
        if delay is None:
            return response  # Scrapy's RetryMiddleware retries it as usual
        request.meta["dont_retry"] = True  # either way, not retried again at once
        if delay > self.max_wait:
            logger.info("%s asks to retry after %g s: not retried in this crawl", request.url, delay)
            return response
        await asyncio.sleep(delay)
        assert self.crawler.spider is not None  # a response implies an open spider
        retry = get_retry_request(request, spider=self.crawler.spider, reason=f"{response.status} Retry-After")
        if retry is None:
            return response
        retry.meta["dont_retry"] = False
        return retry
