"""Item pipeline: store articles with diff status and count the outcome per source."""

from __future__ import annotations

import logging
import sqlite3
from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem, NotConfigured

from wxwatch.crawler.extensions import SOURCE_ERROR_STAT
from wxwatch.crawler.items import ArticleItem, ListedArticle, SourceNotModified
from wxwatch.crawler.state import article_store
from wxwatch.storage.articles import ArticleRecord, ArticleStore
from wxwatch.storage.neardup import compare_text

logger = logging.getLogger(__name__)

STATUS_STATS = {
    "new": "wxwatch/articles_new",
    "updated": "wxwatch/articles_updated",
    "unchanged": "wxwatch/articles_unchanged",
    "reprint": "wxwatch/duplicates",
}


class ArticleStoragePipeline:
    """Write each ArticleItem in its own transaction; mark ListedArticle rows unchanged."""

    def __init__(self, crawler: Crawler, store: ArticleStore) -> None:
        self.crawler = crawler
        self.store = store

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ArticleStoragePipeline:
        if not crawler.settings.getbool("WXWATCH_STORE_ARTICLES", True):
            raise NotConfigured("WXWATCH_STORE_ARTICLES is off")
        return cls(crawler, article_store(crawler.settings))

    def process_item(self, item: object) -> object:
        run_id = self.crawler.settings.getint("WXWATCH_RUN_ID") or None
        stats = self._stats(item)
        if isinstance(item, ListedArticle):
            try:
                unchanged = self.store.mark_unchanged(item.url, run_id)
            except sqlite3.Error as exc:
                raise self._storage_failed(item, exc) from None
            if unchanged:
                stats.inc_value(STATUS_STATS["unchanged"])
            return item
        if isinstance(item, SourceNotModified):
            try:  # recorded once for the source: its stored articles are not rewritten nor counted
                self.store.mark_source_unchanged(item.source, run_id)
            except sqlite3.Error as exc:
                raise self._storage_failed(item, exc) from None
            return item
        if isinstance(item, ArticleItem):
            try:
                result = self.store.save(self._record(item), run_id)
            except sqlite3.Error as exc:
                raise self._storage_failed(item, exc) from None
            stats.inc_value(STATUS_STATS[result.status])
            logger.info("%s %s (%s)", result.status, item.url, item.source)
        return item

    def _storage_failed(self, item: ArticleItem | ListedArticle | SourceNotModified, exc: sqlite3.Error) -> DropItem:
        """The write was rolled back: the source fails, and its article is fetched again by the next crawl."""
        stats = self._stats(item)
        stats.inc_value("wxwatch/errors")
        if not stats.get_value(SOURCE_ERROR_STAT):
            stats.set_value(SOURCE_ERROR_STAT, f"cannot store articles: {exc}")
        logger.error("%s: cannot store %s: %s", item.source, item.url, exc)
        return DropItem(f"not stored: {exc}")

    def _stats(self, item: object) -> Any:
        """The stats of the item's source (its own inside a run spider, else the crawler's)."""
        spider = self.crawler.spider
        source = getattr(item, "source", None)
        stats_for = getattr(spider, "stats_for", None)
        if source is not None and stats_for is not None:
            return stats_for(source)
        return self.crawler.stats

    @staticmethod
    def _record(item: ArticleItem) -> ArticleRecord:
        return ArticleRecord(
            url=item.url,
            source=item.source,
            category=item.category,
            title=item.title,
            published=item.published,
            html=item.html,
            text=item.text,
            via=item.via,
            compare_text=item.compare_text if item.compare_text is not None else compare_text(item.text),
            signature=item.signature,
            page_zstd=item.page_zstd,
        )
