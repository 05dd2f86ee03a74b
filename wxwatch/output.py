"""Terminal output for commands: rich tables on stderr-safe consoles, JSON documents and CSV on stdout."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from typing import Any

import click
from rich.console import Console
from rich.table import Table

from wxwatch.secrets import mask_secrets

console = Console(soft_wrap=False)
if not console.is_terminal:
    console = Console(soft_wrap=False, width=160)
err_console = Console(stderr=True)


def print_json(data: Any) -> None:
    """A JSON document on stdout, UTF-8 kept readable (no \\u escapes)."""
    click.echo(mask_secrets(json.dumps(data, ensure_ascii=False, indent=2, default=str)))


def print_table(title: str | None, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    table = Table(title=title, show_lines=False, header_style="bold")
    for column in columns:
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(*("" if cell is None else mask_secrets(str(cell)) for cell in row))
    console.print(table)


def print_csv(columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """A CSV table on stdout (header row first, UTF-8, secrets masked) for spreadsheets."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(["" if cell is None else cell for cell in row] for row in rows)
    click.echo(mask_secrets(buffer.getvalue()), nl=False)
