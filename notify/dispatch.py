"""The dispatcher: send every due delivery of every pending alert, once, with backoff on failure."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlite_utils import Database

from wxwatch.config import NotifyConfig
from wxwatch.notify.deliver import SendOutcome, TargetSender
from wxwatch.notify.render import Message, notify_test_message, render_messages
from wxwatch.notify.targets import Target, load_targets
from wxwatch.storage.outbox import Outbox

logger = logging.getLogger(__name__)


@dataclass
class TargetReport:
    """What one dispatch did for one target, and what it left: deliveries waiting (next attempt) or failed."""

    label: str
    alerts_sent: int = 0  # alerts this target accepted in this dispatch
    messages_sent: int = 0
    alerts_failed: int = 0  # alerts whose send failed in this dispatch
    error: str | None = None
    sent_ids: set[int] = field(default_factory=set)
    waiting: int = 0  # deliveries to this target still pending after the dispatch (backing off or not due)
    next_attempt: str | None = None  # UTC ISO time of the earliest of them
    failed: int = 0  # deliveries to this target given up on (max_attempts used; `alerts retry` revives them)

    def summary(self, timezone: str) -> str:
        """E.g. `json://…: 4 sent, 2 waiting (next attempt 2024-11-14 09:00 CST), 0 failed`."""
        return f"{self.label}: {self.alerts_sent} sent, {self.backlog(timezone)}"

    def backlog(self, timezone: str) -> str:
        """E.g. `2 waiting (next attempt 2024-11-14 09:00 CST), 0 failed` (times in `timezone`)."""
        waiting = f"{self.waiting} waiting"
        if self.waiting and self.next_attempt:
            local = datetime.fromisoformat(self.next_attempt).astimezone(ZoneInfo(timezone))
            waiting += f" (next attempt {local:%Y-%m-%d %H:%M %Z})"
        return f"{waiting}, {self.failed} failed"


@dataclass
class DispatchReport:
    """What one dispatch did, per target."""

    targets: list[TargetReport] = field(default_factory=list)

    @property
    def alerts_sent(self) -> int:
        """Distinct alerts that reached at least one target in this dispatch (not deliveries)."""
        return len(set().union(*(t.sent_ids for t in self.targets)))

    @property
    def deliveries_sent(self) -> int:
        return sum(t.alerts_sent for t in self.targets)

    @property
    def ok(self) -> bool:
        return not any(t.error for t in self.targets)


def dispatch_pending(db: Database, notify_config: NotifyConfig, *, now: datetime | None = None) -> DispatchReport:
    """Send pending alerts to every target whose delivery is due; safe to call again at any time.

    A delivery marked sent is never sent again; a failed one is retried on a later call after a backoff,
    and marked failed after `max_attempts`. Raises notify.targets.TargetError for an unusable target URL.
    """
    now = now or datetime.now(UTC)
    targets = load_targets(notify_config)
    outbox = Outbox(db)
    for target in targets:
        outbox.ensure_deliveries(target.id, target.label, first_due(target, notify_config, now))
    target_ids = [target.id for target in targets]
    report = DispatchReport([_dispatch_target(outbox, target, target_ids, notify_config, now) for target in targets])
    if targets:  # alerts whose only missing target was removed from the settings are done too
        outbox.refresh_status([alert.id for alert in outbox.alerts(status="pending")], target_ids)
    return report


def first_due(target: Target, notify_config: NotifyConfig, now: datetime) -> datetime:
    """When a new alert is due for the target: now, or the next `daily_at` for targets tagged daily."""
    if not target.daily:
        return now
    zone = ZoneInfo(notify_config.timezone)
    local = now.astimezone(zone)
    hour, minute = (int(part) for part in notify_config.daily_at.split(":"))
    due = datetime.combine(local.date(), time(hour, minute), zone)
    return due if due >= local else due + timedelta(days=1)


def send_test(notify_config: NotifyConfig) -> list[tuple[Target, SendOutcome]]:
    """Send the test message to each configured target; (target, outcome) for each."""
    results = []
    for target in load_targets(notify_config):
        sender = TargetSender(target, notify_config.timeout)
        results.append((target, sender.send(notify_test_message(target.profile))))
    return results


def _dispatch_target(outbox: Outbox, target: Target, target_ids: list[str], notify_config: NotifyConfig,
                     now: datetime) -> TargetReport:
    report = TargetReport(target.label)
    alerts = outbox.claim_due(target.id, now)
    if alerts:
        messages = render_messages(alerts, target.profile, target.mode)
        _send_in_order(outbox, target, messages, notify_config, now, report)
        outbox.refresh_status([alert.id for alert in alerts], target_ids)
    report.waiting, report.next_attempt, report.failed = outbox.backlog(target.id)
    return report


def _send_in_order(outbox: Outbox, target: Target, messages: list[Message], notify_config: NotifyConfig,
                   now: datetime, report: TargetReport) -> None:
    """Send the messages in order, recording each; at the first failure the rest wait for the next attempt."""
    sender = TargetSender(target, notify_config.timeout)
    for index, message in enumerate(messages):
        outcome = sender.send(message)
        if outcome.ok:
            outbox.mark_sent(target.id, message.alert_ids, now)
            report.alerts_sent += len(message.alert_ids)
            report.sent_ids.update(message.alert_ids)
            report.messages_sent += 1
            continue
        unsent = [alert_id for rest in messages[index:] for alert_id in rest.alert_ids]
        outbox.mark_failed(
            target.id, unsent, outcome.error or outcome.status, now, max_attempts=notify_config.max_attempts,
            backoff_seconds=notify_config.backoff_seconds, max_backoff_seconds=notify_config.max_backoff_seconds,
        )
        report.alerts_failed, report.error = len(unsent), outcome.error
        return
