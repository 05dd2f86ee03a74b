"""Fixtures for browse and report tests: a database with a known history and its settings file."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from historydb import build_history_db, write_settings  # noqa: E402


@pytest.fixture
def history_settings(tmp_path: Path) -> Path:
    """settings.toml of a database holding the known MAU history (tests/browse/historydb.py)."""
    return write_settings(tmp_path, build_history_db(tmp_path / "wx.db"))
