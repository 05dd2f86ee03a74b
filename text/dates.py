"""Published time of an article page: explicit metadata, JSON-LD, then htmldate; only plausible dates."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import htmldate
from parsel import Selector

logger = logging.getLogger(__name__)

EARLIEST = date(1995, 1, 1)  # no Chinese news outlet published on the web before this
PUBLISHED_META = (
    "meta[property='article:published_time']::attr(content)",
    "meta[name='pubdate']::attr(content)",
    "meta[name='publishdate']::attr(content)",
    "meta[name='PubDate']::attr(content)",
    "meta[itemprop='datePublished']::attr(content)",
    "meta[name='apub:time']::attr(content)",
    "meta[property='og:release_date']::attr(content)",
    "meta[name='date']::attr(content)",
)
JSON_LD_KEYS = ("datePublished", "pubDate", "dateCreated")
DATETIME_RE = re.compile(
    r"(\d{4})[-/年.](\d{1,2})[-/月.](\d{1,2})日?(?:[ T]*(\d{1,2}):(\d{2})(?::(\d{2}))?)?"
    r"(?:\.\d+)?\s*(Z|[+-]\d{2}:?\d{2})?"
)
HTMLDATE_FORMAT = "%Y-%m-%dT%H:%M:%S"


def page_published(selector: Selector, html: str, tz: str, fetched: datetime | None = None) -> str | None:
    """The published time as ISO 8601 with an offset: metadata, then JSON-LD, then htmldate's page search.

    `tz` applies to times without an offset; a date after `fetched` (default: now) or before 1995 is ignored.
    """
    fetched = fetched or datetime.now(UTC)
    for value in _declared_dates(selector):
        parsed = parse_datetime(value, tz)
        if parsed and plausible(parsed, fetched):
            return parsed
    return _searched_date(html, tz, fetched)


def plausible(value: str, fetched: datetime) -> bool:
    """Not after the fetch and not before the web had Chinese outlets."""
    moment = datetime.fromisoformat(value)
    return moment.date() >= EARLIEST and moment <= fetched


def parse_datetime(value: str, tz: str) -> str | None:
    """Parse common date/time spellings (ISO, 2022/01/06 21:02, 2022年1月6日); None if none found."""
    match = DATETIME_RE.search(value or "")
    if not match:
        return None
    year, month, day, hour, minute, second, offset = match.groups()
    try:
        moment = datetime(int(year), int(month), int(day)).date()
        clock = time(int(hour or 0), int(minute or 0), int(second or 0))
    except ValueError:
        return None
    zone = _offset_zone(offset) if offset else ZoneInfo(tz)
    return datetime.combine(moment, clock, tzinfo=zone).isoformat()


def from_timestamp(seconds: str | int, tz: str) -> str | None:
    """A Unix timestamp (as WeChat pages carry it) as ISO 8601 in `tz`."""
    try:
        return datetime.fromtimestamp(int(seconds), ZoneInfo(tz)).isoformat()
    except (ValueError, OverflowError, OSError):
        return None


def _declared_dates(selector: Selector) -> Iterator[str]:
    for css in PUBLISHED_META:
        yield from selector.css(css).getall()
    for script in selector.css("script[type='application/ld+json']::text").getall():
        yield from _json_ld_dates(script)


def _json_ld_dates(script: str) -> Iterator[str]:
    try:
        data = json.loads(script, strict=False)
    except ValueError:
        return
    for item in data if isinstance(data, list) else [data]:
        if isinstance(item, dict):
            yield from (str(item[key]) for key in JSON_LD_KEYS if item.get(key))


def _searched_date(html: str, tz: str, fetched: datetime) -> str | None:
    """htmldate's search of the page (datelines, scripts, URL), bounded to plausible days."""
    try:
        found = htmldate.find_date(
            html, extensive_search=True, original_date=True, outputformat=HTMLDATE_FORMAT,
            min_date=datetime.combine(EARLIEST, time()), max_date=fetched.replace(tzinfo=None),
        )
    except (ValueError, TypeError) as exc:  # htmldate rejects some malformed documents
        logger.debug("htmldate failed: %s", exc)
        return None
    parsed = parse_datetime(found, tz) if found else None
    return parsed if parsed and plausible(parsed, fetched) else None


def _offset_zone(offset: str):
    if offset == "Z":
        return ZoneInfo("UTC")
    return datetime.strptime(offset.replace(":", ""), "%z").tzinfo
