"""Loading a SOURCE (file path, URL or '-' for stdin) into title, published date and text."""

from __future__ import annotations

import logging
import re
import sys
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from wxwatch.text.decoding import decode_html_bytes
from wxwatch.text.html import html_to_text, looks_like_html, split_front_matter

logger = logging.getLogger(__name__)

URL_TIMEOUT_SECONDS = 30
_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)


class SourceError(Exception):
    """The source cannot be read or decoded."""


@dataclass
class Document:
    """A loaded article: title and published date when known, and its readable text."""

    source: str
    title: str | None
    published: str | None
    text: str


def read_source_bytes(source: str) -> tuple[bytes, str | None]:
    """Bytes of a SOURCE and the charset its transport declared (URLs only)."""
    try:
        if source == "-":
            return sys.stdin.buffer.read(), None
        if re.match(r"^https?://", source):
            with urllib.request.urlopen(source, timeout=URL_TIMEOUT_SECONDS) as response:  # noqa: S310
                return response.read(), response.headers.get_content_charset()
        return Path(source).read_bytes(), None
    except (OSError, ValueError) as error:
        raise SourceError(f"cannot read {source}: {error}") from error


def parse_document(raw: str, source: str = "") -> Document:
    """Split front matter, convert HTML and pick title/date from front matter or <title>."""
    meta, body = split_front_matter(raw)
    title = meta.get("title")
    if title is None and looks_like_html(body):
        match = _TITLE.search(body)
        title = html_to_text(match.group(1)) if match else None
    text = html_to_text(body) if looks_like_html(body) else body
    published = meta.get("date")
    return Document(source, str(title) if title else None, str(published) if published else None, text)


def load_document(source: str) -> Document:
    """Load and decode a SOURCE (path, http(s) URL or '-')."""
    body, declared = read_source_bytes(source)
    if b"\x00" in body[:4096] and not body.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise SourceError(f"{source} is not a text or HTML document")
    return parse_document(decode_html_bytes(body, declared), source)
