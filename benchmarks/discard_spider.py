"""Bare Scrapy: fetch every URL of a list and discard the responses (the limit of the crawling stack).

Usage: python benchmarks/discard_spider.py URLS_FILE [--concurrency 16]   (prints JSON: pages, seconds)
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path

import scrapy
from scrapy.crawler import CrawlerProcess


class DiscardSpider(scrapy.Spider):
    name = "discard"
    pages = 0

    def __init__(self, urls: list[str], **kwargs: object) -> None:
        super().__init__(**kwargs)
        self.urls = urls

    async def start(self) -> AsyncIterator:
        for url in self.urls:
            yield scrapy.Request(url, self.discard, dont_filter=True)

    def discard(self, response: scrapy.http.Response) -> None:
        DiscardSpider.pages += 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("urls", type=Path)
    parser.add_argument("--concurrency", type=int, default=16)
    args = parser.parse_args()
    urls = args.urls.read_text().split()
    process = CrawlerProcess({
        "LOG_LEVEL": "WARNING", "TELNETCONSOLE_ENABLED": False, "COOKIES_ENABLED": False, "ROBOTSTXT_OBEY": False,
        "CONCURRENT_REQUESTS": args.concurrency, "CONCURRENT_REQUESTS_PER_DOMAIN": args.concurrency,
        "DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": False,
        "TWISTED_REACTOR": "twisted.internet.asyncioreactor.AsyncioSelectorReactor",
    })
    process.crawl(DiscardSpider, urls=urls)
    started = time.perf_counter()
    process.start()
    print(json.dumps({"pages": DiscardSpider.pages, "seconds": time.perf_counter() - started}))


if __name__ == "__main__":
    sys.exit(main())
