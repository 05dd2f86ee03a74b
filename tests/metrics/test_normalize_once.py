"""Analysis normalises an article's text once: extracting from that text gives what extracting the raw text gives."""

from __future__ import annotations

from pathlib import Path

import pytest

from wxwatch.analysis import analyse_new_articles
from wxwatch.config import parse_config
from wxwatch.metrics import article, extract
from wxwatch.metrics.extract import extract_metrics, extract_normalized
from wxwatch.metrics.normalize import normalize_text
from wxwatch.storage.articles import ArticleRecord, ArticleStore
from wxwatch.storage.db import open_database

RAW_TEXTS = [
    "据腾讯披露，视频号的月活跃用户数已经来到8.7亿。",
    "<p>企业微信上的活跃用户突破<b>1.9</b>亿，连接微信用户数超过6亿。</p>",
    "小程序的日活跃用户超过５.２亿，较上季度有所回升。",
    "搜一搜月活躍用戶突破8億，較去年增長。",
    "WeChat and Weixin combined MAU reached 1.41 billion as at 30 June 2025.",
    "---\ntitle: 小游戏\n---\n微信小游戏月活跃用户达到5 亿，开发者超过20 万。",
]


@pytest.mark.parametrize("raw", RAW_TEXTS)
def test_extracting_normalized_text_gives_the_raw_texts_observations(raw: str) -> None:
    normalized = normalize_text(raw)
    assert normalize_text(normalized) == normalized  # normalising twice changed nothing: once is enough
    observations = extract_normalized(normalized, title="微信数据")
    assert observations and observations == extract_metrics(raw, title="微信数据")


def test_analysis_normalises_each_article_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = parse_config({"storage": {"path": str(tmp_path / "wx.db")},
                           "sources": [{"name": "wire", "kind": "listing", "url": "https://e.org/wire"}]},
                          tmp_path / "s.toml", {})
    db = open_database(config.storage.path)
    for number, raw in enumerate(RAW_TEXTS):
        ArticleStore(db).save(ArticleRecord(url=f"https://e.org/wire/{number}", source="wire", title="微信数据",
                                            text=raw, published="2025-08-14"))
    expected = [(o.metric, o.value, o.period) for raw in RAW_TEXTS for o in extract_metrics(f"微信数据\n{raw}",
                                                                                          title="微信数据")]
    calls: list[str] = []
    monkeypatch.setattr(article, "normalize_text", lambda text: calls.append(text) or normalize_text(text))
    monkeypatch.setattr(extract, "normalize_text", lambda text: pytest.fail("extraction normalised again"))
    report = analyse_new_articles(db, config, None)
    assert len(calls) == report.articles == len(RAW_TEXTS)
    stored = [tuple(row) for row in db.execute("select metric, value, period from observations order by id")]
    assert sorted(stored, key=str) == sorted(expected, key=str)
