"""`wxwatch alerts`, `alerts retry` and `notify-test` as a user runs them: exit codes, JSON, masked secrets."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from receivers import JsonReceiver

from wxwatch.storage.db import open_database
from wxwatch.storage.outbox import Outbox

TOKEN = "hookT0kenForCliTests"


@pytest.fixture
def write_settings(tmp_path: Path, subprocess_env: dict[str, str]):
    """Write settings.toml with these notify URLs (HOOK_TOKEN set in the CLI's environment); returns its path."""
    subprocess_env["HOOK_TOKEN"] = TOKEN

    def write(*urls: str) -> Path:
        path = tmp_path / "settings.toml"
        listed = ", ".join(f"'{url}'" for url in urls)
        path.write_text(f'[storage]\npath = "wx.db"\n\n[notify]\nurls = [{listed}]\ntimeout = 5.0\n', encoding="utf-8")
        return path

    return write


def secret_url(receiver: JsonReceiver) -> str:
    return receiver.url + "/${HOOK_TOKEN}"


def test_notify_test_says_which_targets_accepted(run_cli, write_settings, json_receiver, smtp_server) -> None:
    settings = write_settings(secret_url(json_receiver), smtp_server.url)
    result = run_cli("--config", str(settings), "notify-test")
    assert result.returncode == 0, result.stderr
    assert f"ok      json://127.0.0.1:{json_receiver.port}/hook/****" in result.stdout
    assert "ok      mailto://127.0.0.1" in result.stdout
    assert TOKEN not in result.stdout + result.stderr
    assert json_receiver.requests[0]["title"] == "wxwatch 测试消息" and len(smtp_server.messages) == 1


def test_notify_test_exits_1_when_a_target_fails(run_cli, write_settings, json_receiver) -> None:
    dead = JsonReceiver()
    settings = write_settings(json_receiver.url, secret_url(dead))
    result = run_cli("--config", str(settings), "notify-test")
    assert result.returncode == 1
    assert f"FAILED  json://127.0.0.1:{dead.port}/hook/****: A Connection error occurred" in result.stdout
    assert result.stderr.strip().splitlines()[-1] == "Error: 1 of 2 notification target(s) failed"
    assert TOKEN not in result.stdout + result.stderr


def test_notify_test_without_targets_exits_1(run_cli, write_settings) -> None:
    result = run_cli("--config", str(write_settings()), "notify-test")
    assert result.returncode == 1
    assert result.stderr.strip() == "Error: no notification targets: set [notify] urls (or [notify] config) in the" \
                                    " settings file"


def test_an_unusable_url_is_a_settings_error(run_cli, write_settings) -> None:
    result = run_cli("--config", str(write_settings("nosuchscheme://${HOOK_TOKEN}")), "notify-test")
    assert result.returncode == 2
    assert result.stderr.strip().splitlines()[-1] == "Error: notify.urls[0]: apprise cannot use nosuchscheme://****"
    assert TOKEN not in result.stderr and "Traceback" not in result.stderr


def test_alerts_json_and_retry(run_cli, write_settings, json_receiver, sample_events, tmp_path: Path) -> None:
    settings = write_settings(secret_url(json_receiver))
    Outbox(open_database(tmp_path / "wx.db")).add_events(sample_events, run_id=3)
    json_receiver.down()
    failed = run_cli("--config", str(settings), "alerts", "retry")
    assert failed.returncode == 1 and "FAILED  json://" in failed.stdout

    listed = run_cli("--config", str(settings), "alerts", "--pending", "--json")
    assert listed.returncode == 0, listed.stderr
    alerts = json.loads(listed.stdout)
    assert [a["kind"] for a in alerts] == ["new", "new", "changed", "conflict"]
    first = alerts[2]
    assert {k: first[k] for k in ("metric", "value", "previous_value", "status", "attempts")} == \
        {"metric": "miniprogram.dau", "value": 6e8, "previous_value": 4.5e8, "status": "pending", "attempts": 1}
    assert first["id"] and first["created"] and "Connection error" in first["last_error"]
    assert first["deliveries"][0]["label"].endswith("/hook/****")
    assert TOKEN not in listed.stdout + failed.stdout + failed.stderr

    json_receiver.up()
    retried = run_cli("--config", str(settings), "alerts", "retry")
    assert retried.returncode == 0, retried.stderr
    assert "4 alert(s) in 1 message(s)" in retried.stdout
    assert json.loads(run_cli("--config", str(settings), "alerts", "--pending", "--json").stdout) == []
    table = run_cli("--config", str(settings), "alerts")
    assert table.returncode == 0 and "290亿元" in table.stdout and "sent" in table.stdout
    assert len(json_receiver.requests) == 1


def test_alerts_send_says_what_waits_for_a_backing_off_target(run_cli, write_settings, json_receiver, sample_events,
                                                              tmp_path: Path) -> None:
    settings = write_settings(secret_url(json_receiver))
    Outbox(open_database(tmp_path / "wx.db")).add_events(sample_events, run_id=3)
    json_receiver.down()
    failed = run_cli("--config", str(settings), "alerts", "send")
    assert failed.returncode == 1 and "; 4 waiting (next attempt " in failed.stdout
    json_receiver.up()
    waiting = run_cli("--config", str(settings), "alerts", "send")  # still backing off: nothing due
    assert waiting.returncode == 0, waiting.stderr
    (line,) = waiting.stdout.splitlines()
    assert line.startswith("ok      json://") and ": 0 alert(s) in 0 message(s); 4 waiting (next attempt 20" in line
    assert line.endswith(" CST), 0 failed") and json_receiver.requests == []
