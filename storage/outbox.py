"""The alert outbox: one row per event, one delivery row per (alert, target), retried with backoff."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import fields, make_dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlite_utils import Database

from wxwatch.events.model import MetricEvent, event_columns, flatten_event
from wxwatch.storage.db import insert_row, select_rows, transaction, update_row

ALERT_STATUSES = ("pending", "sent", "failed")
LEASE_SECONDS = 300  # a claimed delivery is not claimed again for this long (a dispatcher that died mid-send)


DELIVERY_STATE: tuple[tuple[str, type, object], ...] = (
    ("run_id", int, None), ("created", str, ""), ("status", str, "pending"), ("attempts", int, 0),
    ("last_error", str, None), ("sent", str, None),
)


def _alert_from_row(cls: type, row: dict) -> Any:
    """An Alert from an alerts row: missing columns and NULL text take the field's default."""
    defaults = {column.name: column.default for column in event_columns()} | {n: d for n, _, d in DELIVERY_STATE}
    known = {f.name for f in fields(cls)}
    return cls(**{k: (defaults.get(k) if v is None else v) for k, v in row.items() if k in known})


def _alert_to_dict(alert: Any) -> dict:
    return {f.name: getattr(alert, f.name) for f in fields(alert)}


Alert: Any = make_dataclass(
    "Alert",
    [("id", int), *((c.name, c.type | None, c.default) for c in event_columns()),
     *((name, kind | None, default) for name, kind, default in DELIVERY_STATE)],
    frozen=True,
    namespace={"from_row": classmethod(_alert_from_row), "to_dict": _alert_to_dict,
               "__doc__": "One stored alert: the flat event columns (events.model) and its delivery state."},
)


def iso(moment: datetime) -> str:
    """A UTC ISO 8601 timestamp with seconds precision (sorts as text)."""
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def event_row(event: MetricEvent, run_id: int | None, created: str) -> dict:
    """The alerts row for one MetricEvent."""
    return flatten_event(event) | {"run_id": run_id, "created": created, "status": "pending", "attempts": 0}


def backoff_delay(attempts: int, base_seconds: float, max_seconds: float) -> timedelta:
    """Wait after the `attempts`-th failure: base, 2x base, 4x base ... capped at max_seconds."""
    return timedelta(seconds=min(base_seconds * 2 ** max(attempts - 1, 0), max_seconds))


class Outbox:
    """Read and write the alerts and deliveries tables."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def add_events(
        self, events: Sequence[MetricEvent], run_id: int | None, *, now: datetime | None = None
    ) -> list[int]:
        """Store one pending alert per event, in one transaction; returns the new alert IDs."""
        created = iso(now or datetime.now(UTC))
        with transaction(self.db):
            return [insert_row(self.db, "alerts", event_row(event, run_id, created)) for event in events]

    def alerts(self, *, status: str | None = None, ids: Iterable[int] | None = None) -> list[Alert]:
        """Alerts oldest first, optionally only those with `status` or the given IDs."""
        where: list[str] = []
        params: list[str | int] = []
        if status is not None:
            where.append("status = ?")
            params.append(status)
        if ids is not None:
            id_list = list(ids)
            where.append(f"id in ({', '.join('?' * len(id_list))})")
            params.extend(id_list)
        clause = f" where {' and '.join(where)}" if where else ""
        rows = select_rows(self.db, f"select * from alerts{clause} order by id", params)
        return [Alert.from_row(row) for row in rows]

    def deliveries(self, alert_id: int) -> list[dict]:
        return select_rows(self.db, "select * from deliveries where alert_id = ? order by id", [alert_id])

    def backlog(self, target: str) -> tuple[int, str | None, int]:
        """A target's deliveries still waiting (and the earliest next attempt) and those given up on."""
        row = select_rows(
            self.db,
            "select coalesce(sum(status = 'pending'), 0) as waiting, coalesce(sum(status = 'failed'), 0) as failed,"
            " min(case when status = 'pending' then next_attempt end) as next_attempt"
            " from deliveries where target = ?", [target])[0]
        return row["waiting"], row["next_attempt"], row["failed"]

    def ensure_deliveries(self, target: str, label: str, due: datetime) -> int:
        """Give every pending alert a delivery row for `target` (due at `due`); returns how many were added."""
        with self.db.atomic():
            cursor = self.db.execute(
                "insert into deliveries (alert_id, target, label, status, attempts, next_attempt)"
                " select a.id, ?, ?, 'pending', 0, ? from alerts a where a.status = 'pending' and not exists"
                " (select 1 from deliveries d where d.alert_id = a.id and d.target = ?)",
                [target, label, iso(due), target],
            )
            return cursor.rowcount

    def claim_due(self, target: str, now: datetime) -> list[Alert]:
        """Lease the target's due pending deliveries (so no concurrent dispatcher sends them) and return them."""
        with self.db.atomic():
            rows = self.db.execute(
                "update deliveries set lease_until = ? where target = ? and status = 'pending'"
                " and next_attempt <= ? and (lease_until is null or lease_until <= ?) returning alert_id",
                [iso(now + timedelta(seconds=LEASE_SECONDS)), target, iso(now), iso(now)],
            ).fetchall()
        return self.alerts(ids=sorted(row[0] for row in rows))

    def mark_sent(self, target: str, alert_ids: Sequence[int], now: datetime) -> None:
        with self.db.atomic():
            self.db.execute(
                f"update deliveries set status = 'sent', sent = ?, attempts = attempts + 1, last_error = null,"
                f" lease_until = null where target = ? and status = 'pending' and alert_id in ({_marks(alert_ids)})",
                [iso(now), target, *alert_ids],
            )

    def mark_failed(self, target: str, alert_ids: Sequence[int], error: str, now: datetime, *,
                    max_attempts: int, backoff_seconds: float, max_backoff_seconds: float) -> None:
        """Record a failed attempt; back off, or mark failed once `max_attempts` are used up."""
        with self.db.atomic():
            rows = select_rows(
                self.db,
                f"select id, attempts from deliveries where target = ? and status = 'pending'"
                f" and alert_id in ({_marks(alert_ids)})",
                [target, *alert_ids],
            )
            for row in rows:
                attempts = row["attempts"] + 1
                status = "failed" if attempts >= max_attempts else "pending"
                due = now + backoff_delay(attempts, backoff_seconds, max_backoff_seconds)
                update_row(self.db, "deliveries", row["id"], {
                    "status": status, "attempts": attempts, "last_error": error, "next_attempt": iso(due),
                    "lease_until": None,
                })

    def refresh_status(self, alert_ids: Iterable[int], targets: Sequence[str]) -> None:
        """Recompute each alert's status from its deliveries to the configured `targets`."""
        with self.db.atomic():
            for alert_id in alert_ids:
                update_row(self.db, "alerts", alert_id, self._status_from_deliveries(alert_id, targets))

    def make_due(self, now: datetime) -> int:
        """`alerts retry`: failed and backed-off deliveries become due now (failed ones get one more attempt)."""
        with self.db.atomic():
            cursor = self.db.execute(
                "update deliveries set status = 'pending', next_attempt = ?, lease_until = null"
                " where status in ('pending', 'failed') and (next_attempt > ? or status = 'failed')",
                [iso(now), iso(now)],
            )
            self.db.execute(
                "update alerts set status = 'pending' where status = 'failed'"
                " and exists (select 1 from deliveries d where d.alert_id = alerts.id and d.status = 'pending')"
            )
            return cursor.rowcount

    def _status_from_deliveries(self, alert_id: int, targets: Sequence[str]) -> dict:
        rows = select_rows(
            self.db,
            f"select status, attempts, last_error, sent from deliveries where alert_id = ?"
            f" and target in ({_marks(targets)}) order by id",
            [alert_id, *targets],
        )
        attempts = max((row["attempts"] for row in rows), default=0)
        errors = [row["last_error"] for row in rows if row["last_error"] and row["status"] != "sent"]
        state = {"attempts": attempts, "last_error": errors[-1] if errors else None}
        if any(row["status"] == "failed" for row in rows):
            return state | {"status": "failed"}
        if rows and len(rows) == len(targets) and all(row["status"] == "sent" for row in rows):
            return state | {"status": "sent", "sent": max(row["sent"] for row in rows)}
        return state | {"status": "pending"}


def _marks(values: Sequence) -> str:
    return ", ".join("?" * len(values))
