"""Problems found at start give one line and the right exit status, through the real CLI (restructure points 5-7)."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

pytestmark = pytest.mark.timeout(120)

SOURCE = """
[[sources]]
name = "gone"
kind = "feed"
url = "http://127.0.0.1:{port}/feed.xml"
allow_private = true
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def settings(tmp_path: Path, extra: str = "", db: str = "wx.db") -> Path:
    path = tmp_path / "settings.toml"
    path.write_text(f'[storage]\npath = "{db}"\n[crawler]\nretry_times = 0\ndownload_timeout = 5.0\n{extra}'
                    + SOURCE.format(port=free_port()), encoding="utf-8")
    return path


def one_line(stderr: str) -> str:
    lines = stderr.strip().splitlines()
    assert "Traceback" not in stderr and len(lines) == 1, stderr[-3000:]
    return lines[0]


def test_a_bad_cron_stops_crawl_at_start(tmp_path: Path, run_cli) -> None:
    result = run_cli("--config", str(settings(tmp_path, '[schedule]\ncron = "99 * * * *"\n')), "crawl")
    assert result.returncode == 2
    assert one_line(result.stderr).startswith("Error: schedule.cron: '99 * * * *' is not a valid cron expression")
    assert not (tmp_path / "wx.db").exists()


def test_a_bad_per_source_cron_is_named(tmp_path: Path, run_cli) -> None:
    path = settings(tmp_path)
    path.write_text(path.read_text(encoding="utf-8") + 'cron = "0 25 * * *"\n', encoding="utf-8")
    result = run_cli("--config", str(path), "sources")
    assert result.returncode == 2
    assert one_line(result.stderr).startswith("Error: sources.gone.cron: '0 25 * * *' is not a valid cron")


@pytest.mark.parametrize("command", [("crawl",), ("run",), ("extract", "-")])
def test_a_malformed_extra_catalog_entry_stops_every_user_of_the_catalog_at_start(tmp_path: Path, run_cli,
                                                                                  command) -> None:
    (tmp_path / "mine.toml").write_text('[metrics."wechat.mine"]\nsubject = "wechat"\nmatch = ["mau"]\n',
                                        encoding="utf-8")
    result = run_cli("--config", str(settings(tmp_path, '[metrics]\ncatalog = "mine.toml"\n')), *command)
    assert result.returncode == 2
    expected = f"Error: {tmp_path / 'mine.toml'}: metrics.wechat.mine.kind: required key is missing"
    assert one_line(result.stderr) == expected
    assert not (tmp_path / "wx.db").exists()


def test_a_bad_regex_in_a_catalog_names_its_entry_and_its_own_regex(tmp_path: Path, run_cli) -> None:
    (tmp_path / "mine.toml").write_text('[measures.mau]\nbefore = ["月活(跃"]\n', encoding="utf-8")
    result = run_cli("--config", str(settings(tmp_path, '[metrics]\ncatalog = "mine.toml"\n')), "crawl")
    assert result.returncode == 2
    line = one_line(result.stderr)
    assert line.startswith(f"Error: {tmp_path / 'mine.toml'}: measures.mau.before[")
    assert "invalid regex '月活(跃'" in line and "position 2" in line


def test_extract_with_a_bad_catalog_option_names_the_entry(tmp_path: Path, run_cli) -> None:
    (tmp_path / "mine.toml").write_text('[metrics."x.y"]\nsubject = "nobody"\nkind = "count"\n', encoding="utf-8")
    (tmp_path / "a.txt").write_text("微信月活跃账户数达13亿。", encoding="utf-8")
    result = run_cli("extract", "--catalog", str(tmp_path / "mine.toml"), str(tmp_path / "a.txt"))
    assert result.returncode == 2
    assert one_line(result.stderr) == f"Error: {tmp_path / 'mine.toml'}: metrics.x.y.subject: unknown subject 'nobody'"


@pytest.mark.parametrize("command", ["crawl", "alerts send"])
def test_an_unwritable_storage_path_gives_one_line(tmp_path: Path, run_cli, command: str) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the database folder should be", encoding="utf-8")
    path = settings(tmp_path, db=str(blocker / "wx.db"))
    path.write_text(path.read_text(encoding="utf-8") + '\n[notify]\nurls = ["json://127.0.0.1:9/"]\n',
                    encoding="utf-8")
    result = run_cli("--config", str(path), *command.split())
    assert result.returncode == 1
    line = one_line(result.stderr)
    assert line.startswith(f"Error: {blocker / 'wx.db'}") and "check [storage] path" in line, line


def test_the_daemon_with_an_unwritable_storage_path_fails_its_start_with_exit_2(tmp_path: Path, run_cli) -> None:
    """Exit 2 is the unit's RestartPreventExitStatus: systemd does not restart it every 30 s."""
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    result = run_cli("--config", str(settings(tmp_path, db=str(blocker / "state" / "wx.db"))), "run")
    assert result.returncode == 2
    assert one_line(result.stderr).startswith(f"Error: {blocker / 'state' / 'wx.db'}: cannot create its folder")
    unit = (Path(__file__).parents[2] / "deploy" / "wxwatch.service").read_text(encoding="utf-8")
    assert "RestartPreventExitStatus=2" in unit


def test_an_unreachable_source_is_one_line_at_the_default_level(tmp_path: Path, run_cli) -> None:
    result = run_cli("--config", str(settings(tmp_path)), "crawl", "--json")
    assert result.returncode == 1
    log = [line for line in result.stderr.splitlines() if line.strip()]
    assert "Traceback" not in result.stderr
    assert [line for line in log if "gone" in line and "Error: some sources failed" not in line] == [
        line for line in log if line.startswith("WARNING wxwatch.crawler.extensions: source gone failed:")]
    assert len(log) == 2, log  # the source's line and the command's one-line summary error
    verbose = run_cli("--config", str(settings(tmp_path)), "-v", "crawl", "--json")
    assert "robots.txt" in verbose.stderr  # the details are one flag away


@pytest.mark.parametrize("command", ["metrics", "sources", "articles", "alerts", "status"])
def test_read_only_commands_create_no_database(tmp_path: Path, run_cli, command: str) -> None:
    path = settings(tmp_path)
    plain = run_cli("--config", str(path), command)
    as_json = run_cli("--config", str(path), command, "--json")
    assert plain.returncode == 0
    expected = f"no database yet at {tmp_path / 'wx.db'}: run `wxwatch crawl` first"
    assert plain.stderr.strip().splitlines()[-1] == expected
    assert as_json.returncode == (0 if command == "sources" else 1)
    assert not (tmp_path / "wx.db").exists() and not list(tmp_path.glob("wx.db*"))
