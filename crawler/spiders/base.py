"""Behaviour shared by the source spiders: conditional GET, known-URL skipping, article pages."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
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
from wxwatch.crawler.state import article_store, crawl_config, run_log
from wxwatch.crawler.urls import canonical_url
from wxwatch.storage.articles import ArticleStore
from wxwatch.storage.runs import RunLog
from wxwatch.text.pages import parse_article_page

logger = logging.getLogger(__name__)

CHARSET_RE = re.compile(rb"charset=([\w.:-]+)", re.IGNORECASE)
ROBOTS_MESSAGE = "Forbidden by robots.txt"  # scrapy.downloadermiddlewares.robotstxt
INCOMPLETE_STATS = ("source_error", "errors", "budget_exhausted")  # any of these: validators are not saved


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
    """A spider bound to one configured source (`-a source=NAME` from the scrapy CLI)."""

    source: SourceConfig
    refresh: bool = False
    store: ArticleStore
    runs: RunLog
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
        spider.source = source
        spider.refresh = refresh
        spider.link_rules = LinkRules.for_source(source)
        spider.store = article_store(crawler.settings)
        spider.runs = run_log(crawler.settings)
        spider.article_budget = crawler.settings.getint("WXWATCH_MAX_ARTICLES_PER_SOURCE")
        spider.pending_validators = []
        spider.requested = set()  # article URLs requested in this pass (instead of Scrapy's duplicate filter)
        return spider

    # ------------------------------------------------------------------ entry pages (feed / listing)
    def entry_request(self, url: str, callback: Any, **meta: Any) -> Request:
        """A request for a feed or listing page, conditional on the validators seen last time."""
        etag, last_modified = (None, None) if self.refresh else self.runs.validators(self.source.name, url)
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        meta |= {"handle_httpstatus_list": [304]}
        return Request(url, callback, headers=headers, meta=meta, errback=self.entry_failed, dont_filter=True)

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
        stats = self.crawler.stats
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
        self.crawler.stats.set_value(SOURCE_ERROR_STAT, message)
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
        if self.article_budget and self.crawler.stats.get_value("wxwatch/article_requests", 0) >= self.article_budget:
            self.crawler.stats.set_value("wxwatch/budget_exhausted", 1)
            return
        self.requested.add(url)
        self.count("article_requests")
        yield Request(  # dont_filter: Scrapy's duplicate filter drops a redirect back to a seen URL without errback
            link, self.parse_article, errback=self.article_failed, cb_kwargs={"key": url} | cb_kwargs,
            meta={"article_key": url}, dont_filter=True,
        )

    def parse_article(self, response: Response, key: str, **entry: Any) -> Iterator[ArticleItem]:
        self.count("pages_fetched")
        self.count("article_pages_fetched")
        page = parse_article_page(response.body, declared_charset(response), response.url, self.source.timezone)
        if not page.text:
            logger.warning("%s: no main text in %s", self.source.name, response.url)
            yield from self.article_fallback(key, entry, "no main text")
            return
        yield ArticleItem(
            url=key,
            source=self.source.name,
            category=self.source.category,
            title=entry.get("title") or page.title,
            published=entry.get("published") or page.published,
            html=page.html,
            text=page.text,
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
        self.crawler.stats.inc_value(f"wxwatch/{name}")
