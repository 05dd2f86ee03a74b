"""Article pages: decode, then find title, published time and clean main text."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import datetime, time
from zoneinfo import ZoneInfo

import trafilatura
from parsel import Selector

from wxwatch.text.decoding import decode_html_bytes
from wxwatch.text.html import html_to_text

logger = logging.getLogger(__name__)

PUBLISHED_META = (
    "meta[property='article:published_time']::attr(content)",
    "meta[name='pubdate']::attr(content)",
    "meta[name='publishdate']::attr(content)",
    "meta[name='PubDate']::attr(content)",
    "meta[itemprop='datePublished']::attr(content)",
    "meta[name='date']::attr(content)",
    "time[datetime]::attr(datetime)",
)
TITLE_SELECTORS = (
    "meta[property='og:title']::attr(content)",
    "h1 ::text",
    "title::text",
)
DATETIME_RE = re.compile(
    r"(\d{4})[-/年.](\d{1,2})[-/月.](\d{1,2})日?(?:[ T]*(\d{1,2}):(\d{2})(?::(\d{2}))?)?"
    r"\s*(Z|[+-]\d{2}:?\d{2})?"
)
MIN_MAIN_TEXT = 40


@dataclass(frozen=True)
class ParsedPage:
    html: str
    title: str
    published: str | None
    text: str


def parse_article_page(body: bytes, declared_encoding: str | None, url: str, tz: str) -> ParsedPage:
    """Everything wxwatch keeps of an article page; `tz` applies to times without an offset."""
    html = decode_html_bytes(body, declared_encoding)
    selector = Selector(text=html)
    return ParsedPage(
        html=html,
        title=page_title(selector),
        published=page_published(selector, tz),
        text=main_text(html, url),
    )


def main_text(html: str, url: str | None = None) -> str:
    """The article's main text with trafilatura; the whole body as text when that finds too little."""
    text = trafilatura.extract(
        html, url=url, favor_recall=True, include_comments=False, include_tables=True, deduplicate=False
    )
    if text and len(text) >= MIN_MAIN_TEXT:
        return text.strip()
    fallback = html_to_text(html)
    return fallback.strip() if len(fallback.strip()) > len(text or "") else (text or "").strip()


def page_title(selector: Selector) -> str:
    for css in TITLE_SELECTORS:
        value = " ".join(t.strip() for t in selector.css(css).getall() if t.strip())
        if value:
            return value
    return ""


def page_published(selector: Selector, tz: str) -> str | None:
    """The published time from the page's metadata, as ISO 8601 with an offset."""
    for css in PUBLISHED_META:
        for value in selector.css(css).getall():
            parsed = parse_datetime(value, tz)
            if parsed:
                return parsed
    return None


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


def _offset_zone(offset: str):
    if offset == "Z":
        return ZoneInfo("UTC")
    return datetime.strptime(offset.replace(":", ""), "%z").tzinfo
