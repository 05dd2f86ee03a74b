"""`wxwatch articles`: list stored articles with their status from the last crawl."""

from __future__ import annotations

import itertools

import click

from wxwatch.commands.context import command_config, existing_database
from wxwatch.output import print_json, print_table
from wxwatch.storage.articles import STATUSES, ArticleStore
from wxwatch.timefmt import local_time

JSON_FIELDS = ("id", "url", "title", "published", "source", "category", "status", "duplicate_of",
               "first_seen", "last_seen", "updated_at", "via")


@click.command()
@click.option("--new", "new_only", is_flag=True, help="Only articles new in the last crawl.")
@click.option("--status", type=click.Choice(STATUSES), multiple=True, help="Only these statuses.")
@click.option("--source", help="Only this source.")
@click.option("--limit", type=click.IntRange(min=0), default=0, help="At most this many (0: all).")
@click.option("--text", "with_text", is_flag=True, help="Include the main text (JSON only).")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array.")
@click.pass_context
def articles(ctx: click.Context, new_only: bool, status: tuple[str, ...], source: str | None, limit: int,
             with_text: bool, as_json: bool) -> None:
    """List stored articles, newest first.

    Examples:

        wxwatch articles --new

        wxwatch articles --source 36kr --json
    """
    tz = command_config(ctx).schedule.timezone
    statuses = ("new",) if new_only else status
    rows = ArticleStore(existing_database(ctx, as_json=as_json)).rows(statuses=statuses, source=source)
    rows = itertools.islice(rows, limit or None)
    fields = JSON_FIELDS + (("text",) if with_text else ())
    if as_json:
        print_json([{k: row[k] for k in fields} for row in rows])
        return
    columns = ("id", "status", "dup_of", "source", "published", "title")
    print_table(None, columns, ([r["id"], r["status"], r["duplicate_of"], r["source"],
                                 local_time(r["published"], tz), r["title"]] for r in rows))
