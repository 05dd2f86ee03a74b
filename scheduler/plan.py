"""The daemon's jobs from the settings: sources grouped by schedule, their triggers, and missed-run arithmetic."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.interval import IntervalTrigger

from wxwatch.config import Config, ConfigError
from wxwatch.cron import cron_trigger

LOOKBACK = (timedelta(hours=1), timedelta(days=1), timedelta(days=8), timedelta(days=32), timedelta(days=367),
            timedelta(days=4 * 366))
MAX_STEPS = 10_000


@dataclass(frozen=True)
class PlannedJob:
    """One scheduled crawl: which sources, on which schedule (a cron expression or every N seconds)."""

    id: str
    sources: tuple[str, ...]
    cron: str | None
    every_seconds: int
    timezone: str
    jitter: int
    all_enabled: bool  # the job crawls every enabled source, so the crawl needs no source names

    @property
    def schedule(self) -> str:
        if self.cron is None:
            return f"every {self.every_seconds} s"
        return f"cron {self.cron} {self.timezone}"

    @property
    def crawl_names(self) -> tuple[str, ...]:
        """Source names for the crawl's command line (none: every enabled source)."""
        return () if self.all_enabled else self.sources

    def trigger(self, *, with_jitter: bool = True) -> BaseTrigger:
        jitter = (self.jitter or None) if with_jitter else None
        if self.cron is None:
            return IntervalTrigger(seconds=self.every_seconds, timezone=ZoneInfo(self.timezone), jitter=jitter)
        return cron_trigger(self.cron, self.timezone, jitter)


def plan_jobs(config: Config) -> list[PlannedJob]:
    """One job per distinct schedule over the enabled sources ([schedule] cron unless a source has its own)."""
    schedule = config.schedule
    enabled = [source for source in config.sources if source.enabled]
    groups: dict[str | None, list[str]] = {}
    for source in enabled:
        cron = None if schedule.every_seconds else (source.cron or schedule.cron)
        groups.setdefault(cron, []).append(source.name)
    return [
        PlannedJob(id=_job_id(cron, len(groups)), sources=tuple(names), cron=cron,
                   every_seconds=schedule.every_seconds, timezone=schedule.timezone, jitter=schedule.jitter,
                   all_enabled=len(groups) == 1)
        for cron, names in groups.items()
    ]


def _job_id(cron: str | None, group_count: int) -> str:
    return "crawl" if group_count == 1 or cron is None else f"crawl [{cron}]"


def previous_fire_time(job: PlannedJob, now: datetime) -> datetime | None:
    """The last time at or before `now` the job was due (without jitter); None if never in four years."""
    if job.cron is None:
        return now - timedelta(seconds=job.every_seconds)
    trigger = job.trigger(with_jitter=False)
    for lookback in LOOKBACK:
        fire = trigger.get_next_fire_time(None, now - lookback)
        if fire is not None and fire <= now:
            return _last_fire_until(trigger, fire, now)
    return None


def _last_fire_until(trigger: BaseTrigger, fire: datetime, now: datetime) -> datetime:
    for _ in range(MAX_STEPS):
        following = trigger.get_next_fire_time(fire, fire + timedelta(seconds=1))
        if following is None or following > now:
            return fire
        fire = following
    return fire


def check_schedules(config: Config) -> None:
    """Raise ConfigError when nothing would run (cron expressions were checked when the settings loaded)."""
    if not any(source.enabled for source in config.sources):
        raise ConfigError("sources: no enabled source to schedule")
