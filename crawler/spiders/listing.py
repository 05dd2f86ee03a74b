"""The `listing` spider: a category page (and its next pages) -> article links -> article pages."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterable, Iterator
from urllib.parse import urljoin, urlsplit

from parsel import Selector
from scrapy.http import Response

from wxwatch.crawler.spiders.base import SourceSpider, declared_charset
from wxwatch.text.decoding import decode_html_bytes

logger = logging.getLogger(__name__)

MIN_LINK_TEXT = 6  # default selector: article links carry a headline, navigation links do not


def listing_links(selector: Selector, base_url: str, link_selector: str | None) -> list[str]:
    """Absolute article links on a listing page, in page order, without duplicates."""
    if link_selector:
        hrefs = _selected_hrefs(selector, link_selector)
    else:
        hrefs = _headline_hrefs(selector)
    links: list[str] = []
    for href in hrefs:
        url = urljoin(base_url, href.strip())
        if urlsplit(url).scheme in ("http", "https", "file") and url not in links and url != base_url:
            links.append(url)
    return links


def _selected_hrefs(selector: Selector, css: str) -> Iterable[str]:
    for node in selector.css(css):
        if node.root.tag == "a":
            href = node.attrib.get("href")
            if href:
                yield href
        else:
            yield from node.css("a::attr(href)").getall()


def _headline_hrefs(selector: Selector) -> Iterable[str]:
    for node in selector.css("body a[href]"):
        text = "".join(node.css("::text").getall()).strip()
        if len(text) >= MIN_LINK_TEXT and not node.attrib["href"].startswith(("#", "javascript:", "mailto:")):
            yield node.attrib["href"]


class ListingSpider(SourceSpider):
    name = "listing"

    async def start(self) -> AsyncIterator:
        yield self.entry_request(self.source.url, self.parse_listing, page=1)

    def parse_listing(self, response: Response) -> Iterator:
        not_modified = self.entry_not_modified(response)
        if not_modified is not None:
            yield from not_modified
            return
        page = response.meta.get("page", 1)
        if page == 1:
            self.remember_validators(response)
        selector = Selector(text=decode_html_bytes(response.body, declared_charset(response)))
        links = listing_links(selector, response.url, self.source.link_selector)
        self.crawler.stats.inc_value("wxwatch/links_found", len(links))
        if not links and page == 1:
            self.crawler.stats.set_value("wxwatch/selector_empty", 1)
            logger.warning("%s: no article link on %s (link_selector %r)", self.source.name, response.url,
                           self.source.link_selector)
        for link in links:
            yield from self.article_request(link)
        yield from self.next_page(selector, response, page)

    def next_page(self, selector: Selector, response: Response, page: int) -> Iterator:
        if not self.source.next_selector or page >= self.source.max_pages:
            return
        href = selector.css(self.source.next_selector).attrib.get("href")
        if href:
            request = self.entry_request(urljoin(response.url, href), self.parse_listing, page=page + 1)
            request.errback = self.next_page_failed
            yield request

    def next_page_failed(self, failure) -> None:
        logger.warning("%s: cannot fetch next listing page %s", self.source.name, failure.request.url)
        self.count("errors")
