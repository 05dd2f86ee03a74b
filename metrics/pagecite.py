"""The page a figure was read on, for documents with pages (a PDF's text keeps its pages apart by form feeds)."""

from __future__ import annotations

from wxwatch.metrics.normalize import normalize_text

PAGE_BREAK = "\f"
_PREFIX = 12


def cite_pages(sentences: list[str], text: str) -> list[int | None]:
    """Per sentence (as the extractor returned it), the 1-based page of `text` that holds it; None without pages.

    A sentence running over a page break is cited on the page where it starts."""
    pages = text.split(PAGE_BREAK)
    if len(pages) < 2:
        return [None] * len(sentences)
    normalized = [normalize_text(page) for page in pages]
    return [_page_of(sentence, normalized) for sentence in sentences]


def _page_of(sentence: str, pages: list[str]) -> int | None:
    for needle in (sentence.strip(), sentence.strip()[:_PREFIX]):
        for number, page in enumerate(pages, start=1):
            if needle and needle in page:
                return number
    return None
