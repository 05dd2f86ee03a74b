"""`wxwatch run`: the daemon that crawls on the [schedule] (run it as a systemd service)."""

from __future__ import annotations

import click

from wxwatch.commands.context import DomainError, SettingsError, command_catalog, command_config
from wxwatch.config import Config, ConfigError
from wxwatch.scheduler.daemon import Daemon
from wxwatch.scheduler.plan import check_schedules
from wxwatch.storage.db import StorageError, open_database
from wxwatch.storage.lock import LockHeld


class StartupError(click.ClickException):
    """The daemon cannot start: its database is unusable. Exit 2, which the unit's RestartPreventExitStatus keeps
    systemd from restarting every RestartSec (a restart cannot fix a path or a permission)."""

    exit_code = 2


def check_storage(config: Config) -> None:
    """Open (create, migrate) the database before anything is scheduled."""
    try:
        open_database(config.storage.path).close()
    except StorageError as exc:
        raise StartupError(str(exc)) from None


@click.command()
@click.pass_context
def run(ctx: click.Context) -> None:
    """Crawl on the [schedule] until stopped by SIGTERM or Ctrl-C (exit 0).

    Each crawl is a `wxwatch crawl` subprocess holding the crawl lock, so a
    manual crawl waits for it (or fails at once without --wait). A run missed
    while the daemon was down is caught up once at start. Under systemd it
    reports READY/WATCHDOG/STATUS (see deploy/wxwatch.service). Use -v to log
    each run.

    Example:

        wxwatch -v --config /etc/wxwatch/settings.toml run
    """
    config = command_config(ctx)
    command_catalog(ctx)
    try:
        check_schedules(config)
    except ConfigError as exc:
        raise SettingsError(str(exc)) from None
    check_storage(config)
    root = ctx.find_root().params
    verbosity = -1 if root.get("quiet") else root.get("verbose", 0)
    try:
        Daemon(config, verbosity=verbosity).run()
    except LockHeld as exc:
        raise DomainError(str(exc)) from None
