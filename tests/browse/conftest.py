"""Browse tests use the database with a known history (historydb.py, shared with tests/report)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from historydb import history_settings  # noqa: E402, F401
