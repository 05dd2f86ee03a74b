"""Edits, corrections and flapping through the real analysis on a real SQLite file (fast; no crawler)."""

from __future__ import annotations

from pathlib import Path

import pytest

from wxwatch.analysis import analyse_new_articles
from wxwatch.config import parse_config
from wxwatch.storage.articles import ArticleRecord, ArticleStore
from wxwatch.storage.db import open_database
from wxwatch.storage.history import MetricHistory
from wxwatch.storage.outbox import Outbox

LABELS = {"ir": "公司公告", "wire": "快讯", "daily": "日报"}
SETTINGS = {"sources": [{"name": name, "kind": "listing", "url": f"https://{name}.example.cn/", "category": label}
                        for name, label in LABELS.items()]}


@pytest.fixture
def env(tmp_path: Path):
    config = parse_config({"storage": {"path": str(tmp_path / "wx.db")}} | SETTINGS, tmp_path / "s.toml", {})
    db = open_database(config.storage.path)
    return config, db, ArticleStore(db)


def publish(env, source: str, path: str, text: str, day: str, title: str = "业绩观察") -> list[tuple]:
    """Store (or edit) one article, analyse it, and return the alerts it queued as (kind, value, previous)."""
    config, db, store = env
    before = {alert.id for alert in Outbox(db).alerts()}
    store.save(ArticleRecord(url=f"https://{source}.example.cn{path}", source=source, title=title, text=text,
                             published=f"{day}T09:00:00+08:00", category=LABELS[source]))
    analyse_new_articles(db, config, None, alert_baseline=True)
    return [(a.kind, a.value, a.previous_value) for a in Outbox(db).alerts() if a.id not in before]


def test_an_outlet_edit_is_one_correction_and_never_a_conflict_with_itself(env) -> None:
    publish(env, "ir", "/q3", "截至2024年9月30日，微信及WeChat的合并月活跃账户数为14.02亿。", "2024-11-13")
    assert publish(env, "wire", "/q3", "第三季度，微信及WeChat的合并月活跃账户数为14.20亿。", "2024-11-14") == [
        ("conflict", 14.20e8, 14.02e8)]
    fixed = publish(env, "wire", "/q3", "第三季度，微信及WeChat的合并月活跃账户数为14.02亿。", "2024-11-14")
    assert fixed == [("correction", 14.02e8, 14.20e8)]
    (correction,) = [a for a in Outbox(env[1]).alerts() if a.kind == "correction"]
    assert (correction.category, correction.period) == ("快讯", "2024Q3")
    assert publish(env, "wire", "/q3", "第三季度，微信及WeChat的合并月活跃账户数为14.02亿。（已更正）",
                   "2024-11-14") == []  # edited again without changing the figure: nothing
    history = MetricHistory(env[1]).metric_history("wechat.mau")
    assert [(row["value"], row["sources"]) for row in history] == [(14.02e8, '["ir", "wire"]')]


def test_an_outlet_changing_its_own_figure_in_place_is_no_conflict(env) -> None:
    publish(env, "wire", "/dau", "2024年上半年，小程序日活跃用户达到5.3亿。", "2024-08-01")
    assert publish(env, "wire", "/dau", "2024年上半年，小程序日活跃用户达到5.6亿。", "2024-08-01") == [
        ("correction", 5.6e8, 5.3e8)]


def test_flapping_between_two_figures_alerts_once(env) -> None:
    publish(env, "ir", "/a", "搜一搜月活跃用户达到8亿。", "2024-03-01")
    assert publish(env, "wire", "/b", "搜一搜月活跃用户达到9亿。", "2024-04-01") == [("changed", 9e8, 8e8)]
    assert publish(env, "daily", "/a", "搜一搜月活跃用户达到8亿。", "2024-05-01") == []
    assert publish(env, "wire", "/b2", "搜一搜月活跃用户达到9亿。", "2024-06-01") == []


def test_a_rounded_repeat_is_silent_and_a_sharper_one_is_kept(env) -> None:
    publish(env, "daily", "/r", "截至2024年9月30日，微信及WeChat的合并月活跃账户数约14亿。", "2024-11-13")
    assert publish(env, "ir", "/e", "截至2024年9月30日，微信及WeChat的合并月活跃账户数为14.02亿。",
                   "2024-11-14") == []
    (current,) = MetricHistory(env[1]).current_values()
    assert (current["value"], current["period"], current["source_count"]) == (14.02e8, "2024Q3", 2)
