"""The demo's two days: the sample site served on loopback, its settings written, each day crawled."""

from __future__ import annotations

import errno
import json
import logging
import socket
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from wxwatch import WXWATCH_COMMAND
from wxwatch.sample.server import BASE_URL_MARK, SiteServer

logger = logging.getLogger(__name__)

SAMPLE_DIR = Path(__file__).resolve().parent
FIRST_DAY = SAMPLE_DIR / "site"
SECOND_DAY = SAMPLE_DIR / "day2"
SAMPLE_SOURCES = frozenset({"stcn", "36kr", "jianshi", "hk-mirror", "seo-farm"})
CRAWL_TIMEOUT = 300.0


class ScenarioError(Exception):
    """The demo cannot run: its database belongs to something else, or a day's crawl did not finish."""


@dataclass
class DayResult:
    """One day's `wxwatch crawl --json` summary (run id, seconds, sources, alerting) and its exit status."""

    day: int
    returncode: int
    summary: dict


def default_database() -> Path:
    """The demo's database in the platform's user data folder (XDG_DATA_HOME on Linux), never the current one."""
    return platformdirs.user_data_path("wxwatch") / "demo" / "wxwatch-demo.db"


def settings_path(db_path: Path) -> Path:
    """Where the demo writes its settings: beside its database (`wxwatch-demo.db` -> `wxwatch-demo.toml`)."""
    return db_path.with_name(db_path.stem + ".toml")


def write_settings(db_path: Path, base_url: str, receiver_url: str) -> Path:
    """The sample's settings with the server, the database and the receiver filled in, written beside the DB."""
    text = (SAMPLE_DIR / "settings.toml").read_text(encoding="utf-8")
    text = (text.replace(BASE_URL_MARK.decode(), base_url)
            .replace('"{{DB_PATH}}"', json.dumps(str(db_path.resolve())))
            .replace('"{{RECEIVER_URL}}"', json.dumps(receiver_url)))
    path = settings_path(db_path)
    path.write_text(text, encoding="utf-8")
    return path


def start_afresh(db_path: Path) -> None:
    """Remove a database an earlier demo left (so the baseline and the alerts show again); refuse any other file."""
    db_path.parent.mkdir(parents=True, exist_ok=True)
    if not db_path.exists():
        return
    if not is_demo_database(db_path):
        raise ScenarioError(f"{db_path}: not a database of `wxwatch demo`; left untouched (choose another --db)")
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)


def is_demo_database(db_path: Path) -> bool:
    """A wxwatch database whose articles all come from the sample's sources."""
    try:
        with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True) as conn:
            sources = {row[0] for row in conn.execute("select distinct source from articles")}
    except sqlite3.Error:
        return False
    return sources <= SAMPLE_SOURCES


@contextmanager
def sample_site(port: int) -> Iterator[SiteServer]:
    """The first day of the sample served on `port`, or on any free port when that one is taken."""
    site = SiteServer()
    site.add_directory(FIRST_DAY)
    with site.running(port if port_is_free(port) else 0):
        yield site


def port_is_free(port: int) -> bool:
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError as exc:
            if exc.errno != errno.EADDRINUSE:
                raise
            return False
    return True


def publish_second_day(site: SiteServer) -> None:
    """A year later: new articles, and the feeds that list them."""
    site.add_directory(SECOND_DAY)


def crawl_day(settings: Path, day: int) -> DayResult:
    """`wxwatch crawl --json` as a subprocess (Scrapy's reactor runs once per process); its summary parsed."""
    argv = [*WXWATCH_COMMAND, "--config", str(settings), "-q", "crawl", "--json"]
    result = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=CRAWL_TIMEOUT)
    try:
        summary = json.loads(result.stdout)
    except ValueError:
        last_line = (result.stderr.strip().splitlines() or ["no output"])[-1]
        raise ScenarioError(f"day {day}: the crawl ended without a summary (exit {result.returncode}): "
                            f"{last_line}") from None
    return DayResult(day, result.returncode, summary)
