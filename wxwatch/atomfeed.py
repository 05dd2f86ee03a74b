"""`alerts.atom`: the alerts as an Atom feed a feed reader (Miniflux, FreshRSS) can subscribe to."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path

from feedgen.feed import FeedGenerator

from wxwatch.notify.render import KIND_LABELS
from wxwatch.storage.outbox import Alert


def feed_id(db_path: Path) -> str:
    """A stable feed ID per database file (entry IDs extend it with the alert id)."""
    return "urn:wxwatch:" + hashlib.sha1(str(db_path.resolve()).encode()).hexdigest()[:16]


def write_alerts_feed(alerts: Sequence[Alert], describe: Callable[[Alert], str], db_path: Path, path: Path,
                      updated: datetime) -> None:
    """Write one entry per alert, newest first: the description as title, the article as link."""
    feed = FeedGenerator()
    feed.id(feed_id(db_path))
    feed.title("wxwatch alerts")
    feed.subtitle(f"WeChat figures: new, changed and conflicting values ({db_path.name})")
    feed.link(href=path.name, rel="self")
    feed.language("zh-CN")
    feed.updated(updated)
    for alert in alerts:  # feedgen prepends each entry: oldest first in, newest first out
        _add_entry(feed, alert, describe(alert), feed_id(db_path))
    path.write_bytes(feed.atom_str(pretty=True))


def _add_entry(feed: FeedGenerator, alert: Alert, description: str, base_id: str) -> None:
    entry = feed.add_entry()
    entry.id(f"{base_id}:alert:{alert.id}")
    label = KIND_LABELS.get(alert.kind, alert.kind)
    entry.title(f"【{label}】{description}")
    if alert.url:
        entry.link(href=alert.url)
    entry.category(term=alert.kind, label=label)
    entry.author(name=alert.category or alert.source or "wxwatch")
    created = _moment(alert.created)
    entry.updated(created)
    if alert.published:
        entry.published(_moment(alert.published))
    entry.summary(_summary(alert, description))


def _summary(alert: Alert, description: str) -> str:
    lines = [description, alert.title, alert.text, f"metric: {alert.metric or alert.metric_key}"]
    if alert.other_url:
        lines.append(f"other report: {alert.other_category or alert.other_source} {alert.other_url}")
    return "\n".join(line for line in lines if line)


def _moment(text: str | None) -> datetime:
    try:
        moment = datetime.fromisoformat(text or "")
    except ValueError:
        return datetime.now(UTC)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
