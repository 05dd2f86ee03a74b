"""The `wxwatch` command group: global options, logging set-up and command registration."""

from __future__ import annotations

import importlib
import sqlite3

import click

from wxwatch import __version__
from wxwatch.commands.context import DomainError, storage_failure
from wxwatch.logs import configure_logging
from wxwatch.storage.db import StorageError

# name -> "module:attribute"; a command's module (and Scrapy, apprise, ...) is imported only when it runs,
# so `wxwatch run` (the daemon) and `wxwatch extract` stay light.
COMMANDS = {
    "crawl": "wxwatch.commands.crawl:crawl",
    "sources": "wxwatch.commands.sources:sources",
    "articles": "wxwatch.commands.articles:articles",
    "metrics": "wxwatch.commands.metrics:metrics",
    "alerts": "wxwatch.commands.alerts:alerts",
    "notify-test": "wxwatch.commands.alerts:notify_test",
    "extract": "wxwatch.commands.extract:extract",
    "run": "wxwatch.commands.run:run",
    "status": "wxwatch.commands.status:status",
    "demo": "wxwatch.commands.demo:demo",
    "report": "wxwatch.commands.report:report",
    "browse": "wxwatch.commands.browse:browse",
    "backfill": "wxwatch.commands.backfill:backfill",
}


class LazyGroup(click.Group):
    """A click group that imports each command's module on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module, attribute = target.split(":")
        return getattr(importlib.import_module(module), attribute)

    def invoke(self, ctx: click.Context) -> object:
        """Run the command; a database or path that cannot be used ends it with one line, not a traceback."""
        try:
            return super().invoke(ctx)
        except (StorageError, sqlite3.Error) as exc:
            raise storage_failure(ctx, exc) from None
        except OSError as exc:
            if exc.filename is None:
                raise
            raise DomainError(f"{exc.filename}: {exc.strerror}") from None


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
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

