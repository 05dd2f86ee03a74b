"""Alert messages: the digest title and one line per alert, as text, Markdown or HTML, split to fit each target."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import quote

from wxwatch.metrics.display import format_change, format_value
from wxwatch.notify.targets import TargetProfile
from wxwatch.storage.outbox import Alert

TITLE_PREFIX = "微信指标更新："
TITLE_COUNTS = (("new", "{n} 项新指标"), ("changed", "{n} 项变化"), ("conflict", "{n} 项冲突"),
                ("health", "{n} 项来源健康提醒"))
KIND_LABELS = {"new": "新指标", "changed": "变化", "conflict": "冲突", "health": "来源健康"}
QUALIFIER_WORDS = {">": "超过", ">=": "至少", "~": "约", "<": "不到", "<=": "最多", "=": ""}
ELLIPSIS = "…"
PART_SUFFIX_EXAMPLE = "（99/99）"  # room kept in every part for "（1/3）"
MD_SPECIAL_RE = re.compile(r"[\\`*_\[\]<>#|~!]")
MD_URL_SAFE = "/:?&=%#@;+,.-_~$"  # everything else (spaces, brackets, quotes, <>) is percent-encoded
TEST_TITLE = "wxwatch 测试消息"
TEST_BODY = "这是一条 wxwatch 测试消息：收到即表示这个通知渠道可用。"


@dataclass(frozen=True)
class Message:
    """One message for one target, and the alerts it carries (marked sent when it is accepted)."""

    title: str
    body: str
    body_format: str  # text | markdown | html
    alert_ids: tuple[int, ...] = ()


def render_messages(alerts: Sequence[Alert], profile: TargetProfile, mode: str = "digest") -> list[Message]:
    """The messages that carry `alerts` to a target: one digest (split when over its byte limit) or one per alert."""
    groups = [[alert] for alert in alerts] if mode == "per_event" else [list(alerts)] if alerts else []
    messages: list[Message] = []
    for group in groups:
        lines = [(alert.id, alert_line(alert, profile.body_format)) for alert in group]
        messages.extend(fit_to_target(digest_title(group), lines, profile))
    return messages


def notify_test_message(profile: TargetProfile) -> Message:
    """What `wxwatch notify-test` sends."""
    return fit_to_target(TEST_TITLE, [(0, TEST_BODY)], profile)[0]


def digest_title(alerts: Sequence[Alert]) -> str:
    """E.g. 微信指标更新：3 项新指标，1 项变化 (kinds with no alert left out)."""
    counts = [template.format(n=n) for kind, template in TITLE_COUNTS if (n := sum(a.kind == kind for a in alerts))]
    return TITLE_PREFIX + "，".join(counts)


def alert_line(alert: Alert, body_format: str) -> str:
    """One alert as one line: kind, product and measure, value, period, change, outlet, date, link, metric ID."""
    kind = KIND_LABELS.get(alert.kind, alert.kind)
    outlet, date, link = alert.category or alert.source, (alert.published or "")[:10], alert.url
    metric_id, headline = alert.metric or alert.metric_key, describe(alert)
    if body_format == "html":
        return _html_line(kind, headline, outlet, date, link, metric_id, alert.text)
    if body_format == "markdown":
        where = f"[{_md_text(outlet)} {date}]({_md_url(link)})" if link else _md_escape(f"{outlet} {date}".strip())
        return f"- **{kind}** {_md_escape(headline)} — {where} `{metric_id}`"
    return " ".join(filter(None, [f"【{kind}】{headline} —", outlet, date, link, f"[{metric_id}]"]))


def describe(alert: Alert) -> str:
    """What happened, in Chinese: 小程序 日活跃用户数：6亿（2022），此前 4.5亿（2021），+33%"""
    what = f"{alert.subject} {alert.measure}".strip()
    value = QUALIFIER_WORDS.get(alert.qualifier, "") + format_value(alert.value, alert.unit, alert.measure, alert.rate)
    if alert.kind == "health":
        return f"来源 {alert.source}：{alert.message}".rstrip("：")
    if alert.kind == "changed":
        previous = format_value(alert.previous_value, alert.unit, alert.measure, alert.rate) + _period(
            alert.previous_period)
        return f"{what}：{value}{_period(alert.period)}，此前 {previous}，{format_change(alert.change)}"
    if alert.kind == "conflict":
        other = format_value(alert.previous_value, alert.unit, alert.measure, alert.rate)
        return f"{what}{_period(alert.period)}：{value}（{alert.category or alert.source}）与 {other}" \
               f"（{alert.other_category or alert.other_source}）不一致"
    return f"{what}：{value}{_period(alert.period)}"


def fit_to_target(title: str, lines: Sequence[tuple[int, str]], profile: TargetProfile) -> list[Message]:
    """Lay the lines out for the target and split them so every message fits its byte limit."""
    budget = None
    if profile.max_bytes is not None:
        budget = profile.max_bytes - _byte_len(_frame(profile, title + PART_SUFFIX_EXAMPLE, ""))
    parts = _pack(lines, budget)
    messages = []
    for index, part in enumerate(parts, start=1):
        part_title = f"{title}（{index}/{len(parts)}）" if len(parts) > 1 else title
        body = _frame(profile, part_title, "\n".join(line for _, line in part))
        ids = tuple(alert_id for alert_id, _ in part if alert_id)
        messages.append(Message("" if not profile.shows_title else part_title, body, profile.body_format, ids))
    return messages


def truncate_utf8(text: str, max_bytes: int) -> str:
    """`text` cut to at most `max_bytes` UTF-8 bytes (never inside a character), with … when cut."""
    data = text.encode("utf-8")
    if len(data) <= max_bytes:
        return text
    if max_bytes < _byte_len(ELLIPSIS):
        return data[:max_bytes].decode("utf-8", errors="ignore")
    return data[: max_bytes - _byte_len(ELLIPSIS)].decode("utf-8", errors="ignore") + ELLIPSIS


def _pack(lines: Sequence[tuple[int, str]], budget: int | None) -> list[list[tuple[int, str]]]:
    """Group whole lines into parts of at most `budget` bytes (newline-joined); an oversized line is truncated."""
    if budget is None:
        return [list(lines)] if lines else []
    parts: list[list[tuple[int, str]]] = []
    current: list[tuple[int, str]] = []
    used = 0
    for alert_id, line in lines:
        line = truncate_utf8(line, budget)
        size = _byte_len(line) + (1 if current else 0)
        if current and used + size > budget:
            parts.append(current)
            current, used, size = [], 0, _byte_len(line)
        current.append((alert_id, line))
        used += size
    return [*parts, current] if current else parts


def _frame(profile: TargetProfile, title: str, lines: str) -> str:
    """The body around the lines: a list for HTML; the title on top for targets that show no title."""
    if profile.body_format == "html":
        return f"<p><b>{html.escape(title)}</b></p>\n<ul>\n{lines}\n</ul>"
    if profile.shows_title:
        return lines
    heading = f"**{title}**" if profile.body_format == "markdown" else title
    return f"{heading}\n{lines}"


def _html_line(kind: str, headline: str, outlet: str, date: str, link: str, metric_id: str, sentence: str) -> str:
    where = f'<a href="{html.escape(link)}">{html.escape(outlet)}</a>' if link else html.escape(outlet)
    quote = f"<br><small>“{html.escape(sentence)}”</small>" if sentence else ""
    return (f"<li><b>{html.escape(kind)}</b> {html.escape(headline)} — {where} {html.escape(date)}"
            f" <code>{html.escape(metric_id)}</code>{quote}</li>")


def _md_text(text: str) -> str:
    return _md_escape(text.replace("[", "(").replace("]", ")"))


def _md_escape(text: str) -> str:
    """Text from pages and servers shown literally in Markdown: its markup characters backslash-escaped."""
    return MD_SPECIAL_RE.sub(r"\\\g<0>", text)


def _md_url(url: str) -> str:
    """A link target that cannot close the Markdown link early: spaces, brackets and quotes percent-encoded."""
    return quote(url, safe=MD_URL_SAFE)


def _period(period: str | None) -> str:
    return f"（{period}）" if period else ""


def _byte_len(text: str) -> int:
    return len(text.encode("utf-8"))
