"""Metric history over months, through real `wxwatch crawl` runs over a loopback site and a json:// receiver.

Three outlets (labels 公司公告, 财经频道, 快讯). A quarterly MAU series with sub-1% steps alerts every quarter;
a second outlet's rounded repeat is silent; a third outlet's rival value for the same quarter is one conflict
naming both labels with both links; that outlet's own edit of its article is one correction, never a conflict
with itself; a half-year series alerts with the previous value's qualifier; a flapping A/B/A alerts once.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime
from pathlib import Path

import pytest

from wxwatch.sample.pages import SamplePost, article_page, listing_page, rss_feed
from wxwatch.sample.server import Route, SiteServer

pytestmark = pytest.mark.slow
CST = "+08:00"


def post(path: str, title: str, day: str, body: str) -> SamplePost:
    return SamplePost(path, title, datetime.fromisoformat(f"{day}T10:00:00{CST}"), f"<p>{body}</p>")


Q1 = post("/ir/2024q1.html", "腾讯一季报：微信月活稳步增长", "2024-05-14",
          "腾讯控股发布业绩公告。截至2024年3月31日，微信及WeChat的合并月活跃账户数为13.59亿。")
Q2 = post("/ir/2024q2.html", "腾讯二季报：微信用户规模继续扩大", "2024-08-14",
          "腾讯控股发布业绩公告。截至2024年6月30日，微信及WeChat的合并月活跃账户数为13.71亿。")
Q3 = post("/ir/2024q3.html", "腾讯三季报：社交平台保持活跃", "2024-11-13",
          "腾讯控股发布第三季度业绩。截至9月30日，微信及WeChat的合并月活跃账户数为13.82亿。")
ROUNDED = post("/cj/q3-brief.html", "财报速览：微信用户数稳中有升", "2024-11-14",
               "据财报，三季度微信及WeChat合并月活跃账户数达13.8亿。")
RIVAL = post("/kx/q3.html", "快讯：微信用户数公布", "2024-11-15",
             "2024年第三季度，微信及WeChat的合并月活跃账户数为13.28亿。")
RIVAL_EDITED = SamplePost(RIVAL.path, RIVAL.title, RIVAL.published,
                          "<p>2024年第三季度，微信及WeChat的合并月活跃账户数为13.82亿。（本文已更正）</p>")
H1 = post("/cj/h1.html", "小程序半年观察", "2024-08-20", "2024年上半年，小程序日活跃用户超过5亿。")
H2 = post("/cj/h2.html", "小程序下半年观察", "2025-02-20", "2024年下半年，小程序日活跃用户达到5.4亿。")
SEARCH_A = post("/kx/search-a.html", "搜一搜最新动态", "2024-09-01", "据介绍，搜一搜月活跃用户达到8亿。")
SEARCH_B = post("/cj/search-b.html", "搜一搜又有新数据", "2024-10-01", "官方透露，搜一搜月活跃用户达到9亿。")
SEARCH_A_AGAIN = post("/cj/search-a2.html", "搜一搜用户观察", "2024-11-20", "有数据显示，搜一搜月活跃用户达到8亿。")

STEPS = [  # what each outlet lists at each crawl
    {"tencent": [Q1], "caijing": [], "kuaixun": []},
    {"tencent": [Q1, Q2], "caijing": [H1], "kuaixun": [SEARCH_A]},
    {"tencent": [Q1, Q2, Q3], "caijing": [H1, ROUNDED, SEARCH_B], "kuaixun": [SEARCH_A]},
    {"tencent": [Q1, Q2, Q3], "caijing": [H1, ROUNDED, SEARCH_B, SEARCH_A_AGAIN, H2], "kuaixun": [SEARCH_A, RIVAL]},
]
LABELS = {"tencent": "公司公告", "caijing": "财经频道", "kuaixun": "快讯"}


def publish(site: SiteServer, step: dict[str, list[SamplePost]]) -> None:
    for posts in step.values():
        for item in posts:
            site.routes.setdefault(item.path, Route(article_page(item).encode()))
    site.routes["/ir/feed.xml"] = Route(rss_feed("公司公告", "{{BASE_URL}}", step["tencent"], full_content=False)
                                        .encode(), "application/xml")
    for name in ("caijing", "kuaixun"):
        site.routes[f"/{name}/list.html"] = Route(listing_page(LABELS[name], step[name]).encode())


@pytest.fixture
def site():
    server = SiteServer()
    publish(server, STEPS[0])
    with server.running() as base_url:
        server.base_url = base_url
        yield server


def write_settings(path: Path, base: str, db: Path, url: str) -> Path:
    sources = [("tencent", "feed", "/ir/feed.xml"), ("caijing", "listing", "/caijing/list.html"),
               ("kuaixun", "listing", "/kuaixun/list.html")]
    tables = "".join(
        f'\n[[sources]]\nname = "{name}"\nkind = "{kind}"\nurl = "{base}{where}"\ncategory = "{LABELS[name]}"\n'
        f"allow_private = true\n" + ('link_selector = "ul.list a"\n' if kind == "listing" else "")
        for name, kind, where in sources
    )
    path.write_text(
        f'[storage]\npath = "{db}"\n\n[crawler]\nautothrottle = false\ndownload_delay = 0.0\n'
        f"download_timeout = 5.0\nconcurrent_requests_per_domain = 8\n\n[notify]\nurls = [{json.dumps(url)}]\n"
        f"{tables}", encoding="utf-8")
    return path


def crawl(run_cli, settings: Path, *extra: str) -> str:
    result = run_cli("--config", str(settings), "crawl", *extra)
    assert result.returncode == 0, result.stderr + result.stdout
    return result.stdout


def new_alerts(run_cli, settings: Path, seen: set[int]) -> list[dict]:
    result = run_cli("--config", str(settings), "alerts", "--json")
    assert result.returncode == 0, result.stderr
    fresh = [alert for alert in json.loads(result.stdout) if alert["id"] not in seen]
    seen.update(alert["id"] for alert in fresh)
    return fresh


def summary(alerts: list[dict]) -> list[tuple]:
    return sorted((a["kind"], a["metric"], a["period"], a["value"], a["previous_value"]) for a in alerts)


def test_history_over_a_year_of_coverage(site, run_cli, tmp_path, json_receiver) -> None:
    db = tmp_path / "wx.db"
    settings = write_settings(tmp_path / "settings.toml", site.base_url, db, json_receiver.url)
    seen: set[int] = set()
    crawl(run_cli, settings)  # the baseline: Q1, silent
    assert new_alerts(run_cli, settings, seen) == [] and json_receiver.requests == []

    publish(site, STEPS[1])
    crawl(run_cli, settings)
    assert summary(new_alerts(run_cli, settings, seen)) == [
        ("changed", "wechat.mau", "2024Q2", 13.71e8, 13.59e8),         # +0.9%: a quarter's step is news
        ("new", "miniprogram.dau", "2024H1", 5e8, None),
        ("new", "search.mau", None, 8e8, None),
    ]

    publish(site, STEPS[2])
    output = crawl(run_cli, settings)
    assert summary(new_alerts(run_cli, settings, seen)) == [
        ("changed", "search.mau", None, 9e8, 8e8),                     # B after A
        ("changed", "wechat.mau", "2024Q3", 13.82e8, 13.71e8),         # the rounded 13.8亿 repeat is silent
    ]
    assert "2 alerts sent" in output and "0 waiting" in output and "0 failed" in output

    publish(site, STEPS[3])
    crawl(run_cli, settings)
    third = new_alerts(run_cli, settings, seen)
    assert summary(third) == [
        ("changed", "miniprogram.dau", "2024H2", 5.4e8, 5e8),
        ("conflict", "wechat.mau", "2024Q3", 13.28e8, 13.82e8),        # A again (search 8亿) is silent
    ]
    conflict = next(a for a in third if a["kind"] == "conflict")
    assert (conflict["category"], conflict["other_category"]) == ("快讯", "公司公告")
    assert conflict["url"].endswith(RIVAL.path) and conflict["other_url"].endswith(Q3.path)
    half = next(a for a in third if a["kind"] == "changed")
    assert "此前 超过5亿（2024H1，财经频道 2024-08-20）" in half["description"]

    site.routes[RIVAL.path] = Route(article_page(RIVAL_EDITED).encode())  # 快讯 corrects its own article
    crawl(run_cli, settings, "--refresh")
    (correction,) = new_alerts(run_cli, settings, seen)
    assert summary([correction]) == [("correction", "wechat.mau", "2024Q3", 13.82e8, 13.28e8)]
    assert correction["category"] == "快讯" and "快讯 更正为 13.82亿" in correction["description"]

    crawl(run_cli, settings, "--refresh")  # nothing new: nothing alerted or sent again
    assert new_alerts(run_cli, settings, seen) == []
    digests = json_receiver.requests
    assert len(digests) == 4
    for digest in digests:
        assert not any(slug in digest["message"] for slug in ("tencent", "caijing", "kuaixun"))
    conflict_digest = digests[2]["message"]
    assert all(path in conflict_digest for path in (RIVAL.path, Q3.path))
    print("\nthe digests as the json:// receiver got them:")  # shown with -s
    for digest in digests:
        print(json.dumps(digest, ensure_ascii=False))

    current = run_cli("--config", str(settings), "metrics", "--json")
    values = {row["metric_key"]: (row["value"], row["period"]) for row in json.loads(current.stdout)}
    assert values["wechat.mau"] == (13.82e8, "2024Q3") and values["search.mau"] == (8e8, None)
    with sqlite3.connect(db) as conn:  # the outlet's edit replaced its observation: 13.28亿 is gone
        assert conn.execute("select count(*) from metric_values where value = 1328000000").fetchone() == (0,)
