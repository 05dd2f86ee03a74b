"""A wxwatch database with a known history, written through the storage layer (real migrations, real SQLite).

Two outlets report WeChat's MAU quarter by quarter (new sentences, not seed text); one quarter has a conflict.
Used by tests/browse and tests/report: the canned queries, the charts and the feed are asserted against it.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from wxwatch.storage.db import open_database
from wxwatch.storage.history import MetricHistory
from wxwatch.storage.outbox import Outbox

SOURCES = {"kuaibao": "快报财经", "keji": "科技日报"}
MAU = {"metric": "wechat.mau", "metric_key": "wechat.mau", "subject": "微信", "measure": "月活跃账户数",
       "unit": "亿", "qualifier": "=", "rate": None}
# (article id, source, published, period, value, sentence)
REPORTS = [
    (1, "kuaibao", "2024-03-20T10:00:00+08:00", "2023Q4", 13.43e8, "去年年末，微信及WeChat合并月活跃账户数为13.43亿。"),
    (2, "kuaibao", "2024-05-15T10:00:00+08:00", "2024Q1", 13.59e8, "一季度末微信合并月活跃账户数升至13.59亿。"),
    (3, "keji", "2024-05-16T09:00:00+08:00", "2024Q1", 13.59e8, "财报显示，微信月活账户数达到13.59亿。"),
    (5, "kuaibao", "2024-08-13T08:00:00+08:00", "2024Q2", 13.28e8, "快讯：二季度微信月活账户13.28亿。"),
    (4, "keji", "2024-08-14T20:00:00+08:00", "2024Q2", 13.71e8, "截至六月底，微信合并月活跃账户数为13.71亿。"),
]
SEARCH = (6, "keji", "2024-01-09T12:00:00+08:00", "2023", 8e8, "公开课上披露，搜一搜月活跃用户已超过8亿。")
TARGET = "json://127.0.0.1:9/hook"


def url_of(article_id: int) -> str:
    return f"http://news.example/a/{article_id}.html"


def build_history_db(path: Path) -> Path:
    db = open_database(path)
    history = MetricHistory(db)
    for article_id, source, published, period, value, text in [*REPORTS, SEARCH]:
        article = {"id": article_id, "url": url_of(article_id), "source": source, "category": SOURCES[source],
                   "title": f"标题{article_id}", "published": published, "status": "new", "first_seen": published,
                   "last_seen": published}
        db["articles"].insert(article)
        fields = MAU if article_id != SEARCH[0] else {**MAU, "metric": "search.mau", "metric_key": "search.mau",
                                                      "subject": "搜一搜", "measure": "月活跃用户数",
                                                      "qualifier": ">"}
        history.replace_observations(article, [{**fields, "value": value, "period": period, "text": text,
                                                "start": 0, "end": 1}], "normal", 1)
    _metric_values(db)
    _alerts(db)
    _runs(db)
    return path


def _metric_values(db) -> None:
    known = [("wechat.mau", 13.43e8, "2023Q4", [1]), ("wechat.mau", 13.59e8, "2024Q1", [2, 3]),
             ("wechat.mau", 13.28e8, "2024Q2", [5]), ("wechat.mau", 13.71e8, "2024Q2", [4]),
             ("search.mau", 8e8, "2023", [6])]
    by_id = {r[0]: r for r in [*REPORTS, SEARCH]}
    for key, value, period, articles in known:
        first = by_id[articles[0]]
        db["metric_values"].insert({
            "metric_key": key, "metric": key, "subject": "微信" if key == "wechat.mau" else "搜一搜",
            "measure": "月活跃账户数" if key == "wechat.mau" else "月活跃用户数", "unit": "count", "value": value,
            "qualifier": "=" if key == "wechat.mau" else ">", "period": period, "published": first[2],
            "sources": json.dumps([by_id[a][1] for a in articles]), "confirmed": 1, "first_source": first[1],
            "first_url": url_of(first[0]), "first_seen": first[2], "last_seen": first[2]})


def _alerts(db) -> None:
    common = {"metric": "wechat.mau", "metric_key": "wechat.mau", "subject": "微信", "measure": "月活跃账户数",
              "unit": "count", "qualifier": "=", "run_id": 1, "status": "pending", "attempts": 0}
    rows = [
        {**common, "kind": "changed", "value": 13.59e8, "previous_value": 13.43e8, "change": 16 / 1343,
         "period": "2024Q1", "previous_period": "2023Q4", "source": "kuaibao", "category": "快报财经",
         "url": url_of(2), "title": "标题2", "published": REPORTS[1][2], "created": "2024-05-15T03:00:00+00:00"},
        {**common, "kind": "conflict", "value": 13.71e8, "previous_value": 13.28e8, "period": "2024Q2",
         "source": "keji", "category": "科技日报", "url": url_of(4), "title": "标题4", "published": REPORTS[4][2],
         "other_source": "kuaibao", "other_category": "快报财经", "other_url": url_of(5),
         "created": "2024-08-14T13:00:00+00:00"},
        {**common, "metric": "search.mau", "metric_key": "search.mau", "subject": "搜一搜", "measure": "月活跃用户数",
         "kind": "new", "value": 8e8, "qualifier": ">", "period": "2023", "source": "keji", "category": "科技日报",
         "url": url_of(6), "title": "标题6", "published": SEARCH[2], "created": "2024-08-14T13:00:01+00:00"},
    ]
    db["alerts"].insert_all(rows)
    outbox = Outbox(db)
    outbox.ensure_deliveries(TARGET, TARGET, datetime(2024, 8, 14, tzinfo=UTC))
    outbox.mark_sent(TARGET, [1, 2], datetime(2024, 8, 14, 13, 5, tzinfo=UTC))
    outbox.refresh_status([1, 2, 3], [TARGET])


def _runs(db) -> None:
    db["runs"].insert({"id": 1, "started": "2024-08-14T12:00:00+00:00", "finished": "2024-08-14T12:01:00+00:00",
                       "status": "partial", "trigger": "manual"})
    db["run_sources"].insert_all([
        {"run_id": 1, "source": "keji", "status": "ok", "pages_fetched": 4, "articles_new": 2, "errors": 0,
         "finished": "2024-08-14T12:00:30+00:00"},
        {"run_id": 1, "source": "kuaibao", "status": "failed", "pages_fetched": 0, "articles_new": 0, "errors": 1,
         "error": "HTTP 503", "finished": "2024-08-14T12:00:40+00:00"},
    ])
    db["source_state"].insert_all([
        {"source": "keji", "url": "http://news.example/keji.xml", "consecutive_failures": 0,
         "last_success": "2024-08-14T12:00:30+00:00"},
        {"source": "kuaibao", "url": "http://news.example/kuaibao.html", "consecutive_failures": 3,
         "last_error": "HTTP 503", "health": "failing", "last_success": "2024-08-10T12:00:00+00:00"},
    ])


def write_settings(directory: Path, db: Path) -> Path:
    path = directory / "settings.toml"
    sources = "".join(f'\n[[sources]]\nname = "{name}"\nkind = "feed"\nurl = "http://news.example/{name}.xml"\n'
                      f'category = "{label}"\n' for name, label in SOURCES.items())
    path.write_text(f'[storage]\npath = "{db}"\n{sources}', encoding="utf-8")
    return path


@pytest.fixture
def history_settings(tmp_path: Path) -> Path:
    """settings.toml of a database (wx.db) holding the known history above."""
    return write_settings(tmp_path, build_history_db(tmp_path / "wx.db"))
