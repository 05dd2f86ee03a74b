"""`wxwatch browse` as a user runs it: Datasette in a subprocess on loopback, asked over HTTP for every canned query."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import threading
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from historydb import url_of

from wxwatch.canned import metadata_for
from wxwatch.storage.db import open_database

START_TIMEOUT = 30


@pytest.fixture
def browse_url(history_settings: Path, subprocess_env: dict[str, str], tmp_path: Path) -> Iterator[str]:
    """Start `wxwatch browse --port 0`, yield the URL it printed, stop it."""
    argv = [sys.executable, "-m", "wxwatch", "--config", str(history_settings), "browse", "--port", "0"]
    process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=subprocess_env,
                               cwd=tmp_path)
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.append(process.stdout.readline()), daemon=True)
    reader.start()
    reader.join(START_TIMEOUT)
    try:
        assert lines and lines[0], f"browse printed no URL: {process.stderr.read() if process.poll() else ''}"
        yield re.search(r"http://\S+/", lines[0]).group(0)
    finally:
        process.terminate()
        process.wait(10)


def get_json(url: str) -> list[dict]:
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.loads(response.read())


def get_text(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode("utf-8")


def query(base: str, name: str, params: str = "") -> list[dict]:
    return get_json(f"{base}wx/{name}.json?_shape=array{params}")


def test_canned_queries_answer_with_the_fixture_rows(browse_url: str) -> None:
    assert browse_url.startswith("http://127.0.0.1:")
    current = query(browse_url, "current_values")
    assert [(r["metric"], r["value"], r["period"], r["source_count"]) for r in current] == [
        ("search.mau", 8e8, "2023", 1), ("wechat.mau", 13.71e8, "2024Q2", 1)]
    history = query(browse_url, "metric_history", "&metric=wechat.mau")
    assert [(r["period"], r["value"], r["outlet"], r["url"], r["mark"]) for r in history] == [
        ("2023Q4", 13.43e8, "快报财经", url_of(1), None),
        ("2024Q1", 13.59e8, "快报财经", url_of(2), None),
        ("2024Q1", 13.59e8, "科技日报", url_of(3), None),
        ("2024Q2", 13.28e8, "快报财经", url_of(5), "conflict"),
        ("2024Q2", 13.71e8, "科技日报", url_of(4), "conflict"),
    ]
    alerts = query(browse_url, "alerts_delivery")
    assert [(r["id"], r["kind"], r["status"]) for r in alerts] == [(3, "new", "pending"), (2, "conflict", "sent"),
                                                                   (1, "changed", "sent")]
    assert alerts[1]["deliveries"] == "json://127.0.0.1:9/hook: sent"
    assert alerts[0]["deliveries"] == "json://127.0.0.1:9/hook: pending"
    conflicts = query(browse_url, "conflicts")
    assert [(c["metric"], c["period"], c["value"], c["outlet"], c["other_value"], c["other_outlet"], c["other_url"])
            for c in conflicts] == [("wechat.mau", "2024Q2", 13.71e8, "科技日报", 13.28e8, "快报财经", url_of(5))]
    per_source = query(browse_url, "articles_per_source")
    assert [(r["source"], r["outlet"], r["status"], r["articles"]) for r in per_source] == [
        ("keji", "科技日报", "new", 3), ("kuaibao", "快报财经", "new", 3)]
    health = query(browse_url, "source_health")
    assert [(r["source"], r["last_status"], r["health"], r["consecutive_failures"], r["error"]) for r in health] == [
        ("keji", "ok", None, 0, None), ("kuaibao", "failed", "failing", 3, "HTTP 503")]


def test_metric_chart_page_and_its_data_endpoint(browse_url: str) -> None:
    page = get_text(f"{browse_url}-/wxwatch/chart?metric=wechat.mau")
    assert page.count('<circle class="point') == 5 and page.count('class="point conflict"') == 2
    data_url = re.search(r'href="([^"]+metric_history\.json[^"]+)"', page).group(1).replace("&amp;", "&")
    points = get_json(browse_url.rstrip("/") + data_url)
    assert [(p["x"], p["value"]) for p in points] == [("2023Q4", 13.43e8), ("2024Q1", 13.59e8), ("2024Q1", 13.59e8),
                                                      ("2024Q2", 13.28e8), ("2024Q2", 13.71e8)]
    listing = get_text(f"{browse_url}wx/current_values")
    assert 'href="/-/wxwatch/chart?metric=wechat.mau"' in listing  # metric IDs link to their chart
    with pytest.raises(urllib.error.HTTPError) as missing:
        get_text(f"{browse_url}-/wxwatch/chart?metric=nope.nothing")
    assert missing.value.code == 404


def test_browse_is_read_only(browse_url: str, history_settings: Path) -> None:
    db = history_settings.parent / "wx.db"
    before = db.stat().st_mtime_ns
    with pytest.raises(urllib.error.HTTPError):
        get_text(f"{browse_url}wx.json?sql=" + urllib.request.quote("delete from alerts"))
    assert query(browse_url, "alerts_delivery") and db.stat().st_mtime_ns == before


def test_without_a_database_browse_says_so_and_creates_nothing(run_cli, tmp_path: Path) -> None:
    settings = tmp_path / "settings.toml"
    settings.write_text(f'[storage]\npath = "{tmp_path / "none.db"}"\n', encoding="utf-8")
    result = run_cli("--config", str(settings), "browse", "--port", "0", timeout=30)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [f"Error: no database yet at {tmp_path / 'none.db'}: "
                                                  "run `wxwatch crawl` first"]
    assert not (tmp_path / "none.db").exists()


def test_every_table_and_column_is_described(tmp_path: Path) -> None:
    db = open_database(tmp_path / "fresh.db")
    tables = metadata_for("fresh")["databases"]["fresh"]["tables"]
    for table in db.table_names():
        assert tables.get(table, {}).get("description"), f"table {table} has no description"
        described = tables[table].get("columns", {})
        missing = [column for column in db[table].columns_dict if not described.get(column)]
        assert not missing, f"{table}: columns without a description: {missing}"
