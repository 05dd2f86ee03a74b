"""The seeds replayed in publication order through the real `wxwatch crawl`, with real chat and email targets.

Baseline crawl of 001 (silent); then 000, 002, 003 (trusted) and 004 (a low-trust content farm) arrive:
one `new` alert per metric 001 did not have, none for repeats, one `conflict` for the coupon amount
(229亿 in 001 vs 290亿 in 002), nothing from 004 alone; then a later article with a changed figure
gives one `changed` alert with the right delta. Delivery: once per alert, digest per run and target.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime
from pathlib import Path

import pytest

from wxwatch.sample.pages import SamplePost, article_page, atom_feed, listing_page, rss_feed
from wxwatch.sample.server import Route, SiteServer

pytestmark = pytest.mark.slow  # real crawls / subprocesses: seconds each

SAMPLE = Path(__file__).parents[2] / "wxwatch" / "sample" / "site"
PAGES = {
    "001": "/a/2022/0106/stcn-wechat-open-class.html",
    "000": "/a/2022/0107/guohai-wechat-open-class.html",
    "002": "/36kr/p/1562117236457734.html",
    "003": "/jianshi/2022/wechat-2021-data.html",
    "004": "/seo/wechat-how-to-call.html",
}
CHANGED = SamplePost("/a/2023/0110/open-class-2023.html", "2023微信公开课：小程序日活突破6亿",
                     datetime.fromisoformat("2023-01-10T20:00:00+08:00"),
                     "<p>1月10日，2023微信公开课PRO在广州举行。</p><p>会上公布，小程序日活突破6亿，"
                     "日活跃用户数继续保持增长。</p>")


def listed(path: str, title: str = "文章") -> SamplePost:
    return SamplePost(path, title, None, "")


def publish(site: SiteServer, step: int) -> None:
    """What the outlets' listings and feeds show at each step of the scenario."""
    stcn = [listed(PAGES["001"])] + ([listed(PAGES["000"])] if step >= 2 else []) + \
        ([listed(CHANGED.path)] if step >= 3 else [])
    kr = [SamplePost(PAGES["002"], "最前线 _ 2022 微信公开课", datetime.fromisoformat("2022-01-06T10:22:16+00:00"), "")]
    jianshi_date = datetime.fromisoformat("2022-01-07T09:00:00+08:00")
    jianshi = [SamplePost(PAGES["003"], "微信发布2021年所有数据及野心", jianshi_date, "")]
    site.routes |= {
        "/stcn/list.html": Route(listing_page("证券时报", stcn).encode()),
        "/36kr/feed.xml": Route(rss_feed("36氪", "{{BASE_URL}}", kr if step >= 2 else [], full_content=False).encode(),
                                "application/xml"),
        "/jianshi/atom.xml": Route(atom_feed("见实", "{{BASE_URL}}", jianshi if step >= 2 else []).encode(),
                                   "application/xml"),
        "/seo/list.html": Route(listing_page("微信百科", [listed(PAGES["004"])] if step >= 2 else []).encode()),
    }


@pytest.fixture
def site():
    server = SiteServer()
    for path in PAGES.values():
        server.routes[path] = Route((SAMPLE / path.lstrip("/")).read_bytes())
    server.routes[CHANGED.path] = Route(article_page(CHANGED).encode())
    publish(server, 1)
    with server.running() as base_url:
        server.base_url = base_url
        yield server


def write_settings(path: Path, base: str, db: Path, urls: list[str]) -> Path:
    sources = [("stcn", "listing", "/stcn/list.html", "normal"), ("36kr", "feed", "/36kr/feed.xml", "normal"),
               ("jianshi", "feed", "/jianshi/atom.xml", "high"), ("seo", "listing", "/seo/list.html", "low")]
    tables = "".join(
        f'\n[[sources]]\nname = "{name}"\nkind = "{kind}"\nurl = "{base}{path}"\ntrust = "{trust}"\n'
        f'allow_private = true\n' + ('link_selector = "ul.list a"\n' if kind == "listing" else "")
        for name, kind, path, trust in sources
    )
    path.write_text(
        f'[storage]\npath = "{db}"\n\n[crawler]\nautothrottle = false\ndownload_delay = 0.0\n'
        f"download_timeout = 5.0\nconcurrent_requests_per_domain = 8\n\n"
        f"[notify]\nurls = {json.dumps(urls)}\nbackoff_seconds = 60.0\n{tables}",
        encoding="utf-8",
    )
    return path


def alerts(run_cli, settings: Path) -> list[dict]:
    result = run_cli("--config", str(settings), "alerts", "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def catalogued_metrics(db: Path, sources: tuple[str, ...]) -> set[str]:
    with sqlite3.connect(db) as conn:
        marks = ",".join("?" for _ in sources)
        sql = f"select distinct metric from observations where metric is not null and source in ({marks})"
        rows = conn.execute(sql, sources)
        return {row[0] for row in rows}


def crawl(run_cli, settings: Path) -> None:
    result = run_cli("--config", str(settings), "crawl")
    assert result.returncode == 0, result.stderr + result.stdout


def test_seed_replay_alerts_once_per_new_metric(site, run_cli, tmp_path, json_receiver, smtp_server) -> None:
    db = tmp_path / "wx.db"
    settings = write_settings(tmp_path / "settings.toml", site.base_url, db, [json_receiver.url, smtp_server.url])

    crawl(run_cli, settings)  # step 1: the baseline (001 only)
    assert alerts(run_cli, settings) == [] and json_receiver.requests == [] and smtp_server.messages == []
    baseline = catalogued_metrics(db, ("stcn",))
    assert {"miniprogram.dau", "pay.coupon_redeemed", "search.mau"} <= baseline

    publish(site, 2)  # step 2: 000 (stcn), 002 (36kr), 003 (jianshi), 004 (seo, low trust)
    crawl(run_cli, settings)
    queued = alerts(run_cli, settings)
    new = [a for a in queued if a["kind"] == "new"]
    assert sorted(a["metric"] for a in new) == sorted(catalogued_metrics(db, ("stcn", "36kr", "jianshi")) - baseline)
    conflicts = [a for a in queued if a["kind"] == "conflict"]
    assert [(a["metric"], a["value"], a["previous_value"]) for a in conflicts] == [
        ("pay.coupon_redeemed", 29_000_000_000, 22_900_000_000)]
    assert all(a["kind"] in ("new", "conflict") for a in queued)
    assert not any(a["source"] == "seo" for a in queued)
    assert catalogued_metrics(db, ("seo",)) - catalogued_metrics(db, ("stcn", "36kr", "jianshi"))  # 004 had its own
    assert all(a["status"] == "sent" and a["attempts"] == 1 for a in queued)
    assert len(json_receiver.requests) == 1 and len(smtp_server.messages) == 1  # one digest per target
    digest = json_receiver.requests[0]
    print("digest as the chat receiver got it:", json.dumps(digest, ensure_ascii=False))  # shown with -s
    assert digest["title"].startswith("微信指标更新") and f"{len(new)} 项新指标" in digest["title"]
    assert "pay.coupon_redeemed" in digest["message"]

    publish(site, 3)  # step 3: a later article with a changed figure
    crawl(run_cli, settings)
    latest = [a for a in alerts(run_cli, settings) if a["id"] not in {q["id"] for q in queued}]
    assert [(a["kind"], a["metric"], a["value"], a["previous_value"]) for a in latest] == [
        ("changed", "miniprogram.dau", 600_000_000, 450_000_000)]
    assert latest[0]["change"] == pytest.approx(1 / 3)
    assert len(json_receiver.requests) == 2 and "+33%" in json_receiver.requests[1]["message"]

    crawl(run_cli, settings)  # nothing new: nothing sent again
    assert len(json_receiver.requests) == 2 and len(smtp_server.messages) == 2


def test_alerts_survive_an_outage_and_a_crash_before_dispatch(site, run_cli, tmp_path, json_receiver) -> None:
    db = tmp_path / "wx.db"
    no_targets = write_settings(tmp_path / "quiet.toml", site.base_url, db, [])
    settings = write_settings(tmp_path / "settings.toml", site.base_url, db, [json_receiver.url])
    crawl(run_cli, no_targets)
    publish(site, 2)
    crawl(run_cli, no_targets)  # alerts queued, nothing delivered: as if killed between crawl and dispatch
    pending = alerts(run_cli, no_targets)
    assert pending and all(a["status"] == "pending" for a in pending)

    json_receiver.down()
    crawl(run_cli, settings)  # the next run tries them: receiver down, they stay pending
    after_outage = alerts(run_cli, settings)
    assert all(a["status"] == "pending" and a["attempts"] == 1 for a in after_outage)
    json_receiver.up()
    crawl(run_cli, settings)  # still backing off: not retried yet
    assert json_receiver.requests == []
    result = run_cli("--config", str(settings), "alerts", "retry")
    assert result.returncode == 0, result.stderr
    assert len(json_receiver.requests) == 1
    assert all(a["status"] == "sent" for a in alerts(run_cli, settings))
    run_cli("--config", str(settings), "alerts", "retry")
    crawl(run_cli, settings)
    assert len(json_receiver.requests) == 1  # delivered exactly once
