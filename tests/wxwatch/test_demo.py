"""`wxwatch demo` as a newcomer runs it: two days crawled offline, figures shown, the digest delivered and printed."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest


@pytest.fixture
def data_home(subprocess_env: dict[str, str], tmp_path: Path) -> Path:
    """The user data folder (XDG_DATA_HOME) the demo keeps its state in."""
    subprocess_env["XDG_DATA_HOME"] = str(tmp_path / "xdg")
    return tmp_path / "xdg"


@pytest.mark.slow
def test_demo_shows_figures_and_a_delivered_digest(run_cli, data_home: Path, tmp_path: Path) -> None:
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    result = run_cli("demo", "--json", "--port", "0", cwd=cwd, timeout=60)
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    state = data_home / "wxwatch" / "demo"
    assert document["db"] == str(state / "wxwatch-demo.db") and document["settings"] == str(state / "wxwatch-demo.toml")
    assert list(cwd.iterdir()) == []  # nothing written where the demo was started
    first, second = (day["alerting"] for day in document["days"])
    assert first["baseline"] and first["alerts_sent"] == 0 and first["figures"] > 0
    assert not second["baseline"] and second["events"]["changed"] >= 1 and second["alerts_sent"] >= 2
    assert len(document["received"]) == 1  # one digest per run and target
    digest = document["received"][0]
    assert digest["title"].startswith("微信指标更新") and "miniprogram.dau" in digest["message"]
    assert "4.5亿" in digest["message"] and "+33%" in digest["message"]  # 小程序日活: 4.5亿 (2021) -> 6亿 (2022)
    figures = {figure["metric"]: figure for figure in document["figures"]}
    dau = figures["miniprogram.dau"]
    assert dau["value"] == ">6亿" and {"36kr", "见实"} <= set(dau["outlets"])

    again = run_cli("demo", "--port", "0", cwd=cwd, timeout=60)  # starts afresh: the loop shows again
    assert again.returncode == 0, again.stderr
    out = again.stdout
    assert "baseline recorded, nothing alerted" in out and "the local receiver got 1 message(s)" in out
    assert f"title: {digest['title']}" in out and "miniprogram.dau" in out
    assert f"wxwatch --config {state / 'wxwatch-demo.toml'} browse" in out and "report --out" in out

    report = run_cli("--config", str(state / "wxwatch-demo.toml"), "report", "--out", str(tmp_path / "report"))
    assert report.returncode == 0, report.stderr
    assert (tmp_path / "report" / "index.html").read_text(encoding="utf-8").count('<figure data-metric="') == len(
        figures)


def test_demo_leaves_a_database_that_is_not_its_own_untouched(run_cli, tmp_path: Path) -> None:
    other = tmp_path / "precious.db"
    with sqlite3.connect(other) as conn:
        conn.execute("create table notes (text)")
    before = other.read_bytes()
    result = run_cli("demo", "--db", str(other), "--port", "0", timeout=30)
    assert result.returncode == 1
    assert result.stderr.strip() == (f"Error: {other}: not a database of `wxwatch demo`; left untouched "
                                     "(choose another --db)")
    assert other.read_bytes() == before
