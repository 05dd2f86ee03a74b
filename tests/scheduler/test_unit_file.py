"""deploy/wxwatch.service: the settings the issue asks for, and `systemd-analyze verify` where it exists."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

DEPLOY = Path(__file__).parents[2] / "deploy"
REQUIRED = ("Type=notify", "NotifyAccess=main", "WatchdogSec=", "Restart=on-failure", "User=wxwatch",
            "StateDirectory=wxwatch", "EnvironmentFile=", "NoNewPrivileges=yes", "ProtectSystem=strict",
            "ProtectHome=yes", "PrivateTmp=yes", "KillMode=mixed", "TimeoutStopSec=")


def test_unit_has_the_required_settings() -> None:
    lines = (DEPLOY / "wxwatch.service").read_text(encoding="utf-8").splitlines()
    for setting in REQUIRED:
        assert any(line.startswith(setting) for line in lines), setting
    exec_start = next(line for line in lines if line.startswith("ExecStart="))
    assert exec_start.endswith(" run") and " -v " in exec_start


def test_env_example_has_only_placeholders() -> None:
    text = (DEPLOY / "wxwatch.env.example").read_text(encoding="utf-8")
    values = [line.split("=", 1)[1] for line in text.splitlines() if "=" in line and not line.startswith("#")]
    assert values and all(value.startswith("replace-") for value in values)


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze not installed")
def test_systemd_analyze_verify(tmp_path: Path) -> None:
    unit = tmp_path / "wxwatch.service"  # verify checks that ExecStart exists: point it at this venv's script
    wxwatch = Path(sys.executable).parent / "wxwatch"
    text = (DEPLOY / "wxwatch.service").read_text(encoding="utf-8")
    unit.write_text(text.replace("/opt/wxwatch/.venv/bin/wxwatch", str(wxwatch)), encoding="utf-8")
    result = subprocess.run(["systemd-analyze", "verify", str(unit)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and not result.stderr.strip(), result.stderr
