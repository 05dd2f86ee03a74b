"""The issuer's own figures: an issuer release settles a conflict between outlets, marked official everywhere."""

from __future__ import annotations

from pathlib import Path

import pytest

from wxwatch.analysis import analyse_new_articles
from wxwatch.config import parse_config
from wxwatch.notify.render import describe
from wxwatch.report import build_report
from wxwatch.storage.articles import ArticleRecord, ArticleStore
from wxwatch.storage.db import open_database
from wxwatch.storage.history import MetricHistory
from wxwatch.storage.outbox import Outbox

SOURCES = [
    {"name": "wire", "kind": "listing", "url": "https://wire.example.cn/", "category": "快讯"},
    {"name": "daily", "kind": "listing", "url": "https://daily.example.cn/", "category": "日报"},
    {"name": "tencent-ir", "kind": "releases", "url": "https://ir.example.com/results", "category": "腾讯公告"},
]


@pytest.fixture
def env(tmp_path: Path):
    config = parse_config({"storage": {"path": str(tmp_path / "wx.db")}, "sources": SOURCES}, tmp_path / "s.toml", {})
    return config, open_database(config.storage.path)


def publish(env, source: str, path: str, text: str, day: str) -> list:
    config, db = env
    before = {alert.id for alert in Outbox(db).alerts()}
    ArticleStore(db).save(ArticleRecord(url=f"https://{source}.example.cn{path}", source=source, title="季度业绩",
                                        text=text, published=f"{day}T09:00:00+08:00",
                                        category=next(s["category"] for s in SOURCES if s["name"] == source)))
    analyse_new_articles(db, config, None, alert_baseline=True)
    return [alert for alert in Outbox(db).alerts() if alert.id not in before]


def test_a_releases_source_is_an_issuer_with_high_trust(env) -> None:
    config, _ = env
    ir = next(s for s in config.sources if s.name == "tencent-ir")
    wire = next(s for s in config.sources if s.name == "wire")
    assert (ir.issuer, ir.trust, wire.issuer, wire.trust) == (True, "high", False, "normal")


def test_the_issuer_settles_a_conflict_between_outlets_and_is_official(env, tmp_path: Path) -> None:
    publish(env, "wire", "/1", "第三季度，微信及WeChat的合并月活跃账户数为14.41亿。", "2025-11-12")
    (conflict,) = publish(env, "daily", "/1", "第三季度，微信及WeChat的合并月活跃账户数为14.14亿。", "2025-11-12")
    assert conflict.kind == "conflict"
    (settled,) = publish(env, "tencent-ir", "/q3", "截至2025年9月30日，微信及WeChat的合并月活跃账户数为14.14亿。",
                         "2025-11-13")
    assert (settled.kind, settled.value, settled.previous_value, settled.period) == ("settled", 14.14e8, 14.41e8,
                                                                                     "2025Q3")
    assert settled.official and settled.other_source == "wire"
    assert describe(settled) == ("微信 月活跃账户数（2025Q3）：腾讯公告 公布 14.14亿（官方），"
                                 "各媒体说法不一的问题由此定论；14.41亿（快讯 2025-11-12） 与之不符")
    (current,) = MetricHistory(env[1]).current_values()
    assert (current["value"], current["period"]) == (14.14e8, "2025Q3")
    official = {row["value"]: row["official"] for row in MetricHistory(env[1]).metric_history("wechat.mau")}
    assert official == {14.41e8: 0, 14.14e8: 1}
    report = build_report(env[0].storage.path, tmp_path / "report")
    page = report.html.read_text(encoding="utf-8")
    assert "14.14亿（官方）" in page and "官方定论" in page


def test_history_marks_the_official_value(env, run_cli) -> None:
    publish(env, "tencent-ir", "/q3", "截至2025年9月30日，微信及WeChat的合并月活跃账户数为14.14亿。", "2025-11-13")
    settings = env[0].storage.path.parent / "settings.toml"
    settings.write_text(f'[storage]\npath = "{env[0].storage.path}"\n', encoding="utf-8")
    result = run_cli("--config", str(settings), "metrics", "history", "wechat.mau")
    (row,) = [line for line in result.stdout.splitlines() if "14.14亿" in line]
    assert "│ yes       │ yes      │ tencent-ir" in row


def test_an_issuer_figure_outside_a_conflict_alerts_as_usual_marked_official(env) -> None:
    publish(env, "wire", "/2", "第二季度，微信及WeChat的合并月活跃账户数为14.11亿。", "2025-08-12")
    (changed,) = publish(env, "tencent-ir", "/q3", "截至2025年9月30日，微信及WeChat的合并月活跃账户数为14.14亿。",
                         "2025-11-13")
    assert (changed.kind, changed.official) == ("changed", 1)
    assert "14.14亿（官方）" in describe(changed)
    assert publish(env, "wire", "/3", "三季度，微信及WeChat的合并月活跃账户数为14.14亿。", "2025-11-14") == []


def test_a_later_outlet_figure_does_not_displace_the_official_one(env) -> None:
    publish(env, "tencent-ir", "/q3", "截至2025年9月30日，微信及WeChat的合并月活跃账户数为14.14亿。", "2025-11-13")
    (conflict,) = publish(env, "wire", "/4", "第三季度，微信及WeChat的合并月活跃账户数为14.41亿。", "2025-11-20")
    assert conflict.kind == "conflict"
    (current,) = MetricHistory(env[1]).current_values()
    assert current["value"] == 14.14e8
