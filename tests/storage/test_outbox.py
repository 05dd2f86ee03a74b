"""The alert outbox on a real SQLite file: alert rows, per-target deliveries, leases, backoff and status."""

from __future__ import annotations

from dataclasses import fields
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from wxwatch.events.model import EventSource, MetricEvent, event_columns
from wxwatch.storage.db import open_database
from wxwatch.storage.outbox import Alert, Outbox, backoff_delay

NOW = datetime(2024, 1, 12, 1, 0, tzinfo=UTC)
RULES = {"max_attempts": 3, "backoff_seconds": 60.0, "max_backoff_seconds": 3600.0}
SOURCE = EventSource("zqsb", "证券时报", "https://news.example.cn/a/1.html", "标题", "2024-01-12T09:00:00+08:00",
                     "句子")
OTHER = EventSource("cls", "财联社", "https://news.example.cn/b/2.html", published="2024-01-13T10:00:00+08:00")


@pytest.fixture
def outbox(tmp_path: Path) -> Outbox:
    return Outbox(open_database(tmp_path / "wx.db"))


def event(kind: str = "new", value: float = 4.5e8, **extra) -> MetricEvent:
    return MetricEvent(kind, "miniprogram.dau", "miniprogram.dau", "小程序", "日活跃用户数", "count", value,
                       source=SOURCE, **extra)


def test_add_events_stores_every_field_as_a_pending_alert(outbox: Outbox) -> None:
    changed = event("changed", 6e8, previous_value=4.5e8, change=1 / 3, period="2022", previous_period="2021",
                    other=OTHER, corroborating_sources=("a", "b"), qualifier=">", rate="day")
    ids = outbox.add_events([event(), changed], run_id=7, now=NOW)
    first, second = outbox.alerts()
    assert [first.id, second.id] == ids
    assert (first.kind, first.status, first.attempts, first.run_id) == ("new", "pending", 0, 7)
    assert (second.value, second.previous_value, second.change, second.qualifier, second.rate) == \
        (6e8, 4.5e8, 1 / 3, ">", "day")
    assert (second.source, second.category, second.url, second.published, second.text) == \
        ("zqsb", "证券时报", SOURCE.url, SOURCE.published, "句子")
    assert (second.other_source, second.other_category, second.other_url) == ("cls", "财联社", OTHER.url)
    assert second.corroborating == '["a", "b"]' and second.created == "2024-01-12T01:00:00+00:00"


def test_add_events_is_one_transaction(outbox: Outbox) -> None:
    class Broken:
        kind = "new"

    with pytest.raises(AttributeError):
        outbox.add_events([event(), Broken()], run_id=1)  # type: ignore[list-item]
    assert outbox.alerts() == []


def test_deliveries_are_created_once_per_target_and_only_for_pending_alerts(outbox: Outbox) -> None:
    outbox.add_events([event(), event()], run_id=1)
    assert outbox.ensure_deliveries("t1", "json://h", NOW) == 2
    assert outbox.ensure_deliveries("t1", "json://h", NOW) == 0
    outbox.mark_sent("t1", [1, 2], NOW)
    outbox.refresh_status([1, 2], ["t1"])
    assert outbox.ensure_deliveries("t2", "mailto://h", NOW) == 0  # already sent alerts go nowhere new


def test_a_claimed_delivery_is_not_claimed_again_until_its_lease_expires(outbox: Outbox) -> None:
    outbox.add_events([event()], run_id=1)
    outbox.ensure_deliveries("t1", "json://h", NOW)
    assert [a.id for a in outbox.claim_due("t1", NOW)] == [1]
    assert outbox.claim_due("t1", NOW + timedelta(seconds=10)) == []
    assert [a.id for a in outbox.claim_due("t1", NOW + timedelta(minutes=6))] == [1]


def test_failures_back_off_then_mark_the_alert_failed(outbox: Outbox) -> None:
    outbox.add_events([event()], run_id=1)
    outbox.ensure_deliveries("t1", "json://h", NOW)
    moment = NOW
    for attempt in range(1, 4):
        assert [a.id for a in outbox.claim_due("t1", moment)] == [1]
        outbox.mark_failed("t1", [1], f"boom {attempt}", moment, **RULES)
        outbox.refresh_status([1], ["t1"])
        assert outbox.claim_due("t1", moment) == []  # not due again before the backoff
        moment += backoff_delay(attempt, 60, 3600)
    (delivery,) = outbox.deliveries(1)
    (alert,) = outbox.alerts()
    assert (delivery["status"], delivery["attempts"]) == ("failed", 3)
    assert (alert.status, alert.attempts, alert.last_error) == ("failed", 3, "boom 3")


def test_alert_is_sent_only_when_every_target_got_it(outbox: Outbox) -> None:
    outbox.add_events([event()], run_id=1)
    for target in ("t1", "t2"):
        outbox.ensure_deliveries(target, target, NOW)
    outbox.mark_sent("t1", [1], NOW)
    outbox.refresh_status([1], ["t1", "t2"])
    assert outbox.alerts()[0].status == "pending"
    outbox.mark_sent("t2", [1], NOW + timedelta(seconds=5))
    outbox.refresh_status([1], ["t1", "t2"])
    alert = outbox.alerts()[0]
    assert (alert.status, alert.sent) == ("sent", "2024-01-12T01:00:05+00:00")
    assert outbox.alerts(status="pending") == []


def test_a_sent_delivery_is_never_marked_again(outbox: Outbox) -> None:
    outbox.add_events([event()], run_id=1)
    outbox.ensure_deliveries("t1", "t1", NOW)
    outbox.mark_sent("t1", [1], NOW)
    outbox.mark_failed("t1", [1], "late failure", NOW, **RULES)
    outbox.mark_sent("t1", [1], NOW + timedelta(hours=1))
    (delivery,) = outbox.deliveries(1)
    assert (delivery["status"], delivery["attempts"], delivery["sent"]) == ("sent", 1, "2024-01-12T01:00:00+00:00")
    assert outbox.claim_due("t1", NOW + timedelta(days=1)) == []


def test_make_due_gives_failed_and_backed_off_deliveries_another_try(outbox: Outbox) -> None:
    outbox.add_events([event(), event()], run_id=1)
    outbox.ensure_deliveries("t1", "t1", NOW)
    outbox.mark_failed("t1", [1], "down", NOW, **RULES | {"max_attempts": 1})
    outbox.mark_failed("t1", [2], "down", NOW, **RULES)
    outbox.refresh_status([1, 2], ["t1"])
    assert [a.status for a in outbox.alerts()] == ["failed", "pending"]
    assert outbox.make_due(NOW) == 2
    assert [a.status for a in outbox.alerts()] == ["pending", "pending"]
    assert [a.id for a in outbox.claim_due("t1", NOW)] == [1, 2]


@pytest.mark.parametrize(("attempts", "seconds"), [(1, 60), (2, 120), (3, 240), (10, 3600)])
def test_backoff_doubles_up_to_the_cap(attempts: int, seconds: int) -> None:
    assert backoff_delay(attempts, 60, 3600) == timedelta(seconds=seconds)


def test_the_alerts_table_and_alert_are_derived_from_the_event(outbox: Outbox) -> None:
    columns = outbox.db["alerts"].columns_dict
    derived = event_columns()
    assert all(columns[column.name] is column.type for column in derived)
    stored = {f.name for f in fields(Alert)}
    assert {column.name for column in derived} <= stored
    outbox.add_events([event("conflict", other=OTHER, previous_qualifier=">")], run_id=1, now=NOW)
    (alert,) = outbox.alerts()
    assert (alert.other_title, alert.other_article_id, alert.previous_qualifier, alert.article_id) == \
        ("", None, ">", None)
