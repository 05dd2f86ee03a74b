"""Extraction: binding in lists and across clauses, the traps of the gold file, hand-labelled cases."""

import tomllib
from pathlib import Path

import pytest

from wxwatch.metrics.extract import Observation, extract_metrics
from wxwatch.metrics.normalize import normalize_text

CASES = tomllib.loads((Path(__file__).parent / "cases" / "sentences.toml").read_text(encoding="utf-8"))["case"]


def catalogued(text: str) -> set[tuple[str, float]]:
    return {(o.metric, round(o.value, 6)) for o in extract_metrics(text) if o.metric}


@pytest.mark.parametrize("case", CASES, ids=[c["text"][:24] for c in CASES])
def test_hand_labelled_cases(case):
    assert catalogued(case["text"]) == {(m, round(float(v), 6)) for m, v in case["expect"]}


def test_list_binding_within_one_sentence():
    text = "小程序日活突破4.5亿，活跃小程序数量同比上涨41%，日均使用次数同比增长32%"
    assert catalogued(text) == {
        ("miniprogram.dau", 450000000.0), ("miniprogram.active_count_yoy", 0.41),
        ("miniprogram.daily_uses_yoy", 0.32),
    }


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3、小程序：日活用户超4.5 亿人次", {("miniprogram.dau", 450000000.0)}),
        ("搜一搜MAU已超7亿，较前一年上涨20%", {("search.mau", 700000000.0), ("search.mau_yoy", 0.2)}),
        ("微信搜一搜：月活跃人数达7亿(YoY+20%)", {("search.mau", 700000000.0), ("search.mau_yoy", 0.2)}),
        ("企业微信1小时产生1.4亿次服务", {("wecom.services_per_hour", 140000000.0)}),
        ("微信支付：\n目前，每个月，有2.3万家服务商在服务商户，1800多家银行和支付机构共同推动发展",
         {("pay.service_providers", 23000.0), ("pay.partner_institutions", 1800.0)}),
        ("小程序基于月活跃用户9亿人次的微信生态", {("wechat.mau", 900000000.0)}),
        ("微信及WeChat的合并月活跃帐户数达到12.128亿。\n2020年第二季度:微信12.061亿,增长6.5%;QQ 6.476亿,减少8.4%。",
         {("wechat.mau", 1212800000.0), ("wechat.mau", 1206100000.0), ("wechat.mau_yoy", 0.065)}),
    ],
)
def test_subject_carrying_and_continuations(text, expected):
    assert catalogued(text) == expected


TRAPS = [
    "微信支付联合公安部与央行发起了“11.07 全民反诈日”活动",
    "微信支付联合腾讯集团多个部门发起“1107全民反诈日”",
    "2.5小时的主论坛中，视频号、微信支付、小程序悉数亮相",
    "张小龙在开场前进行了12分钟的隔空视频分享",
    "我说，微信支付我们做到一天一亿笔吧。",
    "通过企业微信，索菲亚在全国拥有7个工厂，5万多名上下游员工。",
    "湖北宜昌使用企业微信，帮助网格员服务当地的400多万名居民。",
    "通过企业微信，五菱宏光的MINIEV连续13个月蝉联销售榜冠军。",
    "张孝超并没有在演讲中公布视频号去年整体的 DAU、MAU、VV等数据。",
    "微信支付连接数千万商户",
    "微博2021年6月的月活跃用户数为5.66亿，较上年同期净增约4300万。",
    "如果视频号日活达到10亿，会怎样？",
    "未来三年，微信支付将继续补贴超100亿元。",
]


@pytest.mark.parametrize("text", TRAPS)
def test_traps_yield_no_catalogued_metric(text):
    assert catalogued(text) == set()


def test_service_provider_trap_is_not_an_mau():
    text = "2021年，微信支付与合作伙伴建立了涵盖2.3 万月活服务商的生态体系。"
    assert catalogued(text) == {("pay.service_providers", 23000.0)}


def test_number_next_to_mojibake_is_not_extracted():
    assert extract_metrics("企业微信帮助网格员服务当?shù)氐?00多万名员工") == []


def test_observation_fields_and_offsets():
    text = "企业微信1 小时产生1.4 亿次服务"
    observation = extract_metrics(text)[0]
    normalized = normalize_text(text)
    assert isinstance(observation, Observation)
    assert set(observation.to_dict()) == {
        "metric", "subject", "measure", "value", "unit", "qualifier", "rate", "period", "text", "start", "end",
    }
    assert normalized[observation.start : observation.end] == "1.4亿次"
    assert (observation.metric, observation.rate) == ("wecom.services_per_hour", "hour")
    assert observation.subject == "企业微信"


def test_uncatalogued_wechat_figure_has_null_metric_and_raw_measure():
    observations = extract_metrics("核酸检测类小程序累计服务7亿用户")
    assert [(o.metric, o.subject, o.value) for o in observations] == [(None, "小程序", 700000000.0)]
    assert observations[0].measure


def test_period_from_the_sentence():
    observation = extract_metrics("2021年，小程序日活突破4.5亿")[0]
    assert observation.period == "2021"


def test_accepts_raw_html_and_traditional_script():
    html = "<p>2022微信公開課：小程式日活突破4.5<b>億</b>，活躍小程式數量同比上漲41%</p>"
    assert catalogued(html) == {("miniprogram.dau", 450000000.0), ("miniprogram.active_count_yoy", 0.41)}
