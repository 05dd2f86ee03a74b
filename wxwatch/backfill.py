"""`wxwatch backfill`: figures from given documents (releases, last year's articles) into history, never alerting."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from pathlib import Path

from sqlite_utils import Database

from wxwatch.analysis import analyse_silently
from wxwatch.config import Config
from wxwatch.storage.articles import ArticleRecord, ArticleStore
from wxwatch.text.document import Document, ReadOptions, load_document

logger = logging.getLogger(__name__)

_URL = re.compile(r"^https?://", re.IGNORECASE)


@dataclass
class BackfillReport:
    """What a backfill stored: per document its URL and article id; the figures folded into history."""

    documents: list[tuple[str, int]] = field(default_factory=list)
    observations: int = 0


def document_url(source: str) -> str:
    """The URL a document is stored under: itself, or a file's absolute file:// URI."""
    return source if _URL.match(source) else Path(source).resolve().as_uri()


def backfill(db: Database, config: Config, sources: list[str], *, source_name: str, allow_private: bool = False
             ) -> BackfillReport:
    """Read each document, store it as an article of `source_name`, fold its figures in without alerting.

    Raises text.document.SourceError for a document that cannot be read (nothing is stored then)."""
    options = ReadOptions(config.crawler.max_response_bytes, allow_private, config.schedule.timezone)
    documents = [(source, load_document(source, options)) for source in sources]
    report = BackfillReport()
    store = ArticleStore(db)
    for source, document in documents:
        saved = store.save(_record(document, document_url(source), source_name, config))
        report.documents.append((document_url(source), saved.id))
    analysis = analyse_silently(db, config, [article_id for _, article_id in report.documents])
    report.observations = analysis.observations
    return report


def _record(document: Document, url: str, source_name: str, config: Config) -> ArticleRecord:
    category = next((s.category for s in config.sources if s.name == source_name), "")
    return ArticleRecord(url=url, source=source_name, title=document.title or "", text=document.text,
                         published=document.published, category=category, via="backfill")
