"""Article pages: decode, then find title, published time and clean main text (a PDF: its text layer)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import trafilatura
from lxml import etree
from parsel import Selector

from wxwatch.text.boilerplate import prune_link_lists, remove_link_lists, trim_text
from wxwatch.text.dates import page_published
from wxwatch.text.decoding import decode_html_bytes
from wxwatch.text.html import html_to_text
from wxwatch.text.pdf import PdfError, is_pdf, page_text, pdf_metadata, pdf_pages
from wxwatch.text.titles import page_title
from wxwatch.text.wechat import is_wechat_page, wechat_article

logger = logging.getLogger(__name__)

MIN_MAIN_TEXT = 40


@dataclass(frozen=True)
class ParsedPage:
    html: str
    title: str
    published: str | None
    text: str


def parse_article_page(
    body: bytes, declared_encoding: str | None, url: str, tz: str, fetched: datetime | None = None
) -> ParsedPage:
    """Everything wxwatch keeps of an article page; `tz` applies to times without an offset.

    `fetched` (default: now) bounds the published time: a page is never dated after it was fetched.
    """
    if is_pdf(body):
        return pdf_page(body, url)
    html = decode_html_bytes(body, declared_encoding)
    selector = Selector(text=html)
    if is_wechat_page(selector, url):
        article = wechat_article(selector, html, tz)
        return ParsedPage(html=html, title=article.title, published=article.published, text=article.text)
    return ParsedPage(
        html=html,
        title=page_title(selector),
        published=page_published(selector, html, tz, fetched),
        text=_main_text_of_tree(selector.root, html, url),  # title and date are read: the tree may be pruned
    )


def pdf_page(body: bytes, url: str) -> ParsedPage:
    """A PDF document (a results release): its text layer, pages joined by form feeds; no text for a scan."""
    try:
        text = page_text(pdf_pages(body, url))
    except PdfError as error:
        logger.warning("%s", error)
        return ParsedPage(html="", title="", published=None, text="")
    title, published = pdf_metadata(body)
    return ParsedPage(html="", title=title or "", published=published, text=text)


def main_text(html: str, url: str | None = None) -> str:
    """The article's main text with trafilatura after link lists are removed; the whole body as text when
    that finds too little."""
    cleaned = remove_link_lists(html)
    return _chosen_text(_trafilatura_text(cleaned, url), lambda: cleaned)


def _main_text_of_tree(root: etree._Element, html: str, url: str | None) -> str:
    """`main_text` on the page's one parsed tree (pruned in place, handed to trafilatura without re-parsing)."""
    prune_link_lists(root)
    etree.strip_elements(root, etree.Comment, etree.ProcessingInstruction, with_tail=False)  # as trafilatura's parser
    return _chosen_text(_trafilatura_text(root, url), lambda: remove_link_lists(html))


def _trafilatura_text(page: str | etree._Element, url: str | None) -> str | None:
    return trafilatura.extract(
        page, url=url, favor_recall=True, include_comments=False, include_tables=True, deduplicate=False
    )


def _chosen_text(text: str | None, cleaned_html: Callable[[], str]) -> str:
    """trafilatura's text when it is long enough, else the longer of it and the cleaned page's whole text."""
    if text and len(text) >= MIN_MAIN_TEXT:
        return trim_text(text).strip()
    fallback = html_to_text(cleaned_html()).strip()
    return fallback if len(fallback) > len(text or "") else (text or "").strip()
