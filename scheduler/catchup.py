"""Catch-up: a run missed while the daemon was down happens once at start-up, not once per missed day."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime

from wxwatch.scheduler.plan import PlannedJob, previous_fire_time


def sources_to_catch_up(jobs: Iterable[PlannedJob], last_success: Mapping[str, str | None],
                        now: datetime) -> tuple[str, ...]:
    """Sources whose last successful crawl is older than the last time their job was due (or that never ran)."""
    missed: list[str] = []
    for job in jobs:
        due = previous_fire_time(job, now)
        if due is None:
            continue
        missed.extend(source for source in job.sources if _before(last_success.get(source), due))
    return tuple(missed)


def catchup_names(sources: tuple[str, ...], jobs: Iterable[PlannedJob]) -> tuple[str, ...]:
    """The crawl's source names: none when the catch-up covers every scheduled source (a plain crawl)."""
    scheduled = {source for job in jobs for source in job.sources}
    return () if set(sources) == scheduled else sources


def _before(moment: str | None, due: datetime) -> bool:
    if not moment:
        return True
    return datetime.fromisoformat(moment) < due
