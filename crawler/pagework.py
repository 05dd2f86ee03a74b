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
from dataclasses import dataclass

from wxwatch.storage.neardup import TextSignature, compare_text, signature
from wxwatch.text.pages import ParsedPage, parse_article_page

logger = logging.getLogger(__name__)

PR_SET_PDEATHSIG = 1  # linux/prctl.h


@dataclass(frozen=True)
class PageResult:
    """A parsed article page with its precomputed reprint-detection inputs (None when it has no main text)."""

    page: ParsedPage
    compare_text: str | None
    signature: TextSignature | None


def page_work(body: bytes, declared_charset: str | None, url: str, tz: str) -> PageResult:
    """Everything done to one article page before storage; the same function runs in a worker or in-process."""
    page = parse_article_page(body, declared_charset, url, tz)
    if not page.text:
        return PageResult(page, None, None)
    compare = compare_text(page.text)
    return PageResult(page, compare, signature(compare))


def die_with_parent(parent: int) -> None:
    """Worker initializer: a worker ends when the crawl process dies (SIGKILL included), it is never orphaned."""
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

    def __init__(self, workers: int) -> None:
        self.pool: ProcessPoolExecutor | None = None
        if workers > 1:
            self.pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"),
                                            initializer=die_with_parent, initargs=(os.getpid(),))
            for future in [self.pool.submit(os.getpid) for _ in range(workers)]:
                future.result()  # all workers forked now, while this process has no other thread

    async def parse(self, body: bytes, declared_charset: str | None, url: str, tz: str) -> PageResult:
        """The page's result, computed by a worker while this process keeps crawling."""
        if self.pool is not None:
            loop = asyncio.get_running_loop()
            try:
                return await loop.run_in_executor(self.pool, page_work, body, declared_charset, url, tz)
            except BrokenProcessPool:
                self._pool_broken()
        return page_work(body, declared_charset, url, tz)

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
