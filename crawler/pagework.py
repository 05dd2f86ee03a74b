"""Article page work (decode, main text, title/date, normalisation, band keys) in a process pool or in-process."""

from __future__ import annotations

import asyncio
import ctypes
import logging
import multiprocessing
import os
import signal
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, replace

from wxwatch.metrics.article import ArticleFigures, article_figures, figures_key
from wxwatch.metrics.catalog import Catalog
from wxwatch.storage.neardup import TextSignature, compare_text, signature
from wxwatch.storage.pagezip import compress_html
from wxwatch.text.pages import ParsedPage, parse_article_page

logger = logging.getLogger(__name__)

PR_SET_PDEATHSIG = 1  # linux/prctl.h


@dataclass(frozen=True)
class PageResult:
    """A parsed article page with what is precomputed from it (None when it has no main text): reprint-detection
    inputs and, given a catalog, its figures. `title` / `published`: the listing's or feed's, else the page's."""

    page: ParsedPage
    title: str
    published: str | None
    compare_text: str | None = None
    signature: TextSignature | None = None
    figures: ArticleFigures | None = None
    page_zstd: bytes | None = None  # the page compressed for storage (`page.html` is then left empty)


_worker_catalog: Catalog | None = None  # set in each worker process by its initializer


def page_work(body: bytes, declared_charset: str | None, url: str, tz: str,
              listed: tuple[str | None, str | None] = (None, None),
              catalog: Catalog | None = None) -> PageResult:
    """Everything done to one article page before storage; the same function runs in a worker or in-process.

    `listed`: the (title, published) the feed or listing gave, which win over the page's own."""
    page = parse_article_page(body, declared_charset, url, tz)
    title, published = listed[0] or page.title, listed[1] or page.published
    if not page.text:
        return PageResult(page, title, published)
    compare = compare_text(page.text)
    figures = article_figures(title, page.text, published, catalog) if catalog is not None else None
    stored_page = replace(page, html="")  # sent back compressed: a quarter of the bytes to pass between processes
    return PageResult(stored_page, title, published, compare, signature(compare), figures, compress_html(page.html))


def worker_page_work(body: bytes, declared_charset: str | None, url: str, tz: str,
                     listed: tuple[str | None, str | None]) -> PageResult:
    """`page_work` in a worker, with the catalog the worker was started with."""
    return page_work(body, declared_charset, url, tz, listed, _worker_catalog)


def start_worker(parent: int, catalog: Catalog | None) -> None:
    """Worker initializer: keep the catalog (inherited by fork, not pickled) and end with the crawl process."""
    global _worker_catalog
    _worker_catalog = catalog
    die_with_parent(parent)


def die_with_parent(parent: int) -> None:
    """A worker ends when the crawl process dies (SIGKILL included), it is never orphaned."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # not Linux: the pool's own shutdown still ends the workers
        pass
    if os.getppid() != parent:  # the parent died before the line above
        os._exit(1)


def worker_count(configured: int) -> int:
    """`[crawler] workers`: 0 = one per core available to this process; 1 = in-process (no pool)."""
    return configured or len(os.sched_getaffinity(0))


class PageWork:
    """Runs `page_work` in a pool of forked worker processes (when workers > 1), else in the calling process.

    The pool is forked when it is created, before the reactor and its threads exist and before the crawl lock
    is taken and the database opened (the workers inherit no lock and no connection); workers die with the crawl
    process. A pool that breaks (a worker killed) is logged once and the work of that page and every later one is
    done in-process.
    """

    def __init__(self, workers: int, catalog: Catalog | None = None) -> None:
        self.pool: ProcessPoolExecutor | None = None
        self.catalog = catalog  # given: pages' figures are extracted with the page work
        self.figures: dict[str, ArticleFigures] = {}  # figures_key -> figures, for analysis after the crawl
        if workers > 1:
            self.pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"),
                                            initializer=start_worker, initargs=(os.getpid(), catalog))
            for future in [self.pool.submit(os.getpid) for _ in range(workers)]:
                future.result()  # all workers forked now, while this process has no other thread

    async def parse(self, body: bytes, declared_charset: str | None, url: str, tz: str,
                    listed: tuple[str | None, str | None] = (None, None)) -> PageResult:
        """The page's result, computed by a worker while this process keeps crawling; its figures are kept for
        analysis (`figures`)."""
        result = await self._work(body, declared_charset, url, tz, listed)
        if result.figures is not None:
            self.figures[figures_key(result.title, result.page.text, result.published)] = result.figures
        return result

    async def _work(self, body: bytes, declared_charset: str | None, url: str, tz: str,
                    listed: tuple[str | None, str | None]) -> PageResult:
        if self.pool is not None:
            loop = asyncio.get_running_loop()
            try:
                return await loop.run_in_executor(self.pool, worker_page_work, body, declared_charset, url, tz, listed)
            except BrokenProcessPool:
                self._pool_broken()
        return page_work(body, declared_charset, url, tz, listed, self.catalog)

    def _pool_broken(self) -> None:
        if self.pool is not None:
            logger.error("page worker process died: the rest of this crawl parses pages in-process")
            self.pool.shutdown(wait=False, cancel_futures=True)
            self.pool = None

    def __deepcopy__(self, memo: dict) -> PageWork:
        return self  # Scrapy copies its settings per crawler; the pool is one per process

    def __enter__(self) -> PageWork:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None


IN_PROCESS = PageWork(1)
