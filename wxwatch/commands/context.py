"""What every command shares: the settings loaded once from --config, and exit-code conventions."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import click
from sqlite_utils import Database

from wxwatch.config import Config, ConfigError, load_config, parse_config, resolve_config_path
from wxwatch.metrics.catalog import Catalog, CatalogError, load_catalog
from wxwatch.storage.db import StorageError, describe_storage_error, open_database


class SettingsError(click.ClickException):
    """An unusable settings file: `Error: KEY: problem`, exit 2."""

    exit_code = 2


class DomainError(click.ClickException):
    """A problem with the user's data or the world (not their command line): exit 1."""

    exit_code = 1


def command_config(ctx: click.Context, *, optional: bool = False) -> Config:
    """The Config for this invocation, parsed once and cached on the context.

    With `optional`, a missing ./settings.toml (none named by --config or WXWATCH_CONFIG) means the defaults."""
    root = ctx.find_root()
    root.ensure_object(dict)
    if "config" not in root.obj:
        explicit = root.obj.get("config_path")
        path = resolve_config_path(explicit)
        try:
            if optional and not explicit and not path.exists():
                root.obj["config"] = parse_config({}, path, {})
            else:
                root.obj["config"] = load_config(path)
        except ConfigError as exc:
            raise SettingsError(str(exc)) from None
    return root.obj["config"]


def command_catalog(ctx: click.Context, extra: str | Path | None = None) -> Catalog:
    """The metric catalog: the packaged one merged with `extra`, else with [metrics] catalog; checked at start."""
    config = command_config(ctx, optional=True)
    try:
        return load_catalog(extra if extra is not None else config.metrics.catalog)
    except CatalogError as exc:
        raise SettingsError(str(exc)) from None


def existing_database(ctx: click.Context, *, as_json: bool) -> Database:
    """The database for a read-only command. Without one nothing is created: one line says so and the command
    ends (exit 0, or 1 with --json so that scripts notice)."""
    path = command_config(ctx).storage.path
    if not path.exists():
        click.echo(no_database_yet(path), err=True)
        ctx.exit(1 if as_json else 0)
    return open_database(path)


def no_database_yet(path: Path) -> str:
    return f"no database yet at {path}: run `wxwatch crawl` first"


def storage_failure(ctx: click.Context, exc: StorageError | sqlite3.Error) -> DomainError:
    """A database problem as the one-line `Error: PATH: problem` (exit 1) instead of a traceback."""
    if isinstance(exc, StorageError):
        return DomainError(str(exc))
    config = ctx.find_root().ensure_object(dict).get("config")
    path = config.storage.path if config is not None else Path("database")
    return DomainError(describe_storage_error(path, exc))
