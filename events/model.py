"""The events wxwatch alerts on (new, changed, conflict, correction, health) and their one flat schema."""

from __future__ import annotations

import json
import types
import typing
from dataclasses import MISSING, Field, asdict, dataclass, field, fields
from functools import cache

EVENT_KINDS = ("new", "changed", "conflict", "correction", "health", "settled")


@dataclass(frozen=True)
class EventSource:
    """Where a figure was read: the outlet (source name), its category label, the article."""

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

    kind: new | changed | conflict | correction | health | settled (the issuer's own figure for a period on
        which outlets disagreed: `other` is the outlet's figure it contradicts)
    metric: catalog ID (e.g. "miniprogram.dau") or None for an uncatalogued figure or a health event
    metric_key: the identity used for history: the catalog ID, or "subject|measure" when uncatalogued,
        or "health:<source>" for health events
    subject, measure: e.g. "小程序", "日活跃用户数" (Chinese, for messages)
    unit: the kind of value, "count" | "money" (CNY) | "ratio" | "growth" (fractions for ratio and growth)
    value / previous_value: floats (absolute for counts and money)
    change: relative change (new - old) / old for `changed` and `correction`, else None
    qualifier / previous_qualifier: one of ">", ">=", "~", "=", "<" (of the value, of the previous value)
    rate: "day" | "hour" | "month" | ... or None
    period / previous_period: e.g. "2024Q3", "2024H1", "2024" (metrics/periods.py) or None
    source: the report that triggered the event; other: the conflicting or previous report, if any
    message: for health events, what happened ("3 consecutive failures: HTTP 503", "recovered")
    official: the figure is the issuer's own (a `issuer = true` source, e.g. its results release)

    The outbox row, the stored Alert and the alerts table's columns are all derived from these fields
    (`event_columns`): add a field here, and a migration calling `storage.migrations.add_event_columns`.
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
    source: EventSource | None = field(default=None, metadata={"prefix": ""})
    other: EventSource | None = field(default=None, metadata={"prefix": "other_"})
    message: str = ""
    corroborating_sources: tuple[str, ...] = field(default_factory=tuple, metadata={"column": "corroborating"})
    previous_qualifier: str | None = None
    official: bool = False

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class KnownValue:
    """One value a metric is known to have had, with everyone who reported it.

    precision: the step of the least significant digit as written ("13.8亿" -> 1e7), 0 when unknown;
    reports: (source, article_id) pairs behind the value, so an outlet's edited article can be taken back.
    """

    metric_key: str
    value: float
    period: str | None
    published: str | None
    sources: tuple[str, ...]
    confirmed: bool  # reported by at least one source that is not low-trust
    first_source: EventSource = field(default_factory=lambda: EventSource(source=""))
    id: int | None = None
    qualifier: str = "="
    precision: float = 0.0
    last_published: str | None = None
    reports: tuple[tuple[str, int | None], ...] = ()
    alerted: bool = False  # this value was already the subject of an alert (flapping back to it is silent)
    official: bool = False  # the issuer reported it (its own release): it wins its period


@dataclass(frozen=True)
class Column:
    """One flat column of an event: its name, SQLite type, default, and where it comes from in the event."""

    name: str
    type: type
    default: object
    path: tuple[str, ...]  # ("value",) or ("source", "url")
    as_json: bool = False


@cache
def event_columns() -> tuple[Column, ...]:
    """The flat columns of a MetricEvent: scalars as they are, EventSources prefixed, tuples as JSON text."""
    columns: list[Column] = []
    for event_field in fields(MetricEvent):
        hint = _hints(MetricEvent)[event_field.name]
        if "prefix" in event_field.metadata:
            columns.extend(_source_columns(event_field))
        elif typing.get_origin(hint) is tuple:
            columns.append(Column(event_field.metadata.get("column", event_field.name), str, "[]",
                                  (event_field.name,), as_json=True))
        else:
            columns.append(Column(event_field.name, _sqlite_type(hint), _default(event_field, hint),
                                  (event_field.name,)))
    return tuple(columns)


def flatten_event(event: MetricEvent) -> dict:
    """The event as one flat row (column name -> value)."""
    row = {}
    for column in event_columns():
        value = _lookup(event, column.path)
        if column.as_json:
            value = json.dumps(list(value), ensure_ascii=False)  # type: ignore[call-overload]  # a tuple field
        row[column.name] = column.default if value is None and column.default is not None else value
    return row


def _source_columns(event_field: Field) -> list[Column]:
    prefix = event_field.metadata["prefix"]
    hints = _hints(EventSource)
    return [Column(f"{prefix}{inner.name}", _sqlite_type(hints[inner.name]), _default(inner, hints[inner.name]),
                   (event_field.name, inner.name)) for inner in fields(EventSource)]


def _lookup(event: MetricEvent, path: tuple[str, ...]) -> object:
    value: object = event
    for name in path:
        value = getattr(value, name) if value is not None else None
    return value


def _hints(cls: type) -> dict[str, object]:
    return typing.get_type_hints(cls)


def _sqlite_type(hint: object) -> type:
    """str, float or int: the hint itself (int for bool), or the non-None member of an Optional."""
    if isinstance(hint, types.UnionType) or typing.get_origin(hint) is typing.Union:
        hint = next(arg for arg in typing.get_args(hint) if arg is not type(None))
    if hint is bool:  # stored as 0/1
        return int
    return hint if hint in (str, float, int) else str  # type: ignore[return-value]


def _default(source_field: Field, hint: object) -> object:
    if source_field.default is not MISSING:
        return source_field.default
    return "" if _sqlite_type(hint) is str else None
