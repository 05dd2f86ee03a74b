"""What every command shares: the settings loaded once from --config, and exit-code conventions."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import click

from wxwatch.config import Config, ConfigError, load_config, resolve_config_path
from wxwatch.storage.db import StorageError, describe_storage_error


class SettingsError(click.ClickException):
    """An unusable settings file: `Error: KEY: problem`, exit 2."""

    exit_code = 2


class DomainError(click.ClickException):
    """A problem with the user's data or the world (not their command line): exit 1."""

    exit_code = 1


def command_config(ctx: click.Context) -> Config:
    """The Config for this invocation, parsed once and cached on the context."""
    root = ctx.find_root()
    root.ensure_object(dict)
    if "config" not in root.obj:
        path = resolve_config_path(root.obj.get("config_path"))
        try:
            root.obj["config"] = load_config(path)
        except ConfigError as exc:
            raise SettingsError(str(exc)) from None
    return root.obj["config"]


def storage_failure(ctx: click.Context, exc: StorageError | sqlite3.Error) -> DomainError:
    """A database problem as the one-line `Error: PATH: problem` (exit 1) instead of a traceback."""
    if isinstance(exc, StorageError):
        return DomainError(str(exc))
    config = ctx.find_root().ensure_object(dict).get("config")
    path = config.storage.path if config is not None else Path("database")
    return DomainError(describe_storage_error(path, exc))
