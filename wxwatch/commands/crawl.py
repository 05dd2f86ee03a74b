"""`wxwatch crawl`: one pass over the sources, with live progress and a per-source summary."""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import click
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from wxwatch.commands.context import DomainError, SettingsError, command_catalog, command_config
from wxwatch.config import Config, ConfigError
from wxwatch.crawler.runner import ProgressCallback
from wxwatch.crawljob import CrawlJobReport, run_crawl_job
from wxwatch.events.model import EVENT_KINDS
from wxwatch.notify.targets import TargetError, load_targets
from wxwatch.output import console, err_console, print_json, print_table
from wxwatch.storage.lock import LockHeld

logger = logging.getLogger(__name__)

SUMMARY_COLUMNS = ("source", "status", "pages", "new", "updated", "unchanged", "reprints", "errors", "error",
                   "warning")


PROGRESS_REFRESH_SECONDS = 0.25  # the display is redrawn at most this often (events only bump counters)


@contextmanager
def crawl_progress(enabled: bool) -> Iterator[ProgressCallback | None]:
    """A live line per source (pages fetched, items stored) on stderr while the crawl runs.

    The callback runs for every page and item, so it only counts; the lines are redrawn from the counts at most
    every PROGRESS_REFRESH_SECONDS, by the callback itself (no refresh thread: the page workers are forked then).
    """
    if not enabled:
        yield None
        return
    columns = (SpinnerColumn(), TextColumn("{task.description}"), TextColumn("{task.fields[pages]} pages"),
               TextColumn("{task.fields[items]} items"), TimeElapsedColumn())
    with Progress(*columns, console=err_console, transient=True, auto_refresh=False) as progress:
        counts: dict[str, Counter] = {}
        last_refresh = [0.0]

        def update(source: str, event: str) -> None:
            counts.setdefault(source, Counter())[event] += 1
            now = time.monotonic()
            if now - last_refresh[0] >= PROGRESS_REFRESH_SECONDS:
                last_refresh[0] = now
                redraw(progress, counts)

        yield update


def redraw(progress: Progress, counts: dict[str, Counter]) -> None:
    """Copy the counts into the progress lines (one per source, added when first seen) and redraw."""
    tasks = {task.description: task.id for task in progress.tasks}
    for source, count in counts.items():
        if source not in tasks:
            tasks[source] = progress.add_task(source, total=None, pages=0, items=0)
        progress.update(tasks[source], pages=count["page"], items=count["item"])
    progress.refresh()


def summary_rows(report: CrawlJobReport) -> list[list]:
    return [
        [r.source, r.status, r.pages_fetched, r.articles_new, r.articles_updated, r.articles_unchanged,
         r.duplicates, r.errors, r.error or "", r.warning or ""]
        for r in report.results
    ]


def alerting_summary(report: CrawlJobReport) -> dict:
    """What happened after the crawl: extraction, events queued (or baseline), deliveries."""
    events = report.analysis.events + report.health
    kinds = {kind: sum(1 for e in events if e.kind == kind) for kind in EVENT_KINDS}
    targets = report.dispatch.targets if report.dispatch else []
    return {
        "articles_analysed": report.analysis.articles,
        "figures": report.analysis.observations,
        "baseline": report.analysis.baseline,
        "events": kinds,
        "alerts_sent": report.dispatch.alerts_sent if report.dispatch else 0,
        "deliveries_sent": report.dispatch.deliveries_sent if report.dispatch else 0,
        "targets": [{"label": t.label, "sent": t.alerts_sent, "waiting": t.waiting, "next_attempt": t.next_attempt,
                     "failed": t.failed, "error": t.error} for t in targets],
        "delivery_errors": [t.error for t in targets if t.error],
    }


def alerting_line(summary: dict, target_lines: Sequence[str] = ()) -> str:
    """E.g. `3 articles analysed, 5 figures; 1 changed; 1 alert sent; json://…: 1 sent, 0 waiting, 0 failed`."""
    events = ", ".join(f"{count} {kind}" for kind, count in summary["events"].items() if count) or "no event"
    queued = "baseline recorded, nothing alerted" if summary["baseline"] else f"{events}"
    sent = summary["alerts_sent"]
    deliveries = "; ".join([f"{sent} alert{'s' if sent != 1 else ''} sent", *target_lines])
    return f"{summary['articles_analysed']} articles analysed, {summary['figures']} figures; {queued}; {deliveries}"


def run_and_report(config: Config, sources: tuple[str, ...], as_json: bool, **job_options) -> CrawlJobReport:
    """Run the crawl job, print the summary (table or JSON) and return the report."""
    started = time.monotonic()
    try:
        with crawl_progress(enabled=not as_json and err_console.is_terminal) as progress:
            report = run_crawl_job(config, sources, progress=progress, **job_options)
    except ConfigError as exc:
        raise SettingsError(str(exc)) from None
    except LockHeld as exc:
        raise DomainError(str(exc)) from None
    elapsed = time.monotonic() - started
    if as_json:
        print_json({"run_id": report.run_id, "seconds": round(elapsed, 3),
                    "sources": [dict(zip(SUMMARY_COLUMNS, row, strict=True)) for row in summary_rows(report)],
                    "alerting": alerting_summary(report)})
    else:
        print_table(f"crawl run {report.run_id} ({elapsed:.1f} s)", SUMMARY_COLUMNS, summary_rows(report))
        targets = report.dispatch.targets if report.dispatch else []
        console.print(alerting_line(alerting_summary(report), [t.summary(config.notify.timezone) for t in targets]))
    return report


@click.command()
@click.argument("sources", nargs=-1)
@click.option("--refresh", is_flag=True, help="Re-fetch articles already stored (detects updated text).")
@click.option("--alert-baseline", is_flag=True,
              help="Alert even on the first crawl of an empty database (normally a silent baseline).")
@click.option("--trigger", type=click.Choice(["manual", "scheduled", "catchup"]), default="manual", hidden=True,
              help="Who started this crawl (recorded with the run; the daemon passes 'scheduled').")
@click.option("--wait", "lock_wait", type=click.FloatRange(min=0), default=0, metavar="SECONDS", show_default=True,
              help="When another crawl (or the daemon's) holds the lock, wait this long for it before giving up.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.pass_context
def crawl(ctx: click.Context, sources: tuple[str, ...], refresh: bool, alert_baseline: bool, trigger: str,
          lock_wait: float, as_json: bool) -> None:
    """Crawl all (or the named) sources once and store new articles.

    Exit status: 0 when every source was crawled, 1 when some source failed
    (the articles of the others are stored all the same), or when another
    crawl holds the database's crawl lock (see --wait).

    Examples:

        wxwatch crawl

        wxwatch --config /etc/wxwatch/settings.toml crawl zqsb 36kr --refresh
    """
    config = command_config(ctx)
    command_catalog(ctx)
    try:
        load_targets(config.notify)
    except TargetError as exc:
        raise SettingsError(str(exc)) from None
    unknown = [name for name in sources if name not in {s.name for s in config.sources}]
    if unknown:
        raise click.BadParameter(f"no source named {unknown[0]!r}", param_hint="SOURCES")
    report = run_and_report(config, sources, as_json, refresh=refresh, alert_baseline=alert_baseline,
                            trigger=trigger, lock_wait=lock_wait,
                            log_level=ctx.find_root().obj.get("scrapy_log_level", "WARNING"))
    if not report.ok:
        failed = ", ".join(r.source for r in report.results if r.status != "ok")
        raise DomainError(f"some sources failed: {failed}")
