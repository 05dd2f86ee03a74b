"""`wxwatch sources`: the configured sources with their last crawl result."""

from __future__ import annotations

import json

import click

from wxwatch.commands.context import command_config, no_database_yet
from wxwatch.output import print_json, print_table
from wxwatch.secrets import mask_url
from wxwatch.storage.db import open_database
from wxwatch.storage.runs import RunLog
from wxwatch.timefmt import local_time

COLUMNS = ("name", "kind", "trust", "category", "url", "last_run", "last_status", "new", "errors", "skipped",
           "last_error", "warning")


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array.")
@click.pass_context
def sources(ctx: click.Context, as_json: bool) -> None:
    """List configured sources and how their last crawl went (before the first crawl: the sources only).

    `skipped` counts the listing links not followed in the last crawl; `--json` adds `skipped_reasons`
    (not an article path, not a headline, other site, article_url_pattern, exclude_url_pattern).

    Example:

        wxwatch sources --json
    """
    config = command_config(ctx)
    runs = RunLog(open_database(config.storage.path)) if config.storage.path.exists() else None
    if runs is None:
        click.echo(no_database_yet(config.storage.path), err=True)
    rows = []
    for source in config.sources:
        last = (runs.last_result(source.name) if runs else None) or {}
        rows.append({
            "name": source.name, "kind": source.kind, "trust": source.trust, "category": source.category,
            "url": mask_url(source.url), "last_run": last.get("started"), "last_status": last.get("status"),
            "new": last.get("articles_new"), "errors": last.get("errors"), "last_error": last.get("error"),
            "warning": last.get("warning"), "skipped": last.get("links_skipped"),
            "skipped_reasons": json.loads(last["skipped_reasons"]) if last.get("skipped_reasons") else {},
        })
    if as_json:
        print_json(rows)
    else:
        shown = ({**row, "last_run": local_time(row["last_run"], config.schedule.timezone)} for row in rows)
        print_table("sources", COLUMNS, ([row[c] for c in COLUMNS] for row in shown))
