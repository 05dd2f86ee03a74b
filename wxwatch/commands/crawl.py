"""`wxwatch crawl`: one pass over the sources, with live progress and a per-source summary."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager

import click
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from crawler.runner import CrawlReport, ProgressCallback
from wxwatch.commands.context import DomainError, SettingsError, command_config
from wxwatch.config import Config, ConfigError
from wxwatch.crawljob import run_crawl_job
from wxwatch.output import err_console, print_json, print_table

logger = logging.getLogger(__name__)

SUMMARY_COLUMNS = ("source", "status", "pages", "new", "updated", "unchanged", "reprints", "errors", "error")


@contextmanager
def crawl_progress(enabled: bool) -> Iterator[ProgressCallback | None]:
    """A live line per source (pages fetched, items stored) on stderr while the crawl runs."""
    if not enabled:
        yield None
        return
    columns = (SpinnerColumn(), TextColumn("{task.description}"), TextColumn("{task.fields[pages]} pages"),
               TextColumn("{task.fields[items]} items"), TimeElapsedColumn())
    with Progress(*columns, console=err_console, transient=True) as progress:
        tasks: dict[str, int] = {}

        def update(source: str, event: str) -> None:
            if source not in tasks:
                tasks[source] = progress.add_task(source, total=None, pages=0, items=0)
            field = "pages" if event == "page" else "items"
            task = progress.tasks[tasks[source]]
            progress.update(tasks[source], **{field: task.fields[field] + 1})

        yield update


def summary_rows(report: CrawlReport) -> list[list]:
    return [
        [r.source, r.status, r.pages_fetched, r.articles_new, r.articles_updated, r.articles_unchanged,
         r.duplicates, r.errors, r.error or ""]
        for r in report.results
    ]


def run_and_report(config: Config, sources: tuple[str, ...], refresh: bool, as_json: bool,
                   log_level: str = "WARNING") -> CrawlReport:
    """Run the crawl, print the summary (table or JSON) and return the report."""
    started = time.monotonic()
    try:
        with crawl_progress(enabled=not as_json and err_console.is_terminal) as progress:
            report = run_crawl_job(config, sources, refresh=refresh, log_level=log_level, progress=progress)
    except ConfigError as exc:
        raise SettingsError(str(exc)) from None
    elapsed = time.monotonic() - started
    if as_json:
        print_json({"run_id": report.run_id, "seconds": round(elapsed, 3),
                    "sources": [dict(zip(SUMMARY_COLUMNS, row, strict=True)) for row in summary_rows(report)]})
    else:
        print_table(f"crawl run {report.run_id} ({elapsed:.1f} s)", SUMMARY_COLUMNS, summary_rows(report))
    return report


@click.command()
@click.argument("sources", nargs=-1)
@click.option("--refresh", is_flag=True, help="Re-fetch articles already stored (detects updated text).")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.pass_context
def crawl(ctx: click.Context, sources: tuple[str, ...], refresh: bool, as_json: bool) -> None:
    """Crawl all (or the named) sources once and store new articles.

    Exit status: 0 when every source was crawled, 1 when some source failed
    (the articles of the others are stored all the same).

    Examples:

        wxwatch crawl

        wxwatch --config /etc/wxwatch/settings.toml crawl zqsb 36kr --refresh
    """
    config = command_config(ctx)
    unknown = [name for name in sources if name not in {s.name for s in config.sources}]
    if unknown:
        raise click.BadParameter(f"no source named {unknown[0]!r}", param_hint="SOURCES")
    report = run_and_report(config, sources, refresh, as_json, ctx.find_root().obj.get("scrapy_log_level", "WARNING"))
    if not report.ok:
        failed = ", ".join(r.source for r in report.results if r.status != "ok")
        raise DomainError(f"some sources failed: {failed}")
