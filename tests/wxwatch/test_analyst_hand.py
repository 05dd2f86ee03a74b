"""The analyst's hand through the real CLI: dismiss a wrong figure, add one by hand, on a real SQLite file."""

from __future__ import annotations

import getpass
import json
from pathlib import Path

import pytest

from wxwatch.analysis import analyse_new_articles
from wxwatch.config import load_config
from wxwatch.storage.articles import ArticleRecord, ArticleStore
from wxwatch.storage.db import open_database
from wxwatch.storage.outbox import Outbox

SETTINGS = """
[storage]
path = "wx.db"

[[sources]]
name = "wire"
kind = "listing"
url = "https://wire.example.cn/"
category = "快讯"

[[sources]]
name = "daily"
kind = "listing"
url = "https://daily.example.cn/"
category = "日报"
"""


@pytest.fixture
def site(tmp_path: Path):
    """Settings, and a database where two outlets reported wechat.mau (one of them garbled by a comparison)."""
    settings = tmp_path / "settings.toml"
    settings.write_text(SETTINGS, encoding="utf-8")
    config = load_config(settings)
    db = open_database(config.storage.path)
    publish(config, db, "daily", "/a1", "截至2025年3月31日，微信及WeChat的合并月活跃账户数为14.02亿，稳中有升。",
            "2025-05-15")
    publish(config, db, "wire", "/b1", "截至2025年6月30日，微信及WeChat的合并月活跃账户数为14.11亿。", "2025-08-14")
    publish(config, db, "wire", "/b2", "据测算，2025年第二季度微信及WeChat的合并月活跃账户数为11.40亿。", "2025-08-15")
    return config, db


def publish(config, db, source: str, path: str, text: str, day: str) -> None:
    ArticleStore(db).save(ArticleRecord(url=f"https://{source}.example.cn{path}", source=source, title="财报速览",
                                        text=text, published=f"{day}T09:00:00+08:00", category="新闻"))
    analyse_new_articles(db, config, None, alert_baseline=True)


def history(run_cli) -> list[dict]:
    result = run_cli("metrics", "history", "wechat.mau", "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def observation_of(rows: list[dict], value: float) -> int:
    (row,) = [row for row in rows if row["value"] == value]
    (observation_id,) = row["observations"]
    return observation_id


def test_dismissing_a_garbled_figure_rebuilds_history_silently_and_for_good(site, run_cli) -> None:
    config, db = site
    before = history(run_cli)
    assert [(r["value"], r["period"]) for r in before] == [(14.02e8, "2025Q1"), (14.11e8, "2025Q2"),
                                                            (11.40e8, "2025Q2")]
    alerts_before = len(Outbox(db).alerts())
    wrong = observation_of(before, 11.40e8)
    result = run_cli("metrics", "dismiss", str(wrong), "--reason", "a modelled estimate, not the issuer's")
    assert result.returncode == 0, result.stderr
    assert f"dismissed observation {wrong}: wechat.mau 11.4亿" in result.stdout
    after = history(run_cli)
    assert [(r["value"], r["period"], r["sources"]) for r in after] == [
        (14.02e8, "2025Q1", ["daily"]), (14.11e8, "2025Q2", ["wire"])]
    assert len(Outbox(db).alerts()) == alerts_before  # no alert storm, not even one
    (audit,) = db.query("select * from analyst_actions")
    assert (audit["action"], audit["observation_id"], audit["value"], audit["user"]) == (
        "dismiss", wrong, 11.40e8, getpass.getuser())
    assert audit["reason"] == "a modelled estimate, not the issuer's" and audit["at"]
    # the outlet edits the article: the dismissed figure is never read from it again
    publish(config, db, "wire", "/b2", "据测算，2025年第二季度微信及WeChat的合并月活跃账户数为11.40亿。（更新）",
            "2025-08-15")
    assert [r["value"] for r in history(run_cli)] == [14.02e8, 14.11e8]
    again = run_cli("metrics", "dismiss", str(wrong))
    assert (again.returncode, again.stderr.strip()) == (1, f"Error: observation {wrong} was already dismissed")


def test_an_observation_id_is_never_reused_after_a_dismissal(site, run_cli) -> None:
    newest = max(max(row["observations"]) for row in history(run_cli))
    assert run_cli("metrics", "dismiss", str(newest)).returncode == 0
    added = run_cli("metrics", "add", "wechat.mau", "14.2亿", "--period", "2025Q3", "--source", "call", "--silent")
    assert added.stdout.startswith(f"added observation {newest + 1}:")


def test_dismissing_an_unknown_observation_is_one_line(site, run_cli) -> None:
    result = run_cli("metrics", "dismiss", "9999")
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == ["Error: no observation 9999 (see `wxwatch metrics history METRIC"
                                                   " --json`)"]


def test_a_manual_figure_alerts_like_any_other_and_keeps_its_provenance(site, run_cli) -> None:
    _, db = site
    alerts_before = {a.id for a in Outbox(db).alerts()}
    result = run_cli("metrics", "add", "wechat.mau", "14.20亿", "--period", "2025Q3",
                     "--source", "https://ir.example.com/2025q3.pdf", "--note", "results call")
    assert result.returncode == 0, result.stderr
    assert "changed alert queued" in result.stdout
    (alert,) = [a for a in Outbox(db).alerts() if a.id not in alerts_before]
    assert (alert.kind, alert.value, alert.previous_value, alert.period) == ("changed", 14.20e8, 11.40e8, "2025Q3")
    assert alert.url == "https://ir.example.com/2025q3.pdf"
    latest = history(run_cli)[-1]
    assert (latest["value"], latest["period"], latest["sources"], latest["first_url"]) == (
        14.20e8, "2025Q3", ["manual"], "https://ir.example.com/2025q3.pdf")
    (audit,) = db.query("select * from analyst_actions where action = 'add'")
    assert (audit["observation_id"], audit["reason"], audit["user"]) == (
        latest["observations"][0], "results call", getpass.getuser())


def test_a_silent_manual_figure_enters_history_without_alert(site, run_cli) -> None:
    _, db = site
    alerts_before = len(Outbox(db).alerts())
    result = run_cli("metrics", "add", "wechat.mau", "超过14亿", "--period", "2025Q4", "--source", "meeting 2026-01-10",
                     "--silent")
    assert result.returncode == 0, result.stderr
    assert len(Outbox(db).alerts()) == alerts_before
    latest = history(run_cli)[-1]
    assert (latest["value"], latest["qualifier"], latest["period"]) == (14e8, ">", "2025Q4")


@pytest.mark.parametrize(("args", "message"), [
    (("wechat.nope", "1亿", "--period", "2025Q3"), "Error: unknown metric 'wechat.nope'"),
    (("wechat.mau", "1亿", "--period", "2025Q5"), "Error: --period '2025Q5' is not a period"),
    (("wechat.mau", "很多", "--period", "2025Q3"), "Error: cannot read '很多' as a number"),
])
def test_a_manual_figure_that_cannot_be_used_is_one_line(site, run_cli, args, message) -> None:
    result = run_cli("metrics", "add", *args, "--source", "x")
    assert result.returncode == 1
    assert result.stderr.startswith(message) and len(result.stderr.strip().splitlines()) == 1
