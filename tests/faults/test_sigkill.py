"""SIGKILL at random moments of a crawl: the next clean crawl ends with the same database as an uninterrupted one.

Each iteration starts from an empty database (the first, silent baseline crawl is killed) or from a copy of the
baseline (a later crawl that queues alerts is killed), kills `wxwatch crawl` after a seeded random delay, runs a
clean crawl, and compares with the uninterrupted reference: the same article URLs, none twice, every article
extracted with its observations, no orphan observation, the same alerts and none twice.

CI runs WXWATCH_FAULT_KILLS iterations (default 5); `WXWATCH_FAULT_KILLS=20 pytest tests/faults/test_sigkill.py`
runs more, WXWATCH_FAULT_SEED changes the moments.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from dbstate import DbState, copy_database, db_state, integrity, query
from faultsite import add_news, news_sources, write_settings

from wxwatch.sample.server import Route

pytestmark = pytest.mark.slow  # real crawls / subprocesses: seconds each

KILLS = int(os.environ.get("WXWATCH_FAULT_KILLS", "5"))
SEED = int(os.environ.get("WXWATCH_FAULT_SEED", "20240112"))
STEPS = {1: 20, 2: 36}  # articles published at each step


def publish(site, step: int) -> None:
    for post in add_news(site, STEPS[step]):
        site.routes[post.path] = Route(site.routes[post.path].body, delay=0.02)


def crawl_command(settings: Path) -> list[str]:
    return [sys.executable, "-m", "wxwatch", "--config", str(settings), "crawl"]


def clean_crawl(settings: Path, env: dict) -> float:
    started = time.monotonic()
    result = subprocess.run(crawl_command(settings), env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]
    return time.monotonic() - started


def killed_crawl(settings: Path, env: dict, moment: Moment) -> bool:
    """Start a crawl and SIGKILL it at `moment`; True if it was still running then."""
    process = subprocess.Popen(crawl_command(settings), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + moment.seconds
    while process.poll() is None and time.monotonic() < deadline and not moment.reached():
        time.sleep(0.002)
    if process.poll() is not None:
        return False
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    return True


@dataclass
class Moment:
    """When to kill: after `seconds`, or earlier once `count` articles are stored (or extracted) in `db`."""

    seconds: float
    db: Path
    what: str = "time"  # time | stored | extracted
    count: int = 0

    def reached(self) -> bool:
        if self.what == "time" or not self.db.exists():
            return False
        column = "id" if self.what == "stored" else "extracted_hash"
        try:
            return query(self.db, f"select count({column}) from articles")[0][0] >= self.count
        except sqlite3.Error:  # not created yet, or busy
            return False

    def __str__(self) -> str:
        return f"after {self.seconds:.2f} s" if self.what == "time" else f"once {self.count} articles {self.what}"


def random_moment(rng: random.Random, db: Path, seconds: float, articles: int) -> Moment:
    """A third of the kills at a random time of the whole run, the others inside storing or extraction."""
    what = rng.choice(("time", "stored", "extracted"))
    if what == "time":
        return Moment(rng.uniform(0.3 * seconds, 1.05 * seconds), db)
    return Moment(seconds * 2, db, what, rng.randint(1, articles - 1))


@pytest.fixture
def reference(site, tmp_path, subprocess_env) -> dict:
    """The uninterrupted crawls: the state after each step, its duration, and the baseline database to copy."""
    db = tmp_path / "reference.db"
    settings = write_settings(tmp_path / "reference.toml", db, news_sources(site.base_url))
    states, seconds = {}, {}
    for step in STEPS:
        publish(site, step)
        seconds[step] = clean_crawl(settings, subprocess_env)
        states[step] = db_state(db)
        if step == 1:
            copy_database(db, tmp_path / "baseline.db")
    assert not states[1].alerts and states[2].alerts  # the baseline is silent, the second crawl alerts
    return {"states": states, "seconds": seconds, "baseline": tmp_path / "baseline.db"}


def assert_same_outcome(state: DbState, expected: DbState) -> None:
    assert state.duplicate_urls == ()
    assert state.urls == expected.urls
    assert state.orphan_observations == 0
    assert state.not_extracted == () and state.extracted_without_observations == ()
    assert state.observations == expected.observations
    assert state.duplicate_alerts == ()
    assert state.alerts == expected.alerts


def test_sigkill_at_random_moments_loses_and_repeats_nothing(site, reference, tmp_path, subprocess_env) -> None:
    rng = random.Random(SEED)
    killed = 0
    for iteration in range(KILLS):
        step = rng.choice((1, 2))
        db = tmp_path / f"kill{iteration}.db"
        moment = random_moment(rng, db, reference["seconds"][step], STEPS[step])
        if step == 2:
            copy_database(reference["baseline"], db)
        settings = write_settings(tmp_path / f"kill{iteration}.toml", db, news_sources(site.base_url))
        publish(site, step)
        killed += killed_crawl(settings, subprocess_env, moment)
        clean_crawl(settings, subprocess_env)
        print(f"iteration {iteration}: step {step}, killed {moment}")
        assert_same_outcome(db_state(db), reference["states"][step])
        assert integrity(db) == "ok"
    assert killed >= KILLS // 2  # most kills landed while the crawl was still running
