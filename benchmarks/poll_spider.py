"""Bare Scrapy poller: one crawler fetching a list of feeds with conditional GETs (ETag / Last-Modified).

Usage: python benchmarks/poll_spider.py URLS_FILE STATE_JSON [--fast]   (prints JSON: pages, not_modified, seconds)

Without STATE_JSON on disk it fetches every feed and records the validators; with it, it sends
If-None-Match / If-Modified-Since and counts the 304s. Politeness as wxwatch's defaults (robots.txt obeyed,
autothrottle, 1 s download delay, 2 requests per host) unless `--fast` (no delay: for the recording pass).
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


class PollSpider(scrapy.Spider):
    name = "poll"
    pages = 0
    not_modified = 0

    def __init__(self, urls: list[str], validators: dict[str, dict[str, str]], **kwargs: object) -> None:
        super().__init__(**kwargs)
        self.urls, self.validators, self.seen = urls, validators, {}

    async def start(self) -> AsyncIterator:
        for url in self.urls:
            known = self.validators.get(url, {})
            headers = {name: value for name, value in (("If-None-Match", known.get("etag")),
                                                        ("If-Modified-Since", known.get("last_modified"))) if value}
            yield scrapy.Request(url, self.parsed, headers=headers, dont_filter=True,
                                 meta={"handle_httpstatus_list": [304]})

    def parsed(self, response: scrapy.http.Response) -> None:
        PollSpider.pages += 1
        PollSpider.not_modified += response.status == 304
        self.seen[response.url] = {
            "etag": (response.headers.get("ETag") or b"").decode(),
            "last_modified": (response.headers.get("Last-Modified") or b"").decode(),
        }


def settings(fast: bool) -> dict:
    polite = {"DOWNLOAD_DELAY": 1.0, "AUTOTHROTTLE_ENABLED": True, "AUTOTHROTTLE_START_DELAY": 1.0,
              "AUTOTHROTTLE_TARGET_CONCURRENCY": 2.0, "CONCURRENT_REQUESTS_PER_DOMAIN": 2}
    quick = {"DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": False, "CONCURRENT_REQUESTS_PER_DOMAIN": 8}
    return {"LOG_LEVEL": "WARNING", "TELNETCONSOLE_ENABLED": False, "COOKIES_ENABLED": False, "ROBOTSTXT_OBEY": True,
            "CONCURRENT_REQUESTS": 16, "HTTPCACHE_ENABLED": False,
            "TWISTED_REACTOR": "twisted.internet.asyncioreactor.AsyncioSelectorReactor"} | (quick if fast else polite)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("urls", type=Path)
    parser.add_argument("state", type=Path)
    parser.add_argument("--fast", action="store_true")
    args = parser.parse_args()
    urls = args.urls.read_text().split()
    validators = json.loads(args.state.read_text()) if args.state.exists() else {}
    process = CrawlerProcess(settings(args.fast))
    crawler = process.create_crawler(PollSpider)
    started = time.perf_counter()
    process.crawl(crawler, urls=urls, validators=validators)
    process.start()
    seconds = time.perf_counter() - started
    if not validators:
        args.state.write_text(json.dumps(crawler.spider.seen))
    print(json.dumps({"pages": PollSpider.pages, "not_modified": PollSpider.not_modified, "seconds": seconds}))


if __name__ == "__main__":
    sys.exit(main())
