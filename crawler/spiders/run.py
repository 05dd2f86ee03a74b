"""The `sources` spider: every source of a run in one Scrapy crawler, each source's state and result kept apart.

One crawler means Scrapy's politeness works per host as intended: robots.txt is fetched once per host and
`CONCURRENT_REQUESTS_PER_DOMAIN` is shared by all the sources on that host (one download slot per domain).
Each source is handled by its own FeedSpider / ListingSpider instance (its stats, validators, budget, requested
URLs); the run spider counts each source's outstanding requests and items, and when they reach zero the source's
pass is over: its validators are saved (after a clean pass) and its result row is recorded (`SOURCE_CLOSED`).
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import AsyncIterator, Callable, Iterable
from typing import Any

import scrapy
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DontCloseSpider
from scrapy.http import Request
from scrapy.statscollectors import StatsCollector

from wxwatch.config import SourceConfig
from wxwatch.crawler.extensions import SOURCE_CLOSED
from wxwatch.crawler.spiders.base import SOURCE_META, SourceSpider
from wxwatch.crawler.spiders.feed import FeedSpider
from wxwatch.crawler.spiders.listing import ListingSpider
from wxwatch.crawler.state import crawl_config

logger = logging.getLogger(__name__)

HANDLERS: dict[str, type[SourceSpider]] = {"feed": FeedSpider, "listing": ListingSpider, "releases": ListingSpider}


def selected_sources(crawler: Crawler, sources: Any) -> list[SourceConfig]:
    """SourceConfig objects as given by the runner, else names (comma-separated), else every enabled source."""
    if isinstance(sources, (list, tuple)) and all(isinstance(s, SourceConfig) for s in sources):
        return list(sources)
    config = crawl_config(crawler.settings)
    if not sources:
        return [source for source in config.sources if source.enabled]
    names = sources.split(",") if isinstance(sources, str) else sources
    return [config.source(name.strip()) for name in names if name.strip()]


class RunSpider(scrapy.Spider):
    """One crawler for the run: starts `parallel_sources` sources at a time, records each when it is done."""

    name = "sources"
    handlers: dict[str, SourceSpider]
    open_sources: set[str]  # started, their pass not over yet

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> RunSpider:
        sources = selected_sources(crawler, kwargs.pop("sources", None) or kwargs.pop("source", None))
        refresh = kwargs.pop("refresh", False) in (True, "1", "true", "yes")
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.handlers = {source.name: spider.handler(crawler, source, refresh) for source in sources}
        spider.parallel = max(1, crawler.settings.getint("WXWATCH_PARALLEL_SOURCES", 8))
        spider.waiting = list(spider.handlers)  # not started yet, in order
        spider.open_sources = set()
        spider.pending = Counter()  # per source: requests made and items yielded, not yet done
        for signal in (signals.item_scraped, signals.item_dropped, signals.item_error):
            crawler.signals.connect(spider.item_done, signal=signal)
        crawler.signals.connect(spider.idle, signal=signals.spider_idle)
        return spider

    def handler(self, crawler: Crawler, source: SourceConfig, refresh: bool) -> SourceSpider:
        handler = HANDLERS[source.kind](name=f"{self.name}:{source.name}")
        handler.bind(crawler, source, refresh, StatsCollector(crawler))
        handler.tracker = self
        return handler

    # ------------------------------------------------------------------ what the downloader and pipeline ask
    def source_handler(self, request: Request) -> SourceSpider | None:
        return self.handlers.get(request.meta.get(SOURCE_META, ""))

    def allows_private(self, request: Request) -> bool:
        """A request without a source is robots.txt, made for a request that already passed the guard."""
        handler = self.source_handler(request)
        return handler is None or handler.source.allow_private

    def stats_for(self, name: str) -> Any:
        return self.handlers[name].stats

    # ------------------------------------------------------------------ starting sources
    async def start(self) -> AsyncIterator[Request]:
        for request in self.start_next():
            yield request

    def start_next(self) -> Iterable[Request]:
        """Entry requests of the next waiting sources, while fewer than `parallel` sources are open.

        None once the crawl is stopping (SIGTERM): sources never started get their failed row from the runner.
        """
        requests: list[Request] = []
        while self.waiting and len(self.open_sources) < self.parallel and self.crawler.crawling:
            name = self.waiting.pop(0)
            self.open_sources.add(name)
            requests += self.handlers[name].entry_requests()
        return requests

    def idle(self) -> None:
        """Nothing left in flight: sources still open are done (a request dropped silently); start the next."""
        for name in sorted(self.open_sources):
            self.finish_source(name, "finished")
        if self.waiting:
            for request in self.start_next():
                self.crawler.engine.crawl(request)
            raise DontCloseSpider

    # ------------------------------------------------------------------ counting each source's work
    def tracked(self, handler: SourceSpider, callback: Callable, errback: Callable) -> tuple[Callable, Callable]:
        """Wrap a request's callback and errback: the source has one more thing pending until either is done."""
        name = handler.source.name
        self.pending[name] += 1

        def tracked_callback(*args: Any, **kwargs: Any) -> AsyncIterator:
            return self.outputs(name, callback(*args, **kwargs))

        def tracked_errback(*args: Any, **kwargs: Any) -> AsyncIterator:
            return self.outputs(name, errback(*args, **kwargs))

        return tracked_callback, tracked_errback

    async def outputs(self, name: str, result: Any) -> AsyncIterator:
        """A callback's outputs; items count as pending until the pipeline is done with them."""
        try:
            if hasattr(result, "__aiter__"):
                async for output in result:
                    yield self.counted(name, output)
            elif result is not None:
                for output in result:
                    yield self.counted(name, output)
        finally:
            self.done(name)

    def counted(self, name: str, output: Any) -> Any:
        if not isinstance(output, Request):
            self.pending[name] += 1
        return output

    def item_done(self, item: Any, **_: Any) -> None:
        name = getattr(item, "source", None)
        if name in self.handlers:
            self.done(name)

    def done(self, name: str) -> None:
        self.pending[name] -= 1
        if self.pending[name] <= 0 and name in self.open_sources:
            self.finish_source(name, "finished")
            for request in self.start_next():
                self.crawler.engine.crawl(request)

    # ------------------------------------------------------------------ closing sources
    def finish_source(self, name: str, reason: str) -> None:
        """The source's pass is over: save its validators (after a clean pass), then record its result."""
        self.open_sources.discard(name)
        handler = self.handlers[name]
        handler.closed(reason)
        self.crawler.signals.send_catch_log(SOURCE_CLOSED, source=name, stats=handler.stats.get_stats(),
                                            reason=reason)

    def closed(self, reason: str) -> None:
        """The crawl stops (done, or shut down): sources still open close with its reason; unstarted get none."""
        for name in sorted(self.open_sources):
            self.finish_source(name, reason)
