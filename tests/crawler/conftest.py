"""Fixtures for crawler tests: the loopback test site running, and settings pointing at it."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from testsite import build_site, write_settings  # noqa: E402


@pytest.fixture
def site():
    """The test site served on 127.0.0.1 (ephemeral port); `.hits` counts requests per path."""
    server = build_site()
    with server.running() as base_url:
        server.base_url = base_url
        yield server


@pytest.fixture
def settings_file(site, tmp_path: Path) -> Path:
    return write_settings(tmp_path / "settings.toml", site.base_url, tmp_path / "wx.db")
