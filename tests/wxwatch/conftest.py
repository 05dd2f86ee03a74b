"""Fixtures for whole-job tests: the loopback SMTP server and JSON receiver from tests/notify."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1] / "notify"))

from receivers import json_receiver, smtp_server  # noqa: E402, F401
