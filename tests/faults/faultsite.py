"""Builders for fault tests: a news site of many articles with figures, and settings files for any sources."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

from wxwatch.sample.pages import SamplePost, article_page, listing_page, rss_feed
from wxwatch.sample.server import Route, SiteServer

BASE = "{{BASE_URL}}"
FAST_CRAWLER = {
    "user_agent": "wxwatch-faults", "autothrottle": False, "download_delay": 0.0,
    "concurrent_requests_per_domain": 8, "download_timeout": 1.0, "retry_times": 1, "obey_robots": False,
}


PHRASES = ("记者在现场了解到", "多位开发者表示", "商家的数量明显增长", "线下门店接入了新的服务", "行业分析师认为",
           "用户的使用习惯正在改变", "平台公布了新的扶持计划", "中小企业获得了更多流量", "直播带货的规模继续扩大",
           "公益项目吸引了大量参与者", "跨境支付的场景不断丰富", "政务服务实现了掌上办理", "教育机构开设了线上课堂",
           "医疗预约排队时间缩短", "出行服务覆盖了更多城市", "文旅景区推出了电子门票")


def filler(index: int) -> str:
    """A paragraph of its own for article `index` (so no two articles look like reprints of each other)."""
    picks = [PHRASES[(index * 7 + k * (index % 5 + 3)) % len(PHRASES)] for k in range(6)]
    return f"第{index}篇：" + "，".join(f"{phrase}{(index * 31 + k) % 97}次" for k, phrase in enumerate(picks)) + "。"


def news_post(index: int, prefix: str = "/news") -> SamplePost:
    """Article `index`: its own year, so each one reports a newer figure than the one before."""
    year = 1990 + index
    body = (f"<p>{year}年，小程序日活突破{1 + index / 10:g}亿，搜一搜月活用户过{2 + index / 10:g}亿。</p>"
            f"<p>{filler(index)}</p><p>{filler(index + 1000)}</p>")
    published = datetime.fromisoformat(f"{year}-06-01T09:00:00+08:00")
    return SamplePost(f"{prefix}/{index:03d}.html", f"微信数据第{index}期：小程序日活突破{1 + index / 10:g}亿",
                      published, body)


def add_news(site: SiteServer, count: int, start: int = 0) -> list[SamplePost]:
    """Publish `count` articles: the listing at /news/ (newest first, pages of 10), a feed of every third one."""
    posts = [news_post(i) for i in reversed(range(start, start + count))]
    for post in posts:
        site.routes[post.path] = Route(article_page(post).encode())
    pages = [posts[i:i + 10] for i in range(0, len(posts), 10)] or [[]]
    for number, page in enumerate(pages, start=1):
        following = f"/news/list{number + 1}.html" if number < len(pages) else None
        site.routes[f"/news/list{number}.html"] = Route(listing_page("新闻", page, following).encode())
    site.routes["/feed.xml"] = Route(rss_feed("快讯", BASE, posts[::3], full_content=False).encode(),
                                     "application/rss+xml; charset=utf-8")
    return posts


def news_sources(base_url: str, pages: int = 10) -> list[dict]:
    return [
        {"name": "news", "kind": "listing", "url": f"{base_url}/news/list1.html", "link_selector": "ul.list a",
         "next_selector": "a.next", "max_pages": pages, "allow_private": True},
        {"name": "feed", "kind": "feed", "url": f"{base_url}/feed.xml", "allow_private": True},
    ]


def toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return json.dumps(value, ensure_ascii=False)


def write_settings(path: Path, db: Path, sources: list[dict], *, crawler: dict | None = None,
                   notify: dict | None = None, extra: str = "") -> Path:
    """A settings file: the fast crawler defaults (overridable), optional [notify], one table per source."""
    lines = ["[storage]", f"path = {toml_value(str(db))}", "", "[crawler]"]
    lines += [f"{key} = {toml_value(value)}" for key, value in (FAST_CRAWLER | (crawler or {})).items()]
    if notify:
        lines += ["", "[notify]"] + [f"{key} = {toml_value(value)}" for key, value in notify.items()]
    for source in sources:
        lines += ["", "[[sources]]"] + [f"{key} = {toml_value(value)}" for key, value in source.items()]
    path.write_text("\n".join(lines) + "\n" + extra, encoding="utf-8")
    return path
