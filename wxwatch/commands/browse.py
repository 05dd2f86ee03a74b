"""`wxwatch browse`: the database in the browser (Datasette), read-only, with charts of every metric's history."""

from __future__ import annotations

from pathlib import Path

import click

from wxwatch.browsing import build_datasette, listening_socket, serve
from wxwatch.canned import NoDatabase
from wxwatch.commands.context import DomainError, command_config, no_database_yet


@click.command()
@click.option("--port", type=click.IntRange(0, 65535), default=8001, show_default=True,
              help="Port to listen on (0: any free port).")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; keep the loopback default unless you mean to share the database.")
@click.pass_context
def browse(ctx: click.Context, port: int, host: str) -> None:
    """Open the database in Datasette: every table, canned queries, metric charts.

    Read-only (safe beside a running daemon). Canned queries: current_values,
    metric_history (?metric=ID), alerts_delivery, conflicts,
    articles_per_source, source_health; every table and query also as JSON
    and CSV. A metric's chart: /-/wxwatch/chart?metric=ID. Stop with Ctrl-C.

    Example:

        wxwatch browse --port 8001
    """
    db_path = Path(command_config(ctx).storage.path)
    if not db_path.is_file():
        raise DomainError(no_database_yet(db_path))
    try:
        datasette = build_datasette(db_path)
    except NoDatabase as exc:
        raise DomainError(str(exc)) from None
    try:
        sock = listening_socket(host, port)
    except OSError as exc:
        raise DomainError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    serve(datasette, sock, lambda url: click.echo(f"wxwatch browse: {url}  ({db_path}, read-only; Ctrl-C to stop)"))
