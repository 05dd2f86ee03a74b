"""Times for people: every stored instant shown in one zone ([schedule] timezone) with its UTC offset.

Stored times are ISO 8601 instants: run and bookkeeping times in UTC, an article's `published` with the
outlet's own offset (its local calendar date is what "今年" or "三季度" in the text refers to).
"""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo


def local_time(moment: str | None, tz: str, *, seconds: bool = False) -> str:
    """'2024-08-20 10:00 +08:00' for an ISO instant in zone `tz`; a value without an offset is taken as UTC."""
    if not moment:
        return ""
    try:
        parsed = datetime.fromisoformat(moment)
    except ValueError:
        return moment
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    shown = parsed.astimezone(ZoneInfo(tz))
    clock = shown.strftime("%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M")
    offset = shown.strftime("%z")
    return f"{clock} {offset[:3]}:{offset[3:]}"


def local_date(moment: str | None, tz: str) -> str:
    """The calendar date of an ISO instant in zone `tz` ('2024-08-20')."""
    return local_time(moment, tz)[:10]
