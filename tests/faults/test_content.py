"""Hostile and broken content, one source each in one crawl: feeds, a listing whose layout changed, odd pages.

What the user sees: a feed that is not a feed fails its source with the reason; an entity-expansion bomb is
refused quickly in bounded memory; a listing whose selector matches nothing is `ok` with a warning in the crawl
summary and in `wxwatch sources`; article pages in any of the usual Chinese encodings are stored readable.
"""

from __future__ import annotations

import json
import time

import pytest
from dbstate import query
from faultserver import FaultServer, answer
from faultsite import filler, write_settings

from wxwatch.sample.pages import SamplePost, article_page, listing_page, rss_feed

pytestmark = pytest.mark.slow  # real crawls / subprocesses: seconds each

TEXT = "微信公开课现场公布，小程序日活突破4.5亿，搜一搜月活用户过7亿，企业微信活跃用户超过1.3亿。"
BOMB = ('<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "' + "微" * 64 + '">'
        + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 16}">' for i in range(9))
        + ']><rss version="2.0"><channel><title>&j;</title><item><title>&j;</title>'
          '<link>/f/bomb.html</link></item></channel></rss>')


def page(title: str, body: str, charset: str = "utf-8") -> str:
    return article_page(SamplePost("/x", title, None, f"<p>{body}</p>"), charset=charset)


def rss_items(items: str) -> bytes:
    return f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>t</title>{items}' \
           f"</channel></rss>".encode()


ARTICLES = {  # path -> (body bytes, content type)
    "/a/utf8.html": (page("UTF-8 页面", TEXT).encode(), "text/html; charset=utf-8"),
    "/a/gbk.html": (page("GBK 页面", TEXT, "gbk").encode("gbk"), "text/html; charset=gbk"),
    "/a/gb18030.html": (page("GB18030 页面", TEXT + "𠮷", "gb18030").encode("gb18030"), "text/html"),
    "/a/big5.html": (page("Big5 頁面", "微信公開課現場公佈，小程序日活突破4.5億，搜一搜月活用戶過7億。", "big5")
                     .encode("big5", "xmlcharrefreplace"), "text/html; charset=big5"),
    "/a/nocharset.html": (page("无字符集", TEXT).replace('<meta charset="utf-8">', "").encode(), "text/html"),
    "/a/wrongcharset.html": (page("错误字符集", TEXT, "gbk").encode("gbk"), "text/html; charset=iso-8859-1"),
    "/a/empty.html": (b"", "text/html; charset=utf-8"),
    "/a/oneline.html": (page("超长单行", TEXT + "很长的一行" * 400_000).encode(), "text/html; charset=utf-8"),
    "/a/script.html": (page("脚本注入", TEXT + '<script>document.write("小程序日活突破99亿")</script>'
                            "<noscript>x</noscript>").encode(), "text/html; charset=utf-8"),
}
READABLE = ("utf8", "gbk", "gb18030", "big5", "nocharset", "wrongcharset", "oneline", "script")

FEEDS = {  # source name -> (feed body, expected status, expected error piece, expected new articles)
    "truncated": (rss_items('<item><title>一</title><link>/f/truncated.html</link></item><item><title>二</ti'),
                  "ok", "", 1),
    "not_xml": (b"<html><body>404 page not found</body></html>", "failed", "not a feed", 0),
    "wrong_encoding": (rss_items("<item><title>标题</title><link>/f/wrong_encoding.html</link></item>")
                       .replace(b'encoding="utf-8"', b'encoding="iso-8859-1"'), "ok", "", 1),
    "bomb": (BOMB.encode(), "failed", "declares XML entities", 0),
    "no_links_or_dates": (rss_items("<item><title>没有链接</title></item>"
                                    "<item><title>没有日期</title><link>/f/no_links_or_dates.html</link></item>"),
                          "ok", "", 1),
    "relative": (rss_items("<item><title>相对</title><link>../f/relative.html</link></item>"), "ok", "", 1),
}


@pytest.fixture(scope="module")
def content_run(tmp_path_factory, module_cli):
    server = FaultServer()
    with server.running() as base:
        server.routes |= {path: answer(body, content_type=kind) for path, (body, kind) in ARTICLES.items()}
        server.routes |= {f"/feeds/{name}.xml": answer(body, content_type="application/rss+xml")
                          for name, (body, *_) in FEEDS.items()}
        server.routes |= {f"/f/{name}.html": answer(page(name, TEXT + filler(index)).encode())
                          for index, name in enumerate(FEEDS)}
        posts = [SamplePost(path, path, None, "") for path in ARTICLES]
        server.routes["/list/articles.html"] = answer(listing_page("文章", posts).encode())
        server.routes["/list/redesigned.html"] = answer(
            listing_page("新版", posts).replace('class="list"', 'class="cards"').encode())
        server.routes["/feed-ok.xml"] = answer(rss_feed("ok", base, []).encode())
        sources = [{"name": name, "kind": "feed", "url": f"{base}/feeds/{name}.xml", "allow_private": True}
                   for name in FEEDS]
        sources += [{"name": name, "kind": "listing", "url": f"{base}/list/{page}.html", "link_selector": "ul.list a",
                     "allow_private": True} for name, page in (("listing", "articles"), ("layout", "redesigned"))]
        tmp = tmp_path_factory.mktemp("content")
        settings = write_settings(tmp / "settings.toml", tmp / "wx.db", sources)
        started = time.monotonic()
        result, max_rss_mb = module_cli.measured("--config", str(settings), "crawl", "--json")
        seconds = time.monotonic() - started
        listed = module_cli("--config", str(settings), "sources", "--json")
        yield {"summary": {row["source"]: row for row in json.loads(result.stdout)["sources"]},
               "sources": {row["name"]: row for row in json.loads(listed.stdout)}, "db": tmp / "wx.db",
               "seconds": seconds, "result": result,
               "max_rss_mb": max_rss_mb}


@pytest.mark.parametrize("name", FEEDS)
def test_broken_feeds_fail_alone_with_a_reason(content_run, name) -> None:
    _, status, error, new = FEEDS[name]
    row = content_run["summary"][name]
    assert (row["status"], row["new"]) == (status, new), row
    assert error in row["error"] and len(row["error"].splitlines()) <= 1


def test_an_entity_bomb_is_refused_quickly_in_bounded_memory(content_run) -> None:
    assert content_run["seconds"] < 60
    assert content_run["max_rss_mb"] < 600
    assert not query(content_run["db"], "select 1 from articles where title like '%微微微微%'")


def test_a_listing_whose_selector_matches_nothing_warns(content_run) -> None:
    row, listed = content_run["summary"]["layout"], content_run["sources"]["layout"]
    assert row["status"] == "ok" and "link_selector matches nothing" in row["warning"]
    assert "link_selector matches nothing" in listed["warning"]
    assert content_run["summary"]["listing"]["warning"] == ""


def test_an_entry_without_a_link_counts_as_an_error(content_run) -> None:
    assert content_run["summary"]["no_links_or_dates"]["errors"] == 1


@pytest.mark.parametrize("name", READABLE)
def test_article_pages_in_any_encoding_are_stored_readable(content_run, name) -> None:
    rows = query(content_run["db"], "select text from articles where url like ?", (f"%/a/{name}.html",))
    assert rows, f"{name} not stored"
    text = rows[0][0]
    assert "\ufffd" not in text
    assert "小程序日活突破4.5亿" in text or "小程序日活突破4.5億" in text


def test_script_text_never_becomes_article_text_or_a_figure(content_run) -> None:
    assert not query(content_run["db"], "select 1 from articles where text like '%99亿%'")
    assert not query(content_run["db"], "select 1 from observations where value = 9.9e9")


def test_an_empty_page_is_an_error_not_an_article(content_run) -> None:
    assert not query(content_run["db"], "select 1 from articles where url like '%/a/empty.html'")
    assert content_run["summary"]["listing"]["errors"] >= 1
