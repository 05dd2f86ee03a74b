"""Crontab expressions as APScheduler triggers (standard weekdays), checked once when the settings load."""

from __future__ import annotations

import re
from zoneinfo import ZoneInfo

from apscheduler.triggers.cron import CronTrigger

CRON_WEEKDAYS = ("sun", "mon", "tue", "wed", "thu", "fri", "sat", "sun")


def cron_trigger(expression: str, timezone: str, jitter: int | None = None) -> CronTrigger:
    """A CronTrigger with standard crontab weekdays (APScheduler 3's from_crontab takes 0 as Monday)."""
    minute, hour, day, month, day_of_week = expression.split()
    return CronTrigger(minute=minute, hour=hour, day=day, month=month, day_of_week=cron_weekdays(day_of_week),
                       timezone=ZoneInfo(timezone), jitter=jitter)


def cron_weekdays(field: str) -> str:
    """Crontab's day-of-week field as weekday names (0 and 7: Sunday), e.g. `1-5` -> `mon,tue,wed,thu,fri`."""
    if field == "*" or re.search(r"[a-z]", field, re.IGNORECASE):
        return field
    days: set[int] = set()
    for part in field.split(","):
        base, _, step = part.partition("/")
        low, _, high = ("0-7" if base == "*" else base).partition("-")
        last = int(high) if high else (7 if step else int(low))
        if not 0 <= int(low) <= last <= 7:
            raise ValueError(f"bad day-of-week field {field!r}")
        days.update(day % 7 for day in range(int(low), last + 1, int(step or 1)))
    return ",".join(CRON_WEEKDAYS[day] for day in sorted(days))
