"""End to end: the real `wxwatch crawl` against the loopback test site, asserting on the database."""

from __future__ import annotations

import json
from pathlib import Path

import opencc
import pytest
import sqlite_utils
from testsite import PARAGRAPHS, POSTS, REPRINT

pytestmark = pytest.mark.slow  # real crawls / subprocesses: seconds each

ARTICLE_PREFIXES = ("/news/2022/", "/atom-articles/", "/mirror/utf8-", "/feed-articles/")


def articles(db_path: Path) -> dict[str, dict]:
    db = sqlite_utils.Database(db_path)
    return {row["url"].split("/", 3)[3]: row for row in db.query("select * from articles")}


def article_hits(site) -> int:
    return sum(count for path, count in site.hits.items() if path.startswith(ARTICLE_PREFIXES))


def crawl(run_cli, settings_file: Path, *args: str):
    return run_cli("--config", str(settings_file), "crawl", "--json", *args)


def test_first_crawl_stores_every_article_with_clean_text(site, settings_file, run_cli, tmp_path) -> None:
    result = crawl(run_cli, settings_file)
    assert result.returncode == 0, result.stderr
    stored = articles(tmp_path / "wx.db")
    expected = {"news/2022/utf8.html", "news/2022/gbk.html", "news/2022/big5.html", "news/2022/wrong-charset.html",
                "news/2022/flaky.html", "atom-articles/miniprogram.html", "mirror/utf8-reprint.html",
                "feed-articles/gone.html"}
    assert set(stored) == expected
    for key in ("utf8", "gbk", "wrongcharset", "flaky"):
        row = stored[POSTS[key].path.lstrip("/")]
        assert row["title"] == POSTS[key].title
        assert row["published"] == f"2022-01-{POSTS[key].published.day:02d}T09:30:00+08:00"
        assert "\ufffd" not in row["text"]
        assert PARAGRAPHS[key].split("。")[0].split("，")[-1] in row["text"]


def test_gbk_and_big5_pages_decode_without_mojibake(site, settings_file, run_cli, tmp_path) -> None:
    assert crawl(run_cli, settings_file, "news").returncode == 0
    stored = articles(tmp_path / "wx.db")
    gbk = stored["news/2022/gbk.html"]["text"]
    assert "企业微信1小时产生1.4亿次服务" in gbk
    big5 = stored["news/2022/big5.html"]
    assert big5["title"] == POSTS["big5"].title
    assert opencc.OpenCC("s2t").convert("间接带动社会消费5200亿") in big5["text"]
    assert "\ufffd" not in big5["text"]


def test_inline_markup_is_joined(site, settings_file, run_cli, tmp_path) -> None:
    assert crawl(run_cli, settings_file, "news").returncode == 0
    assert "推动100万优质创作者有收入" in articles(tmp_path / "wx.db")["news/2022/utf8.html"]["text"]


def test_robots_slow_pages_and_flaky_server(site, settings_file, run_cli, tmp_path) -> None:
    result = crawl(run_cli, settings_file, "news")
    assert result.returncode == 0, result.stderr
    stored = articles(tmp_path / "wx.db")
    assert "private/secret.html" not in stored and site.hits["/private/secret.html"] == 0
    assert "news/2022/slow.html" not in stored
    assert site.hits[POSTS["flaky"].path] == 2  # a 500, then the retry succeeded
    summary = json.loads(result.stdout)["sources"][0]
    assert summary["source"] == "news" and summary["errors"] == 1  # the slow page


def test_second_crawl_fetches_no_article_page_and_marks_unchanged(site, settings_file, run_cli, tmp_path) -> None:
    assert crawl(run_cli, settings_file).returncode == 0
    before = article_hits(site)
    slow_before = site.hits[POSTS["slow"].path]
    second = crawl(run_cli, settings_file)
    assert second.returncode == 0, second.stderr
    # no stored article page again; only the page that failed last time is tried again (no 304 hides it)
    assert article_hits(site) - before == site.hits[POSTS["slow"].path] - slow_before > 0
    shown = json.loads(run_cli("--config", str(settings_file), "articles", "--json").stdout)
    assert {row["status"] for row in shown} == {"unchanged"}  # listed again, or their source's feed answered 304
    stored = articles(tmp_path / "wx.db").values()
    behind_a_304 = [row for row in stored if row["status"] != "unchanged"]
    assert behind_a_304 and all(row["run_id"] == 1 for row in behind_a_304)  # a 304 rewrote none of its articles
    totals = json.loads(second.stdout)["sources"]
    assert sum(source["new"] for source in totals) == 0


def test_changed_article_is_updated_on_refresh(site, settings_file, run_cli, tmp_path) -> None:
    assert crawl(run_cli, settings_file, "atom").returncode == 0
    route = site.routes[POSTS["atom"].path]
    route.body = route.body.replace("300万".encode(), "350万".encode())
    assert crawl(run_cli, settings_file, "atom", "--refresh").returncode == 0
    row = articles(tmp_path / "wx.db")["atom-articles/miniprogram.html"]
    assert row["status"] == "updated"
    assert "350万" in row["text"]


def test_traditional_reprint_is_linked_to_the_first_copy(site, settings_file, run_cli, tmp_path) -> None:
    assert crawl(run_cli, settings_file, "news").returncode == 0
    assert crawl(run_cli, settings_file, "mirror").returncode == 0
    stored = articles(tmp_path / "wx.db")
    original = stored["news/2022/utf8.html"]
    reprint = stored[REPRINT.path.lstrip("/")]
    assert reprint["duplicate_of"] == original["id"]
    assert reprint["status"] == "reprint"
    assert all(row["duplicate_of"] is None for key, row in stored.items() if key != REPRINT.path.lstrip("/"))


def test_feed_entry_content_is_used_when_the_page_is_gone(site, settings_file, run_cli, tmp_path) -> None:
    assert crawl(run_cli, settings_file, "rss").returncode == 0
    row = articles(tmp_path / "wx.db")["feed-articles/gone.html"]
    assert row["via"] == "feed"
    assert row["title"] == POSTS["feedonly"].title
    assert "微信支付分已经覆盖了超过50%的微信支付用户" in row["text"]


def test_broken_source_fails_alone(site, tmp_path, run_cli) -> None:
    from testsite import write_settings

    url = f"{site.base_url}/feeds/broken.xml"
    extra = f'\n[[sources]]\nname = "broken"\nkind = "feed"\nurl = "{url}"\nallow_private = true\n'
    settings = write_settings(tmp_path / "s.toml", site.base_url, tmp_path / "wx.db", extra)
    result = run_cli("--config", str(settings), "crawl", "atom", "broken")
    assert result.returncode == 1
    assert "Error: some sources failed: broken" in result.stderr
    assert "atom-articles/miniprogram.html" in articles(tmp_path / "wx.db")


def test_private_address_refused_without_allow_private(site, tmp_path, run_cli) -> None:
    from testsite import write_settings

    extra = f'\n[[sources]]\nname = "intranet"\nkind = "feed"\nurl = "{site.base_url}/feeds/atom.xml"\n'
    settings = write_settings(tmp_path / "s.toml", site.base_url, tmp_path / "wx.db", extra)
    result = run_cli("--config", str(settings), "crawl", "intranet")
    assert result.returncode == 1
    assert site.hits["/feeds/atom.xml"] == 0


def test_articles_json_lists_stored_articles(site, settings_file, run_cli) -> None:
    assert run_cli("--config", str(settings_file), "crawl", "atom").returncode == 0
    listed = json.loads(run_cli("--config", str(settings_file), "articles", "--json").stdout)
    assert len(listed) == 1
    assert {"url", "title", "published", "source", "status", "duplicate_of"} <= set(listed[0])
    assert listed[0]["status"] == "new" and listed[0]["source"] == "atom"


def test_sources_beyond_the_parallel_limit_wait_their_turn(site, settings_file, run_cli, tmp_path) -> None:
    text = settings_file.read_text(encoding="utf-8").replace("retry_times = 2", "retry_times = 2\nparallel_sources = 1")
    settings_file.write_text(text, encoding="utf-8")
    result = crawl(run_cli, settings_file, "rss", "atom", "mirror")
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)["sources"]
    assert sorted((s["source"], s["status"], s["new"] + s["reprints"]) for s in summary) == [
        ("atom", "ok", 1), ("mirror", "ok", 1), ("rss", "ok", 1)]
    assert len(articles(tmp_path / "wx.db")) == 3
