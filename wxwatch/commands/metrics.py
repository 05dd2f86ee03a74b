"""`wxwatch metrics`: current value per metric, and one metric's history."""

from __future__ import annotations

import json

import click

from wxwatch.commands.context import DomainError, command_config, existing_database
from wxwatch.metrics.display import shown_value as _shown_value
from wxwatch.output import print_csv, print_json, print_table
from wxwatch.storage.history import MetricHistory
from wxwatch.timefmt import local_date, local_time

CSV_COLUMNS = ("metric", "metric_key", "subject", "measure", "value", "unit", "qualifier", "rate", "period",
               "published", "source_count", "sources", "first_source", "first_url", "first_seen", "last_seen")


def _json_row(row: dict) -> dict:
    return {**{k: v for k, v in row.items() if k != "sources"}, "sources": json.loads(row["sources"] or "[]")}


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
    rows = MetricHistory(existing_database(ctx, as_json=as_json)).metric_history(metric_id)
    if not rows:
        raise DomainError(f"no value recorded for metric {metric_id!r}")
    if as_json:
        print_json([_json_row(r) for r in rows])
        return
    tz = command_config(ctx).schedule.timezone
    print_table(f"history of {metric_id}", ("value", "period", "published", "confirmed", "sources", "first seen"),
                ([_shown_value(r), r["period"] or "", local_date(r["published"], tz), "yes" if r["confirmed"] else "no",
                  ", ".join(json.loads(r["sources"] or "[]")), local_time(r["first_seen"], tz)] for r in rows))
