"""The database's named read queries (the Datasette canned queries of datasette/metadata.yaml), run read-only."""

from __future__ import annotations

import copy
import sqlite3
from functools import cache
from pathlib import Path

import yaml

from wxwatch.storage.history import latest_order

METADATA_PATH = Path(__file__).parent / "datasette" / "metadata.yaml"
METADATA_DATABASE = "wxwatch"


class NoDatabase(Exception):
    """There is no database at the configured path yet (nothing is created to show it)."""


@cache
def _metadata() -> dict:
    """The metadata file, with `{latest_order}` filled in: the current value is chosen exactly as
    `wxwatch metrics` and the alert rules choose it (storage.history.latest_order), not by a second definition."""
    text = METADATA_PATH.read_text(encoding="utf-8").replace("{latest_order}", latest_order())
    return yaml.safe_load(text)


def metadata_for(database_name: str) -> dict:
    """The Datasette metadata with its database block under `database_name` (Datasette names it by file stem)."""
    metadata = copy.deepcopy(_metadata())
    metadata["databases"] = {database_name: metadata["databases"][METADATA_DATABASE]}
    return metadata


def canned_sql(name: str) -> str:
    return _metadata()["databases"][METADATA_DATABASE]["queries"][name]["sql"]


def open_read_only(path: Path) -> sqlite3.Connection:
    """A read-only connection (WAL-aware: it sees what a running daemon committed); NoDatabase when missing."""
    if not path.is_file():
        raise NoDatabase(f"{path}: no database yet (run `wxwatch crawl` or `wxwatch demo` first)")
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    connection.row_factory = sqlite3.Row
    return connection


def run_canned(connection: sqlite3.Connection, name: str, **params: object) -> list[dict]:
    """Rows of the canned query `name` as dicts."""
    return [dict(row) for row in connection.execute(canned_sql(name), params)]
