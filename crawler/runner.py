"""Run one crawl pass over the configured sources in this process and record it as a run."""

from __future__ import annotations

import logging
import signal
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from scrapy import signals
from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings
from twisted.internet.defer import Deferred, DeferredSemaphore
from twisted.python.failure import Failure

from wxwatch.config import Config, ConfigError, SourceConfig
from wxwatch.crawler.spiders.feed import FeedSpider
from wxwatch.crawler.spiders.listing import ListingSpider
from wxwatch.storage.db import open_database
from wxwatch.storage.runs import RunLog, SourceResult

logger = logging.getLogger(__name__)

SPIDERS = {"feed": FeedSpider, "listing": ListingSpider, "releases": ListingSpider}
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


def scrapy_settings(config: Config, run_id: int, log_level: str = "WARNING") -> Settings:
    """The project's Scrapy settings overlaid with the user's [crawler] table and the run's context."""
    settings = Settings()
    settings.setmodule("wxwatch.crawler.settings", priority="project")
    crawler = config.crawler
    settings.setdict(
        {
            "USER_AGENT": crawler.user_agent,
            "AUTOTHROTTLE_ENABLED": crawler.autothrottle,
            "DOWNLOAD_DELAY": crawler.download_delay,
            "AUTOTHROTTLE_START_DELAY": max(crawler.download_delay, 0.01),
            "CONCURRENT_REQUESTS_PER_DOMAIN": crawler.concurrent_requests_per_domain,
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
) -> CrawlReport:
    """Crawl the selected sources once (blocking); every source gets a result row."""
    sources = select_sources(config, source_names)
    if not sources:
        raise ConfigError("sources: no source to crawl")
    runs = RunLog(open_database(config.storage.path))
    signal.signal(signal.SIGTERM, _exit_on_sigterm)  # until Scrapy installs its own graceful handlers
    run_id = runs.start_run(trigger)
    try:  # whatever happens from here on (SIGTERM included), the run is closed
        process = CrawlerProcess(scrapy_settings(config, run_id, log_level))
        _restore_log_levels(log_level)
        slots = DeferredSemaphore(config.crawler.parallel_sources)  # bounds memory: one crawler per source
        for source in sources:
            started = slots.run(_start_source, process, source, refresh, progress)
            started.addErrback(_log_crawl_failure, source.name)
        process.start()
    finally:
        report = _finish(runs, run_id, sources)
    return report


def _start_source(process: CrawlerProcess, source: SourceConfig, refresh: bool,
                  progress: ProgressCallback | None) -> Deferred:
    """Create and start one source's crawler (when a parallel slot is free); fires when it has finished."""
    crawler = process.create_crawler(SPIDERS[source.kind])
    if progress:
        _connect_progress(crawler, source.name, progress)
    return process.crawl(crawler, source=source, refresh=refresh)


def _log_crawl_failure(failure: Failure, name: str) -> None:
    logger.error("source %s: crawler failed: %s", name, failure.getErrorMessage())


def _exit_on_sigterm(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)


def _restore_log_levels(log_level: str) -> None:
    """Scrapy's logging set-up resets its loggers to DEBUG; the entry point's handler decides."""
    for name in ("scrapy", "twisted", "py.warnings"):
        logging.getLogger(name).setLevel(log_level)


def _connect_progress(crawler, name: str, progress: ProgressCallback) -> None:
    crawler.signals.connect(lambda **_: progress(name, "page"), signal=signals.response_received, weak=False)
    crawler.signals.connect(lambda **_: progress(name, "item"), signal=signals.item_scraped, weak=False)


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
