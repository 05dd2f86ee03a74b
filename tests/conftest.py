"""Test-wide fixtures: the loopback-only network guard (here and in subprocesses) and CLI runners."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

NETGUARD_DIR = Path(__file__).parent / "netguard"
sys.path.insert(0, str(NETGUARD_DIR))

from netguard import install  # noqa: E402

install()


@pytest.fixture
def subprocess_env(tmp_path: Path) -> dict[str, str]:
    """Environment for CLI subprocesses: the network guard preloaded, no user config leaking in."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("WXWATCH_")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(NETGUARD_DIR), env.get("PYTHONPATH")]))
    env["HOME"] = str(tmp_path)
    env["COLUMNS"] = "200"
    return env


@pytest.fixture
def run_cli(subprocess_env: dict[str, str], tmp_path: Path):
    """Run `python -m wxwatch ARGS...` as a user would; returns the CompletedProcess."""

    def run(*args: str, timeout: float = 120, cwd: Path | None = None) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "wxwatch", *args],
            capture_output=True, text=True, timeout=timeout, env=subprocess_env, cwd=cwd or tmp_path,
        )

    return run
