"""`wxwatch alerts` (list, retry) and `wxwatch notify-test`: the alert outbox and its delivery targets."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import click

from wxwatch.commands.context import DomainError, SettingsError, command_config, existing_database
from wxwatch.config import Config
from wxwatch.events.model import event_columns
from wxwatch.notify.dispatch import dispatch_pending, send_test
from wxwatch.notify.render import describe
from wxwatch.notify.targets import TargetError, load_targets
from wxwatch.output import print_csv, print_json, print_table
from wxwatch.secrets import mask_secrets
from wxwatch.storage.db import open_database
from wxwatch.storage.outbox import DELIVERY_STATE, Alert, Outbox
from wxwatch.timefmt import local_time

JSON_FIELDS = ("id", *(column.name for column in event_columns() if not column.as_json),
               *(name for name, _, _ in DELIVERY_STATE))  # every event field (events.model), then delivery state
CSV_FIELDS = (*JSON_FIELDS, "description")
TABLE_COLUMNS = ("id", "kind", "metric", "what", "status", "attempts", "created", "last_error")
DELIVERY_FIELDS = ("label", "status", "attempts", "last_error", "next_attempt", "sent")


@click.group(invoke_without_command=True)
@click.option("--pending", "pending_only", is_flag=True, help="Only alerts not yet delivered everywhere.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array (one object per alert).")
@click.option("--csv", "as_csv", is_flag=True, help="Print CSV (one row per alert) for spreadsheets.")
@click.pass_context
def alerts(ctx: click.Context, pending_only: bool, as_json: bool, as_csv: bool) -> None:
    """List alerts (new, changed, conflict, health) with their delivery status.

    An alert is pending until every notification target accepted it, failed
    once a target refused it [notify] max_attempts times, else sent.

    Examples:

        wxwatch alerts --pending

        wxwatch alerts --json

        wxwatch alerts --csv > alerts.csv

        wxwatch alerts retry
    """
    if ctx.invoked_subcommand is not None:
        return
    outbox = Outbox(existing_database(ctx, as_json=as_json or as_csv))
    rows = outbox.alerts(status="pending" if pending_only else None)
    if as_json:
        print_json([alert_document(outbox, alert, describe(alert)) for alert in rows])
        return
    if as_csv:
        documents = (alert_document(outbox, alert, describe(alert)) for alert in rows)
        print_csv(CSV_FIELDS, ([document[name] for name in CSV_FIELDS] for document in documents))
        return
    tz = command_config(ctx).schedule.timezone
    print_table("alerts", TABLE_COLUMNS, (_table_row(alert, describe(alert), tz) for alert in rows))


@alerts.command()
@click.pass_context
def retry(ctx: click.Context) -> None:
    """Retry failed and backed-off deliveries now, then send everything pending.

    Exit status 1 when some target still refused its messages.

    Example:

        wxwatch alerts retry
    """
    _dispatch(ctx, make_due=True)


@alerts.command()
@click.pass_context
def send(ctx: click.Context) -> None:
    """Send the deliveries that are due (daily digests after [notify] daily_at, retries past their backoff).

    A crawl does this at its end; the daemon also runs it daily at [notify] daily_at.
    Exit status 1 when some target refused its messages.

    Example:

        wxwatch alerts send
    """
    _dispatch(ctx, make_due=False)


def _dispatch(ctx: click.Context, *, make_due: bool) -> None:
    config = command_config(ctx)
    db = open_database(config.storage.path)
    _require_targets(config)
    now = datetime.now(UTC)
    if make_due:
        Outbox(db).make_due(now)
    try:
        report = dispatch_pending(db, config.notify, now=now)
    except TargetError as exc:
        raise SettingsError(str(exc)) from None
    for target in report.targets:
        click.echo(_report_line(target.label, (target.alerts_sent, target.messages_sent), target.error,
                                "; " + target.backlog(config.notify.timezone)))
    failed = [target.label for target in report.targets if target.error]
    if failed:
        raise DomainError(mask_secrets(f"delivery failed for {len(failed)} target(s): {', '.join(failed)}"))


@click.command("notify-test")
@click.pass_context
def notify_test(ctx: click.Context) -> None:
    """Send a test message to every notification target and say which accepted it.

    Exit status 1 when any target failed.

    Example:

        wxwatch notify-test
    """
    config = command_config(ctx)
    _require_targets(config)
    try:
        results = send_test(config.notify)
    except TargetError as exc:
        raise SettingsError(str(exc)) from None
    for target, outcome in results:
        click.echo(_report_line(target.label, None, outcome.error if not outcome.ok else None))
    failed = sum(not outcome.ok for _, outcome in results)
    if failed:
        raise DomainError(f"{failed} of {len(results)} notification target(s) failed")


def alert_document(outbox: Outbox, alert: Alert, description: str) -> dict:
    """An alert for `--json`: its fields, what happened in words, and each target's delivery (secrets masked)."""
    document = {name: getattr(alert, name) for name in JSON_FIELDS}
    document["last_error"] = mask_secrets(alert.last_error) if alert.last_error else None
    document["description"] = description
    document["corroborating_sources"] = json.loads(alert.corroborating or "[]")
    document["deliveries"] = [
        {name: mask_secrets(row[name]) if isinstance(row[name], str) else row[name] for name in DELIVERY_FIELDS}
        for row in outbox.deliveries(alert.id)
    ]
    return document


def _table_row(alert: Alert, description: str, tz: str) -> list:
    error = mask_secrets(alert.last_error) if alert.last_error else ""
    return [alert.id, alert.kind, alert.metric or alert.metric_key, description, alert.status, alert.attempts,
            local_time(alert.created, tz), error]


def _require_targets(config: Config) -> None:
    try:
        targets = load_targets(config.notify)
    except TargetError as exc:
        raise SettingsError(str(exc)) from None
    if not targets:
        raise DomainError("no notification targets: set [notify] urls (or [notify] config) in the settings file")


def _report_line(label: str, counts: tuple[int, int] | None, error: str | None, backlog: str = "") -> str:
    """`ok      TARGET[: N alert(s) in M message(s); W waiting (next attempt …), F failed]` or
    `FAILED  TARGET: reason; …`, secrets masked."""
    if error:
        return mask_secrets(f"FAILED  {label}: {error}{backlog}")
    detail = f": {counts[0]} alert(s) in {counts[1]} message(s){backlog}" if counts else ""
    return mask_secrets(f"ok      {label}{detail}")

