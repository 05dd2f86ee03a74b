"""Event rules, table-driven: history + one reading -> event kind (or none)."""

from __future__ import annotations

import pytest
from wxwatch.events.model import EventSource, KnownValue
from wxwatch.events.rules import Reading, RuleSettings, apply_reading, same_value

RULES = RuleSettings(tolerance=0.02)
JAN_2022 = "2022-01-06T21:02:04+08:00"


def known(value: float, period: str | None = None, published: str = JAN_2022, source: str = "stcn",
          confirmed: bool = True) -> KnownValue:
    return KnownValue("miniprogram.dau", value, period, published, (source,), confirmed, EventSource(source))


def reading(value: float, period: str | None = None, published: str = JAN_2022, source: str = "36kr",
            trust: str = "normal") -> Reading:
    return Reading("miniprogram.dau", value, EventSource(source, published=published), trust,
                   metric="miniprogram.dau", period=period)


CASES = [
    # (known values, reading, expected event kind or None)
    ([], reading(4.5e8), "new"),
    ([known(4.5e8)], reading(4.5e8), None),                                  # corroboration
    ([known(4.5e8)], reading(4.52e8), None),                                 # within tolerance
    ([known(4.5e8, "2021")], reading(6e8, "2022"), "changed"),
    ([known(6e8, "2022")], reading(4.5e8, "2021"), None),                    # an older figure resurfacing
    ([known(2.29e10, "2021")], reading(2.9e10, "2021"), "conflict"),
    ([known(2.29e10)], reading(2.9e10, published="2022-01-06T10:22:16+00:00"), "conflict"),
    ([known(4.5e8)], reading(6e8, published="2023-01-10T09:00:00+08:00"), "changed"),
    ([known(4.5e8, published="2023-01-10T09:00:00+08:00")], reading(4e8, published="2021-01-20T09:00:00+08:00"),
     None),
    ([], reading(12.8e8, trust="low"), None),                                # low trust never alerts alone
    ([known(4.5e8)], reading(9e8, trust="low"), None),
    ([known(12.8e8, source="seo", confirmed=False)], reading(12.8e8), "new"),  # trusted repeat confirms it
    ([known(12.8e8, source="seo", confirmed=False)], reading(12.8e8, trust="low", source="farm2"), None),
    ([known(4.5e8, "2021")], reading(4.5e8, None), None),                    # same value, period unstated
]


@pytest.mark.parametrize(("history", "new", "expected"), CASES)
def test_event_kind(history: list[KnownValue], new: Reading, expected: str | None) -> None:
    outcome = apply_reading(history, new, RULES)
    assert (outcome.event.kind if outcome.event else None) == expected


def test_changed_event_carries_old_new_and_relative_change() -> None:
    event = apply_reading([known(4.5e8, "2021")], reading(6e8, "2022"), RULES).event
    assert (event.previous_value, event.value, event.period, event.previous_period) == (4.5e8, 6e8, "2022", "2021")
    assert event.change == pytest.approx(1 / 3)
    assert event.other.source == "stcn" and event.source.source == "36kr"


def test_corroboration_adds_the_source_once() -> None:
    outcome = apply_reading([known(4.5e8)], reading(4.5e8, source="36kr"), RULES)
    assert outcome.touched.sources == ("stcn", "36kr")
    again = apply_reading(outcome.known, reading(4.5e8, source="36kr"), RULES)
    assert again.touched.sources == ("stcn", "36kr") and len(again.known) == 1


def test_confirmed_low_trust_value_lists_every_source() -> None:
    event = apply_reading([known(12.8e8, source="seo", confirmed=False)], reading(12.8e8), RULES).event
    assert event.corroborating_sources == ("seo", "36kr")


@pytest.mark.parametrize(("a", "b", "same"), [(4.5e8, 4.5e8, True), (0.41, 0.41, True), (0.41, 0.42, False),
                                               (0, 0, True), (2.29e10, 2.9e10, False)])
def test_same_value(a: float, b: float, same: bool) -> None:
    assert same_value(a, b, 0.02) is same
