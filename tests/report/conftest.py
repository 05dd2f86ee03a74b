"""Report tests use the browse tests' database with a known history (tests/browse/historydb.py)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1] / "browse"))
sys.path.insert(0, str(Path(__file__).parent))

from historydb import history_settings  # noqa: E402, F401
