"""`wxwatch demo`: the whole loop offline: two days of sample coverage crawled, figures found, a digest delivered."""

from __future__ import annotations

import json
from pathlib import Path

import click

from wxwatch.commands.context import DomainError, SettingsError
from wxwatch.commands.crawl import SUMMARY_COLUMNS, alerting_line
from wxwatch.config import Config, ConfigError, load_config
from wxwatch.metrics.display import shown_value
from wxwatch.notify.dispatch import TargetReport
from wxwatch.output import console, print_json, print_table
from wxwatch.sample.receiver import DigestReceiver
from wxwatch.sample.scenario import (
    DayResult,
    ScenarioError,
    crawl_day,
    default_database,
    publish_second_day,
    sample_site,
    start_afresh,
    write_settings,
)
from wxwatch.storage.db import open_database
from wxwatch.storage.history import MetricHistory

DEFAULT_PORT = 8765
DAY_TITLES = {1: "day 1: the 2022 coverage (first crawl: the baseline)",
              2: "day 2: a year later, 36kr and 见实 publish new articles"}


@click.command()
@click.option("--db", "db_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Database to crawl into (default: wxwatch/demo/wxwatch-demo.db in the user data folder, "
                   "e.g. ~/.local/share). Its settings are written beside it.")
@click.option("--port", type=click.IntRange(0, 65535), default=DEFAULT_PORT, show_default=True,
              help="Loopback port of the sample server (0 or taken: any free port).")
@click.option("--json", "as_json", is_flag=True, help="Print the days, figures and received messages as JSON.")
def demo(db_path: Path | None, port: int, as_json: bool) -> None:
    """Show the whole loop offline on the bundled sample (real WeChat Open Class coverage).

    Serves the sample site and a local alert receiver on 127.0.0.1, crawls
    day 1 (the 2022 coverage: a silent baseline), then day 2 (a year later,
    new articles): the changed and new figures are alerted and the digest is
    delivered to the receiver. Prints the figures, the digest as received and
    where to look next. Each run starts the demo database afresh.

    Example:

        wxwatch demo
    """
    db_path = (db_path or default_database()).absolute()
    try:
        start_afresh(db_path)
        days, received, config = run_two_days(db_path, port)
    except ScenarioError as exc:
        raise DomainError(str(exc)) from None
    figures = figure_rows(config)
    if as_json:
        print_json({"db": str(db_path), "settings": str(config.path), "days": [d.summary for d in days],
                    "seconds": round(sum(d.summary["seconds"] for d in days), 3), "figures": figures,
                    "received": received})
        return
    print_days(days, config.notify.timezone)
    print_table(f"figures found: current value of each metric ({len(figures)})",
                ("metric", "value", "period", "outlets", "first reported by"),
                ([f["metric"], f["value"], f["period"], ", ".join(f["outlets"]), f["first"]] for f in figures))
    print_received(received)
    print_next_steps(config)


def run_two_days(db_path: Path, port: int) -> tuple[list[DayResult], list[dict], Config]:
    """Crawl day 1 and day 2 of the sample with the receiver listening; the days, what it received, the settings."""
    with sample_site(port) as site, DigestReceiver().running() as receiver:
        settings = write_settings(db_path, site.base_url, receiver.url)
        try:
            config = load_config(settings)
        except ConfigError as exc:
            raise SettingsError(str(exc)) from None
        days = [crawl_day(settings, 1)]
        publish_second_day(site)
        days.append(crawl_day(settings, 2))
    return days, list(receiver.received), config


def figure_rows(config: Config) -> list[dict]:
    """The current value of every catalogued metric, with the outlets (their labels) that reported it."""
    labels = {source.name: source.category or source.name for source in config.sources}
    rows = MetricHistory(open_database(config.storage.path)).current_values()
    return [{"metric": row["metric"], "value": shown_value(row), "period": row["period"] or "",
             "outlets": [labels.get(name, name) for name in json.loads(row["sources"] or "[]")],
             "first": labels.get(row["first_source"], row["first_source"])}
            for row in rows if row["metric"]]


def print_days(days: list[DayResult], timezone: str) -> None:
    for day in days:
        sources = [dict(zip(SUMMARY_COLUMNS, row.values(), strict=False)) for row in day.summary["sources"]]
        stored = sum(row["new"] + row["updated"] for row in sources)
        failed = [row["source"] for row in sources if row["status"] != "ok"]
        console.print(f"[bold]{DAY_TITLES[day.day]}[/bold]")
        alerting = day.summary["alerting"]
        console.print(f"  {stored} articles stored; {alerting_line(alerting, target_lines(alerting, timezone))}"
                      + (f"; [yellow]failed: {', '.join(failed)}[/yellow]" if failed else ""))


def target_lines(alerting: dict, timezone: str) -> list[str]:
    """Per target: sent, waiting and failed alerts, worded by TargetReport.summary as `wxwatch crawl` does."""
    return [TargetReport(t["label"], alerts_sent=t["sent"], waiting=t["waiting"], next_attempt=t["next_attempt"],
                         failed=t["failed"]).summary(timezone) for t in alerting.get("targets", [])]


def print_received(received: list[dict]) -> None:
    console.print(f"\n[bold]the local receiver got {len(received)} message(s)[/bold] (apprise json://), as received:")
    for body in received:  # echoed, not through rich: no wrapping, byte for byte what the receiver got
        click.echo(f"title: {body.get('title', '')}")
        click.echo(body.get("message", ""))


def print_next_steps(config: Config) -> None:
    settings = config.path
    console.print("\n[bold]where to look next[/bold]", highlight=False)
    console.print(f"  wxwatch --config {settings} metrics history miniprogram.dau   # one metric's history",
                  markup=False, highlight=False)
    console.print(f"  wxwatch --config {settings} browse    # the database in Datasette (read-only), in a browser",
                  markup=False, highlight=False)
    console.print(f"  wxwatch --config {settings} report --out {settings.parent / 'report'}"
                  "   # HTML report with charts + alerts.atom", markup=False, highlight=False)
