"""The loopback test site: listing pages, RSS and Atom feeds, and article pages with hard cases."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import opencc

from wxwatch.sample.pages import SamplePost, article_page, atom_feed, listing_page, rss_feed
from wxwatch.sample.server import Route, SiteServer

BASE = "{{BASE_URL}}"
TZ8 = "+08:00"

PARAGRAPHS = {
    "utf8": "1月6日，2022微信公开课PRO在广州开讲。小程序日活突破4.5亿，活跃小程序数量同比上涨41%，日均使用次数同比"
            "增长32%。搜一搜月活用户过7亿，较前一年上涨20%。推动<a href='/x'>100万优</a>质创作者有收入。",
    "gbk": "企业微信负责人在会上表示，企业微信1小时产生1.4亿次服务，1小时有115万员工在企业微信上服务客户。"
           "截至目前，企业微信上的真实企业与组织数超过1000万，活跃用户超过1.3亿，连接的微信用户数超过5亿。",
    "big5": "微信支付公布，去年帮助商家实现电子化优惠券系统，间接带动社会消费5200亿，实际核销优惠金额229亿元。"
            "微信支付与合作伙伴建立了涵盖2.3万月活服务商、1800多家银行与支付机构的开放生态体系。",
    "wrongcharset": "视频号在内容生态方面有了进一步探索，大型事件直播线上观看量突破千万，西城男孩演唱会吸引了超2700"
                    "万人次围观，最高同时在线观众数150万。未来视频号将与微信生态各部分更加深入地结合。",
    "flaky": "搜一搜在2021年有了长足的进步，月活跃用户数超过7亿，长尾搜索词占比超过20%，搜一搜流量为小程序贡献了"
             "大量的日活跃用户，搜索入口遍布微信生态的各个场景，用户可以通过搜索直达服务。",
    "feedonly": "微信支付分已经覆盖了超过50%的微信支付用户，推出了欠费不停机、音视频会员先看后付等信任消费服务，"
                "让信用成为用户生活中的一部分，也帮助商户提升了服务的效率和体验，获得了良好的反馈。",
    "atom": "微信公开课现场，小程序团队介绍，2021年小程序开发者超过300万，小程序开发者收入分成超过100亿元，"
            "交易小程序数量同比增长28%，商业化规模同比增长90%，工具类小程序累计服务7.5亿用户。",
    "slow": "这是一个响应很慢的页面，它的内容不应当出现在数据库里，因为请求会超时并且在重试之后依然失败。",
    "private": "这是一个被robots协议禁止抓取的页面，它的内容不应当出现在数据库里，爬虫应当遵守站点的规则。",
}


def paragraphs(key: str) -> str:
    text = PARAGRAPHS[key]
    return "".join(f"<p>{part}。</p>" for part in text.split("。") if part)


def post(key: str, path: str, title: str, day: int) -> SamplePost:
    return SamplePost(path, title, datetime.fromisoformat(f"2022-01-{day:02d}T09:30:00{TZ8}"), paragraphs(key))


POSTS = {
    "utf8": post("utf8", "/news/2022/utf8.html", "微信公开课：小程序日活突破4.5亿", 6),
    "gbk": post("gbk", "/news/2022/gbk.html", "企业微信1小时产生1.4亿次服务", 6),
    "big5": post("big5", "/news/2022/big5.html", "微信支付帶動社會消費5200億", 7),
    "wrongcharset": post("wrongcharset", "/news/2022/wrong-charset.html", "视频号观看量突破千万", 7),
    "flaky": post("flaky", "/news/2022/flaky.html", "搜一搜月活超过7亿", 8),
    "slow": post("slow", "/news/2022/slow.html", "一个很慢的页面", 8),
    "private": post("private", "/private/secret.html", "禁止抓取的页面", 8),
    "feedonly": post("feedonly", "/feed-articles/gone.html", "微信支付分覆盖超过一半用户", 9),
    "atom": post("atom", "/atom-articles/miniprogram.html", "小程序开发者超过300万", 9),
}
REPRINT = SamplePost("/mirror/utf8-reprint.html", "微信公開課：小程序日活突破4.5億", POSTS["utf8"].published,
                     opencc.OpenCC("s2t").convert(PARAGRAPHS["utf8"]))


def html_route(page: SamplePost, encoding: str = "utf-8", header_charset: str | None = None, **kw) -> Route:
    charset = header_charset or encoding
    html = article_page(page, charset=encoding)
    if encoding == "big5":
        html = opencc.OpenCC("s2t").convert(html)
    body = html.encode(encoding)
    return Route(body, f"text/html; charset={charset}", **kw)


def build_site() -> SiteServer:
    """A fresh site: each test gets its own server with its own hit counters."""
    site = SiteServer()
    listed = [POSTS[k] for k in ("utf8", "gbk", "big5", "wrongcharset", "flaky", "slow", "private")]
    site.routes |= {
        "/robots.txt": Route(b"User-agent: *\nDisallow: /private/\n", "text/plain"),
        "/news/index.html": Route(listing_page("新闻", listed[:4], "/news/index_2.html").encode()),
        "/news/index_2.html": Route(listing_page("新闻 第2页", listed[4:]).encode()),
        "/mirror/index.html": Route(listing_page("鏡像", [REPRINT]).encode()),
        "/feeds/rss.xml": Route(rss_feed("RSS", BASE, [POSTS["feedonly"]]).encode(),
                                "application/rss+xml; charset=utf-8"),
        "/feeds/atom.xml": Route(atom_feed("Atom", BASE, [POSTS["atom"]]).encode(), "application/atom+xml"),
        "/feeds/broken.xml": Route(b"<html><body>this is not a feed", "text/html"),
        POSTS["utf8"].path: html_route(POSTS["utf8"]),
        POSTS["gbk"].path: html_route(POSTS["gbk"], "gbk"),
        POSTS["big5"].path: html_route(POSTS["big5"], "big5"),
        POSTS["wrongcharset"].path: html_route(POSTS["wrongcharset"], "gb18030", header_charset="iso-8859-1"),
        POSTS["flaky"].path: html_route(POSTS["flaky"], fail_first=1),
        POSTS["slow"].path: html_route(POSTS["slow"], delay=3.0),
        POSTS["private"].path: html_route(POSTS["private"]),
        POSTS["atom"].path: html_route(POSTS["atom"]),
        REPRINT.path: html_route(REPRINT),
    }
    return site


def write_settings(path: Path, base_url: str, db_path: Path, extra_sources: str = "") -> Path:
    """Settings for the test site: politeness turned down, every source allowed on loopback."""
    path.write_text(f"""
[storage]
path = "{db_path}"

[crawler]
user_agent = "wxwatch-tests"
autothrottle = false
download_delay = 0.0
concurrent_requests_per_domain = 8
download_timeout = 1.0
retry_times = 2

[[sources]]
name = "news"
kind = "listing"
url = "{base_url}/news/index.html"
category = "新闻"
link_selector = "ul.list a"
next_selector = "a.next"
max_pages = 3
allow_private = true

[[sources]]
name = "rss"
kind = "feed"
url = "{base_url}/feeds/rss.xml"
allow_private = true

[[sources]]
name = "atom"
kind = "feed"
url = "{base_url}/feeds/atom.xml"
trust = "high"
allow_private = true

[[sources]]
name = "mirror"
kind = "listing"
url = "{base_url}/mirror/index.html"
allow_private = true
{extra_sources}
""", encoding="utf-8")
    return path
