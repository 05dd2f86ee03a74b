"""The database under faults: locked by another writer, disk full, a damaged or foreign file at its path.

The user sees one line, `Error: PATH: problem` (exit 1), never a traceback; the file at the path is not changed
when it is not a wxwatch database; after a failure the database passes `PRAGMA integrity_check` and the next
crawl stores every article the failed one could not.
"""

from __future__ import annotations

import hashlib
import resource
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from dbstate import db_state, integrity, query
from faultsite import add_news, news_sources, write_settings

from wxwatch.storage.db import open_database

pytestmark = pytest.mark.slow  # real crawls / subprocesses: seconds each

LOCK_HOLDER = """
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("begin immediate")
conn.execute("create table if not exists other_writer (x)")
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
conn.execute("commit")
"""
# the CLI with a 1 s busy timeout instead of 30 s, so "locked past the timeout" takes 1 s to show
SHORT_BUSY_CLI = "import wxwatch.storage.db as d; d.BUSY_TIMEOUT_MS = 1000; from wxwatch.cli import cli; cli()"


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def one_line_error(result: subprocess.CompletedProcess) -> str:
    assert "Traceback" not in result.stderr, result.stderr[-2000:]
    lines = [line for line in result.stderr.splitlines() if line.startswith("Error: ")]
    assert len(lines) == 1, result.stderr[-2000:]
    return lines[0]


@pytest.fixture
def news(site, tmp_path):
    add_news(site, 20)
    return write_settings(tmp_path / "settings.toml", tmp_path / "wx.db", news_sources(site.base_url))


def foreign_sqlite(path: Path) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute("create table invoices (id integer primary key, amount real)")
        conn.execute("insert into invoices (amount) values (12.5)")


def damaged_wxwatch(path: Path, run_cli, settings: Path) -> None:
    assert run_cli("--config", str(settings), "crawl").returncode == 0
    data = bytearray(path.read_bytes())
    data[4096:len(data) - 4096] = b"\xde\xad" * ((len(data) - 8192) // 2)  # every page but the first and last
    path.write_bytes(bytes(data))


FILES = {  # what lies at the database path -> the error the user sees
    "text": (lambda path, *_: path.write_text("名单\n" * 500, encoding="utf-8"), "not a SQLite database"),
    "binary": (lambda path, *_: path.write_bytes(bytes(range(256)) * 64), "not a SQLite database"),
    "foreign": (lambda path, *_: foreign_sqlite(path), "a database of another application"),
    "damaged": (damaged_wxwatch, "damaged"),
}


@pytest.mark.parametrize("kind", FILES)
@pytest.mark.parametrize("command", [("crawl",), ("sources",), ("alerts",)])
def test_a_file_that_is_not_our_database_is_refused_and_left_untouched(kind, command, news, run_cli, tmp_path):
    make, expected = FILES[kind]
    db = tmp_path / "wx.db"
    make(db, run_cli, news)
    before = digest(db)
    result = run_cli("--config", str(news), *command)
    assert result.returncode == 1
    assert expected in one_line_error(result)
    assert digest(db) == before


def test_a_writer_holding_the_lock_briefly_is_waited_for(news, run_cli, tmp_path, subprocess_env):
    db = tmp_path / "wx.db"
    open_database(db).close()
    with lock_held(db, 2.0, subprocess_env):
        result = run_cli("--config", str(news), "crawl")
    assert result.returncode == 0, result.stderr[-2000:]
    assert len(db_state(db).urls) == 20


def test_a_writer_holding_the_lock_too_long_gives_one_line_and_loses_nothing(news, run_cli, tmp_path,
                                                                               subprocess_env):
    db = tmp_path / "wx.db"
    open_database(db).close()
    with lock_held(db, 20.0, subprocess_env) as holder:
        result = subprocess.run([sys.executable, "-c", SHORT_BUSY_CLI, "--config", str(news), "crawl"],
                                capture_output=True, text=True, env=subprocess_env, timeout=60)
        holder.kill()
    assert result.returncode == 1
    assert one_line_error(result) == f"Error: {db}: database is locked (another process kept a write transaction" \
                                     " open past the busy timeout)"
    assert integrity(db) == "ok"
    again = run_cli("--config", str(news), "crawl")
    assert again.returncode == 0, again.stderr[-3000:]
    assert len(db_state(db).urls) == 20


class lock_held:  # noqa: N801 (used like a function)
    """A second process holding a write transaction on `db` for `seconds`."""

    def __init__(self, db: Path, seconds: float, env: dict) -> None:
        self.args = [sys.executable, "-c", LOCK_HOLDER, str(db), str(seconds)]
        self.env = env

    def __enter__(self) -> subprocess.Popen:
        self.process = subprocess.Popen(self.args, env=self.env, stdout=subprocess.PIPE, text=True)
        assert self.process.stdout.readline().strip() == "locked"
        return self.process

    def __exit__(self, *exc: object) -> None:
        self.process.wait(timeout=30)
        self.process.stdout.close()


def file_size_limit(limit: int):
    def preexec() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # writes past the limit fail with EFBIG, like ENOSPC
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return preexec


def test_a_full_disk_stops_the_crawl_with_one_line_and_the_next_crawl_stores_everything(
        site, news, run_cli, tmp_path, subprocess_env):
    db = tmp_path / "wx.db"
    open_database(db).close()  # an empty, migrated database
    limit = db.stat().st_size + 48 * 1024
    result = subprocess.run([sys.executable, "-m", "wxwatch", "--config", str(news), "crawl"], capture_output=True,
                            text=True, env=subprocess_env, timeout=120, preexec_fn=file_size_limit(limit))
    assert result.returncode == 1
    assert "cannot write: disk full or I/O error" in one_line_error(result)
    assert integrity(db) == "ok"
    stored = len(db_state(db).urls)
    assert stored < 20
    assert run_cli("--config", str(news), "crawl").returncode == 0  # space again: the rest is fetched and stored
    state = db_state(db)
    assert len(state.urls) == 20 and not state.duplicate_urls and not state.not_extracted
    assert query(db, "select count(*) from observations where article_id not in (select id from articles)") == [(0,)]
