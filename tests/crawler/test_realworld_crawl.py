"""A real crawl over loopback of listings and a WeChat feed built from ../shared/realworld: only articles stored."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import sqlite_utils
from realworld_site import CORPUS, JUNK_LINKS, WECHAT_MIRROR, build_realworld_site, outlets, realworld_settings

pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/realworld is not there")


def article_hits(site) -> int:
    return sum(n for path, n in site.hits.items() if not path.endswith(("/index.html", ".xml")))


def test_listings_store_every_article_and_no_junk_page(run_cli, tmp_path: Path) -> None:
    site = build_realworld_site()
    with site.running() as base_url:
        settings = str(realworld_settings(tmp_path / "settings.toml", base_url, tmp_path / "wx.db"))
        listings = [name.lower() for name in outlets()]
        first = run_cli("--config", settings, "-v", "crawl", *listings, timeout=240)
        assert first.returncode == 0, first.stderr[-3000:]
        fetched_once = article_hits(site)
        sources = {row["name"]: row for row in json.loads(run_cli("--config", settings, "sources", "--json").stdout)}
        second = run_cli("--config", settings, "crawl", *listings, timeout=240)
        assert second.returncode == 0, second.stderr[-3000:]
        assert article_hits(site) == fetched_once  # the second crawl fetched no article page again
    stored = {row["url"].removeprefix(base_url) for row in sqlite_utils.Database(tmp_path / "wx.db").query(
        "select url from articles")}
    junk = {path.format(outlet=outlet) for outlet in outlets() for path, _ in JUNK_LINKS}
    assert len(stored) == 45 and not stored & junk
    assert not {path for path in site.hits if path in junk}  # not even fetched
    assert sources["sina"]["skipped"] == 8
    assert sources["sina"]["skipped_reasons"] == {"not an article path": 6, "not a headline": 1, "other site": 1}
    assert "not an article path: 6" in first.stderr


def test_wechat_articles_through_a_feed_bridge_keep_their_whole_body(run_cli, tmp_path: Path) -> None:
    site = build_realworld_site()
    with site.running() as base_url:
        settings = str(realworld_settings(tmp_path / "settings.toml", base_url, tmp_path / "wx.db"))
        result = run_cli("--config", settings, "crawl", "wx-geekpark", timeout=120)
        assert result.returncode == 0, result.stderr[-3000:]
    rows = list(sqlite_utils.Database(tmp_path / "wx.db").query("select url, text, published from articles"))
    assert len(rows) == 2 and all(WECHAT_MIRROR in row["url"] for row in rows)
    for row in rows:
        assert "功能介绍" not in row["text"]  # the account's profile panel
        assert len(row["text"]) > 1000
        assert row["published"].startswith("2021-06-17")  # the feed entry's date wins over the page's
