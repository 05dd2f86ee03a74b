"""A loopback site built from ../shared/realworld: per outlet a category listing with its real article pages
among the junk links real listings carry (app download, report centre, about, pager, other sites), and a
WeChat account feed (wechat-feeds) whose first articles are the corpus' WeChat pages served from a mirror."""

from __future__ import annotations

import sys
import tomllib
from html import escape
from pathlib import Path

from wxwatch.sample.server import Route, SiteServer

sys.path.insert(0, str(Path(__file__).parents[1] / "faults"))
from faultsite import write_settings  # noqa: E402  (the generic settings writer of the test suite)

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "realworld"
# article URL styles of the corpus' outlets: dated folders, dated file names, numbered ids, /a/ paths
ARTICLE_PATHS = (
    "/{outlet}/2019/0907/{page}.shtml",
    "/{outlet}/a/20190907/{page}.html",
    "/{outlet}/news/{page}-1220000.htm",
    "/{outlet}/2019-09-07/doc-{page}.shtml",
)
# (path, anchor text) of links that are not articles; each is served as a long page so following it would store it
JUNK_LINKS = (
    ("/{outlet}/app/download.html", "下载客户端，看更多精彩资讯"),
    ("/{outlet}/jubao/index.html", "违法和不良信息举报中心"),
    ("/{outlet}/about/contact.html", "关于我们 · 联系我们 · 加入我们"),
    ("/{outlet}/index_2.html", "更多新闻，请看下一页的精彩内容"),
    ("/{outlet}/special/2019/zhuanti-123456.html", "专题：二〇一九年度科技产业大盘点"),
    ("/{outlet}/tech/", "科技"),
    ("javascript:void(0)", "登录后查看更多推荐内容"),
    ("/{outlet}/2019/0907/1220000_comments.html", "跟贴326"),
    ("http://other.invalid/2019/0907/654321.shtml", "另一家网站的一篇新闻报道标题"),
)
JUNK_SENTENCE = "这是一个不属于任何文章的页面，例如客户端下载、举报中心或者网站介绍，它不应当被当作文章保存。"
JUNK_TEXT = f"<p>{JUNK_SENTENCE * 6}</p>"
WECHAT_MIRROR = "/mp/s/"
HEADLINES = Path(__file__).resolve().parents[1] / "text" / "realworld_pages.toml"


def outlets() -> dict[str, list[Path]]:
    return {folder.name: sorted(folder.glob("*.html")) for folder in sorted((CORPUS / "pages").iterdir())}


def article_path(outlet: str, page: Path, index: int) -> str:
    return ARTICLE_PATHS[index % len(ARTICLE_PATHS)].format(outlet=outlet, page=page.stem)


def listing_html(outlet: str, pages: list[Path]) -> str:
    headlines = tomllib.loads(HEADLINES.read_text(encoding="utf-8"))["pages"]
    links = [(article_path(outlet, page, i), headlines[page.stem]["title"]) for i, page in enumerate(pages)]
    links += [(path.format(outlet=outlet), text) for path, text in JUNK_LINKS]
    items = "".join(f'<li><a href="{escape(href)}">{escape(text)}</a></li>' for href, text in links)
    return f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{outlet}</title></head><body><ul>{items}</ul>' \
           f"</body></html>"


def wechat_feed() -> tuple[bytes, list[str]]:
    """The wechat-feeds RSS of an account cut to two entries whose links point at the mirror, and their paths."""
    feed = (CORPUS / "feeds" / "wx-geekpark.xml").read_bytes()
    feed = b"</item>".join(feed.split(b"</item>")[:2]) + b"</item></channel></rss>"  # the two mirrored articles
    feed = feed.replace(b"https://mp.weixin.qq.com/s/", b"{{BASE_URL}}" + WECHAT_MIRROR.encode())
    paths = [part.split(b"<", 1)[0].decode() for part in feed.split(b"{{BASE_URL}}")[1:]]
    return feed, paths


def build_realworld_site() -> SiteServer:
    site = SiteServer()
    for outlet, pages in outlets().items():
        site.routes[f"/{outlet}/index.html"] = Route(listing_html(outlet, pages).encode())
        for index, page in enumerate(pages):
            site.routes[article_path(outlet, page, index)] = Route(page.read_bytes(), "text/html")
        for path, text in JUNK_LINKS:
            junk = f"<html><head><title>{text}</title></head><body><h1>{text}</h1>{JUNK_TEXT}</body></html>"
            site.routes[path.format(outlet=outlet)] = Route(junk.encode())
    feed, mirrored = wechat_feed()
    site.routes["/wechat-feeds/geekpark.xml"] = Route(feed, "text/plain; charset=utf-8")
    for path, page in zip(mirrored, sorted((CORPUS / "pages" / "wechat").glob("*.html")), strict=False):
        site.routes[path] = Route(page.read_bytes(), "text/html; charset=utf-8")
    return site


def realworld_settings(path: Path, base_url: str, db_path: Path) -> Path:
    """One listing source per outlet and the WeChat account feed, with the fast test crawler settings."""
    sources = [{"name": outlet.lower(), "kind": "listing", "url": f"{base_url}/{outlet}/index.html",
                "allow_private": True} for outlet in outlets()]
    sources.append({"name": "wx-geekpark", "kind": "feed", "url": f"{base_url}/wechat-feeds/geekpark.xml",
                    "allow_private": True})
    return write_settings(path, db_path, sources, crawler={"concurrent_requests_per_domain": 16,
                                                            "download_timeout": 5.0, "retry_times": 0})
