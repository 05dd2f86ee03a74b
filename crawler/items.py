"""Scrapy items (dataclasses): a fetched article, a known article seen again, a source not modified."""

from __future__ import annotations

from dataclasses import dataclass

from wxwatch.storage.neardup import TextSignature


@dataclass
class ArticleItem:
    """One article page (or a feed entry's full content when the page could not be fetched)."""

    url: str
    source: str
    category: str
    title: str
    published: str | None
    html: str
    text: str
    via: str = "page"  # page | feed
    compare_text: str | None = None  # precomputed (e.g. in a worker process); else the pipeline computes it
    signature: TextSignature | None = None  # reprint-detection signature of compare_text, when precomputed
    page_zstd: bytes | None = None  # the page compressed by the page worker (then `html` is left empty)


@dataclass
class ListedArticle:
    """A stored article that a listing or feed still shows; it is not fetched again."""

    url: str
    source: str


@dataclass
class SourceNotModified:
    """A source's feed or first listing page answered 304: every article it lists is unchanged."""

    url: str
    source: str
