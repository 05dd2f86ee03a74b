"""`wxwatch metrics --csv` and `wxwatch alerts --csv`: what a spreadsheet reads."""

from __future__ import annotations

import csv
import io

from historydb import url_of


def read_csv(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


def test_metrics_csv_has_raw_values_and_sources(run_cli, history_settings) -> None:
    result = run_cli("--config", str(history_settings), "metrics", "--csv")
    assert result.returncode == 0, result.stderr
    rows = read_csv(result.stdout)
    assert [(r["metric"], float(r["value"]), r["qualifier"], r["period"], r["sources"]) for r in rows] == [
        ("search.mau", 8e8, ">", "2023", "keji"), ("wechat.mau", 13.71e8, "=", "2024Q2", "keji")]
    assert result.stdout.splitlines()[0].startswith("metric,metric_key,subject,measure,value,unit")


def test_alerts_csv_has_one_row_per_alert(run_cli, history_settings) -> None:
    result = run_cli("--config", str(history_settings), "alerts", "--csv")
    assert result.returncode == 0, result.stderr
    rows = read_csv(result.stdout)
    assert [(r["id"], r["kind"], r["status"], r["url"]) for r in rows] == [
        ("1", "changed", "sent", url_of(2)), ("2", "conflict", "sent", url_of(4)), ("3", "new", "pending", url_of(6))]
    assert rows[1]["other_url"] == url_of(5) and "科技日报" in rows[1]["description"]
