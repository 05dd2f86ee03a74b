"""Spider callbacks fed saved pages (no crawl): links, items, fallbacks and decoding."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from scrapy.http import HtmlResponse, Request, TextResponse
from scrapy.utils.test import get_crawler
from testsite import POSTS, build_site

from wxwatch.config import SourceConfig
from wxwatch.crawler.items import ArticleItem, ListedArticle
from wxwatch.crawler.links import LinkRules
from wxwatch.crawler.spiders.feed import FeedSpider
from wxwatch.crawler.spiders.listing import ListingSpider, listing_links
from wxwatch.storage.articles import ArticleRecord
from wxwatch.text.dates import parse_datetime
from wxwatch.text.pages import parse_article_page

SAMPLE = Path(__file__).parents[2] / "wxwatch" / "sample" / "site"
BASE = "http://127.0.0.1:9"


def make_spider(cls, tmp_path: Path, **source):
    crawler = get_crawler(cls, {"WXWATCH_DB_PATH": str(tmp_path / "wx.db")})
    config = SourceConfig(name="src", kind=cls.name, url=f"{BASE}/entry", allow_private=True, **source)
    spider = cls.from_crawler(crawler, source=config)
    crawler.spider = spider
    return spider


async def collect(outputs) -> list:
    return [output async for output in outputs]


def response(path: str, body: bytes, content_type: str = "text/html; charset=utf-8", **meta) -> HtmlResponse:
    request = Request(BASE + path, meta=meta)
    return HtmlResponse(BASE + path, body=body, headers={"Content-Type": content_type}, request=request)


def test_listing_yields_requests_for_unknown_and_seen_items_for_stored(tmp_path: Path) -> None:
    spider = make_spider(ListingSpider, tmp_path, link_selector="ul.list a", next_selector="a.next", max_pages=2)
    spider.store.save(ArticleRecord(url=BASE + POSTS["gbk"].path, source="src", title="t", text="x"))
    site = build_site()
    out = list(spider.parse_listing(response("/news/index.html", site.routes["/news/index.html"].body, page=1)))
    requests = [o for o in out if isinstance(o, Request)]
    seen = [o for o in out if isinstance(o, ListedArticle)]
    assert [r.url for r in requests] == [BASE + POSTS[k].path for k in ("utf8", "big5", "wrongcharset")] + [
        BASE + "/news/index_2.html"
    ]
    assert [s.url for s in seen] == [BASE + POSTS["gbk"].path]


def test_default_link_selector_skips_navigation(tmp_path: Path) -> None:
    from parsel import Selector

    html = (SAMPLE / "category/zhengquanshibao.html").read_text(encoding="utf-8")
    found = listing_links(Selector(text=html), BASE + "/category/zhengquanshibao.html", LinkRules())
    assert found.links == [BASE + "/a/2022/0106/stcn-wechat-open-class.html"]


def test_article_callback_builds_item_from_a_gbk_page(tmp_path: Path) -> None:
    spider = make_spider(ListingSpider, tmp_path)
    site = build_site()
    page = response(POSTS["gbk"].path, site.routes[POSTS["gbk"].path].body, "text/html; charset=gbk")
    (item,) = asyncio.run(collect(spider.parse_article(page, key=BASE + POSTS["gbk"].path)))
    assert isinstance(item, ArticleItem)
    assert item.title == POSTS["gbk"].title
    assert item.published == "2022-01-06T09:30:00+08:00"
    assert "1小时有115万员工在企业微信上服务客户" in item.text


def test_feed_callback_and_fallback_to_entry_content(tmp_path: Path) -> None:
    spider = make_spider(FeedSpider, tmp_path)
    body = build_site().routes["/feeds/rss.xml"].body.replace(b"{{BASE_URL}}", BASE.encode())
    feed = TextResponse(BASE + "/feeds/rss.xml", body=body, request=Request(BASE + "/feeds/rss.xml"))
    (request,) = spider.parse_feed(feed)
    assert request.cb_kwargs["title"] == POSTS["feedonly"].title
    assert request.cb_kwargs["published"] == "2022-01-09T01:30:00+00:00"
    (item,) = spider.article_fallback(request.cb_kwargs["key"], request.cb_kwargs, "HTTP 404")
    assert item.via == "feed" and "微信支付分已经覆盖了超过50%" in item.text


def test_not_a_feed_fails_the_source(tmp_path: Path) -> None:
    spider = make_spider(FeedSpider, tmp_path)
    page = TextResponse(BASE + "/f.xml", body=b"<html>nope", request=Request(BASE + "/f.xml"))
    assert list(spider.parse_feed(page)) == []
    assert "not a feed" in spider.crawler.stats.get_value("wxwatch/source_error")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2022-01-06T21:02:04+08:00", "2022-01-06T21:02:04+08:00"),
        ("2022-01-06 21:02", "2022-01-06T21:02:00+08:00"),
        ("2022/1/6", "2022-01-06T00:00:00+08:00"),
        ("2022年1月6日 10:22", "2022-01-06T10:22:00+08:00"),
        ("2022-01-06T10:22:16Z", "2022-01-06T10:22:16+00:00"),
        ("no date here", None),
        ("2022-13-45", None),
    ],
)
def test_parse_datetime(value: str, expected: str | None) -> None:
    assert parse_datetime(value, "Asia/Shanghai") == expected


def test_sample_pages_parse_with_title_date_and_text() -> None:
    html = (SAMPLE / "a/2022/0106/stcn-wechat-open-class.html").read_bytes()
    page = parse_article_page(html, None, BASE + "/a.html", "Asia/Shanghai")
    assert page.title.startswith("2022微信公开课来了")
    assert page.published == "2022-01-06T21:02:04+08:00"
    assert "小程序日活突破4.5亿" in page.text and "版权所有" not in page.text
