"""HTML page, listing, RSS and Atom templates for the bundled sample site and the test site."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from email.utils import format_datetime
from html import escape

NAV = (
    '<header class="site"><nav><a href="/">首页</a> <a href="/category/finance.html">财经</a> '
    '<a href="/category/tech.html">科技</a> <a href="/about.html">关于我们</a></nav></header>'
)
SIDEBAR = (
    '<aside class="sidebar"><h3>热门推荐</h3><ul><li><a href="/hot/1.html">A股三大指数集体收涨</a></li>'
    '<li><a href="/hot/2.html">央行开展逆回购操作</a></li></ul></aside>'
)
FOOTER = '<footer><p>版权所有 示例新闻网 · 未经授权禁止转载</p><script>var _hmt=[];</script></footer>'


@dataclass(frozen=True)
class SamplePost:
    """One article of a sample or test site."""

    path: str  # URL path, e.g. "/a/001.html"
    title: str
    published: datetime | None
    body_html: str


def article_page(post: SamplePost, charset: str = "utf-8", lang: str = "zh-CN") -> str:
    published = (
        f'<meta property="article:published_time" content="{post.published.isoformat()}">' if post.published else ""
    )
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="{charset}">'
        f"<title>{escape(post.title)} - 示例新闻网</title>{published}"
        f'<meta property="og:title" content="{escape(post.title)}"></head><body>{NAV}'
        f'<main><article><h1>{escape(post.title)}</h1><div class="content">{post.body_html}</div></article>'
        f"</main>{SIDEBAR}{FOOTER}</body></html>"
    )


def listing_page(title: str, posts: Sequence[SamplePost], next_path: str | None = None) -> str:
    items = "".join(f'<li><a href="{p.path}">{escape(p.title)}</a></li>' for p in posts)
    pager = f'<a class="next" href="{next_path}">下一页</a>' if next_path else ""
    return (
        f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{escape(title)}</title></head><body>{NAV}'
        f'<main><h2>{escape(title)}</h2><ul class="list">{items}</ul><div class="pager">{pager}</div></main>'
        f"{FOOTER}</body></html>"
    )


def rss_feed(title: str, base_url: str, posts: Sequence[SamplePost], full_content: bool = True) -> str:
    items = "".join(
        f"<item><title>{escape(p.title)}</title><link>{base_url}{p.path}</link><guid>{base_url}{p.path}</guid>"
        + (f"<pubDate>{format_datetime(p.published)}</pubDate>" if p.published else "")
        + (f"<description>{escape(p.body_html)}</description>" if full_content else "")
        + "</item>"
        for p in posts
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>{escape(title)}</title><link>{base_url}/</link><description>{escape(title)}</description>"
        f"{items}</channel></rss>"
    )


def atom_feed(title: str, base_url: str, posts: Sequence[SamplePost]) -> str:
    entries = "".join(
        f'<entry><title>{escape(p.title)}</title><link href="{base_url}{p.path}"/><id>{base_url}{p.path}</id>'
        + (f"<published>{p.published.isoformat()}</published><updated>{p.published.isoformat()}</updated>"
           if p.published else "")
        + f'<content type="html">{escape(p.body_html)}</content></entry>'
        for p in posts
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>{escape(title)}</title><id>{base_url}/</id><updated>2022-01-08T00:00:00Z</updated>"
        f"{entries}</feed>"
    )
