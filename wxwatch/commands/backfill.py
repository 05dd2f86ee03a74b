"""`wxwatch backfill URL|FILE...`: load documents' figures into metric history without alerting."""

from __future__ import annotations

import click

from wxwatch.commands.context import DomainError, command_config
from wxwatch.storage.db import open_database
from wxwatch.text.document import SourceError


@click.command("backfill")
@click.option("--source", "source_name", default="backfill", show_default=True,
              help="The source the documents are stored under (a configured source lends its trust and category).")
@click.option("--allow-private", is_flag=True, help="Allow URLs on a loopback or private address.")
@click.argument("documents", nargs=-1, required=True)
@click.pass_context
def backfill(ctx: click.Context, source_name: str, allow_private: bool, documents: tuple[str, ...]) -> None:
    """Extract the figures of DOCUMENTS (files or http(s) URLs: HTML pages, PDF releases, text) into metric
    history without alerting: the first step of a new install, so that the first real alert compares
    against real history. Documents are stored as articles (files under their file:// URI).

    Example:

        wxwatch backfill --source tencent-ir 2024q3-results.pdf https://www.tencent.com/.../2024q4.html
    """
    from wxwatch.backfill import backfill as run_backfill

    config = command_config(ctx)
    try:
        report = run_backfill(open_database(config.storage.path), config, list(documents), source_name=source_name,
                              allow_private=allow_private)
    except SourceError as error:
        raise DomainError(str(error)) from None
    for url, article_id in report.documents:
        click.echo(f"article {article_id}: {url}")
    documents_read = f"{len(report.documents)} document{'' if len(report.documents) == 1 else 's'}"
    click.echo(f"{documents_read}, {report.observations} figures recorded in history; no alert")
