"""Extraction: binding in lists and across clauses, the traps of the gold file, hand-labelled cases."""

import tomllib
from pathlib import Path

import pytest

from wxwatch.metrics.extract import Observation, extract_metrics
from wxwatch.metrics.normalize import normalize_text
from wxwatch.metrics.segment import MAX_SENTENCE, sentence_spans

CASES = tomllib.loads((Path(__file__).parent / "cases" / "sentences.toml").read_text(encoding="utf-8"))["case"]


def catalogued(text: str) -> set[tuple[str, float]]:
    return {(o.metric, round(o.value, 6)) for o in extract_metrics(text) if o.metric}


@pytest.mark.parametrize("case", CASES, ids=[c["text"][:24] for c in CASES])
def test_hand_labelled_cases(case):
    assert catalogued(case["text"]) == {(m, round(float(v), 6)) for m, v in case["expect"]}


def test_list_binding_within_one_sentence():
    text = "去年小程序的日活跃用户已超过5.8亿，其中活跃小程序数量比前一年增加了26%，用户日均使用次数同比上升18%。"
    assert catalogued(text) == {
        ("miniprogram.dau", 580000000.0), ("miniprogram.active_count_yoy", 0.26),
        ("miniprogram.daily_uses_yoy", 0.18),
    }


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("二、小程序板块：日活跃用户约5.3亿人次", {("miniprogram.dau", 530000000.0)}),
        ("搜一搜的MAU目前已超过8亿，比上一年提高了15%", {("search.mau", 800000000.0), ("search.mau_yoy", 0.15)}),
        ("微信搜一搜方面，月活跃人数突破8亿（YoY+15%）", {("search.mau", 800000000.0), ("search.mau_yoy", 0.15)}),
        ("在企业微信上，每个小时会产生约2亿次服务", {("wecom.services_per_hour", 200000000.0)}),
        ("微信支付方面：\n当前每月约有3万家服务商为商户提供服务，另有2000多家银行和支付机构参与其中",
         {("pay.service_providers", 30000.0), ("pay.partner_institutions", 2000.0)}),
        ("依托月活跃用户超过13亿人次的微信生态", {("wechat.mau", 1300000000.0)}),
        ("微信及WeChat的合并月活跃账户数达到13.59亿。\n"
         "2024年第三季度：微信13.82亿，同比增长3.1%；QQ 5.62亿，同比下降7.4%。",
         {("wechat.mau", 1359000000.0), ("wechat.mau", 1382000000.0), ("wechat.mau_yoy", 0.031)}),
    ],
)
def test_subject_carrying_and_continuations(text, expected):
    assert catalogued(text) == expected


TRAPS = [
    "微信支付与多家银行共同发起“9.15 防诈宣传周”活动",
    "视频号联合多个部门举办了“1024程序员节”直播",
    "3.5小时的开发者大会上，小程序、小游戏和视频号轮番登场",
    "张小龙在会前录制了一段8分钟的视频",
    "我们争取让微信支付一天做到两亿笔吧。",
    "借助企业微信，某家具品牌在全国开设了9个工厂，管理6万多名员工。",
    "某市通过企业微信，为辖区内的300多万名居民提供服务。",
    "借助企业微信，某车企的新车型连续11个月位居销量榜首。",
    "负责人并未在演讲中透露视频号的DAU、MAU等具体数据。",
    "微信支付连接了数百万商户",
    "快手2023年的日活跃用户为3.8亿，较上年同期增加约3000万。",
    "要是小程序日活突破10亿，又会带来什么？",
    "今后两年，微信支付计划再投入50亿元补贴。",
]


@pytest.mark.parametrize("text", TRAPS)
def test_traps_yield_no_catalogued_metric(text):
    assert catalogued(text) == set()


def test_service_provider_trap_is_not_an_mau():
    text = "截至去年，微信支付已拥有3.1万家月活服务商。"
    assert catalogued(text) == {("pay.service_providers", 31000.0)}


def test_number_next_to_mojibake_is_not_extracted():
    assert extract_metrics("小程序为当?shù)氐?00多万名商户带来客流") == []


def test_observation_fields_and_offsets():
    text = "企业微信每一个小时会产生2.6 亿次服务"
    observation = extract_metrics(text)[0]
    normalized = normalize_text(text)
    assert isinstance(observation, Observation)
    assert set(observation.to_dict()) == {
        "metric", "subject", "measure", "value", "unit", "qualifier", "rate", "period", "text", "start", "end",
    }
    assert normalized[observation.start : observation.end] == "2.6亿次"
    assert (observation.metric, observation.rate) == ("wecom.services_per_hour", "hour")
    assert observation.subject == "企业微信"


def test_uncatalogued_wechat_figure_has_null_metric_and_raw_measure():
    observations = extract_metrics("政务类小程序累计服务了5亿用户")
    assert [(o.metric, o.subject, o.value) for o in observations] == [(None, "小程序", 500000000.0)]
    assert observations[0].measure


def test_period_from_the_sentence():
    observation = extract_metrics("2023年，小程序日活跃用户突破6亿")[0]
    assert observation.period == "2023"


def test_accepts_raw_html_and_traditional_script():
    html = "<p>2024微信公開課：小程式日活躍用戶突破6<b>億</b>，活躍小程式數量同比上漲23%</p>"
    assert catalogued(html) == {("miniprogram.dau", 600000000.0), ("miniprogram.active_count_yoy", 0.23)}


def test_sentences_are_bounded_so_extraction_stays_linear():
    text = "小程序日活跃用户突破5亿，同比增长12%，" * 300
    spans = sentence_spans(normalize_text(text))
    assert max(span.end - span.start for span in spans) <= MAX_SENTENCE
    assert ("miniprogram.dau", 500000000.0) in catalogued(text)
