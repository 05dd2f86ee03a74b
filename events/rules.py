"""Metric event rules: new, changed, conflict, corroboration and trust, as pure functions over known values."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from wxwatch.events.model import EventSource, KnownValue, MetricEvent


@dataclass(frozen=True)
class RuleSettings:
    """The two numbers the rules need from `[alerts]` (passed down by the caller, not read from config)."""

    tolerance: float = 0.0
    conflict_window_days: float = 7


@dataclass(frozen=True)
class Reading:
    """A figure just read from an article, with the trust of the source it came from."""

    metric_key: str
    value: float
    source: EventSource
    trust: str = "normal"
    metric: str | None = None
    subject: str = ""
    measure: str = ""
    unit: str = ""
    qualifier: str = "="
    rate: str | None = None
    period: str | None = None


@dataclass(frozen=True)
class Outcome:
    """What one reading did: the metric's known values afterwards, the value it touched, any event."""

    known: list[KnownValue]
    touched: KnownValue
    event: MetricEvent | None


_EPOCH = datetime.fromisoformat("1970-01-01T00:00:00+00:00")


def same_value(a: float, b: float, tolerance: float) -> bool:
    scale = max(abs(a), abs(b))
    return scale == 0 or abs(a - b) <= tolerance * scale


def apply_reading(known: list[KnownValue], reading: Reading, rules: RuleSettings) -> Outcome:
    """Fold one reading into a metric's known values and say whether it is worth an alert."""
    match = next((k for k in known if _same_report(k, reading, rules)), None)
    if match is not None:
        return _corroborate(known, match, reading, rules)
    added = _known_from(reading)
    event = None if reading.trust == "low" else _event_for_new_value(known, reading, rules)
    return Outcome([*known, added], added, event)


def _same_report(known: KnownValue, reading: Reading, rules: RuleSettings) -> bool:
    if not same_value(known.value, reading.value, rules.tolerance):
        return False
    return known.period is None or reading.period is None or known.period == reading.period


def _corroborate(known: list[KnownValue], match: KnownValue, reading: Reading, rules: RuleSettings) -> Outcome:
    """A repeat of a known value: add the source; the first trusted repeat of a low-trust value alerts."""
    sources = match.sources if reading.source.source in match.sources else (*match.sources, reading.source.source)
    promoted = not match.confirmed and reading.trust != "low"
    updated = replace(match, sources=sources, confirmed=match.confirmed or promoted,
                      period=match.period or reading.period)
    others = [k for k in known if k is not match]
    event = _event_for_new_value(others, reading, rules) if promoted else None
    if event is not None:
        event = replace(event, corroborating_sources=sources)
    return Outcome([*others, updated], updated, event)


def _known_from(reading: Reading) -> KnownValue:
    return KnownValue(
        metric_key=reading.metric_key, value=reading.value, period=reading.period,
        published=reading.source.published, sources=(reading.source.source,),
        confirmed=reading.trust != "low", first_source=reading.source,
    )


def _event_for_new_value(known: list[KnownValue], reading: Reading, rules: RuleSettings) -> MetricEvent | None:
    """new (first trusted value), conflict (same period, other value), changed (newer value), or None."""
    confirmed = [k for k in known if k.confirmed]
    if not confirmed:
        return _event("new", reading)
    rival = next((k for k in confirmed if _same_period(k, reading, rules)), None)
    if rival is not None:
        return _event("conflict", reading, rival)
    latest = max(confirmed, key=lambda k: (k.period or "", _parse_time(k.published) or _EPOCH))
    if _is_older(reading, latest):
        return None  # an older figure surfacing: history, not news
    return _event("changed", reading, latest)


def _same_period(known: KnownValue, reading: Reading, rules: RuleSettings) -> bool:
    if known.period and reading.period:
        return known.period == reading.period
    gap = _days_between(known.published, reading.source.published)
    return gap is not None and gap <= rules.conflict_window_days


def _is_older(reading: Reading, latest: KnownValue) -> bool:
    """By period when both state one, else by publication time."""
    if reading.period and latest.period:
        return reading.period < latest.period
    ours, theirs = _parse_time(reading.source.published), _parse_time(latest.published)
    return bool(ours and theirs and ours < theirs)


def _parse_time(value: str | None) -> datetime | None:
    try:
        parsed = datetime.fromisoformat(value) if value else None
    except ValueError:
        return None
    return parsed if parsed is None or parsed.tzinfo else None


def _days_between(a: str | None, b: str | None) -> float | None:
    first, second = _parse_time(a), _parse_time(b)
    if first is None or second is None:
        return None
    return abs((first - second).total_seconds()) / 86400


def _event(kind: str, reading: Reading, previous: KnownValue | None = None) -> MetricEvent:
    change = None
    if kind == "changed" and previous is not None and previous.value:
        change = (reading.value - previous.value) / abs(previous.value)
    return MetricEvent(
        kind=kind, metric_key=reading.metric_key, metric=reading.metric, subject=reading.subject,
        measure=reading.measure, unit=reading.unit, value=reading.value,
        previous_value=previous.value if previous else None, change=change, qualifier=reading.qualifier,
        rate=reading.rate, period=reading.period, previous_period=previous.period if previous else None,
        source=reading.source, other=previous.first_source if previous else None,
    )
