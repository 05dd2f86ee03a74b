"""Table-driven tests of Chinese quantity parsing: numerals, magnitudes, qualifiers, percentages, growth."""

import pytest

from wxwatch.metrics.numerals import parse_cn_small, parse_magnitude
from wxwatch.metrics.quantity import find_quantities, parse_quantity

# (phrase, value, kind, qualifier, change)
QUANTITY_FORMS = [
    ("4.5亿", 4.5e8, "count", "=", None),
    ("7个亿", 7e8, "count", "=", None),
    ("百亿", 1e10, "count", "=", None),
    ("千万", 1e7, "count", "=", None),
    ("2.3万", 2.3e4, "count", "=", None),
    ("一亿", 1e8, "count", "=", None),
    ("13.43亿", 1.343e9, "count", "=", None),
    ("5200亿元", 5.2e11, "money", "=", None),
    ("12.883亿", 1.2883e9, "count", "=", None),
    ("1,800家", 1800, "count", "=", None),
    ("1800多", 1800, "count", ">", None),
    ("1800+", 1800, "count", ">", None),
    ("100万+", 1e6, "count", ">", None),
    ("4.5亿+", 4.5e8, "count", ">", None),
    ("十万多名", 1e5, "count", ">", None),
    ("10多亿人", 1e9, "count", ">", None),
    ("4亿多人次", 4e8, "count", ">", None),
    ("6000多万", 6e7, "count", ">", None),
    ("超1千万", 1e7, "count", ">", None),
    ("9.63万亿步", 9.63e12, "count", "=", None),
    ("一百二十亿", 1.2e10, "count", "=", None),
    ("三千万", 3e7, "count", "=", None),
    ("十亿", 1e9, "count", "=", None),
    ("十三亿", 1.3e9, "count", "=", None),
    ("破亿", 1e8, "count", ">", None),
    ("数千万", 1e7, "vague", "=", None),
    ("同比增长41%", 0.41, "percent", "=", "up"),
    ("同比上涨41%", 0.41, "percent", "=", "up"),
    ("同比提升28%", 0.28, "percent", "=", "up"),
    ("yoy+32%", 0.32, "percent", "=", "up"),
    ("YoY+20%", 0.2, "percent", "=", "up"),
    ("较前一年上涨20%", 0.2, "percent", "=", "up"),
    ("同比增长超100%", 1.0, "percent", ">", "up"),
    ("变现规模同比增长90%+", 0.9, "percent", ">", "up"),
    ("有20%提升", 0.2, "percent", "=", "up"),
    ("一倍增长", 1.0, "multiple", "=", "up"),
    ("翻倍", 1.0, "multiple", "=", "up"),
    ("翻番", 1.0, "multiple", "=", "up"),
    ("增长3倍", 3.0, "multiple", "=", "up"),
    ("增长量高达百分之百", 1.0, "percent", ">", "up"),
    ("同比下降了90%", -0.9, "percent", "=", "down"),
    ("(+2%)", 0.02, "percent", "=", "up"),
    ("占比20%+", 0.2, "percent", ">", None),
    ("百分之百", 1.0, "percent", "=", None),
    ("三分之一", 1 / 3, "percent", "=", None),
    ("六成", 0.6, "percent", "=", None),
    ("3.2‰", 0.0032, "percent", "=", None),
]

QUALIFIERS = [
    ("超过4.5亿", ">"), ("突破300万", ">"), ("过7亿", ">"), ("逾100万", ">"), ("超4.5亿", ">"),
    ("1800多家", ">"), ("已超7亿", ">"), ("20%以上", ">"),
    ("不少于10万个", ">="), ("至少3倍", ">="),
    ("接近百亿", "~"), ("约1200人", "~"), ("近2.5亿次", "~"), ("4亿左右", "~"), ("将近10亿", "~"),
    ("达7亿", "="), ("为12.883亿", "="), ("达到1.3亿", "="),
    ("不到四成", "<"), ("不足100步", "<"), ("低于5%", "<"),
]


@pytest.mark.parametrize(("phrase", "value", "kind", "qualifier", "change"), QUANTITY_FORMS)
def test_quantity_forms(phrase, value, kind, qualifier, change):
    quantity = parse_quantity(phrase)
    assert quantity is not None
    assert quantity.value == pytest.approx(value)
    assert (quantity.kind, quantity.qualifier, quantity.change) == (kind, qualifier, change)


@pytest.mark.parametrize(("phrase", "qualifier"), QUALIFIERS)
def test_qualifiers(phrase, qualifier):
    assert parse_quantity(phrase).qualifier == qualifier


@pytest.mark.parametrize(
    ("phrase", "kind"),
    [("2.5小时", "time"), ("12分钟", "time"), ("4个小时", "time"), ("13个月", "time"), ("2021年", "time"),
     ("1月6日", "time"), ("3天", "time")],
)
def test_durations_and_dates_are_time(phrase, kind):
    assert {q.kind for q in find_quantities(phrase)} == {kind}


@pytest.mark.parametrize("phrase", ["11.07", "1107", "7.0", "2022"])
def test_plain_numbers_are_bare(phrase):
    assert all(q.bare for q in find_quantities(phrase))


@pytest.mark.parametrize("phrase", ["一方面", "第一", "三大", "千千万万的商户", "十一载"])
def test_words_with_numerals_are_not_quantities(phrase):
    assert [q for q in find_quantities(phrase) if q.kind not in ("time",)] == []


def test_magnitude_after_number_is_not_a_date():
    quantity = parse_quantity("12.8亿日均活跃用户")
    assert (quantity.value, quantity.text) == (1.28e9, "12.8亿")


def test_counter_is_recorded():
    assert parse_quantity("7.5亿人").counter == "人"
    assert parse_quantity("1.4亿次").unit == "亿次"


@pytest.mark.parametrize(
    ("text", "value"), [("一", 1), ("十", 10), ("十二", 12), ("三千", 3000), ("两百五十", 250), ("一千零一", 1001)]
)
def test_parse_cn_small(text, value):
    assert parse_cn_small(text) == value


@pytest.mark.parametrize(("text", "value"), [("", 1), ("万", 1e4), ("千万", 1e7), ("百亿", 1e10), ("万亿", 1e12)])
def test_parse_magnitude(text, value):
    assert parse_magnitude(text) == value


def test_find_quantities_offsets():
    text = "小程序日活突破4.5亿,活跃小程序数量同比上涨41%"
    quantities = find_quantities(text)
    assert [text[q.start : q.end] for q in quantities] == ["4.5亿", "41%"]
