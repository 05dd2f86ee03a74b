"""Behaviour shared by the source spiders: conditional GET, known-URL skipping, article pages."""

from __future__ import annotations

import logging
import re
from collections.abc import AsyncIterator, Iterator
from typing import Any

import scrapy
from scrapy.crawler import Crawler
from scrapy.exceptions import DownloadCancelledError, IgnoreRequest
from scrapy.http import Request, Response
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from wxwatch.config import SourceConfig
from wxwatch.crawler.extensions import SOURCE_ERROR_STAT
from wxwatch.crawler.items import ArticleItem, ListedArticle, SourceNotModified
from wxwatch.crawler.links import LinkRules
from wxwatch.crawler.middlewares import PrivateAddressError
from wxwatch.crawler.pagework import IN_PROCESS, PageWork
from wxwatch.crawler.state import article_store, crawl_config, run_log
from wxwatch.crawler.urls import canonical_url
from wxwatch.storage.articles import ArticleStore
from wxwatch.storage.runs import RunLog

logger = logging.getLogger(__name__)

CHARSET_RE = re.compile(rb"charset=([\w.:-]+)", re.IGNORECASE)
ROBOTS_MESSAGE = "Forbidden by robots.txt"  # scrapy.downloadermiddlewares.robotstxt
INCOMPLETE_STATS = ("source_error", "errors", "budget_exhausted")  # any of these: validators are not saved
SOURCE_META = "wxwatch_source"  # request meta: the name of the source a request was made for


def declared_charset(response: Response) -> str | None:
    """The charset named in the Content-Type header, if any."""
    match = CHARSET_RE.search(response.headers.get(b"Content-Type") or b"")
    return match.group(1).decode("ascii", "replace") if match else None


def describe_failure(failure: Failure) -> str:
    """One line saying why a request failed: `HTTP 503`, `HTTP 429 (Retry-After 3600 s)`, the exception."""
    if failure.check(HttpError):
        response = failure.value.response
        retry_after = (response.headers.get(b"Retry-After") or b"").decode("latin-1").strip()
        return f"HTTP {response.status}" + (f" (Retry-After {retry_after} s)" if retry_after else "")
    if failure.check(DownloadCancelledError):
        return "response larger than [crawler] max_response_bytes: not read"
    message = " ".join(failure.getErrorMessage().split())
    return f"{type(failure.value).__name__}: {message}"


def skipped_on_purpose(failure: Failure) -> bool:
    """Robots.txt and the private-address guard skip a request; every other failure is an error."""
    if failure.check(PrivateAddressError):
        return True
    return bool(failure.check(IgnoreRequest)) and failure.getErrorMessage() == ROBOTS_MESSAGE


class SourceSpider(scrapy.Spider):
    """A spider bound to one configured source (`-a source=NAME` from the scrapy CLI).

    In a `wxwatch crawl` run the same class is one source's handler inside the run's one spider (`RunSpider`):
    then `stats` are the source's own and `tracker` learns when each of its requests and items is done.
    """

    source: SourceConfig
    refresh: bool = False
    store: ArticleStore
    runs: RunLog
    own_stats: Any = None  # the source's own StatsCollector inside a run spider
    pagework: PageWork = IN_PROCESS
    tracker: Any = None  # the RunSpider counting this source's work, when this is one source of a run
    article_budget: int
    pending_validators: list[tuple[str, str | None, str | None]]
    requested: set[str]

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> SourceSpider:
        source = kwargs.pop("source", None)
        if not isinstance(source, SourceConfig):
            source = crawl_config(crawler.settings).source(str(source))
        refresh = kwargs.pop("refresh", False) in (True, "1", "true", "yes")
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.bind(crawler, source, refresh)
        return spider

    @property
    def stats(self) -> Any:
        """The source's stats: its own inside a run spider, else the crawler's (set once the crawl starts)."""
        return self.own_stats if self.own_stats is not None else self.crawler.stats

    def bind(self, crawler: Crawler, source: SourceConfig, refresh: bool, stats: Any = None) -> None:
        """Attach the source, storage and per-pass state (by `from_crawler`, or by the run spider)."""
        self.crawler = crawler
        self.source = source
        self.refresh = refresh
        self.own_stats = stats
        self.link_rules = LinkRules.for_source(source)
        self.store = article_store(crawler.settings)
        self.runs = run_log(crawler.settings)
        self.pagework = crawler.settings.get("WXWATCH_PAGEWORK") or IN_PROCESS
        self.article_budget = crawler.settings.getint("WXWATCH_MAX_ARTICLES_PER_SOURCE")
        self.pending_validators = []
        self.requested = set()  # article URLs requested in this pass (instead of Scrapy's duplicate filter)

    def allows_private(self, request: Request) -> bool:
        """Whether the request may go to a loopback or private address (the source's allow_private)."""
        return self.source.allow_private

    def stats_for(self, name: str) -> Any:
        """The stats collector of source `name` (for the pipeline)."""
        return self.stats

    def request(self, url: str, callback: Any, errback: Any, **kwargs: Any) -> Request:
        """A request of this source: tagged with its name, its completion counted when part of a run.

        dont_filter: Scrapy's duplicate filter drops a redirect back to a seen URL without errback (`requested`
        filters article URLs instead).
        """
        kwargs["meta"] = kwargs.get("meta", {}) | {SOURCE_META: self.source.name}
        if self.tracker is not None:
            callback, errback = self.tracker.tracked(self, callback, errback)
        return Request(url, callback, errback=errback, dont_filter=True, **kwargs)

    # ------------------------------------------------------------------ entry pages (feed / listing)
    async def start(self) -> AsyncIterator[Request]:
        for request in self.entry_requests():
            yield request

    def entry_requests(self) -> list[Request]:
        """The source's first requests (its feed or first listing page)."""
        raise NotImplementedError

    def entry_request(self, url: str, callback: Any, errback: Any = None, **meta: Any) -> Request:
        """A request for a feed or listing page, conditional on the validators seen last time."""
        etag, last_modified = (None, None) if self.refresh else self.runs.validators(self.source.name, url)
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        meta |= {"handle_httpstatus_list": [304]}
        return self.request(url, callback, errback or self.entry_failed, headers=headers, meta=meta)

    def entry_not_modified(self, response: Response) -> Iterator[SourceNotModified] | None:
        """None for a fresh page; for a 304, what to tell storage (the pipeline marks the articles unchanged)."""
        self.count("pages_fetched")
        if response.status != 304:
            return None
        self.count("not_modified")
        logger.info("%s: %s not modified since last crawl", self.source.name, response.url)
        first_page = response.meta.get("page", 1) == 1
        return iter([SourceNotModified(url=response.url, source=self.source.name)] if first_page else [])

    def remember_validators(self, response: Response) -> None:
        """Note the page's ETag / Last-Modified; they are saved only when the whole pass succeeds (see `closed`)."""
        etag = response.headers.get(b"ETag")
        modified = response.headers.get(b"Last-Modified")
        if etag or modified:
            self.pending_validators.append((
                response.url, etag.decode("latin-1") if etag else None,
                modified.decode("latin-1") if modified else None,
            ))

    def closed(self, reason: str) -> None:
        """Save the validators after a complete pass only: a later 304 must not hide an article not yet stored.

        A killed, failed or capped pass, or one where some page or item failed, leaves the previous validators,
        so the next crawl fetches the feed or listing again and every link not stored yet is requested again.
        """
        stats = self.stats
        incomplete = reason != "finished" or any(stats.get_value(f"wxwatch/{name}") for name in INCOMPLETE_STATS)
        if incomplete:
            if self.pending_validators:
                logger.info("%s: pass incomplete (%s), validators not saved", self.source.name, reason)
            return
        for url, etag, modified in self.pending_validators:
            self.runs.save_validators(self.source.name, url, etag, modified)

    def entry_failed(self, failure: Failure) -> None:
        message = f"{failure.request.url}: {describe_failure(failure)}"
        logger.info("%s: cannot fetch %s", self.source.name, message)  # the run recorder logs the failed source
        self.fail_source(message)

    def fail_source(self, message: str) -> None:
        self.stats.set_value(SOURCE_ERROR_STAT, message)
        self.count("errors")

    # ------------------------------------------------------------------ article pages
    def article_request(self, link: str, **cb_kwargs: Any) -> Iterator[Request | ListedArticle]:
        """Request an article page, unless it is stored already (then it is only marked seen)."""
        url = canonical_url(link)
        if not self.refresh and self.store.is_known(url):
            yield ListedArticle(url=url, source=self.source.name)
            return
        if url in self.requested:
            return
        if self.article_budget and self.stats.get_value("wxwatch/article_requests", 0) >= self.article_budget:
            self.stats.set_value("wxwatch/budget_exhausted", 1)
            return
        self.requested.add(url)
        self.count("article_requests")
        yield self.request(
            link, self.parse_article, self.article_failed, cb_kwargs={"key": url} | cb_kwargs,
            meta={"article_key": url},
        )

    async def parse_article(self, response: Response, key: str, **entry: Any) -> AsyncIterator[ArticleItem]:
        """The page's item; the page work runs in a worker process (see crawler.pagework) while Scrapy goes on."""
        self.count("pages_fetched")
        self.count("article_pages_fetched")
        result = await self.pagework.parse(response.body, declared_charset(response), response.url,
                                           self.source.timezone, (entry.get("title"), entry.get("published")))
        page = result.page
        if not page.text:
            logger.warning("%s: no main text in %s", self.source.name, response.url)
            for item in self.article_fallback(key, entry, "no main text"):
                yield item
            return
        yield ArticleItem(
            url=key,
            source=self.source.name,
            category=self.source.category,
            title=result.title,
            published=result.published,
            html=page.html,
            text=page.text,
            compare_text=result.compare_text,
            signature=result.signature,
            page_zstd=result.page_zstd,
        )

    def article_failed(self, failure: Failure) -> Iterator[ArticleItem]:
        request = failure.request
        if skipped_on_purpose(failure):
            self.count("ignored")
            logger.info("%s: skipped %s (%s)", self.source.name, request.url, failure.getErrorMessage())
            return
        key = request.meta.get("article_key", request.url)
        logger.warning("%s: cannot fetch %s: %s", self.source.name, request.url, describe_failure(failure))
        yield from self.article_fallback(key, request.cb_kwargs, describe_failure(failure))

    def article_fallback(self, key: str, entry: dict, reason: str) -> Iterator[ArticleItem]:
        """Without a usable page, nothing is stored (the feed spider overrides this)."""
        self.count("errors")
        return iter(())

    def count(self, name: str) -> None:
        self.stats.inc_value(f"wxwatch/{name}")
