"""Source health through real crawls: a source failing N runs in a row alerts once, and once on recovery."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from wxwatch.sample.pages import listing_page
from wxwatch.sample.server import Route, SiteServer

pytestmark = pytest.mark.slow  # real crawls / subprocesses: seconds each

FEED = (b'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>t</title>'
        b"<item><title>a</title><link>{{BASE_URL}}/a.html</link></item></channel></rss>")
PAGE = "<html><body><article><p>" + "搜一搜月活用户过7亿，较前一年上涨20%。" * 5 + "</p></article></body></html>"


def settings(tmp_path: Path, base: str) -> Path:
    path = tmp_path / "settings.toml"
    path.write_text(
        f'[storage]\npath = "{tmp_path / "wx.db"}"\n[crawler]\nautothrottle = false\ndownload_delay = 0.0\n'
        "download_timeout = 2.0\nretry_times = 0\n[alerts]\nhealth_after_failures = 2\n"
        f'[[sources]]\nname = "feed"\nkind = "feed"\nurl = "{base}/feed.xml"\nallow_private = true\n'
        f'[[sources]]\nname = "list"\nkind = "listing"\nurl = "{base}/list.html"\nlink_selector = "ul.list a"\n'
        "allow_private = true\n",
        encoding="utf-8",
    )
    return path


def health_alerts(run_cli, config: Path) -> list[tuple[str, str]]:
    result = run_cli("--config", str(config), "alerts", "--json")
    assert result.returncode == 0, result.stderr
    return [(a["metric_key"], a["description"]) for a in json.loads(result.stdout) if a["kind"] == "health"]


def test_failing_and_recovering_sources_alert_once_each(tmp_path: Path, run_cli) -> None:
    from wxwatch.sample.pages import SamplePost

    site = SiteServer()
    site.routes |= {"/feed.xml": Route(FEED, "application/xml"), "/a.html": Route(PAGE.encode()),
                    "/list.html": Route(listing_page("l", [SamplePost("/a.html", "一篇文章的标题", None, "")]).encode(),
                                        validators=False)}
    with site.running() as base:
        config = settings(tmp_path, base)
        assert run_cli("--config", str(config), "crawl").returncode == 0
        site.routes["/feed.xml"] = Route(b"gone", "text/plain", status=503, validators=False)
        site.routes["/list.html"] = Route(listing_page("l", []).encode(), validators=False)  # layout changed
        for _ in range(3):
            run_cli("--config", str(config), "crawl")
        broken = health_alerts(run_cli, config)
        assert sorted(key for key, _ in broken) == ["health:feed", "health:list"]  # once each, not per run
        site.routes["/feed.xml"] = Route(FEED, "application/xml", validators=False)
        site.routes["/list.html"] = Route(listing_page("l", [SamplePost("/a.html", "一篇文章的标题", None, "")])
                                          .encode(), validators=False)
        assert run_cli("--config", str(config), "crawl").returncode == 0
        recovered = health_alerts(run_cli, config)[len(broken):]
        assert sorted(key for key, _ in recovered) == ["health:feed", "health:list"]
        assert all("恢复" in text for _, text in recovered)
