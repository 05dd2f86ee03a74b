"""The floor pipeline: bare Scrapy + trafilatura in a process pool on every core + batched SQLite inserts.

Usage: python benchmarks/floor_pipeline.py URLS_FILE DB [--concurrency 16] [--workers N] [--batch 100]
(prints JSON: pages, articles, texts, seconds)

The least a crawler that stores main texts must do: fetch every URL of the list (feeds and listings are fetched
and discarded, as the bare Scrapy run does), hand each article page's bytes to a worker process that runs
trafilatura (main text), and insert (url, text, html) rows into SQLite in batches, one
transaction per batch. No link discovery, diffing, reprint detection or metric extraction: the target for
`wxwatch crawl` is a fraction of this rate.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sqlite3
import sys
import time
from collections.abc import AsyncIterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import scrapy
from scrapy.crawler import CrawlerProcess

ARTICLE_MARK = "/20"  # article paths of the benchmark site: /cNN/YYYYMM/NNNNNN.html


def page_text(body: bytes) -> tuple[str, str]:
    """(main text, html) of one page; runs in a worker process. Main text only: trafilatura's metadata (title,
    date) would double its cost (10.3 vs 5.2 ms per site page), and a floor is the least work."""
    import trafilatura

    html = body.decode("utf-8", "replace")
    return trafilatura.extract(html, include_comments=False) or "", html


class Batcher:
    """Rows inserted into SQLite `size` at a time, each batch in one transaction."""

    def __init__(self, path: Path, size: int) -> None:
        self.conn = sqlite3.connect(path)
        self.conn.execute("pragma journal_mode = wal")
        self.conn.execute("pragma synchronous = normal")
        self.conn.execute("create table if not exists articles (id integer primary key, url text unique,"
                          " text text, html text)")
        self.size, self.rows, self.stored = size, [], 0

    def add(self, row: tuple[str, str, str]) -> None:
        self.rows.append(row)
        if len(self.rows) >= self.size:
            self.flush()

    def flush(self) -> None:
        with self.conn:
            self.conn.executemany("insert or replace into articles (url, text, html) values (?, ?, ?)",
                                  self.rows)
        self.stored += len(self.rows)
        self.rows = []


class FloorSpider(scrapy.Spider):
    name = "floor"
    pages = 0
    texts = 0

    def __init__(self, urls: list[str], pool: ProcessPoolExecutor, batcher: Batcher, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self.urls, self.pool, self.batcher = urls, pool, batcher

    async def start(self) -> AsyncIterator:
        for url in self.urls:
            yield scrapy.Request(url, self.parse_page, dont_filter=True)

    async def parse_page(self, response: scrapy.http.Response) -> None:
        """Article pages go to the pool (awaited: Scrapy's concurrency bounds what is in flight)."""
        FloorSpider.pages += 1
        if ARTICLE_MARK not in response.url:
            return
        text, html = await asyncio.wrap_future(self.pool.submit(page_text, response.body))
        FloorSpider.texts += bool(text)
        self.batcher.add((response.url, text, html))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("urls", type=Path)
    parser.add_argument("db", type=Path)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--batch", type=int, default=100)
    args = parser.parse_args()
    urls = args.urls.read_text().split()
    batcher = Batcher(args.db, args.batch)
    process = CrawlerProcess({
        "LOG_LEVEL": "WARNING", "TELNETCONSOLE_ENABLED": False, "COOKIES_ENABLED": False, "ROBOTSTXT_OBEY": False,
        "CONCURRENT_REQUESTS": args.concurrency, "CONCURRENT_REQUESTS_PER_DOMAIN": args.concurrency,
        "DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": False,
        "TWISTED_REACTOR": "twisted.internet.asyncioreactor.AsyncioSelectorReactor",
    })
    started = time.perf_counter()
    with ProcessPoolExecutor(args.workers) as pool:
        process.crawl(FloorSpider, urls=urls, pool=pool, batcher=batcher)
        process.start()
    batcher.flush()
    print(json.dumps({"pages": FloorSpider.pages, "articles": batcher.stored, "texts": FloorSpider.texts,
                      "seconds": time.perf_counter() - started}))


if __name__ == "__main__":
    sys.exit(main())
