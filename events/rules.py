"""Metric event rules: new, changed, conflict, corroboration and trust, as pure functions over known values.

Two reports agree when the less precise one, read at its own precision and qualifier, contains the more
precise one (events/agreement.py). Same period (or an unstated period within the conflict window) and
disagreeing: `conflict`; a later period with a different value: `changed`; agreeing: corroboration (silent),
which also covers flapping (A, B, A again: the second A repeats a known value). An outlet never conflicts
with itself.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from wxwatch.events.agreement import Figure, agrees, compatible, repeats
from wxwatch.events.model import EventSource, KnownValue, MetricEvent
from wxwatch.metrics.periods import period_order


@dataclass(frozen=True)
class RuleSettings:
    """The two numbers the rules need from `[alerts]` (passed down by the caller, not read from config).

    tolerance: an optional floor (relative) under which two figures agree whatever their precision."""

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
    precision: float = 0.0
    official: bool = False  # read from the issuer's own release


@dataclass(frozen=True)
class Outcome:
    """What one reading did: the metric's known values afterwards, the value it touched, any event."""

    known: list[KnownValue]
    touched: KnownValue
    event: MetricEvent | None


_EPOCH = datetime.fromisoformat("1970-01-01T00:00:00+00:00")


def figure_of(item: KnownValue | Reading) -> Figure:
    return Figure(item.value, item.qualifier, item.precision)


def apply_reading(known: list[KnownValue], reading: Reading, rules: RuleSettings) -> Outcome:
    """Fold one reading into a metric's known values and say whether it is worth an alert."""
    matches = [k for k in known if _same_report(k, reading, rules)]
    if matches:
        best = min(matches, key=lambda k: (k.period != reading.period, k.precision))
        outcome = _corroborate(known, best, reading, rules)
    else:
        added = _known_from(reading)
        event = None if reading.trust == "low" else _event_for_new_value(known, reading, rules)
        outcome = Outcome([*known, replace(added, alerted=event is not None)],
                          replace(added, alerted=event is not None), event)
    return _officially(known, reading, outcome, rules) if reading.official else outcome


def _officially(known: list[KnownValue], reading: Reading, outcome: Outcome, rules: RuleSettings) -> Outcome:
    """The issuer's own figure: when outlets disagreed on its period, it settles that (one `settled` event
    naming the outlet figure it contradicts); otherwise its event, if any, is marked official."""
    period_values = [k for k in known if k.confirmed and k.period and k.period == reading.period and not k.official]
    outlets = {source for k in period_values for source in k.sources}
    rivals = [k for k in period_values if not compatible(figure_of(k), figure_of(reading), rules.tolerance)]
    if len(period_values) >= 2 and len(outlets) >= 2 and rivals:
        event: MetricEvent | None = event_for("settled", reading, _main_rival(rivals))
    else:
        event = outcome.event
    touched = replace(outcome.touched, alerted=outcome.touched.alerted or event is not None)
    return Outcome(outcome.known, touched, replace(event, official=True) if event else None)


def latest_value(known: list[KnownValue]) -> KnownValue | None:
    """The current value: latest period (by its end, longer last), then latest report, then lowest id."""
    confirmed = [k for k in known if k.confirmed]
    return max(confirmed, key=lambda k: (period_order(k.period), k.official,
                                         _parse_time(k.last_published or k.published) or _EPOCH), default=None)


def _same_report(known: KnownValue, reading: Reading, rules: RuleSettings) -> bool:
    if not agrees(figure_of(known), figure_of(reading), rules.tolerance):
        return False
    return known.period is None or reading.period is None or known.period == reading.period


def _corroborate(known: list[KnownValue], match: KnownValue, reading: Reading, rules: RuleSettings) -> Outcome:
    """A repeat of a known value: add the source (and a more precise figure); the first trusted repeat of a
    low-trust value alerts."""
    source = reading.source.source
    promoted = not match.confirmed and reading.trust != "low"
    updated = replace(
        match, sources=match.sources if source in match.sources else (*match.sources, source),
        confirmed=match.confirmed or promoted, period=match.period or reading.period,
        reports=_with_report(match.reports, (source, reading.source.article_id)),
        last_published=_later(match.last_published or match.published, reading.source.published),
        official=match.official or reading.official, **_sharper(match, reading),
    )
    others = [k for k in known if k is not match]
    event = _event_for_new_value(others, reading, rules) if promoted else None
    if event is not None:
        event = replace(event, corroborating_sources=updated.sources)
        updated = replace(updated, alerted=True)
    return Outcome([*others, updated], updated, event)


def _sharper(match: KnownValue, reading: Reading) -> dict:
    """The more precise of two agreeing figures is kept ("13.8亿" then "13.82亿": 13.82亿)."""
    exact = reading.qualifier == "=" and reading.precision and (
        match.qualifier != "=" or not match.precision or reading.precision < match.precision)
    return {"value": reading.value, "qualifier": "=", "precision": reading.precision} if exact else {}


def _known_from(reading: Reading) -> KnownValue:
    return KnownValue(
        metric_key=reading.metric_key, value=reading.value, period=reading.period,
        published=reading.source.published, sources=(reading.source.source,),
        confirmed=reading.trust != "low", first_source=reading.source, qualifier=reading.qualifier,
        precision=reading.precision, last_published=reading.source.published,
        reports=((reading.source.source, reading.source.article_id),), official=reading.official,
    )


def _event_for_new_value(known: list[KnownValue], reading: Reading, rules: RuleSettings) -> MetricEvent | None:
    """new (first trusted value), conflict (same period, other value, other outlet), changed (newer value)."""
    confirmed = [k for k in known if k.confirmed]
    if not confirmed:
        return event_for("new", reading)
    rivals = [k for k in confirmed if _same_period(k, reading, rules) and not _only_from(k, reading.source.source)
              and not compatible(figure_of(k), figure_of(reading), rules.tolerance)]
    if rivals:
        return event_for("conflict", reading, _main_rival(rivals))
    latest = latest_value(confirmed)
    if latest is None or _is_older(reading, latest):
        return None  # an older figure surfacing: history, not news
    if repeats(figure_of(latest), figure_of(reading), rules.tolerance):
        return None
    return event_for("changed", reading, latest)


def _main_rival(rivals: list[KnownValue]) -> KnownValue:
    """The disagreeing value an alert names: one already alerted, then the one most outlets reported."""
    return max(rivals, key=lambda k: (k.alerted, len(k.sources)))


def _only_from(known: KnownValue, source: str) -> bool:
    return set(known.sources) == {source}


def _same_period(known: KnownValue, reading: Reading, rules: RuleSettings) -> bool:
    if known.period and reading.period:
        return known.period == reading.period
    gap = _days_between(known.published, reading.source.published)
    return gap is not None and gap <= rules.conflict_window_days


def _is_older(reading: Reading, latest: KnownValue) -> bool:
    """By period when both state one, else by publication time."""
    if reading.period and latest.period:
        return period_order(reading.period) < period_order(latest.period)
    ours, theirs = _parse_time(reading.source.published), _parse_time(latest.last_published or latest.published)
    return bool(ours and theirs and ours < theirs)


def _with_report(reports: tuple, report: tuple) -> tuple:
    return reports if report in reports else (*reports, report)


def _later(a: str | None, b: str | None) -> str | None:
    times = [(parsed, value) for value in (a, b) if (parsed := _parse_time(value))]
    return max(times)[1] if times else a or b


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


def event_for(kind: str, reading: Reading, previous: KnownValue | None = None) -> MetricEvent:
    """A metric event about `reading`, against the `previous` known value if any."""
    change = None
    if kind in ("changed", "correction") and previous is not None and previous.value:
        change = (reading.value - previous.value) / abs(previous.value)
    return MetricEvent(
        kind=kind, metric_key=reading.metric_key, metric=reading.metric, subject=reading.subject,
        measure=reading.measure, unit=reading.unit, value=reading.value,
        previous_value=previous.value if previous else None, change=change, qualifier=reading.qualifier,
        rate=reading.rate, period=reading.period, previous_period=previous.period if previous else None,
        source=reading.source, other=previous.first_source if previous else None,
        previous_qualifier=previous.qualifier if previous else None,
    )
