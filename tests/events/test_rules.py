"""Event rules, table-driven: history + one reading -> event kind (or none)."""

from __future__ import annotations

import pytest

from wxwatch.events.agreement import Figure, agrees, compatible, repeats
from wxwatch.events.model import EventSource, KnownValue
from wxwatch.events.rules import Reading, RuleSettings, apply_reading

RULES = RuleSettings()
YI = 1e8
Q2_MAU, Q3_MAU = 13.71 * YI, 13.82 * YI
JAN_2022 = "2022-01-06T21:02:04+08:00"


def known(value: float, period: str | None = None, published: str = JAN_2022, source: str = "stcn",
          confirmed: bool = True, qualifier: str = "=", precision: float = 1e7) -> KnownValue:
    return KnownValue("miniprogram.dau", value, period, published, (source,), confirmed, EventSource(source),
                      qualifier=qualifier, precision=precision)


def reading(value: float, period: str | None = None, published: str = JAN_2022, source: str = "36kr",
            trust: str = "normal", qualifier: str = "=", precision: float = 1e7) -> Reading:
    return Reading("miniprogram.dau", value, EventSource(source, published=published), trust,
                   metric="miniprogram.dau", period=period, qualifier=qualifier, precision=precision)


CASES = [
    # (known values, reading, expected event kind or None)
    ([], reading(4.5e8), "new"),
    ([known(4.5e8)], reading(4.5e8), None),                                  # corroboration
    ([known(4.5e8)], reading(4.52e8, precision=1e6), None),                  # 4.5亿 is 4.52亿 rounded
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
    # quarterly series: sub-1% steps are news, roundings are not, the same quarter's rival value conflicts
    ([known(Q2_MAU, "2024Q2", precision=1e6)], reading(Q3_MAU, "2024Q3", precision=1e6), "changed"),
    ([known(Q3_MAU, "2024Q3", precision=1e6)], reading(13.8 * YI, "2024Q3"), None),
    ([known(Q3_MAU, "2024Q3", precision=1e6)], reading(13 * YI, "2024Q3", qualifier=">", precision=YI), None),
    ([known(Q3_MAU, "2024Q3", precision=1e6)], reading(13.28 * YI, "2024Q3", precision=1e6), "conflict"),
    ([known(Q3_MAU, "2024Q3", precision=1e6)], reading(13.71 * YI, "2024Q2", precision=1e6), None),  # older
    ([known(Q3_MAU, "2024Q3", precision=1e6)], reading(13.8 * YI, "2024"), None),   # later period, same value
    ([known(Q3_MAU, "2024Q3", precision=1e6)], reading(13.85 * YI, "2024", precision=1e6), "changed"),
    ([known(4.5e8, "2021", qualifier=">")], reading(5e8, "2022", qualifier=">", precision=1e8), "changed"),
    ([known(5e8, "2024H1", qualifier=">", precision=1e8)], reading(5.2e8, "2024H1"), None),   # sharper, same
    ([known(5e8, "2024H1", qualifier=">", precision=1e8)], reading(5.4e8, "2024H2"), "changed"),
    ([known(Q3_MAU, "2024Q3", source="36kr")], reading(13.28 * YI, "2024Q3", source="36kr"), "changed"),  # own
    ([known(7.8e8, "2024"), known(8e8, "2024", source="cls")], reading(7.8e8, "2024", source="qq"), None),  # A/B/A
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


@pytest.mark.parametrize(("a", "b", "agree"), [
    (Figure(13.8 * YI, "=", 0.1 * YI), Figure(13.82 * YI, "=", 0.01 * YI), True),
    (Figure(13 * YI, ">", YI), Figure(13.82 * YI, "=", 0.01 * YI), True),
    (Figure(13.71 * YI, "=", 0.01 * YI), Figure(13.82 * YI, "=", 0.01 * YI), False),
    (Figure(14 * YI, "=", YI), Figure(13.82 * YI, "=", 0.01 * YI), True),
    (Figure(13 * YI, "=", YI), Figure(13.82 * YI, "=", 0.01 * YI), False),
    (Figure(14 * YI, "<", YI), Figure(13.82 * YI, "=", 0.01 * YI), True),
    (Figure(13.5 * YI, "~", 0.1 * YI), Figure(13.41 * YI, "=", 0.01 * YI), True),
    (Figure(0.41, "=", 0.01), Figure(0.42, "=", 0.01), False),
])
def test_the_less_precise_figure_contains_the_more_precise(a: Figure, b: Figure, agree: bool) -> None:
    assert compatible(a, b) is agree and compatible(b, a) is agree


def test_a_raised_bound_or_a_figure_after_a_bound_is_news_between_periods_but_no_conflict() -> None:
    assert compatible(Figure(4.5e8, ">", 1e7), Figure(5e8, ">", 1e8))
    assert not agrees(Figure(4.5e8, ">", 1e7), Figure(5e8, ">", 1e8))
    assert not repeats(Figure(5e8, ">", 1e8), Figure(5.4e8, "=", 1e7))
    assert repeats(Figure(13.82e8, "=", 1e6), Figure(13e8, ">", 1e8))


def test_tolerance_is_an_optional_floor() -> None:
    assert not compatible(Figure(Q2_MAU, "=", 1e6), Figure(Q3_MAU, "=", 1e6))
    assert compatible(Figure(Q2_MAU, "=", 1e6), Figure(Q3_MAU, "=", 1e6), floor=0.01)
