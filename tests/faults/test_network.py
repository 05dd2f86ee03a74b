"""Network faults, one source each, all crawled in one run: each fails alone, with its reason in the summary.

A failing feed fails only its own source (exit 1, error in `crawl --json` and `wxwatch sources --json`); an
article page that fails counts in its source's `errors` while the others are stored; nothing is read past the
size limit, and a redirect never leaves HTTP(S).
"""

from __future__ import annotations

import json
import time

import pytest
from dbstate import query
from faultserver import (
    FaultServer,
    answer,
    closed_port,
    drip,
    flood,
    gzip_bomb,
    hang,
    redirect,
    reset_mid_body,
    throttled,
)
from faultsite import write_settings

from wxwatch.sample.pages import SamplePost, article_page, rss_feed
from wxwatch.sample.server import Route

pytestmark = pytest.mark.slow  # real crawls / subprocesses: seconds each

MB = 1024 * 1024
BAD_ARTICLES = ("reset", "hang", "drip", "flood", "bomb", "loop", "to-file", "error500")


def feed(base_url: str, names: tuple[str, ...]) -> bytes:
    posts = [SamplePost(f"/a/{name}.html", f"文章 {name}", None, "") for name in names]
    return rss_feed("测试", base_url, posts, full_content=False).encode()


def article(name: str) -> bytes:
    body = f"<p>{name}：小程序日活突破4.5亿，这是一篇完整的文章，正文足够长，可以被正文抽取识别出来。</p>" * 3
    return article_page(SamplePost(f"/a/{name}.html", f"文章 {name}", None, body)).encode()


FAULTS = {  # path -> behaviour, for the feeds and the article pages
    "/reset.xml": reset_mid_body, "/hang.xml": hang, "/drip.xml": drip,
    "/flood.xml": flood(50 * MB, declare_length=False), "/flood-declared.xml": flood(50 * MB, declare_length=True),
    "/bomb.xml": gzip_bomb, "/loop1.xml": redirect("/loop2.xml"), "/loop2.xml": redirect("/loop1.xml"),
    "/to-file.xml": redirect("file:///etc/passwd"), "/to-ftp.xml": redirect("ftp://127.0.0.1/feed.xml"),
    "/a/reset.html": reset_mid_body, "/a/hang.html": hang, "/a/drip.html": drip,
    "/a/flood.html": flood(50 * MB, declare_length=False), "/a/bomb.html": gzip_bomb,
    "/a/loop.html": redirect("/a/loop.html"), "/a/to-file.html": redirect("file:///etc/passwd"),
    "/a/error500.html": answer(b"down", status=500),
}

# source name -> (url path or full URL, expected status, a piece of the error)
CASES = {
    "refused": ("http://127.0.0.1:{closed}/feed.xml", "failed", "Connection was refused"),
    "reset": ("/reset.xml", "failed", "DataLoss"),
    "dns": ("http://nonexistent.invalid/feed.xml", "failed", "DNS lookup failed"),
    "tls": ("https://127.0.0.1:{port}/feed.xml", "failed", "SSL"),
    "hang": ("/hang.xml", "failed", "took longer than"),
    "drip": ("/drip.xml", "failed", "took longer than"),
    "throttled": ("/throttled.xml", "ok", ""),
    "throttled_long": ("/throttled-long.xml", "failed", "HTTP 429"),
    "flapping": ("/flapping.xml", "ok", ""),
    "loop": ("/loop1.xml", "failed", "redirect"),
    "to_file": ("/to-file.xml", "failed", "HTTP 302"),
    "to_ftp": ("/to-ftp.xml", "failed", "HTTP 302"),
    "flood": ("/flood.xml", "failed", "max_response_bytes"),
    "flood_declared": ("/flood-declared.xml", "failed", "max_response_bytes"),
    "bomb": ("/bomb.xml", "failed", "decompression"),
    "articles": ("/feed.xml", "ok", ""),
}


@pytest.fixture(scope="module")
def network_run(tmp_path_factory, module_cli):
    server = FaultServer()
    with server.running() as base:
        server.routes |= FAULTS | {
            "/feed.xml": answer(feed(base, ("good", *BAD_ARTICLES)), content_type="application/rss+xml"),
            "/throttled.xml": throttled("1", answer(feed(base, ()), content_type="application/rss+xml")),
            "/throttled-long.xml": throttled("3600", answer(b""), times=99),
            "/flapping.xml": throttled("0", answer(feed(base, ()), content_type="application/rss+xml"), times=1),
            "/a/good.html": answer(article("good")),
        }
        port, closed = base.rsplit(":", 1)[1], closed_port()
        urls = {name: (url if "://" in url else base + url).format(port=port, closed=closed)
                for name, (url, _, _) in CASES.items()}
        sources = [{"name": name, "kind": "feed", "url": url, "allow_private": name != "dns"}
                   for name, url in urls.items()]
        tmp = tmp_path_factory.mktemp("network")
        settings = write_settings(tmp / "settings.toml", tmp / "wx.db", sources,
                                  crawler={"max_response_bytes": MB, "retry_times": 1, "download_timeout": 2.0})
        started = time.monotonic()
        result = module_cli("--config", str(settings), "crawl", "--json")
        elapsed = time.monotonic() - started
        listed = module_cli("--config", str(settings), "sources", "--json")
        yield {"result": result, "summary": json.loads(result.stdout), "sources": json.loads(listed.stdout),
               "server": server, "db": tmp / "wx.db", "seconds": elapsed}


def test_a_run_with_failing_sources_exits_1_and_names_them(network_run) -> None:
    result = network_run["result"]
    assert result.returncode == 1
    failed = [name for name, (_, status, _) in CASES.items() if status == "failed"]
    assert result.stderr.strip().splitlines()[-1] == f"Error: some sources failed: {', '.join(sorted(failed))}"
    assert "Traceback" not in result.stderr
    assert network_run["seconds"] < 30  # every fault is bounded by the timeout, not by the server


@pytest.mark.parametrize("name", CASES)
def test_each_fault_shows_in_the_summary_and_in_sources(network_run, name) -> None:
    _, status, error = CASES[name]
    row = next(r for r in network_run["summary"]["sources"] if r["source"] == name)
    listed = next(r for r in network_run["sources"] if r["name"] == name)
    assert (row["status"], listed["last_status"]) == (status, status), row["error"]
    assert error in row["error"] and error in (listed["last_error"] or ""), row
    assert len(row["error"].splitlines()) <= 1


def test_failing_article_pages_count_as_errors_and_the_rest_is_stored(network_run) -> None:
    row = next(r for r in network_run["summary"]["sources"] if r["source"] == "articles")
    log = [line for line in network_run["result"].stderr.splitlines() if "/a/" in line and "Gave up" not in line]
    assert (row["new"], row["errors"]) == (1, len(BAD_ARTICLES)), log
    urls = [url for (url,) in query(network_run["db"], "select url from articles")]
    assert [url.rsplit("/", 1)[1] for url in urls] == ["good.html"]
    assert not query(network_run["db"], "select 1 from articles where text like '%root:%'")


def test_responses_over_the_size_limit_are_not_read_to_the_end(network_run) -> None:
    sent = network_run["server"].sent
    assert sent["/flood.xml"] < 10 * MB and sent["/a/flood.html"] < 10 * MB
    assert sent["/flood-declared.xml"] < 10 * MB


def test_retry_after_is_honoured_and_a_long_one_is_not_hammered(network_run) -> None:
    server = network_run["server"]
    first, second = server.times["/throttled.xml"][:2]
    assert second - first >= 0.9
    assert server.hits["/throttled-long.xml"] == 1


def test_redirects_never_leave_http(network_run) -> None:
    server = network_run["server"]
    assert server.hits["/to-file.xml"] == 1 and server.hits["/to-ftp.xml"] == 1


def test_a_page_failing_with_5xx_is_stored_by_the_next_crawl(site, crawl_json, tmp_path) -> None:
    post = SamplePost("/a/down.html", "暂时故障", None, "")
    site.routes["/feed.xml"] = Route(rss_feed("快讯", "{{BASE_URL}}", [post], full_content=False).encode(),
                                     "application/rss+xml")
    site.routes["/a/down.html"] = Route(article("down"), fail_first=2)  # 500, retried once, 500: fails this run
    settings = write_settings(tmp_path / "settings.toml", tmp_path / "wx.db",
                              [{"name": "feed", "kind": "feed", "url": f"{site.base_url}/feed.xml",
                                "allow_private": True}])
    code, summary, _ = crawl_json(settings)
    assert code == 0 and (summary["sources"][0]["new"], summary["sources"][0]["errors"]) == (0, 1)
    code, summary, _ = crawl_json(settings)  # the feed is fetched again (no 304), the page has recovered
    assert code == 0 and (summary["sources"][0]["new"], summary["sources"][0]["errors"]) == (1, 0)
    assert site.hits["/feed.xml"] == 2 and site.hits["/a/down.html"] == 3
