"""PDF documents (results releases): the text layer of each page with pypdf, pages joined by form feeds."""

from __future__ import annotations

import io
import logging
import re
from datetime import datetime

logger = logging.getLogger(__name__)

PAGE_BREAK = "\f"
PDF_MAGIC = b"%PDF-"
_PDF_DATE = re.compile(r"^D:(\d{14})(?:(Z)|([+-]\d{2})'?(\d{2})'?)?")


class PdfError(Exception):
    """A PDF that cannot be read, or that has no text layer (a scan): one line for the user."""


def is_pdf(body: bytes, content_type: str | None = None) -> bool:
    """A PDF by its magic bytes (within the first KiB, as readers allow) or its declared content type."""
    return PDF_MAGIC in body[:1024] or (content_type or "").split(";")[0].strip().lower() == "application/pdf"


def _reader(body: bytes):  # noqa: ANN202 (pypdf's PdfReader, imported here)
    """pypdf is imported only when a PDF is read: `wxwatch extract` on a text file starts faster."""
    from pypdf import PdfReader

    return PdfReader(io.BytesIO(body))


def _read_error() -> type[Exception]:
    from pypdf.errors import PdfReadError

    return PdfReadError


def pdf_pages(body: bytes, source: str) -> list[str]:
    """The text of each page, in order; PdfError when unreadable or without any text layer."""
    try:
        reader = _reader(body)
        pages = [page.extract_text() or "" for page in reader.pages]
    except (_read_error(), ValueError, KeyError, TypeError) as error:
        raise PdfError(f"{source}: not a readable PDF ({error})") from error
    if not any(page.strip() for page in pages):
        raise PdfError(f"{source}: PDF without a text layer ({len(pages)} pages, scanned images?);"
                       " wxwatch does not OCR: extract the text first")
    return pages


def pdf_metadata(body: bytes) -> tuple[str | None, str | None]:
    """Title and creation time (ISO 8601, as written) from the PDF's document information, when present."""
    try:
        info = _reader(body).metadata
    except (_read_error(), ValueError, KeyError, TypeError):
        return None, None
    if info is None:
        return None, None
    title = str(info.title).strip() if info.title else None
    return title or None, _pdf_time(str(info.get("/CreationDate") or ""))


def _pdf_time(written: str) -> str | None:
    """A PDF date ("D:20250313163000+08'00'") as ISO 8601, with its offset when it has one."""
    created = _PDF_DATE.match(written)
    if created is None:
        return None
    moment = datetime.strptime(created.group(1), "%Y%m%d%H%M%S").isoformat()
    if created.group(2):
        return f"{moment}+00:00"
    return f"{moment}{created.group(3)}:{created.group(4)}" if created.group(3) else moment


def page_text(pages: list[str]) -> str:
    """One text for extraction: the pages joined by form feeds (so each figure can cite its page)."""
    return PAGE_BREAK.join(pages)
