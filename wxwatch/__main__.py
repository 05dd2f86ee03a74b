"""`python -m wxwatch`: the same CLI as the `wxwatch` console script."""

from wxwatch.cli import cli

cli()
