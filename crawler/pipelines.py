"""Item pipeline: store articles with diff status and count the outcome per source."""

from __future__ import annotations

import logging

from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

from crawler.items import ArticleItem, ListedArticle
from crawler.state import article_store
from metrics.normalize import normalize_text
from storage.articles import ArticleRecord, ArticleStore

logger = logging.getLogger(__name__)

STATUS_STATS = {
    "new": "wxwatch/articles_new",
    "updated": "wxwatch/articles_updated",
    "unchanged": "wxwatch/articles_unchanged",
    "reprint": "wxwatch/duplicates",
}


def compare_text(text: str) -> str:
    """The normalized text used for diffing and reprint detection (simplified script, folded)."""
    normalized = normalize_text(text)
    return getattr(normalized, "text", normalized)


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
        stats = self.crawler.stats
        if isinstance(item, ListedArticle):
            if self.store.mark_unchanged(item.url, run_id):
                stats.inc_value(STATUS_STATS["unchanged"])
            return item
        if isinstance(item, ArticleItem):
            result = self.store.save(self._record(item), run_id)
            stats.inc_value(STATUS_STATS[result.status])
            logger.info("%s %s (%s)", result.status, item.url, item.source)
        return item

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
            compare_text=compare_text(item.text),
        )
