"""A whole crawl job stays within 15 SQL statements per stored article (benchmarks/sql_statements.py)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # a real loopback crawl in a subprocess: seconds

REPO = Path(__file__).resolve().parents[2]
BUDGET = 15  # statements per stored article, the articles table's own (storage/articles.py) left out
# 40 articles per source: each source's own statements (its run record, validators, health) are per source, not
# per article, and a first crawl stores many articles per source (the issue's: 5,000 over 50 sources)


def test_a_crawl_job_stays_within_the_statement_budget(tmp_path: Path, subprocess_env: dict[str, str]) -> None:
    result = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "sql_statements.py"), "--articles", "80", "--categories", "2",
         "--json"],
        capture_output=True, text=True, timeout=120, cwd=tmp_path, env=subprocess_env,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    assert figures["stored"] == 80 and figures["alerts"] > 0
    assert figures["budgeted_per_article"] <= BUDGET, figures["kinds"]
    assert figures["modules"]["wxwatch.storage.history"] <= 8, figures["modules"]  # per figure: 2-3 plain statements
    assert "savepoint/release" not in figures["kinds"] or figures["kinds"]["savepoint/release"] < 1
