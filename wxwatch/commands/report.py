"""`wxwatch report`: the static HTML report (current values, a chart per metric, newest alerts) and alerts.atom."""

from __future__ import annotations

from pathlib import Path

import click

from wxwatch.canned import NoDatabase
from wxwatch.commands.context import DomainError, command_config, no_database_yet
from wxwatch.report import UnknownMetric, build_report


@click.command()
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("wxwatch-report"),
              show_default=True, help="Folder to write index.html and alerts.atom into (created if needed).")
@click.option("--metric", "metrics", multiple=True, metavar="ID",
              help="Only this metric (repeat for several); default: every metric with a value.")
@click.pass_context
def report(ctx: click.Context, out_dir: Path, metrics: tuple[str, ...]) -> None:
    """Write a self-contained HTML report and an Atom feed of the alerts.

    index.html has the current value of every metric, a timeline chart per
    metric (one point per report, by period; conflicts and corrections
    marked; hover for the outlet, click for the article) and the newest
    alerts. It needs no network: open it from disk or send it as a file.
    alerts.atom is the alerts for a feed reader. The database is only read.

    Examples:

        wxwatch report --out /tmp/report

        wxwatch report --metric miniprogram.dau --metric search.mau
    """
    db_path = Path(command_config(ctx).storage.path)
    if not db_path.is_file():
        raise DomainError(no_database_yet(db_path))
    try:
        files = build_report(db_path, out_dir, metrics)
    except (NoDatabase, UnknownMetric) as exc:
        raise DomainError(str(exc)) from None
    click.echo(f"{files.html}  ({files.metrics} metrics)")
    click.echo(f"{files.feed}  ({files.alerts} alerts)")
