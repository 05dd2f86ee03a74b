"""Analysis after a crawl, without a crawler: extraction into observations, history and the outbox."""

from __future__ import annotations

from pathlib import Path

import pytest

from wxwatch.analysis import analyse_new_articles
from wxwatch.config import ConfigError, parse_config
from wxwatch.storage.articles import ArticleRecord, ArticleStore
from wxwatch.storage.db import open_database
from wxwatch.storage.outbox import Outbox

SETTINGS = {
    "sources": [
        {"name": "stcn", "kind": "listing", "url": "https://e.org/stcn"},
        {"name": "farm", "kind": "listing", "url": "https://e.org/farm", "trust": "low"},
    ]
}


@pytest.fixture
def env(tmp_path: Path):
    config = parse_config({"storage": {"path": str(tmp_path / "wx.db")}} | SETTINGS, tmp_path / "s.toml", {})
    db = open_database(config.storage.path)
    return config, db, ArticleStore(db)


def add(store: ArticleStore, url: str, text: str, source: str = "stcn", published: str = "2022-01-06T21:00:00+08:00"):
    return store.save(ArticleRecord(url=url, source=source, title="", text=text, published=published))


def count(db, table: str) -> int:
    return db.execute(f"select count(*) from {table}").fetchone()[0]


def test_baseline_then_new_metric_alerts_once(env) -> None:
    config, db, store = env
    add(store, "https://e.org/1", "小程序日活突破4.5亿，活跃小程序数量同比上涨41%。")
    first = analyse_new_articles(db, config, None)
    assert first.baseline and first.articles == 1 and count(db, "alerts") == 0
    assert analyse_new_articles(db, config, None).articles == 0  # nothing left to extract
    add(store, "https://e.org/2", "搜一搜月活用户过7亿。小程序日活突破4.5亿。")
    second = analyse_new_articles(db, config, None)
    assert not second.baseline
    assert [(a.kind, a.metric) for a in Outbox(db).alerts()] == [("new", "search.mau")]


def test_updated_article_replaces_its_observations(env) -> None:
    config, db, store = env
    add(store, "https://e.org/1", "小程序日活突破4.5亿。")
    analyse_new_articles(db, config, None)
    add(store, "https://e.org/1", "小程序日活突破4.5亿。搜一搜月活用户过7亿。")
    analyse_new_articles(db, config, None)
    metrics = [row["metric"] for row in db.query("select metric from observations order by metric")]
    assert metrics == ["miniprogram.dau", "search.mau"]


def test_low_trust_figure_waits_for_a_trusted_source(env) -> None:
    config, db, store = env
    add(store, "https://e.org/0", "搜一搜月活用户过7亿。")
    analyse_new_articles(db, config, None)  # baseline
    add(store, "https://farm.org/1", "微信日均活跃用户12.8亿。", source="farm")
    analyse_new_articles(db, config, None)
    assert Outbox(db).alerts() == []
    add(store, "https://e.org/3", "微信日均活跃用户12.8亿。", published="2022-01-08T09:00:00+08:00")
    analyse_new_articles(db, config, None)
    (alert,) = Outbox(db).alerts()
    assert (alert.kind, alert.metric, alert.source) == ("new", "wechat.dau", "stcn")


def test_alert_baseline_option_alerts_on_an_empty_database(env) -> None:
    config, db, store = env
    add(store, "https://e.org/1", "小程序日活突破4.5亿。")
    report = analyse_new_articles(db, config, None, alert_baseline=True)
    assert not report.baseline
    assert [a.metric for a in Outbox(db).alerts()] == ["miniprogram.dau"]


@pytest.mark.parametrize(("keep_pages", "kept"), [("figures", {"https://e.org/fig"}), ("all", {"https://e.org/fig",
                                                  "https://e.org/plain"}), ("none", set())])
def test_keep_pages_decides_which_pages_stay_after_analysis(tmp_path: Path, keep_pages: str, kept: set) -> None:
    raw = {"storage": {"path": str(tmp_path / "wx.db"), "keep_pages": keep_pages}} | SETTINGS
    config = parse_config(raw, tmp_path / "s.toml", {})
    db = open_database(config.storage.path)
    store = ArticleStore(db)
    page = "<html><body><p>{}</p></body></html>"
    texts = {"https://e.org/fig": "据介绍，视频号的月活跃用户已经超过了九亿。",
             "https://e.org/plain": "这家公司今天在深圳召开了一场产品发布会，介绍了新的办公软件。"}
    ids = {url: store.save(ArticleRecord(url=url, source="stcn", title="", text=text, html=page.format(text))).id
           for url, text in texts.items()}
    assert all(store.html(i) for i in ids.values())  # stored at fetch time, decided once analysed
    analyse_new_articles(db, config, None)
    assert {url for url, i in ids.items() if store.html(i)} == kept
    assert all(row["text"] for row in db.query("select text from articles"))  # the text always stays


def test_keep_pages_rejects_an_unknown_value(tmp_path: Path) -> None:
    raw = {"storage": {"path": str(tmp_path / "wx.db"), "keep_pages": "some"}} | SETTINGS
    with pytest.raises(ConfigError, match=r"^storage.keep_pages: must be one of all, figures, none"):
        parse_config(raw, tmp_path / "s.toml", {})


PAGE_TEXTS = {
    "https://e.org/p1": ("视频号带货数据", "据平台方面披露，视频号直播带货销售额同比增长了三倍多。"
                         "另据介绍，搜一搜的月活跃用户已超过八亿。"),
    "https://e.org/p2": ("小程序生态", "在今年的开发者大会上，官方表示小程序的日活跃用户已经突破了六亿。"),
    "https://e.org/p3": ("发布会", "这家公司今天在深圳召开了一场产品发布会，介绍了新的办公软件。"),
}


def observation_rows(db) -> list[tuple]:
    return [tuple(row.values()) for row in db.query(
        "select a.url, o.metric, o.value, o.period, o.text, o.precision, o.value_id is not null"
        " from observations o join articles a on a.id = o.article_id order by a.url, o.id")]


def test_figures_a_page_worker_extracted_are_used_once_and_give_the_same_rows(tmp_path: Path) -> None:
    from wxwatch.metrics.article import article_figures, figures_key
    from wxwatch.metrics.catalog import load_catalog

    published = "2025-03-02T10:00:00+08:00"
    results = {}
    for name in ("extracted_here", "from_workers"):
        config = parse_config({"storage": {"path": str(tmp_path / f"{name}.db")}} | SETTINGS, tmp_path / "s.toml", {})
        db = open_database(config.storage.path)
        store = ArticleStore(db)
        for url, (title, text) in PAGE_TEXTS.items():
            store.save(ArticleRecord(url=url, source="stcn", title=title, text=text, published=published))
        memo = {}
        if name == "from_workers":
            catalog = load_catalog(config.metrics.catalog)
            memo = {figures_key(title, text, published): article_figures(title, text, published, catalog)
                    for title, text in PAGE_TEXTS.values()}
        analyse_new_articles(db, config, None, precomputed=memo)
        assert memo == {}  # every precomputed entry was used (each article's exact title, text and date)
        results[name] = observation_rows(db)
    assert len(results["extracted_here"]) >= 3
    assert results["from_workers"] == results["extracted_here"]


def test_figures_for_another_title_are_not_used(env) -> None:
    from wxwatch.metrics.article import ArticleFigures, figures_key

    config, db, store = env
    title, text = PAGE_TEXTS["https://e.org/p2"]
    store.save(ArticleRecord(url="https://e.org/p2", source="stcn", title=title, text=text))
    stale = {figures_key("另一个标题", text, None): ArticleFigures([], [])}  # a worker saw other listing data
    analyse_new_articles(db, config, None, precomputed=stale)
    assert len(stale) == 1  # not used: the article's own figures were extracted here
    assert [row[1] for row in observation_rows(db)] == ["miniprogram.dau"]
