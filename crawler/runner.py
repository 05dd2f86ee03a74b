"""Run one crawl pass over the configured sources in this process and record it as a run."""

from __future__ import annotations

import logging
import signal
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from scrapy import signals
from scrapy.crawler import Crawler, CrawlerProcess
from scrapy.settings import Settings
from twisted.python.failure import Failure

from wxwatch.config import Config, ConfigError, SourceConfig
from wxwatch.crawler.pagework import PageWork, worker_count
from wxwatch.crawler.spiders.base import SOURCE_META
from wxwatch.crawler.spiders.run import RunSpider
from wxwatch.storage.db import open_database
from wxwatch.storage.runs import RunLog, SourceResult

logger = logging.getLogger(__name__)

CONCURRENT_ITEMS = 4  # items processed at once per response (Scrapy's 100 costs an asyncio task each per callback)
# Scrapy 2.19's downloader hands a slot's whole queue to the network at once when its delay is 0 (the request
# joins `transferring` only once its coroutine runs), so a host would get more than CONCURRENT_REQUESTS_PER_DOMAIN
# at once; any delay makes it send one request per pass. 1 ms still allows 1,000 requests/s per host.
MIN_DOWNLOAD_DELAY = 0.001
ProgressCallback = Callable[[str, str], None]  # (source name, event: "page" | "item")


@dataclass
class CrawlReport:
    run_id: int
    results: list[SourceResult] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(result.status == "ok" for result in self.results)


def select_sources(config: Config, names: Sequence[str]) -> list[SourceConfig]:
    """The sources to crawl: the named ones (in that order), else every enabled one."""
    if not names:
        return [source for source in config.sources if source.enabled]
    return [config.source(name) for name in names]


def concurrent_requests(config: Config) -> int:
    """The crawler's global limit: every open source's host at its per-host limit (hosts are the real bound).

    Politeness is per host (CONCURRENT_REQUESTS_PER_DOMAIN); the global limit only bounds the responses held in
    memory, so it lets `parallel_sources` sources on distinct hosts run at full per-host speed, at least 16.
    """
    crawler = config.crawler
    return max(16, crawler.parallel_sources * crawler.concurrent_requests_per_domain)


def scrapy_settings(config: Config, run_id: int, log_level: str = "WARNING",
                    pagework: PageWork | None = None) -> Settings:
    """The project's Scrapy settings overlaid with the user's [crawler] table and the run's context."""
    settings = Settings()
    settings.setmodule("wxwatch.crawler.settings", priority="project")
    crawler = config.crawler
    settings.setdict(
        {
            "USER_AGENT": crawler.user_agent,
            "AUTOTHROTTLE_ENABLED": crawler.autothrottle,
            "DOWNLOAD_DELAY": max(crawler.download_delay, MIN_DOWNLOAD_DELAY),
            "AUTOTHROTTLE_START_DELAY": max(crawler.download_delay, 0.01),
            "CONCURRENT_REQUESTS_PER_DOMAIN": crawler.concurrent_requests_per_domain,
            "CONCURRENT_REQUESTS": concurrent_requests(config),
            "CONCURRENT_ITEMS": CONCURRENT_ITEMS,
            "DOWNLOAD_TIMEOUT": crawler.download_timeout,
            "RETRY_TIMES": crawler.retry_times,
            "DOWNLOAD_MAXSIZE": crawler.max_response_bytes,
            "ROBOTSTXT_OBEY": crawler.obey_robots,
            "LOG_LEVEL": log_level,
            "LOG_INSTALL_ROOT_HANDLER": False,
            "WXWATCH_CONFIG_OBJECT": config,
            "WXWATCH_DB_PATH": str(config.storage.path),
            "WXWATCH_RUN_ID": run_id,
            "WXWATCH_MAX_ARTICLES_PER_SOURCE": crawler.max_articles_per_source,
            "WXWATCH_PARALLEL_SOURCES": crawler.parallel_sources,
            "WXWATCH_PAGEWORK": pagework,
        },
        priority="cmdline",
    )
    return settings


def run_crawl(
    config: Config,
    source_names: Sequence[str] = (),
    *,
    refresh: bool = False,
    trigger: str = "manual",
    log_level: str = "WARNING",
    progress: ProgressCallback | None = None,
    pagework: PageWork | None = None,
) -> CrawlReport:
    """Crawl the selected sources once (blocking); every source gets a result row.

    `pagework`: the page-work pool, forked by the caller before it took the crawl lock (else one is made here).
    """
    sources = select_sources(config, source_names)
    if not sources:
        raise ConfigError("sources: no source to crawl")
    runs = RunLog(open_database(config.storage.path))
    signal.signal(signal.SIGTERM, _exit_on_sigterm)  # until Scrapy installs its own graceful handlers
    run_id = runs.start_run(trigger)
    own_pagework = pagework is None
    try:  # whatever happens from here on (SIGTERM included), the run is closed
        if pagework is None:
            pagework = PageWork(worker_count(config.crawler.workers))  # forked before the reactor and its threads
        process = CrawlerProcess(scrapy_settings(config, run_id, log_level, pagework))
        _restore_log_levels(log_level)
        crawler = process.create_crawler(RunSpider)
        if progress:
            _connect_progress(crawler, progress)
        process.crawl(crawler, sources=sources, refresh=refresh).addErrback(_log_crawl_failure)
        process.start()
    finally:
        if own_pagework and pagework is not None:
            pagework.close()
        report = _finish(runs, run_id, sources)
    return report


def _log_crawl_failure(failure: Failure) -> None:
    logger.error("crawler failed: %s", failure.getErrorMessage())


def _exit_on_sigterm(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)


def _restore_log_levels(log_level: str) -> None:
    """Scrapy's logging set-up resets its loggers to DEBUG; the entry point's handler decides."""
    for name in ("scrapy", "twisted", "py.warnings"):
        logging.getLogger(name).setLevel(log_level)


def _connect_progress(crawler: Crawler, progress: ProgressCallback) -> None:
    def page(request, **_) -> None:
        if SOURCE_META in request.meta:
            progress(request.meta[SOURCE_META], "page")

    def item(item, **_) -> None:
        progress(item.source, "item")

    crawler.signals.connect(page, signal=signals.response_received, weak=False)
    crawler.signals.connect(item, signal=signals.item_scraped, weak=False)


def _finish(runs: RunLog, run_id: int, sources: list[SourceConfig]) -> CrawlReport:
    """Give sources whose spider never closed a failed row, then close the run."""
    recorded = {result.source for result in runs.results(run_id)}
    for source in sources:
        if source.name not in recorded:
            runs.record_source(run_id, SourceResult(source.name, status="failed", error="crawl did not finish"))
    results = runs.results(run_id)
    report = CrawlReport(run_id, results)
    runs.finish_run(run_id, "ok" if report.ok else "partial")
    return report
