"""Boilerplate removal before main-text extraction: link-dense blocks (related, hot, ranking lists, footers)."""

from __future__ import annotations

import logging

from lxml import etree
from lxml import html as lxml_html

logger = logging.getLogger(__name__)

BLOCK_TAGS = ("ul", "ol", "dl", "table", "div", "section", "aside", "nav", "footer", "p", "li")
MIN_LINKS = 3  # one or two links in a block are citations or a "source" line, not a list
MAX_LINK_DENSITY = 0.5  # share of a block's text inside <a>; above it the block is a list of links


def remove_link_lists(html: str) -> str:
    """The page without its link-dense blocks (deepest first, so an article keeps its paragraphs)."""
    try:
        root = lxml_html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return html
    removed = 0
    for node in reversed(list(root.iter(*BLOCK_TAGS))):
        if node.getparent() is not None and is_link_list(node):
            node.drop_tree()
            removed += 1
    logger.debug("removed %d link-dense blocks", removed)
    return lxml_html.tostring(root, encoding="unicode")


def is_link_list(node: etree._Element) -> bool:
    """Several links that make up most of the block's text."""
    links = node.xpath(".//a[normalize-space()]")
    if len(links) < MIN_LINKS:
        return False
    text = _visible_length(node.text_content())
    linked = sum(_visible_length(link.text_content()) for link in links)
    return text > 0 and linked / text > MAX_LINK_DENSITY


def _visible_length(text: str) -> int:
    return len("".join(text.split()))
