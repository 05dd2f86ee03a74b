"""Fixtures for fault tests: loopback sites, settings, JSON crawl summaries and the alert receivers."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

NETGUARD_DIR = Path(__file__).parents[1] / "netguard"
sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).parents[1] / "notify"))

from childrss import run_with_peak_rss  # noqa: E402
from receivers import json_receiver, smtp_server  # noqa: E402, F401

from wxwatch.sample.server import SiteServer  # noqa: E402


@pytest.fixture
def site() -> Iterator[SiteServer]:
    """An empty loopback site; tests add routes (they are read on every request)."""
    server = SiteServer()
    with server.running() as base_url:
        server.base_url = base_url
        yield server


@pytest.fixture
def crawl_json(run_cli):
    """Run `wxwatch --config SETTINGS crawl --json ARGS`; returns (exit code, summary or None, stderr)."""

    def crawl(settings: Path, *args: str, timeout: float = 120) -> tuple[int, dict | None, str]:
        result = run_cli("--config", str(settings), "crawl", "--json", *args, timeout=timeout)
        try:
            summary = json.loads(result.stdout)
        except ValueError:
            summary = None
        return result.returncode, summary, result.stderr

    return crawl


@pytest.fixture(scope="module")
def module_cli(tmp_path_factory):
    """`run_cli` for module-scoped fixtures: one subprocess shared by a table of cases."""
    home = tmp_path_factory.mktemp("home")
    env = {k: v for k, v in os.environ.items() if not k.startswith("WXWATCH_")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(NETGUARD_DIR), env.get("PYTHONPATH")]))
    env |= {"HOME": str(home), "COLUMNS": "200"}

    def run(*args: str, timeout: float = 120) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "wxwatch", *args], capture_output=True, text=True,
                              timeout=timeout, env=env, cwd=home)

    def measured(*args: str) -> tuple[subprocess.CompletedProcess, float]:
        """The same, with the peak RSS (MiB) of this one subprocess."""
        return run_with_peak_rss([sys.executable, "-m", "wxwatch", *args], env=env, cwd=home)

    run.measured = measured  # type: ignore[attr-defined]
    return run
