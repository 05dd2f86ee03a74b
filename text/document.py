"""Loading a SOURCE (file path, URL or '-' for stdin) into title, published date and text, as the crawl reads pages.

An HTML page goes through `text.pages.parse_article_page`, the crawl's own path (decoding, trafilatura main text,
title and date); a post with YAML front matter or plain text keeps its own title/date and its body as text;
a PDF gives its text layer (text/pdf.py), pages joined by form feeds.
URLs are refused when they reach a private address (unless allowed) and every input is capped in size.
"""

from __future__ import annotations

import logging
import re
import sys
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from wxwatch.text.addresses import private_url_host
from wxwatch.text.decoding import decode_html_bytes
from wxwatch.text.html import html_to_text, looks_like_html, split_front_matter
from wxwatch.text.pdf import PdfError, is_pdf, page_text, pdf_metadata, pdf_pages

logger = logging.getLogger(__name__)

URL_TIMEOUT_SECONDS = 30
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
_PAGE_START = re.compile(r"\A\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.IGNORECASE | re.DOTALL)
_URL = re.compile(r"^https?://", re.IGNORECASE)


class SourceError(Exception):
    """The source cannot be read or decoded."""


@dataclass(frozen=True)
class ReadOptions:
    """How a SOURCE may be read: its size cap, whether private addresses are allowed, the pages' time zone."""

    max_bytes: int = DEFAULT_MAX_BYTES
    allow_private: bool = False
    timezone: str = "Asia/Shanghai"


@dataclass
class Document:
    """A loaded article: title and published date when known, and its readable text."""

    source: str
    title: str | None
    published: str | None
    text: str


def read_source_bytes(source: str, options: ReadOptions = ReadOptions()) -> tuple[bytes, str | None]:
    """Bytes of a SOURCE and the charset its transport declared (URLs only), at most `options.max_bytes`."""
    try:
        if source == "-":
            return _capped(sys.stdin.buffer, source, options.max_bytes), None
        if _URL.match(source):
            return _read_url(source, options)
        with Path(source).open("rb") as handle:
            return _capped(handle, source, options.max_bytes), None
    except (OSError, ValueError) as error:
        raise SourceError(f"cannot read {source}: {error}") from error


def _read_url(url: str, options: ReadOptions) -> tuple[bytes, str | None]:
    host = None if options.allow_private else private_url_host(url)
    if host is not None:
        raise SourceError(f"{url}: refusing private address {host!r} (use --allow-private)")
    with urllib.request.urlopen(url, timeout=URL_TIMEOUT_SECONDS) as response:  # noqa: S310 (http(s) only)
        return _capped(response, url, options.max_bytes), response.headers.get_content_charset()


def _capped(handle: BinaryIO, source: str, max_bytes: int) -> bytes:
    body = handle.read(max_bytes + 1)
    if len(body) > max_bytes:
        raise SourceError(f"{source}: larger than [crawler] max_response_bytes ({max_bytes} bytes); not read")
    return body


def is_page(decoded: str) -> bool:
    """A whole HTML page (doctype, <html>, <head> or <body> first), not a fragment or a post."""
    return bool(_PAGE_START.match(decoded))


def parse_document(raw: str, source: str = "") -> Document:
    """A post or text: front matter for title/date, the body as text (HTML fragments converted)."""
    meta, body = split_front_matter(raw)
    text = html_to_text(body) if looks_like_html(body) else body
    title, published = meta.get("title"), meta.get("date")
    return Document(source, str(title) if title else None, str(published) if published else None, text)


def pdf_document(body: bytes, source: str) -> Document:
    """A PDF's text layer, pages joined by form feeds; SourceError for a scan without text or a broken file."""
    try:
        pages = pdf_pages(body, source)
    except PdfError as error:
        raise SourceError(str(error)) from error
    title, published = pdf_metadata(body)
    return Document(source, title, published, page_text(pages))


def load_document(source: str, options: ReadOptions = ReadOptions()) -> Document:
    """Load and decode a SOURCE (path, http(s) URL or '-'); pages are read exactly as the crawl reads them."""
    body, declared = read_source_bytes(source, options)
    if is_pdf(body):
        return pdf_document(body, source)
    if b"\x00" in body[:4096] and not body.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise SourceError(f"{source} is not a text or HTML document")
    decoded = decode_html_bytes(body, declared)
    if not is_page(decoded):
        return parse_document(decoded, source)
    from wxwatch.text.pages import parse_article_page  # trafilatura and htmldate: ~0.4 s to import, pages only

    page = parse_article_page(body, declared, source, options.timezone)
    return Document(source, page.title or None, page.published, page.text)
