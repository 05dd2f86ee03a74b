"""Analysis writes with a few plain statements per article, folds articles in batches, and never half-commits one."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from wxwatch import analysis
from wxwatch.analysis import analyse_new_articles
from wxwatch.config import parse_config
from wxwatch.storage.articles import ArticleRecord, ArticleStore
from wxwatch.storage.db import open_database

SETTINGS = {"sources": [{"name": "wire", "kind": "listing", "url": "https://e.org/wire"}]}
FIGURES = ("据腾讯披露，视频号的月活跃用户数已经来到{}亿。", "企业微信上的活跃用户突破{}亿，连接微信用户数超过6亿。",
           "微信小游戏月活跃用户达到{}亿。", "")


@pytest.fixture
def env(tmp_path: Path):
    config = parse_config({"storage": {"path": str(tmp_path / "wx.db")}} | SETTINGS, tmp_path / "s.toml", {})
    return config, open_database(config.storage.path)


def add_articles(db, count: int, first: int = 0) -> None:
    """`count` articles of one to three figures each (values that differ, so some alert), a day apart."""
    store = ArticleStore(db)
    for number in range(first, first + count):
        text = "".join(figure.format(f"{3 + (number * 7 + i) % 40 / 10:.1f}") for i, figure in
                       enumerate(FIGURES[number % 3:]))
        store.save(ArticleRecord(url=f"https://e.org/wire/{number}", source="wire", title=f"第{number}期",
                                 text=f"第{number}期简报。{text}", published=f"2024-0{1 + number % 9}-1{number % 10}"))


def traced(db) -> list[str]:
    statements: list[str] = []
    db.conn.set_trace_callback(statements.append)
    return statements


def state(db) -> tuple:
    return (db.execute("select metric_key, value, period, sources, reports from metric_values order by id").fetchall(),
            db.execute("select article_id, metric_key, value, value_id from observations order by id").fetchall(),
            db.execute("select kind, metric, value, url from alerts order by id").fetchall())


def test_a_new_article_costs_a_few_plain_statements(env) -> None:
    config, db = env
    add_articles(db, 60)
    statements = traced(db)
    report = analyse_new_articles(db, config, None, alert_baseline=True)
    assert report.articles == 60 and report.observations > 60 and report.events
    # per article: read it, store its observations, mark it extracted; per figure: its metric's values, one
    # write; per alert: its row; per pass: the baseline state, the queue and one BEGIN/COMMIT per batch
    assert len(statements) <= 3 * report.articles + 2 * report.observations + len(report.events) + 10
    introspection = [s for s in statements if "sqlite_master" in s or s.lower().startswith(("pragma", "savepoint",
                                                                                               "release"))]
    assert introspection == []
    batches = -(-60 // analysis.FOLD_BATCH)
    assert sum(s.startswith("BEGIN") for s in statements) == batches + 1  # and the end of the baseline


def test_an_edited_article_is_folded_as_before(env) -> None:
    config, db = env
    add_articles(db, 10)
    analyse_new_articles(db, config, None, alert_baseline=True)
    edited = "第4期简报（更正）。微信小游戏月活跃用户达到9.9亿。"
    ArticleStore(db).save(ArticleRecord(url="https://e.org/wire/4", source="wire", title="第4期", text=edited,
                                        published="2024-05-14"))
    report = analyse_new_articles(db, config, None)
    assert report.articles == 1
    rows = db.execute("select metric_key, value from observations where article_id = 5").fetchall()
    assert rows == [("minigame.mau", 990_000_000.0)]  # its earlier three figures are gone
    reported = db.execute("select v.metric_key, v.value from metric_values v, json_each(v.reports) r"
                          " where json_extract(r.value, '$[1]') = 5").fetchall()
    assert reported == [("minigame.mau", 990_000_000.0)]  # and taken back from history

def test_a_failure_inside_a_batch_commits_nothing_of_it_and_the_next_pass_alerts_once(env, tmp_path) -> None:
    config, db = env
    add_articles(db, 12)
    clean = open_database(tmp_path / "clean.db")
    add_articles(clean, 12)
    analyse_new_articles(clean, parse_config({"storage": {"path": str(tmp_path / "clean.db")}} | SETTINGS,
                                             tmp_path / "s.toml", {}), None, alert_baseline=True)
    db.execute("create trigger full_disk before insert on alerts when (select count(*) from alerts) >= 3"
               " begin select raise(abort, 'database or disk is full'); end")
    with pytest.raises(sqlite3.IntegrityError):
        analyse_new_articles(db, config, None, alert_baseline=True)
    assert state(db) == ([], [], [])  # the batch holding the failure committed nothing
    assert db.execute("select count(*) from articles where extracted_hash is not null").fetchone() == (0,)
    db.execute("drop trigger full_disk")
    report = analyse_new_articles(db, config, None, alert_baseline=True)
    assert report.articles == 12
    assert state(db) == state(clean)  # every alert once, the same history as a pass that never failed
