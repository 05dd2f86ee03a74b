"""`wxwatch metrics`: current value per metric, and one metric's history."""

from __future__ import annotations

import json

import click

from wxwatch.commands.context import DomainError, command_catalog, command_config, existing_database
from wxwatch.config import Config
from wxwatch.metrics.display import format_value
from wxwatch.metrics.display import shown_value as _shown_value
from wxwatch.output import print_csv, print_json, print_table
from wxwatch.storage.db import open_database
from wxwatch.storage.history import MetricHistory
from wxwatch.timefmt import local_date, local_time

CSV_COLUMNS = ("metric", "metric_key", "subject", "measure", "value", "unit", "qualifier", "rate", "period",
               "published", "source_count", "sources", "first_source", "first_url", "first_seen", "last_seen")


def _json_row(row: dict, observation_ids: dict[int, list[int]] | None = None) -> dict:
    shown = {**{k: v for k, v in row.items() if k != "sources"}, "sources": json.loads(row["sources"] or "[]")}
    if observation_ids is not None:
        shown["observations"] = observation_ids.get(row["id"], [])
    return shown


def _csv_row(row: dict) -> dict:
    return {**row, "sources": "; ".join(json.loads(row["sources"] or "[]"))}


@click.group(invoke_without_command=True)
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array.")
@click.option("--csv", "as_csv", is_flag=True, help="Print CSV (raw numbers, sources joined by ';') for spreadsheets.")
@click.option("--all", "include_uncatalogued", is_flag=True, help="Include figures not in the catalog.")
@click.pass_context
def metrics(ctx: click.Context, as_json: bool, as_csv: bool, include_uncatalogued: bool) -> None:
    """Current value of every metric seen, with its period and how many sources reported it.

    Examples:

        wxwatch metrics

        wxwatch metrics --csv > metrics.csv

        wxwatch metrics history miniprogram.dau --json
    """
    if ctx.invoked_subcommand:
        return
    rows = MetricHistory(existing_database(ctx, as_json=as_json or as_csv)).current_values()
    rows = [r for r in rows if include_uncatalogued or r["metric"]]
    if as_json:
        print_json([_json_row(r) for r in rows])
        return
    if as_csv:
        print_csv(CSV_COLUMNS, ([_csv_row(r).get(column) for column in CSV_COLUMNS] for r in rows))
        return
    print_table("current metric values", ("metric", "subject", "measure", "value", "period", "sources", "first"),
                ([r["metric"] or r["metric_key"], r["subject"], r["measure"], _shown_value(r), r["period"] or "",
                  r["source_count"], r["first_source"]] for r in rows))


@metrics.command()
@click.argument("metric_id")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array.")
@click.pass_context
def history(ctx: click.Context, metric_id: str, as_json: bool) -> None:
    """Every value METRIC_ID has been reported with, oldest period first.

    Example:

        wxwatch metrics history search.mau
    """
    history_store = MetricHistory(existing_database(ctx, as_json=as_json))
    rows = history_store.metric_history(metric_id)
    if not rows:
        raise DomainError(f"no value recorded for metric {metric_id!r}")
    observation_ids = history_store.observation_ids(metric_id)
    if as_json:
        print_json([_json_row(r, observation_ids) for r in rows])
        return
    tz = command_config(ctx).schedule.timezone
    print_table(f"history of {metric_id}",
                ("value", "period", "published", "confirmed", "official", "sources", "first seen", "observations"),
                ([_shown_value(r), r["period"] or "", local_date(r["published"], tz), "yes" if r["confirmed"] else "no",
                  "yes" if r["official"] else "",
                  ", ".join(json.loads(r["sources"] or "[]")), local_time(r["first_seen"], tz),
                  " ".join(map(str, observation_ids.get(r["id"], []))) or "-"] for r in rows))


@metrics.command()
@click.argument("observation_id", type=int)
@click.option("--reason", help="Why the figure is wrong (kept in the audit table).")
@click.pass_context
def dismiss(ctx: click.Context, observation_id: int, reason: str | None) -> None:
    """Dismiss a wrongly extracted figure: it leaves the metric's values and history (no alert), is kept in
    the audit table with who and when, and is never read from that article again.

    Example:

        wxwatch metrics dismiss 42 --reason "the 2023 figure, quoted for comparison"
    """
    from wxwatch.curation import CurationError, dismiss_observation

    config = command_config(ctx)
    try:
        observation = dismiss_observation(existing_database(ctx, as_json=True), config, observation_id, reason)
    except CurationError as error:
        raise DomainError(str(error)) from None
    shown = format_value(observation["value"], command_catalog(ctx).value_kind(
        observation["metric"], observation["unit"] or "", observation["measure"] or ""))
    click.echo(f"dismissed observation {observation_id}: {observation['metric_key']} {shown}"
               f" ({observation['period'] or 'no period'}) from {observation['article_url']}")


@metrics.command()
@click.argument("metric_id")
@click.argument("value")
@click.option("--period", required=True,
              help="The figure's period: 2024Q3, 2024H1, 2024, 2024-11 or 2024-02-09.")
@click.option("--source", "source_url", required=True,
              help="Where it comes from (URL of a release, a meeting note...).")
@click.option("--note", help="A note kept with the figure and in the audit table.")
@click.option("--silent", is_flag=True, help="Record it without alerting.")
@click.pass_context
def add(ctx: click.Context, metric_id: str, value: str, period: str, source_url: str, note: str | None,
        silent: bool) -> None:
    """Enter a figure by hand (a meeting, a PDF, a paywalled article): it joins the history as a manual
    observation with its provenance and alerts like any other figure unless --silent.

    Example:

        wxwatch metrics add wechat.mau 14.02亿 --period 2024Q3 --source https://www.tencent.com/... --note call
    """
    from wxwatch.curation import CurationError, ManualFigure, add_manual_figure

    config = command_config(ctx)
    figure = ManualFigure(metric_id, value, period, source_url, note)
    try:
        observation_id, event = add_manual_figure(open_database(config.storage.path), config, figure, silent=silent)
    except CurationError as error:
        raise DomainError(str(error)) from None
    outcome = "recorded silently" if silent or event is None else f"{event.kind} alert queued"
    click.echo(f"added observation {observation_id}: {metric_id} {value} ({period}); {outcome}")
    if event is not None and not silent:
        _deliver(config)


def _deliver(config: Config) -> None:
    """Send what is pending now, as a crawl does (a target that cannot be used leaves it in the outbox)."""
    from wxwatch.notify.dispatch import dispatch_pending
    from wxwatch.notify.targets import TargetError

    try:
        dispatch_pending(open_database(config.storage.path), config.notify)
    except TargetError as error:
        click.echo(f"alerts not delivered: {error}", err=True)
