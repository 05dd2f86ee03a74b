"""Smoke run of the benchmark suite on a tiny site: the scripts still work (no figure is checked)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # real crawls / subprocesses: seconds each

REPO = Path(__file__).resolve().parents[2]


def test_suite_runs_on_a_tiny_site(tmp_path: Path, subprocess_env: dict[str, str]) -> None:
    result = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "run.py"), "--smoke", "--json", str(tmp_path / "figures.json")],
        capture_output=True, text=True, timeout=120, cwd=tmp_path, env=subprocess_env,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "| (b) wxwatch crawl, first |" in result.stdout
    figures = json.loads((tmp_path / "figures.json").read_text())["figures"]
    assert figures["wx_new"] == [40]  # every article of the tiny site stored
    assert figures["inc_article_pages"] == [0]  # the second crawl fetched no article page


def test_issue16_table_runs_on_tiny_sizes(tmp_path: Path, subprocess_env: dict[str, str]) -> None:
    result = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "perf16.py"), "--smoke", "--only", "crawl,poll,stored",
         "--json", str(tmp_path / "figures.json")],
        capture_output=True, text=True, timeout=120, cwd=tmp_path, env=subprocess_env,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "| first crawl: wxwatch vs floor pipeline |" in result.stdout
    figures = json.loads((tmp_path / "figures.json").read_text())["figures"]
    assert figures["poll_4_bare_304"] == [4] and figures["poll_4_wxwatch_304"] == [4]  # every feed answered 304
    assert set(figures) >= {"floor_pps", "wx_pps", "stored_40_bytes", "stored_120_total_ms"}
