"""The events wxwatch alerts on: one MetricEvent per new, changed or conflicting figure, or source health."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

EVENT_KINDS = ("new", "changed", "conflict", "health")


@dataclass(frozen=True)
class EventSource:
    """Where a figure was read: the outlet (source name), its category, the article."""

    source: str
    category: str = ""
    url: str = ""
    title: str = ""
    published: str | None = None  # ISO 8601 with offset
    text: str = ""  # the sentence the figure was read from
    article_id: int | None = None


@dataclass(frozen=True)
class MetricEvent:
    """One alert-worthy fact.

    kind: new | changed | conflict | health
    metric: catalog ID (e.g. "miniprogram.dau") or None for an uncatalogued figure or a health event
    metric_key: the identity used for history: the catalog ID, or "subject|measure" when uncatalogued,
        or "health:<source>" for health events
    subject, measure: e.g. "小程序", "日活跃用户数" (Chinese, for messages)
    kind of value: unit is "count" | "money" (CNY) | "ratio" | "growth" (fractions for ratio and growth)
    value / previous_value: floats (absolute for counts and money)
    change: relative change (new - old) / old for `changed`, else None
    qualifier: one of ">", ">=", "~", "=", "<"
    rate: "day" | "hour" | "month" | ... or None
    period / previous_period: e.g. "2021" or None
    source: the report that triggered the event; other: the conflicting or previous report, if any
    message: for health events, what happened ("3 consecutive failures: HTTP 503", "recovered")
    """

    kind: str
    metric_key: str
    metric: str | None = None
    subject: str = ""
    measure: str = ""
    unit: str = ""
    value: float | None = None
    previous_value: float | None = None
    change: float | None = None
    qualifier: str = "="
    rate: str | None = None
    period: str | None = None
    previous_period: str | None = None
    source: EventSource | None = None
    other: EventSource | None = None
    message: str = ""
    corroborating_sources: tuple[str, ...] = field(default_factory=tuple)

    def to_dict(self) -> dict:
        return asdict(self)
