"""The `wxwatch extract` command: print the WeChat metrics stated in one article."""

from __future__ import annotations

import json
import logging

import click
from rich.table import Table

from wxwatch.commands.context import command_catalog, command_config
from wxwatch.metrics.catalog import Catalog
from wxwatch.metrics.display import format_value
from wxwatch.metrics.extract import Observation, extract_metrics
from wxwatch.metrics.pagecite import cite_pages
from wxwatch.metrics.periods import published_date
from wxwatch.output import console
from wxwatch.text.document import ReadOptions, SourceError, load_document

logger = logging.getLogger(__name__)


def _print_json(observations: list[Observation], pages: list[int | None]) -> None:
    for observation, page in zip(observations, pages, strict=True):
        shown = observation.to_dict() | ({"page": page} if page is not None else {})
        click.echo(json.dumps(shown, ensure_ascii=False))


def _print_table(observations: list[Observation], pages: list[int | None], source: str, catalog: Catalog) -> None:
    with_sentence = console.width >= 140
    with_pages = any(page is not None for page in pages)
    table = Table(title=f"{len(observations)} metric mentions in {source}")
    for column in ("metric", "subject", "measure", "value", "q", "rate", "period", *(["page"] if with_pages else [])):
        table.add_column(column, no_wrap=True, min_width=len(column))
    if with_sentence:
        table.add_column("sentence", overflow="ellipsis", no_wrap=True, max_width=60)
    for o, page in zip(observations, pages, strict=True):
        shown = format_value(o.value, catalog.value_kind(o.metric, o.unit, o.measure), o.measure)
        row = [o.metric or "-", o.subject, o.measure, shown, o.qualifier, o.rate or "", o.period or ""]
        row += [f"p. {page}" if page else ""] if with_pages else []
        table.add_row(*row, *([o.text] if with_sentence else []))
    console.print(table)


@click.command("extract")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line per metric mention.")
@click.option("--catalog", "catalog_path", type=click.Path(exists=True, dir_okay=False),
              help="An extra catalog file merged over the built-in one, instead of [metrics] catalog.")
@click.option("--allow-private", is_flag=True, help="Allow a URL on a loopback or private address.")
@click.argument("source")
@click.pass_context
def extract(ctx: click.Context, as_json: bool, catalog_path: str | None, allow_private: bool, source: str) -> None:
    """Extract WeChat metrics from SOURCE: a file (HTML page, PDF with a text layer, text or a post with front matter),
    an http(s) URL, or '-' for standard input. A page is read exactly as the crawl reads it (decoding,
    main text, the [metrics] catalog of the settings file when there is one).

    Example:

        wxwatch extract --json article.html

    JSON keys: metric, subject, measure, value, unit, qualifier, rate, period, text, start, end (and page,
    for a PDF).
    """
    config = command_config(ctx, optional=True)
    catalog = command_catalog(ctx, catalog_path)
    options = ReadOptions(config.crawler.max_response_bytes, allow_private, config.schedule.timezone)
    try:
        document = load_document(source, options)
    except SourceError as error:
        click.echo(f"Error: {error}", err=True)
        raise SystemExit(2) from error
    observations = extract_metrics(document.text, catalog, title=document.title,
                                   published=published_date(document.published))
    pages = cite_pages([o.text for o in observations], document.text)
    if as_json:
        _print_json(observations, pages)
    else:
        _print_table(observations, pages, source, catalog)
