"""The `feed` spider: RSS/Atom (feedparser) -> each entry's page, or the entry's own content."""

from __future__ import annotations

import calendar
import logging
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import feedparser
from scrapy.http import Request, Response

from wxwatch.crawler.items import ArticleItem
from wxwatch.crawler.spiders.base import SourceSpider
from wxwatch.text.dates import parse_datetime
from wxwatch.text.html import html_to_text

logger = logging.getLogger(__name__)

ENTITY_DECLARATION = b"<!ENTITY"  # feeds have no use for them; they are how "billion laughs" bombs start
PROLOG_BYTES = 64 * 1024  # a DTD's internal subset comes before the root element


def entry_published(entry: Any, tz: str) -> str | None:
    """An entry's published (else updated) time as ISO 8601 with an offset."""
    for key in ("published_parsed", "updated_parsed"):
        parsed = entry.get(key)
        if parsed:
            return datetime.fromtimestamp(calendar.timegm(parsed), UTC).isoformat()
    for key in ("published", "updated"):
        if entry.get(key):
            return parse_datetime(entry[key], tz)
    return None


def entry_content(entry: Any) -> str:
    """The fullest HTML the entry carries: content, else summary."""
    contents = entry.get("content") or []
    values = [c.get("value", "") for c in contents] + [entry.get("summary", "")]
    return max(values, key=len) if values else ""


class FeedSpider(SourceSpider):
    name = "feed"

    def entry_requests(self) -> list[Request]:
        return [self.entry_request(self.source.url, self.parse_feed)]

    def parse_feed(self, response: Response) -> Iterator:
        not_modified = self.entry_not_modified(response)
        if not_modified is not None:
            yield from not_modified
            return
        if ENTITY_DECLARATION in response.body[:PROLOG_BYTES]:
            self.fail_source(f"{response.url}: refused: the feed declares XML entities (entity expansion)")
            return
        feed = feedparser.parse(response.body)
        if not feed.entries and (feed.bozo or not feed.version):
            reason = feed.get("bozo_exception") or "no RSS or Atom element"
            self.fail_source(f"{response.url}: not a feed ({' '.join(str(reason).split())})")
            return
        self.remember_validators(response)
        self.stats.inc_value("wxwatch/links_found", len(feed.entries))
        for entry in feed.entries:
            link = entry.get("link")
            if not link:
                self.count("errors")
                continue
            yield from self.article_request(
                response.urljoin(link),
                title=entry.get("title", ""),
                published=entry_published(entry, self.source.timezone),
                content=entry_content(entry),
            )

    def article_fallback(self, key: str, entry: dict, reason: str) -> Iterator[ArticleItem]:
        """The page failed: store the entry's own content when it has any."""
        self.count("errors")
        text = html_to_text(entry.get("content") or "").strip()
        if not text:
            return
        logger.info("%s: using the feed's content for %s (%s)", self.source.name, key, reason)
        yield ArticleItem(
            url=key,
            source=self.source.name,
            category=self.source.category,
            title=entry.get("title", ""),
            published=entry.get("published"),
            html=entry.get("content", ""),
            text=text,
            via="feed",
        )
