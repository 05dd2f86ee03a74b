"""The one crawl code path, shared by `wxwatch crawl` and the daemon: crawl, then process the new articles."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from crawler.runner import CrawlReport, ProgressCallback, run_crawl
from wxwatch.config import Config

logger = logging.getLogger(__name__)


def run_crawl_job(
    config: Config,
    sources: Sequence[str] = (),
    *,
    refresh: bool = False,
    trigger: str = "manual",
    log_level: str = "WARNING",
    progress: ProgressCallback | None = None,
) -> CrawlReport:
    """One crawl pass over `sources` (all when empty), recorded as a run."""
    report = run_crawl(config, sources, refresh=refresh, trigger=trigger, log_level=log_level, progress=progress)
    logger.info("run %d finished: %s", report.run_id, "ok" if report.ok else "some sources failed")
    return report
