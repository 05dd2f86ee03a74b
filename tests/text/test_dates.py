"""Published dates: metadata, JSON-LD, a visible dateline through htmldate; never in the future or before 1995."""

from __future__ import annotations

from datetime import UTC, datetime

from parsel import Selector

from wxwatch.text.dates import from_timestamp, page_published

FETCHED = datetime(2024, 3, 1, 12, 0, tzinfo=UTC)
SENTENCE = "视频号原创内容创作者数量同比增长，直播带货销售额同比增长数倍，平台持续加大对创作者的扶持。"
PARAGRAPH = f"<p>{SENTENCE * 3}</p>"


def published(html: str, fetched: datetime = FETCHED) -> str | None:
    return page_published(Selector(text=html), html, "Asia/Shanghai", fetched)


def test_visible_dateline_is_found_without_metadata() -> None:
    html = (f"<html><head><title>视频号创作者大会召开</title></head><body><h1>视频号创作者大会召开</h1>"
            f'<div class="info">2023-11-18 09:42 来源：示例新闻</div>{PARAGRAPH}</body></html>')
    assert published(html) == "2023-11-18T09:42:00+08:00"


def test_json_ld_date_published_is_read_before_the_page_search() -> None:
    html = ('<html><head><script type="application/ld+json">{"@type": "NewsArticle", '
            '"datePublished": "2023-07-05T20:15:00+08:00"}</script></head><body>'
            f"<ul><li><time>2023-07-01</time></li></ul>{PARAGRAPH}</body></html>")
    assert published(html) == "2023-07-05T20:15:00+08:00"


def test_future_and_prehistoric_metadata_are_ignored() -> None:
    future = '<meta property="article:published_time" content="2031-01-01T08:00:00+08:00">'
    ancient = '<meta name="pubdate" content="1970-01-01">'
    dateline = '<span class="time">2023-12-30 18:05</span>'
    for meta in (future, ancient):
        html = f"<html><head>{meta}</head><body>{dateline}{PARAGRAPH}</body></html>"
        assert published(html) == "2023-12-30T18:05:00+08:00"


def test_page_with_only_impossible_dates_is_undated() -> None:
    html = f'<html><body><span class="time">2030-05-01 10:00</span>{PARAGRAPH}</body></html>'
    assert published(html) is None


def test_wechat_timestamp_is_read_in_the_source_timezone() -> None:
    assert from_timestamp("1700000000", "Asia/Shanghai") == "2023-11-15T06:13:20+08:00"
    assert from_timestamp("not a number", "Asia/Shanghai") is None
