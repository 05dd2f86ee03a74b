"""Period resolution, table-driven: every form in both scripts, from the sentence, paragraph, headline and date."""

from __future__ import annotations

from datetime import date

import opencc
import pytest

from wxwatch.metrics.periods import PeriodContext, period_bounds, period_order, resolve_period

NOV_2024 = date(2024, 11, 14)
MAR_2025 = date(2025, 3, 20)
FIGURE = "@"
TO_TRADITIONAL = opencc.OpenCC("s2t")  # where the figure sits in each sentence below

CASES = [
    # (text with the figure at @, headline, article date, expected period)
    ("2024年第三季度，视频号日活达到@", "", NOV_2024, "2024Q3"),
    ("2023年第一季度企业微信活跃用户@", "", NOV_2024, "2023Q1"),
    ("三季度，小程序交易额@", "", NOV_2024, "2024Q3"),
    ("四季度的搜一搜月活为@", "", MAR_2025, "2024Q4"),                # the quarter before the article
    ("2024年Q2，月活跃账户@", "", NOV_2024, "2024Q2"),
    ("Q1微信支付笔数@", "", MAR_2025, "2025Q1"),
    ("首季视频号时长@", "", NOV_2024, "2024Q1"),
    ("三季报显示，月活账户@", "", NOV_2024, "2024Q3"),
    ("截至2024年9月30日，合并月活跃账户数为@", "", NOV_2024, "2024Q3"),
    ("截至2024年6月30日，合并月活跃账户数为@", "", NOV_2024, "2024Q2"),
    ("截至9月30日，月活跃账户数@", "腾讯2023年业绩回顾", NOV_2024, "2023Q3"),  # year from the headline
    ("截至9月30日，月活跃账户数@", "", NOV_2024, "2024Q3"),           # year from the article date
    ("截至2024年11月20日，小程序开发者@", "", NOV_2024, "2024-11-20"),
    ("2024年上半年，小游戏月活@", "", NOV_2024, "2024H1"),
    ("上半年，小程序日活@", "", NOV_2024, "2024H1"),
    ("2023年下半年，公众号日活@", "", NOV_2024, "2023H2"),
    ("中报显示，月活@", "", NOV_2024, "2024H1"),
    ("2023年，视频号总用户使用时长@", "", NOV_2024, "2023"),
    ("全年，小程序交易规模@", "", NOV_2024, "2024"),
    ("年报披露，月活@", "", MAR_2025, "2024"),                          # the finished year
    ("2023财年，广告收入@", "", NOV_2024, "2023"),
    ("11月，搜一搜月活@", "", NOV_2024, "2024-11"),
    ("2024年10月，视频号日活@", "", NOV_2024, "2024-10"),
    ("截至2024年底，小程序日活@", "", NOV_2024, "2024"),
    ("截至去年底，小程序日活@", "", MAR_2025, "2024"),
    ("除夕当天，微信红包收发@", "", date(2024, 2, 12), "2024-02-09"),
    ("2025年除夕当天，视频号直播观看@", "", NOV_2024, "2025-01-28"),
    ("今年春节期间，微信支付交易笔数@", "", date(2024, 2, 20), "2024-02-10"),
    ("去年，小程序日活@", "", NOV_2024, "2023"),
    ("今年上半年，视频号日活@", "", NOV_2024, "2024H1"),
    ("去年第四季度，企业微信服务次数@", "", NOV_2024, "2023Q4"),
    ("小程序日活@，比去年同期增长", "", None, None),                    # a comparison is no period
    ("11月12日，腾讯公布月活@", "", None, None),                         # an announcement date is no period
    ("月活跃账户数@", "腾讯三季报：微信月活再创新高", NOV_2024, "2024Q3"),  # from the headline
    ("2024年第二季度的数据很亮眼。\n月活跃账户数@", "", NOV_2024, "2024Q2"),  # from the paragraph before
    ("月活跃账户数@，截至2024年9月30日", "", NOV_2024, "2024Q3"),         # stated after the figure
]


def resolve(text: str, headline: str, published: date | None) -> str | None:
    sentence_start = text.rfind("。", 0, text.index(FIGURE)) + 1
    return resolve_period(text, sentence_start, text.index(FIGURE), PeriodContext(headline, published))


@pytest.mark.parametrize(("text", "headline", "published", "expected"), CASES)
def test_simplified(text: str, headline: str, published: date | None, expected: str | None) -> None:
    assert resolve(text, headline, published) == expected


@pytest.mark.parametrize(("text", "headline", "published", "expected"), CASES)
def test_traditional(text: str, headline: str, published: date | None, expected: str | None) -> None:
    assert resolve(TO_TRADITIONAL.convert(text), TO_TRADITIONAL.convert(headline), published) == expected


@pytest.mark.parametrize(("period", "first", "last"), [
    ("2024Q3", date(2024, 7, 1), date(2024, 9, 30)), ("2024H1", date(2024, 1, 1), date(2024, 6, 30)),
    ("2024", date(2024, 1, 1), date(2024, 12, 31)), ("2024-02", date(2024, 2, 1), date(2024, 2, 29)),
    ("2024-02-09", date(2024, 2, 9), date(2024, 2, 9)),
])
def test_bounds(period: str, first: date, last: date) -> None:
    assert period_bounds(period) == (first, last)


def test_periods_sort_by_their_end_and_granularity_matters() -> None:
    periods = ["2024", "2024Q4", "2024Q3", "2024H1", "2024-11", "2024Q2", "2023", None]
    assert sorted(periods, key=period_order) == [None, "2023", "2024Q2", "2024H1", "2024Q3", "2024-11", "2024Q4",
                                                 "2024"]
