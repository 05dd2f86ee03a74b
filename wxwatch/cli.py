"""The `wxwatch` command group: global options, logging set-up and command registration."""

from __future__ import annotations

import click

from wxwatch import __version__
from wxwatch.commands.alerts import alerts, notify_test
from wxwatch.commands.articles import articles
from wxwatch.commands.crawl import crawl
from wxwatch.commands.demo import demo
from wxwatch.commands.extract import extract
from wxwatch.commands.metrics import metrics
from wxwatch.commands.run import run
from wxwatch.commands.sources import sources
from wxwatch.commands.status import status
from wxwatch.logs import configure_logging


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="wxwatch")
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False),
    envvar="WXWATCH_CONFIG",
    default=None,
    help="Settings file (default: ./settings.toml; env WXWATCH_CONFIG).",
)
@click.option("-v", "--verbose", count=True, help="More log output (-vv: debug, with Scrapy's logs).")
@click.option("-q", "--quiet", is_flag=True, help="Only errors in the log.")
@click.pass_context
def cli(ctx: click.Context, config_path: str | None, verbose: int, quiet: bool) -> None:
    """Watch Chinese news coverage for new WeChat metrics.

    Example:

        wxwatch --config settings.toml crawl
    """
    verbosity = -1 if quiet else verbose
    configure_logging(verbosity)
    ctx.ensure_object(dict)
    ctx.obj["config_path"] = config_path
    ctx.obj["scrapy_log_level"] = "DEBUG" if verbosity >= 2 else "INFO" if verbosity == 1 else "WARNING"


for command in (crawl, sources, articles, metrics, alerts, notify_test, extract, run, status, demo):
    cli.add_command(command)
