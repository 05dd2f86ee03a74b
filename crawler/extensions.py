"""Extension recording each source's outcome of a crawl run (from the spider's stats) in storage."""

from __future__ import annotations

import json
import logging
import sqlite3

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

from wxwatch.crawler.state import run_log
from wxwatch.storage.runs import RunLog, SourceResult

logger = logging.getLogger(__name__)

SOURCE_ERROR_STAT = "wxwatch/source_error"
SELECTOR_EMPTY_STAT = "wxwatch/selector_empty"
SKIPPED_STAT_PREFIX = "wxwatch/links_skipped/"  # + reason: listing links not followed, per reason
SOURCE_CLOSED = object()  # signal of the run spider (source=name, stats=dict, reason=str): one source's pass is over


def source_result(name: str, stats: dict, reason: str) -> SourceResult:
    """Turn a spider's stats and close reason into the per-source row of a run."""
    error = stats.get(SOURCE_ERROR_STAT)
    if error is None and reason != "finished":
        error = f"spider closed: {reason}"
    return SourceResult(
        source=name,
        status="failed" if error else "ok",
        pages_fetched=stats.get("wxwatch/pages_fetched", 0),
        articles_new=stats.get("wxwatch/articles_new", 0),
        articles_updated=stats.get("wxwatch/articles_updated", 0),
        articles_unchanged=stats.get("wxwatch/articles_unchanged", 0),
        duplicates=stats.get("wxwatch/duplicates", 0),
        errors=stats.get("wxwatch/errors", 0),
        links_found=stats.get("wxwatch/links_found", 0),
        not_modified=stats.get("wxwatch/not_modified", 0),
        links_skipped=stats.get("wxwatch/links_skipped", 0),
        skipped_reasons=skipped_reasons(stats),
        error=error,
        warning=source_warning(stats),
    )


def skipped_reasons(stats: dict) -> str | None:
    """The per-reason counts of skipped listing links, as a JSON object (None when nothing was skipped)."""
    reasons = {key.removeprefix(SKIPPED_STAT_PREFIX): count for key, count in stats.items()
               if key.startswith(SKIPPED_STAT_PREFIX)}
    return json.dumps(dict(sorted(reasons.items())), ensure_ascii=False) if reasons else None


def source_warning(stats: dict) -> str | None:
    """Why a source that did not fail still deserves a look."""
    if stats.get(SELECTOR_EMPTY_STAT) and stats.get("wxwatch/links_skipped"):
        return (f"listing page has no article link ({stats['wxwatch/links_skipped']} links skipped as not "
                "article-like; set link_selector or article_url_pattern)")
    if stats.get(SELECTOR_EMPTY_STAT):
        return "listing page has no article link (link_selector matches nothing; did the layout change?)"
    return None


class RunRecorder:
    """On spider close, write the source's SourceResult under the current run id."""

    def __init__(self, crawler: Crawler, log: RunLog, run_id: int) -> None:
        self.crawler = crawler
        self.log = log
        self.run_id = run_id

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RunRecorder:
        run_id = crawler.settings.getint("WXWATCH_RUN_ID")
        if not run_id:
            raise NotConfigured("no WXWATCH_RUN_ID: not a recorded run")
        recorder = cls(crawler, run_log(crawler.settings), run_id)
        crawler.signals.connect(recorder.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(recorder.record, signal=SOURCE_CLOSED)
        return recorder

    def spider_closed(self, spider: Spider, reason: str) -> None:
        """A one-source spider (`scrapy crawl feed -a source=NAME`) closed; the run spider sends SOURCE_CLOSED."""
        source = getattr(spider, "source", None)
        if source is not None:
            self.record(source.name, self.crawler.stats.get_stats(), reason)

    def record(self, source: str, stats: dict, reason: str) -> None:
        """Write one source's result row (from its stats and close reason) under the run id."""
        name = source
        result = source_result(name, stats, reason)
        try:
            self.log.record_source(self.run_id, result)
        except sqlite3.Error as exc:  # the runner records the source as failed when it can write again
            logger.error("source %s: cannot record its result: %s", name, exc)
            return
        if result.status == "failed":
            logger.warning("source %s failed: %s", name, result.error)
