"""The `wxwatch extract` command: print the WeChat metrics stated in one article."""

from __future__ import annotations

import json
import logging

import click
from rich.console import Console
from rich.table import Table

from metrics.document import SourceError, load_document
from metrics.extract import Observation, extract_metrics

logger = logging.getLogger(__name__)


def _print_json(observations: list[Observation]) -> None:
    for observation in observations:
        click.echo(json.dumps(observation.to_dict(), ensure_ascii=False))


def _print_table(observations: list[Observation], source: str) -> None:
    table = Table(title=f"{len(observations)} metric mentions in {source}")
    for column in ("metric", "subject", "measure", "value", "unit", "q", "rate", "period", "sentence"):
        table.add_column(column, overflow="fold")
    for o in observations:
        sentence = o.text if len(o.text) <= 60 else o.text[:57] + "..."
        table.add_row(o.metric or "-", o.subject, o.measure, f"{o.value:g}", o.unit, o.qualifier,
                      o.rate or "", o.period or "", sentence)
    Console().print(table)


@click.command("extract")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line per metric mention.")
@click.argument("source")
def extract(as_json: bool, source: str) -> None:
    """Extract WeChat metrics from SOURCE: a file (HTML, text or a post with front matter),
    an http(s) URL, or '-' for standard input.

    Example:

        wxwatch extract --json article.html

    JSON keys: metric, subject, measure, value, unit, qualifier, rate, period, text, start, end.
    """
    try:
        document = load_document(source)
    except SourceError as error:
        click.echo(f"Error: {error}", err=True)
        raise SystemExit(2) from error
    observations = extract_metrics(document.text)
    if as_json:
        _print_json(observations)
    else:
        _print_table(observations, source)
