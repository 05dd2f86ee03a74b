"""The `listing` spider: a category page (and its next pages) -> article links -> article pages."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from parsel import Selector
from scrapy.http import Request, Response

from wxwatch.crawler.extensions import SKIPPED_STAT_PREFIX
from wxwatch.crawler.links import LinkRules, skip_reason
from wxwatch.crawler.spiders.base import SourceSpider, declared_charset
from wxwatch.text.decoding import decode_html_bytes

logger = logging.getLogger(__name__)


@dataclass
class ListingLinks:
    """The article links of a listing page, in page order, and how many links were skipped for each reason."""

    links: list[str] = field(default_factory=list)
    skipped: Counter = field(default_factory=Counter)


def listing_links(selector: Selector, base_url: str, rules: LinkRules) -> ListingLinks:
    """Absolute article links on a listing page: those of `link_selector`, else those that look like articles.

    A URL linked several times (picture, then headline) is judged once, by its longest anchor text.
    """
    headlines: dict[str, str] = {}
    for href, text in _anchors(selector, rules.link_selector):
        url = urljoin(base_url, href.strip())
        if urlsplit(url).scheme in ("http", "https", "file") and url != base_url:
            text = " ".join(text.split())
            headlines[url] = max(headlines.get(url, ""), text, key=len)
    result = ListingLinks()
    for url, text in headlines.items():
        reason = skip_reason(url, text, base_url, rules)
        if reason:
            result.skipped[reason] += 1
            logger.debug("skipped %s (%s): %s", url, text[:40], reason)
        else:
            result.links.append(url)
    return result


def _anchors(selector: Selector, css: str | None) -> Iterable[tuple[str, str]]:
    """(href, anchor text) of the selected links, or of every link in the body."""
    nodes = selector.css(css) if css else selector.css("body a[href]")
    for node in nodes:
        anchors = [node] if node.root.tag == "a" else node.css("a[href]")
        for anchor in anchors:
            href = anchor.attrib.get("href", "")
            if href and not href.startswith(("#", "javascript:", "mailto:")):
                yield href, "".join(anchor.css("::text").getall())


class ListingSpider(SourceSpider):
    name = "listing"

    def entry_requests(self) -> list[Request]:
        return [self.entry_request(self.source.url, self.parse_listing, page=1)]

    def parse_listing(self, response: Response) -> Iterator:
        not_modified = self.entry_not_modified(response)
        if not_modified is not None:
            yield from not_modified
            return
        page = response.meta.get("page", 1)
        if page == 1:
            self.remember_validators(response)
        selector = Selector(text=decode_html_bytes(response.body, declared_charset(response)))
        found = listing_links(selector, response.url, self.link_rules)
        self.record_links(found, response.url)
        if not found.links and page == 1:
            self.stats.set_value("wxwatch/selector_empty", 1)
            logger.warning("%s: no article link on %s (link_selector %r, %d links skipped)", self.source.name,
                           response.url, self.source.link_selector, found.skipped.total())
        for link in found.links:
            yield from self.article_request(link)
        yield from self.next_page(selector, response, page)

    def record_links(self, found: ListingLinks, url: str) -> None:
        """Count the article links and, per reason, the skipped ones (shown by `sources --json`)."""
        stats = self.stats
        stats.inc_value("wxwatch/links_found", len(found.links))
        for reason, count in found.skipped.items():
            stats.inc_value("wxwatch/links_skipped", count)
            stats.inc_value(f"{SKIPPED_STAT_PREFIX}{reason}", count)
        if found.skipped:
            reasons = ", ".join(f"{reason}: {count}" for reason, count in found.skipped.most_common())
            logger.info("%s: %s: %d article links, %d skipped (%s)", self.source.name, url, len(found.links),
                        found.skipped.total(), reasons)

    def next_page(self, selector: Selector, response: Response, page: int) -> Iterator:
        if not self.source.next_selector or page >= self.source.max_pages:
            return
        href = selector.css(self.source.next_selector).attrib.get("href")
        if href:
            yield self.entry_request(urljoin(response.url, href), self.parse_listing, self.next_page_failed,
                                     page=page + 1)

    def next_page_failed(self, failure) -> None:
        logger.warning("%s: cannot fetch next listing page %s", self.source.name, failure.request.url)
        self.count("errors")
