"""English results-release wording: the issuer's metrics, English number forms, periods and changes."""

from __future__ import annotations

import pytest

from wxwatch.metrics.english import english_figures
from wxwatch.metrics.extract import extract_metrics
from wxwatch.metrics.normalize import normalize_text
from wxwatch.metrics.precision import written_precision


def found(text: str) -> list[tuple]:
    return [(o.metric, o.value, o.qualifier, o.period) for o in extract_metrics(text)]


@pytest.mark.parametrize(("sentence", "expected"), [
    ("As at 30 June 2026, combined MAU of Weixin and WeChat stood at 1,421 million, up 1% year-on-year.",
     [("wechat.mau", 1421e6, "=", "2026Q2"), ("wechat.mau_yoy", 0.01, "=", "2026Q2")]),
    ("For the second quarter of 2026, Combined MAU of Weixin and WeChat reached 1.421 billion, up 1% YoY.",
     [("wechat.mau", 1421e6, "=", "2026Q2"), ("wechat.mau_yoy", 0.01, "=", "2026Q2")]),
    ("In the 2026 first quarter, Mini Programs DAU exceeded 600 million.",
     [("miniprogram.dau", 600e6, ">", "2026Q1")]),
    ("Video Accounts total user time spent increased by over 50% year-on-year in the fourth quarter of 2025.",
     [("channels.watch_time_yoy", 0.5, ">", "2025Q4")]),
])
def test_english_release_sentences(sentence: str, expected: list[tuple]) -> None:
    assert found(sentence) == expected


@pytest.mark.parametrize(("written", "step"), [("1,421 million", 1e6), ("1.421 billion", 1e6), ("600 million", 1e6)])
def test_english_numbers_keep_the_precision_they_were_written_with(written: str, step: float) -> None:
    normalized = normalize_text(written)
    value = float(written.split()[0].replace(",", "")) * (1e6 if "million" in written else 1e9)
    assert written_precision(normalized, value) == pytest.approx(step)


def test_chinese_text_is_left_alone() -> None:
    text = "截至2026年6月30日，微信及WeChat的合并月活跃账户数为14.21亿。"
    assert english_figures(text) == text
    assert found(text) == [("wechat.mau", 1421e6, "=", "2026Q2")]
