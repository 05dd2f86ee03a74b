"""The one crawl code path, shared by `wxwatch crawl` and the daemon: crawl, then process the new articles."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field

from wxwatch.analysis import AnalysisReport, FiguresMemo, analyse_new_articles, check_source_health
from wxwatch.config import Config
from wxwatch.crawler.pagework import PageWork, worker_count
from wxwatch.crawler.runner import CrawlReport, ProgressCallback, run_crawl
from wxwatch.events.model import MetricEvent
from wxwatch.metrics.catalog import load_catalog
from wxwatch.notify.dispatch import DispatchReport, dispatch_pending
from wxwatch.notify.targets import TargetError
from wxwatch.storage.db import open_database
from wxwatch.storage.lock import CrawlLock
from wxwatch.storage.runs import SourceResult

logger = logging.getLogger(__name__)


@dataclass
class CrawlJobReport:
    """A crawl job's outcome: the crawl, what extraction found, the alerts queued and what was delivered."""

    crawl: CrawlReport
    analysis: AnalysisReport
    health: list[MetricEvent] = field(default_factory=list)
    dispatch: DispatchReport | None = None

    @property
    def run_id(self) -> int:
        return self.crawl.run_id

    @property
    def results(self) -> list[SourceResult]:
        return self.crawl.results

    @property
    def ok(self) -> bool:
        return self.crawl.ok


def run_crawl_job(
    config: Config,
    sources: Sequence[str] = (),
    *,
    refresh: bool = False,
    alert_baseline: bool = False,
    trigger: str = "manual",
    log_level: str = "WARNING",
    progress: ProgressCallback | None = None,
    lock_wait: float = 0.0,
) -> CrawlJobReport:
    """One crawl pass over `sources` (all when empty), recorded as a run, holding the database's crawl lock.

    Raises storage.lock.LockHeld when another crawl still holds the lock after `lock_wait` seconds.
    """
    command = "wxwatch crawl" if trigger == "manual" else f"wxwatch crawl --trigger {trigger}"
    # the page workers are forked first: they must not inherit the lock (a killed crawl's workers would hold it)
    # the workers also extract each page's figures (analysis then reuses them): they get the catalog at the fork
    catalog = load_catalog(config.metrics.catalog)
    with PageWork(worker_count(config.crawler.workers), catalog) as pagework, \
            CrawlLock(config.storage.path, command=command, wait=lock_wait):
        crawl = run_crawl(config, sources, refresh=refresh, trigger=trigger, log_level=log_level, progress=progress,
                          pagework=pagework)
        pagework.close()  # the workers' memory goes back before analysis
        report = process_crawl(config, crawl, alert_baseline=alert_baseline, precomputed=pagework.figures)
    logger.info("run %d finished: %s", report.run_id, "ok" if report.ok else "some sources failed")
    return report


def process_crawl(config: Config, crawl: CrawlReport, *, alert_baseline: bool = False,
                  precomputed: FiguresMemo | None = None) -> CrawlJobReport:
    """After the crawl: metrics from new and updated articles, source health, then deliver pending alerts.

    Each step picks up where a killed run left off: articles not yet extracted are found by content hash,
    and alerts still pending in the outbox are sent by whichever run comes next.
    """
    db = open_database(config.storage.path)
    analysis = analyse_new_articles(db, config, crawl.run_id, alert_baseline=alert_baseline, precomputed=precomputed)
    health = check_source_health(db, config, crawl.run_id)
    try:
        dispatch = dispatch_pending(db, config.notify)
    except TargetError as exc:  # the alerts stay in the outbox for the next run
        logger.error("alerts not delivered: %s", exc)
        dispatch = None
    return CrawlJobReport(crawl, analysis, health, dispatch)
