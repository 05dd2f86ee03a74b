"""A polling site for the benchmarks: N small RSS feeds spread over H loopback hosts (127.0.0.2, 127.0.0.3, ...).

Feed i lives on host 127.0.0.(2 + i mod H) at /fNNNN/rss.xml with one item linking to a short article page on the
same host. The loop server binds 0.0.0.0, so every loopback address reaches it (Linux routes all of 127/8 to lo)
and each address is a distinct host for Scrapy's per-domain politeness and robots.txt.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from pathlib import Path

from bench_extract import source_paragraphs
from newssite import write

ROBOTS = b"User-agent: *\nDisallow: /private/\n"


@dataclass(frozen=True)
class PollSite:
    root: Path
    feeds: int
    hosts: int

    def host(self, feed: int) -> str:
        return f"127.0.0.{2 + feed % self.hosts}"

    def feed_urls(self, port: int) -> list[str]:
        return [f"http://{self.host(i)}:{port}{feed_path(i)}" for i in range(self.feeds)]


def feed_path(feed: int) -> str:
    return f"/f{feed:04d}/rss.xml"


def article_path(feed: int) -> str:
    return f"/f{feed:04d}/202301/{feed:06d}.html"


def build_poll_site(root: Path, feeds: int, hosts: int) -> PollSite:
    """Write the feeds and their article pages (about 4 KB each) under `root`."""
    if not 1 <= hosts <= 250:
        raise ValueError("hosts: between 1 and 250 (127.0.0.2 .. 127.0.0.251)")
    paragraphs = [p for p in source_paragraphs() if "](" not in p] or ["微信发布了新的数据。"]
    write(root, "/robots.txt", ROBOTS)
    for feed in range(feeds):
        title = f"订阅源{feed}的文章"
        body = "".join(f"<p>{escape(paragraphs[(feed * 3 + k) % len(paragraphs)])}</p>" for k in range(3))
        write(root, article_path(feed), (
            f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>{title}</title>'
            f'<meta property="article:published_time" content="2023-01-01T08:00:00+08:00"></head>'
            f"<body><article><h1>{title}</h1><div class=\"content\">{body}</div></article></body></html>").encode())
        write(root, feed_path(feed), (
            f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>源{feed}</title>'
            f"<link>/</link><description>轮询基准</description><item><title>{title}</title>"
            f"<link>{article_path(feed)}</link><guid>{article_path(feed)}</guid>"
            "<pubDate>Sun, 01 Jan 2023 00:00:00 +0000</pubDate></item></channel></rss>").encode())
    return PollSite(root, feeds, hosts)


def poll_settings(site: PollSite, port: int, db: Path, fast: bool) -> str:
    """One feed source per feed; `fast` drops the politeness delay (for the un-timed first crawl only)."""
    fast_crawler = "[crawler]\nautothrottle = false\ndownload_delay = 0.0\nconcurrent_requests_per_domain = 8\n"
    crawler = fast_crawler if fast else ""
    lines = [f'[storage]\npath = "{db}"\n', crawler]
    lines += [f'[[sources]]\nname = "f{i:04d}"\nkind = "feed"\nurl = "{url}"\nallow_private = true\n'
              for i, url in enumerate(site.feed_urls(port))]
    return "\n".join(lines)
