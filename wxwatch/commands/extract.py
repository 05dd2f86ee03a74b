"""PLACEHOLDER by the lead so the CLI imports; helper-1 owns and replaces this file."""

import click


@click.command()
@click.argument("source")
@click.option("--json", "as_json", is_flag=True)
def extract(source: str, as_json: bool) -> None:
    """Not implemented yet."""
    raise click.ClickException("extract is not implemented yet")
