"""Rendering alerts per target: Chinese values, the digest title, formats, and splitting by UTF-8 bytes."""

from __future__ import annotations

import pytest

from wxwatch.metrics.display import chinese_number, format_change, format_value
from wxwatch.notify.render import alert_line, describe, digest_title, render_messages, truncate_utf8
from wxwatch.notify.targets import PROFILES, profile_for
from wxwatch.storage.outbox import Alert


def alert(alert_id: int = 1, kind: str = "new", **extra) -> Alert:
    fields = {"metric": "miniprogram.dau", "subject": "小程序", "measure": "日活跃用户数", "unit": "count",
              "value": 4.5e8, "qualifier": ">", "rate": "day", "period": "2021", "source": "zqsb",
              "category": "证券时报", "url": "https://news.example.cn/a/1.html", "title": "微信公开课",
              "published": "2024-01-12T09:00:00+08:00", "text": "小程序日活跃用户超过4.5亿<b>"} | extra
    return Alert(id=alert_id, kind=kind, metric_key=fields["metric"] or "k", **fields)


@pytest.mark.parametrize(("value", "extra", "expected"), [
    (4.5e8, {}, "4.5亿"),
    (1.4e8, {"rate": "hour", "measure": "服务次数"}, "1.4亿次/小时"),
    (2.29e10, {"unit": "money"}, "229亿元"),
    (0.41, {"unit": "ratio"}, "41%"),
    (0.125, {"unit": "growth"}, "+12.5%"),
    (-0.05, {"unit": "growth"}, "-5%"),
    (23000, {}, "2.3万"),
    (1.26e12, {"unit": "money"}, "1.26万亿元"),
    (800, {}, "800"),
    (None, {}, "?"),
])
def test_values_read_in_chinese_units(value: float | None, extra: dict, expected: str) -> None:
    shown = alert(**({"rate": None} | extra))
    assert format_value(value, shown.unit, shown.measure, shown.rate) == expected


@pytest.mark.parametrize(("change", "expected"), [(1 / 3, "+33%"), (-0.052, "-5.2%"), (0.0, "+0%"), (None, "")])
def test_changes_are_signed_percentages(change: float | None, expected: str) -> None:
    assert format_change(change) == expected


def test_chinese_number_keeps_two_decimals_at_most() -> None:
    assert chinese_number(1.2345e8) == "1.23亿"


@pytest.mark.parametrize(("kinds", "title"), [
    (["new", "new", "new", "changed"], "微信指标更新：3 项新指标，1 项变化"),
    (["conflict", "new", "health"], "微信指标更新：1 项新指标，1 项冲突，1 项来源健康提醒"),
    (["changed"], "微信指标更新：1 项变化"),
])
def test_digest_title_counts_kinds(kinds: list[str], title: str) -> None:
    assert digest_title([alert(i, kind) for i, kind in enumerate(kinds, 1)]) == title


@pytest.mark.parametrize(("made", "expected"), [
    (alert(), "小程序 日活跃用户数：超过4.5亿/天（2021）"),
    (alert(kind="changed", value=6e8, previous_value=4.5e8, change=1 / 3, period="2022", previous_period="2021",
           qualifier="="), "小程序 日活跃用户数：6亿/天（2022），此前 4.5亿/天（2021），+33%"),
    (alert(kind="changed", value=5.4e8, previous_value=5e8, previous_qualifier=">", change=0.08, period="2024Q3",
           previous_period="2024H1", qualifier="=", rate=None, other_source="caijing", other_category="财经频道",
           other_published="2024-08-20T10:00:00+08:00"),
     "小程序 日活跃用户数：5.4亿（2024Q3），此前 超过5亿（2024H1，财经频道 2024-08-20），+8%"),
    (alert(kind="conflict", subject="微信支付", measure="实际核销优惠金额", unit="money", value=2.9e10,
           previous_value=2.29e10, qualifier="=", rate=None, period="2022", other_source="36kr",
           other_category="36氪"),
     "微信支付 实际核销优惠金额（2022）：290亿元（证券时报 2024-01-12）与 229亿元（36氪）不一致"),
    (alert(kind="correction", value=13.82e8, previous_value=13.28e8, change=0.0407, period="2024Q3",
           previous_period="2024Q3", qualifier="=", rate=None, other_category="证券时报",
           other_published="2024-01-12T09:00:00+08:00"),
     "小程序 日活跃用户数：证券时报 更正为 13.82亿（2024Q3），此前 13.28亿（2024Q3，证券时报 2024-01-12），+4.1%"),
    (alert(kind="health", metric=None, source="zqsb", category="", url="", message="3 consecutive failures"),
     "来源 zqsb：3 consecutive failures"),  # no label configured and no page: the only name there is
    (alert(kind="health", metric=None, source="zqsb", message="3 consecutive failures: HTTP 503"),
     "来源 证券时报：3 consecutive failures: HTTP 503"),
    (alert(category="", source="kuaixun"), "小程序 日活跃用户数：超过4.5亿/天（2021）"),
])
def test_describe_each_kind(made: Alert, expected: str) -> None:
    assert describe(made) == expected


@pytest.mark.parametrize(("body_format", "expected"), [
    ("text", "【新指标】小程序 日活跃用户数：超过4.5亿/天（2021） — 证券时报 2024-01-12《微信公开课》"
             " https://news.example.cn/a/1.html [miniprogram.dau]"),
    ("markdown", "- **新指标** 小程序 日活跃用户数：超过4.5亿/天（2021） — [证券时报 2024-01-12《微信公开课》]"
                 "(https://news.example.cn/a/1.html) `miniprogram.dau`"),
    ("html", '<li><b>新指标</b> 小程序 日活跃用户数：超过4.5亿/天（2021） — <a href="https://news.example.cn/a/1.html">'
             "证券时报 2024-01-12《微信公开课》</a> https://news.example.cn/a/1.html <code>miniprogram.dau</code>"
             "<br><small>“小程序日活跃用户超过4.5亿&lt;b&gt;”</small></li>"),
])
def test_alert_line_per_format(body_format: str, expected: str) -> None:
    assert alert_line(alert(), body_format) == expected


CONFLICT = alert(kind="conflict", value=13.28e8, previous_value=13.82e8, qualifier="=", rate=None, period="2024Q3",
                 other_source="tencent", other_category="公司公告", other_url="https://ir.example.cn/q3.html",
                 other_title="三季度业绩", other_published="2024-11-13T18:00:00+08:00")


@pytest.mark.parametrize("scheme", ["wecombot", "feishu", "dingtalk", "mailto", "json", "slack"])
def test_a_conflict_names_both_outlets_and_links_both_articles_in_every_format(scheme: str) -> None:
    profile = profile_for(scheme)
    (message,) = render_messages([CONFLICT], profile)
    assert profile.max_bytes is None or len(message.body.encode("utf-8")) <= profile.max_bytes
    for needed in ("证券时报", "公司公告", "https://news.example.cn/a/1.html", "https://ir.example.cn/q3.html",
                   "2024Q3", "微信公开课", "三季度业绩"):
        assert needed in message.body, (scheme, needed)
    assert "tencent" not in message.body and "zqsb" not in message.body


MANY = [alert(i, measure=f"第{i}项很长的中文指标名称用于测试按字节拆分消息") for i in range(1, 41)]


@pytest.mark.parametrize(("scheme", "max_bytes", "shows_title", "body_format"), [
    ("wecombot", 2048, False, "text"),
    ("feishu", 18_000, False, "text"),
    ("dingtalk", 19_000, True, "markdown"),
    ("tgram", 4096, False, "markdown"),
    ("mailto", None, True, "html"),
    ("json", None, True, "markdown"),
])
def test_digest_fits_each_target(scheme: str, max_bytes: int | None, shows_title: bool, body_format: str) -> None:
    profile = profile_for(scheme)
    assert (profile.max_bytes, profile.shows_title, profile.body_format) == (max_bytes, shows_title, body_format)
    messages = render_messages(MANY, profile)
    assert sorted(i for m in messages for i in m.alert_ids) == list(range(1, 41))  # every alert exactly once
    for message in messages:
        assert message.body_format == body_format
        if max_bytes is not None:
            assert len(message.body.encode("utf-8")) <= max_bytes
        if not shows_title:
            assert message.title == "" and message.body.startswith(("微信指标更新", "**微信指标更新"))
    if max_bytes is None:
        assert len(messages) == 1


def test_wecom_bot_digest_is_split_by_bytes_not_characters() -> None:
    messages = render_messages(MANY, PROFILES["wecombot"])
    sizes = [len(m.body.encode("utf-8")) for m in messages]
    assert len(messages) > 1 and max(sizes) <= 2048
    assert sum(len(m.body) for m in messages) < 2048 * len(messages)  # counted in characters it would look fine
    assert messages[0].body.startswith(f"微信指标更新：40 项新指标（1/{len(messages)}）\n【新指标】")


def test_email_digest_is_html_with_escaped_text() -> None:
    (message,) = render_messages([alert(1), alert(2, kind="changed", change=0.5, previous_value=3e8)],
                                 PROFILES["mailto"])
    assert message.title == "微信指标更新：1 项新指标，1 项变化"
    assert message.body.startswith("<p><b>微信指标更新：1 项新指标，1 项变化</b></p>\n<ul>\n<li>")
    assert message.body.endswith("</li>\n</ul>") and "&lt;b&gt;" in message.body and "<b>”" not in message.body


def test_per_event_mode_sends_one_message_per_alert() -> None:
    messages = render_messages([alert(1), alert(2, kind="changed")], PROFILES["json"], mode="per_event")
    assert [(m.title, m.alert_ids) for m in messages] == [
        ("微信指标更新：1 项新指标", (1,)), ("微信指标更新：1 项变化", (2,))]


def test_a_line_longer_than_the_limit_is_truncated_not_dropped() -> None:
    huge = alert(1, kind="health", metric=None, message="错误" * 2000)
    (message,) = render_messages([huge], PROFILES["wecombot"])
    assert message.alert_ids == (1,) and message.body.endswith("…")
    assert 2000 < len(message.body.encode("utf-8")) <= 2048


@pytest.mark.parametrize(("text", "limit", "expected"), [
    ("微信支付", 12, "微信支付"),
    ("微信支付", 11, "微信…"),   # 9 bytes of text + 3 for the ellipsis; never half a character
    ("微信支付", 7, "微…"),
    ("abcd", 3, "…"),
    ("abcd", 2, "ab"),
])
def test_truncate_utf8_cuts_on_character_boundaries(text: str, limit: int, expected: str) -> None:
    assert truncate_utf8(text, limit) == expected
