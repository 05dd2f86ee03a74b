"""A realistic loopback news site for the benchmarks: N articles in 50 categories, listings, RSS feeds."""

from __future__ import annotations

import json
import random
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from html import escape
from pathlib import Path

from bench_extract import source_paragraphs

TZ8 = timezone(timedelta(hours=8))
PER_LISTING_PAGE = 20
METRIC_SHARE = 0.2  # articles built from the WeChat coverage (figures); the others from plain paragraphs
REPRINT_SHARE = 0.02  # articles that copy an earlier article's text under another URL
MIN_PAGE, MAX_PAGE = 40_000, 80_000
CATEGORY_NAMES = ("财经", "科技", "汽车", "房产", "教育", "健康", "体育", "娱乐", "国际", "国内")
HEADLINE_WORDS = ("央行", "逆回购", "A股", "指数", "收涨", "新能源", "芯片", "消费", "出口", "数据", "发布", "增长",
                  "市场", "政策", "平台", "用户", "监管", "企业", "创新", "改革", "城市", "产业", "投资", "会议")


@dataclass
class Article:
    id: int
    category: int
    path: str
    title: str
    published: datetime
    paragraphs: list[str]


@dataclass
class Site:
    """What was generated: every path with its role, and the articles' texts (for the extraction benchmark)."""

    root: Path
    categories: int
    articles: list[Article] = field(default_factory=list)
    listing_pages: dict[int, int] = field(default_factory=dict)  # category -> number of listing pages

    def article_paths(self) -> list[str]:
        return [a.path for a in self.articles]

    def entry_paths(self) -> list[str]:
        paths = []
        for cat in range(self.categories):
            paths += [feed_path(cat)] if is_feed(cat) else [listing_path(cat, p) for p in range(1, self.pages(cat) + 1)]
        return paths

    def pages(self, cat: int) -> int:
        return self.listing_pages.get(cat, 1)

    def texts(self) -> list[str]:
        return [f"{a.title}\n" + "\n".join(a.paragraphs) for a in self.articles]


def is_feed(cat: int) -> bool:
    """Even categories are crawled through their RSS feed, odd ones through their listing pages."""
    return cat % 2 == 0


def feed_path(cat: int) -> str:
    return f"/c{cat:02d}/rss.xml"


def listing_path(cat: int, page: int) -> str:
    return f"/c{cat:02d}/index.html" if page == 1 else f"/c{cat:02d}/list_{page}.html"


def headline(rng: random.Random) -> str:
    return "".join(rng.choice(HEADLINE_WORDS) for _ in range(rng.randint(4, 7)))


def article_paragraphs(rng: random.Random, number: int, metric_pool: list[str], plain_pool: list[str]) -> list[str]:
    """Paragraphs of 2-5 sentences drawn from the pools (so no two articles share whole paragraphs by chance)."""
    pool = metric_pool if rng.random() < METRIC_SHARE else plain_pool
    lead = f"本报讯（记者 {headline(rng)[:4]}）第{number}号稿件，{headline(rng)}。"
    target, size, parts = rng.randint(1500, 3500), 0, [lead]
    while size < target:
        part = "".join(rng.choice(pool) for _ in range(rng.randint(2, 5)))
        parts.append(part)
        size += len(part)
    return parts


def sentences(paragraphs: list[str]) -> list[str]:
    return [s + "。" for p in paragraphs for s in p.split("。") if len(s) > 8]


def make_articles(count: int, categories: int, rng: random.Random) -> list[Article]:
    paragraphs = [p for p in source_paragraphs() if "](" not in p]
    plain = sentences([p for p in paragraphs if not re.search(r"\d", p)] or paragraphs)
    paragraphs = sentences(paragraphs)
    start = datetime(2022, 1, 1, 8, 0, tzinfo=TZ8)
    articles: list[Article] = []
    for number in range(count):
        cat = number % categories
        published = start + timedelta(minutes=37 * number)
        if articles and rng.random() < REPRINT_SHARE:
            body = list(rng.choice(articles).paragraphs)
        else:
            body = article_paragraphs(rng, number, paragraphs, plain)
        path = f"/c{cat:02d}/{published:%Y%m}/{number:06d}.html"
        articles.append(Article(number, cat, path, headline(rng) + f"（{number}）", published, body))
    return articles


NAV_LINKS = 50  # the navigation bar lists at most this many categories (pages keep their size with 1,000 sources)


def nav(categories: int) -> str:
    links = "".join(f'<li><a href="{listing_path(c, 1)}">{CATEGORY_NAMES[c % 10]}{c}</a></li>'
                    for c in range(min(categories, NAV_LINKS)))
    return (f'<header class="site"><div class="logo"><a href="/">示例新闻网</a></div>'
            f'<nav><ul class="nav">{links}</ul></nav></header>')


def sidebar(rng: random.Random, site: Site) -> str:
    blocks = []
    for title in ("热门推荐", "24小时排行", "专题"):
        items = "".join(f'<li><a href="{a.path}">{escape(a.title)}</a>'
                        f'<span class="hot">{rng.randint(100, 99999)}</span></li>'
                        for a in rng.sample(site.articles, min(10, len(site.articles))))
        blocks.append(f'<div class="box"><h3>{title}</h3><ul>{items}</ul></div>')
    ad = '<div class="ad"><iframe src="/ad/300x250.html"></iframe></div>'
    return f'<aside class="sidebar">{"".join(blocks)}{ad}</aside>'


FOOTER = ('<footer><ul class="links">'
          + "".join(f'<li><a href="/about/{i}.html">关于我们{i}</a></li>' for i in range(20))
          + '</ul><p>版权所有 © 示例新闻网 · 未经授权禁止转载 · 京ICP备00000000号</p><script src="/static/stats.js">'
          '</script><script>var _hmt=_hmt||[];_hmt.push(["_trackPageview"]);</script></footer>')


def page_state(rng: random.Random, site: Site, size: int) -> str:
    """Inline script data (recommendations, ad slots) padding the page to a realistic size."""
    items, length = [], 0
    while length < size:
        entry = {"id": rng.randint(1, 10**9), "title": headline(rng), "url": f"/c{rng.randint(0, 49):02d}/x.html",
                 "img": f"/img/{rng.getrandbits(64):016x}.jpg", "tags": [headline(rng)[:4] for _ in range(3)]}
        items.append(entry)
        length += len(json.dumps(entry, ensure_ascii=False).encode())
    return f"<script>window.__INITIAL_STATE__={json.dumps({'recommend': items}, ensure_ascii=False)};</script>"


def article_html(article: Article, site: Site, rng: random.Random) -> bytes:
    body = "".join(f"<p>{escape(p)}</p>" for p in article.paragraphs)
    head = (f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
            f'<title>{escape(article.title)}_示例新闻网</title>'
            f'<meta property="article:published_time" content="{article.published.isoformat()}">'
            f'<meta property="og:title" content="{escape(article.title)}"><link rel="canonical" href="{article.path}">'
            '<link rel="stylesheet" href="/static/main.css"><script src="/static/jquery.min.js"></script></head>')
    main = (f'<body>{nav(site.categories)}<div class="crumb"><a href="/">首页</a> &gt; '
            f'<a href="{listing_path(article.category, 1)}">{CATEGORY_NAMES[article.category % 10]}</a></div>'
            f'<main><article><h1>{escape(article.title)}</h1><div class="info"><span class="time">'
            f'{article.published:%Y-%m-%d %H:%M}</span><span class="source">来源：示例新闻网</span></div>'
            f'<div class="content">{body}</div><div class="editor">责任编辑：王小明</div></article>'
            f'<div class="share">分享到：<a href="#">微博</a><a href="#">微信</a></div>'
            '<div class="comments" id="comments"></div></main>')
    page = head + main + sidebar(rng, site) + FOOTER
    target = rng.randint(MIN_PAGE, MAX_PAGE) - len(page.encode())
    return (page + page_state(rng, site, max(target, 0)) + "</body></html>").encode()


def listing_html(site: Site, cat: int, page: int, articles: list[Article], rng: random.Random) -> bytes:
    items = "".join(f'<li><a href="{a.path}">{escape(a.title)}</a><span>{a.published:%m-%d %H:%M}</span></li>'
                    for a in articles)
    pager = f'<a class="next" href="{listing_path(cat, page + 1)}">下一页</a>' if page < site.pages(cat) else ""
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{CATEGORY_NAMES[cat % 10]}{cat}</title></head>'
            f'<body>{nav(site.categories)}<main><ul class="news-list">{items}</ul>'
            f'<div class="pager">{pager}</div></main>'
            f'{sidebar(rng, site)}{FOOTER}{page_state(rng, site, 8000)}</body></html>').encode()


def rss_xml(base_url: str, cat: int, articles: list[Article]) -> bytes:
    items = "".join(
        f"<item><title>{escape(a.title)}</title><link>{base_url}{a.path}</link><guid>{a.path}</guid>"
        f"<pubDate>{format_datetime(a.published)}</pubDate><description>{escape(a.paragraphs[0])}</description></item>"
        for a in articles)
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{CATEGORY_NAMES[cat % 10]}{cat}'
            f"</title><link>{base_url}/</link><description>示例新闻网</description>{items}</channel></rss>").encode()


def write(root: Path, path: str, body: bytes) -> None:
    target = root / path.lstrip("/")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(body)


def build_site(root: Path, articles: int, base_url: str, categories: int = 50, seed: int = 11) -> Site:
    """Write the site's files under `root` (feeds carry absolute links to `base_url`)."""
    rng = random.Random(seed)
    site = Site(root, categories, make_articles(articles, categories, rng))
    write(root, "/robots.txt", b"User-agent: *\nDisallow: /private/\n")
    for cat in range(categories):
        own = sorted((a for a in site.articles if a.category == cat), key=lambda a: a.published, reverse=True)
        if is_feed(cat):
            write(root, feed_path(cat), rss_xml(base_url, cat, own))
            continue
        site.listing_pages[cat] = max(1, -(-len(own) // PER_LISTING_PAGE))
        for page in range(1, site.pages(cat) + 1):
            chunk = own[(page - 1) * PER_LISTING_PAGE : page * PER_LISTING_PAGE]
            write(root, listing_path(cat, page), listing_html(site, cat, page, chunk, rng))
    for article in site.articles:
        write(root, article.path, article_html(article, site, rng))
    return site


def settings_toml(site: Site, base_url: str, db: Path, per_domain: int) -> str:
    """A wxwatch settings file with one source per category, no politeness delay (loopback)."""
    lines = [f'[storage]\npath = "{db}"\n', "[crawler]\nautothrottle = false\ndownload_delay = 0.0\n"
             f"concurrent_requests_per_domain = {per_domain}\n"]
    for cat in range(site.categories):
        if is_feed(cat):
            lines.append(f'[[sources]]\nname = "c{cat:02d}"\nkind = "feed"\nurl = "{base_url}{feed_path(cat)}"\n'
                         'allow_private = true\n')
        else:
            lines.append(f'[[sources]]\nname = "c{cat:02d}"\nkind = "listing"\n'
                         f'url = "{base_url}{listing_path(cat, 1)}"\n'
                         f'link_selector = "ul.news-list a"\nnext_selector = "a.next"\nmax_pages = {site.pages(cat)}\n'
                         'allow_private = true\n')
    return "\n".join(lines)
