"""Alert messages: the digest title and one line per alert, as text, Markdown or HTML, split to fit each target."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

from wxwatch.metrics.display import format_change, format_value
from wxwatch.notify.targets import TargetProfile
from wxwatch.storage.outbox import Alert

TITLE_PREFIX = "微信指标更新："
TITLE_COUNTS = (("new", "{n} 项新指标"), ("changed", "{n} 项变化"), ("conflict", "{n} 项冲突"),
                ("correction", "{n} 项更正"), ("settled", "{n} 项官方定论"), ("health", "{n} 项来源健康提醒"))
KIND_LABELS = {"new": "新指标", "changed": "变化", "conflict": "冲突", "correction": "更正", "health": "来源健康",
               "settled": "官方定论"}
OFFICIAL_MARK = "（官方）"
QUALIFIER_WORDS = {">": "超过", ">=": "至少", "~": "约", "<": "不到", "<=": "最多", "=": ""}
ELLIPSIS = "…"
PART_SUFFIX_EXAMPLE = "（99/99）"  # room kept in every part for "（1/3）"
MD_SPECIAL_RE = re.compile(r"[\\`*_\[\]#|~!]")
MD_ANGLES = str.maketrans("<>", "＜＞")  # no raw tag can survive a renderer that passes HTML through
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
    """One alert as one line: kind, what happened, the article(s) it came from (outlet, date, title, link), ID."""
    kind = KIND_LABELS.get(alert.kind, alert.kind)
    metric_id, headline, links = alert.metric or alert.metric_key, describe(alert), article_links(alert)
    if body_format == "html":
        return _html_line(kind, headline, links, metric_id, alert.text)
    if body_format == "markdown":
        where = "；".join(f"[{_md_text(label)}]({_md_url(url)})" if url else _md_escape(label) for label, url in links)
        return f"- **{kind}** {_md_escape(headline)} — {where} `{metric_id}`"
    where = "；".join(" ".join(filter(None, [label, url])) for label, url in links)
    return " ".join(filter(None, [f"【{kind}】{headline} —", where, f"[{metric_id}]"]))


def article_links(alert: Alert) -> list[tuple[str, str]]:
    """(label, url) of the article behind the alert, and of the rival article for a conflict."""
    links = [(_article_label(outlet_label(alert.category, alert.url, alert.source), alert.published, alert.title),
              alert.url)]
    if alert.kind in ("conflict", "settled") and (alert.other_url or alert.other_source):
        other = outlet_label(alert.other_category, alert.other_url, alert.other_source)
        links.append((_article_label(other, alert.other_published, alert.other_title), alert.other_url))
    return links


def outlet_label(category: str, url: str, source: str) -> str:
    """How an outlet is named to analysts: its configured category label, else the site's host name."""
    return category or urlsplit(url).hostname or source if url else category or source


def describe(alert: Alert) -> str:
    """What happened, in Chinese: 微信 月活跃账户数：13.82亿（2024Q3），此前 13.71亿（2024Q2，证券时报 2024-08-15）…"""
    what = f"{alert.subject} {alert.measure}".strip()
    value = _value(alert, alert.value, alert.qualifier) + (OFFICIAL_MARK if alert.official else "")
    outlet = outlet_label(alert.category, alert.url, alert.source)
    if alert.kind == "health":
        return f"来源 {outlet}：{alert.message}".rstrip("：")
    if alert.kind in ("changed", "correction"):
        updated = f"{outlet} 更正为 " if alert.kind == "correction" else ""
        change = format_change(alert.change)
        return f"{what}：{updated}{value}{_period(alert.period)}，此前 {_previous(alert)}，{change}"
    if alert.kind == "conflict":
        other = outlet_label(alert.other_category, alert.other_url, alert.other_source)
        return (f"{what}{_period(alert.period)}：{value}（{_dated(outlet, alert.published)}）与 "
                f"{_value(alert, alert.previous_value, alert.previous_qualifier)}"
                f"（{_dated(other, alert.other_published)}）不一致")
    if alert.kind == "settled":
        return (f"{what}{_period(alert.period)}：{outlet} 公布 {value}，各媒体说法不一的问题由此定论；"
                f"{_previous_report(alert)} 与之不符")
    return f"{what}：{value}{_period(alert.period)}"


def _previous_report(alert: Alert) -> str:
    """The outlet's figure a settled alert contradicts: 11.4亿（快讯 2025-08-15）"""
    other = outlet_label(alert.other_category, alert.other_url, alert.other_source)
    return f"{_value(alert, alert.previous_value, alert.previous_qualifier)}（{_dated(other, alert.other_published)}）"


def _previous(alert: Alert) -> str:
    """The previous value with its own qualifier, period, outlet and date: 超过5亿（2024H1，财经频道 2024-08-20）"""
    other = _dated(outlet_label(alert.other_category, alert.other_url, alert.other_source), alert.other_published)
    context = "，".join(filter(None, [alert.previous_period, other]))
    return _value(alert, alert.previous_value, alert.previous_qualifier) + (f"（{context}）" if context else "")


def _value(alert: Alert, value: float | None, qualifier: str | None) -> str:
    return QUALIFIER_WORDS.get(qualifier or "=", "") + format_value(value, alert.unit, alert.measure, alert.rate)


def _dated(outlet: str, published: str | None) -> str:
    return f"{outlet} {(published or '')[:10]}".strip()


def _article_label(outlet: str, published: str | None, title: str) -> str:
    return _dated(outlet, published) + (f"《{title}》" if title else "")


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


def _html_line(kind: str, headline: str, links: list[tuple[str, str]], metric_id: str, sentence: str) -> str:
    """An HTML list item; each link's URL is also shown as text, so the email's plain-text part keeps it."""
    where = "；".join(
        f'<a href="{html.escape(url)}">{html.escape(label)}</a> {html.escape(url)}' if url else html.escape(label)
        for label, url in links)
    quote = f"<br><small>“{html.escape(sentence)}”</small>" if sentence else ""
    return (f"<li><b>{html.escape(kind)}</b> {html.escape(headline)} — {where}"
            f" <code>{html.escape(metric_id)}</code>{quote}</li>")


def _md_text(text: str) -> str:
    return _md_escape(text.replace("[", "(").replace("]", ")"))


def _md_escape(text: str) -> str:
    """Text from pages and servers shown literally in Markdown: markup characters backslash-escaped, angle
    brackets full-width."""
    return MD_SPECIAL_RE.sub(r"\\\g<0>", text.translate(MD_ANGLES))


def _md_url(url: str) -> str:
    """A link target that cannot close the Markdown link early: spaces, brackets and quotes percent-encoded."""
    return quote(url, safe=MD_URL_SAFE)


def _period(period: str | None) -> str:
    return f"（{period}）" if period else ""


def _byte_len(text: str) -> int:
    return len(text.encode("utf-8"))
