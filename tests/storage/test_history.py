"""Metric history: the subset of known values loaded per reading gives the rules the same answer as all of them."""

from __future__ import annotations

import random
from pathlib import Path

from wxwatch.events.model import EventSource
from wxwatch.events.rules import Reading, RuleSettings, apply_reading
from wxwatch.storage.db import open_database
from wxwatch.storage.history import MetricHistory

RULES = RuleSettings()
VALUES = [4.5e8, 4.52e8, 6e8, 2.29e10, 2.9e10, 0.41, 0.42, 1.0]
PERIODS = [None, "2020", "2021", "2021Q4", "2021H2", "2022"]
DATES = ["2021-01-10T09:00:00+08:00", "2022-01-06T21:02:04+08:00", "2022-01-06T10:22:16+00:00",
         "2022-01-12T09:00:00+08:00", "2023-01-10T20:00:00+08:00", None]


def random_reading(rng: random.Random) -> Reading:
    source = EventSource(rng.choice(["stcn", "36kr", "farm", "jianshi"]), published=rng.choice(DATES))
    return Reading("m", rng.choice(VALUES), source, rng.choice(["normal", "low", "high"]), metric="m",
                   period=rng.choice(PERIODS), qualifier=rng.choice(["=", "=", ">", "~"]),
                   precision=rng.choice([0.0, 0.01, 1e7, 1e8]))


def test_subset_and_full_history_give_the_same_event(tmp_path: Path) -> None:
    rng = random.Random(7)
    for trial in range(60):
        history = MetricHistory(open_database(tmp_path / f"h{trial}.db"))
        for _ in range(rng.randint(0, 12)):  # build a random history through the real fold
            reading = random_reading(rng)
            everything = history.known_values("m", None)
            history.save_known(apply_reading(everything, reading, RULES).touched, {})
        reading = random_reading(rng)
        full = apply_reading(history.known_values("m", None), reading, RULES)
        subset = history.known_values("m", reading.period)
        assert apply_reading(subset, reading, RULES).event == full.event, trial
