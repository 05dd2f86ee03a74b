"""Articles keyed by canonical URL: store with diff (new, updated, unchanged, reprint) and query."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterator
from dataclasses import dataclass

from sqlite_utils import Database

from wxwatch.storage import neardup
from wxwatch.storage.db import utc_now

logger = logging.getLogger(__name__)

STATUSES = ("new", "updated", "unchanged", "reprint")


@dataclass(frozen=True)
class ArticleRecord:
    """What the crawler hands to storage for one article."""

    url: str
    source: str
    title: str
    text: str
    html: str = ""
    category: str = ""
    published: str | None = None
    via: str = "page"
    compare_text: str | None = None  # normalized text for diff and reprint detection
    signature: neardup.TextSignature | None = None  # of compare_text, when the caller computed it already


@dataclass(frozen=True)
class SaveResult:
    id: int
    status: str
    duplicate_of: int | None = None


def content_hash(text: str) -> str:
    """Hash of the text as compared for updates: spaces and punctuation do not count."""
    return hashlib.sha256(neardup.fingerprint_text(text).encode()).hexdigest()


class ArticleStore:
    """Read and write the articles table."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.table = db["articles"]

    def is_known(self, url: str) -> bool:
        return bool(list(self.db.query("select 1 from articles where url = ? limit 1", [url])))

    def save(self, article: ArticleRecord, run_id: int | None = None) -> SaveResult:
        """Insert or update one article in a single transaction; return its status."""
        compare = article.compare_text if article.compare_text is not None else article.text
        with self.db.atomic():
            existing = self._row_by_url(article.url)
            if existing is None:
                return self._insert(article, compare, run_id)
            return self._update(existing, article, compare, run_id)

    def mark_unchanged(self, url: str, run_id: int | None = None) -> bool:
        """Record that a known article was listed again without being re-fetched."""
        with self.db.atomic():
            cursor = self.db.execute(
                "update articles set status = 'unchanged', last_seen = ?, run_id = ? where url = ?",
                [utc_now(), run_id, url],
            )
        return cursor.rowcount > 0

    def mark_source_unchanged(self, source: str, run_id: int | None = None) -> int:
        """A source's listing did not change (HTTP 304): its articles are all unchanged."""
        with self.db.atomic():
            cursor = self.db.execute(
                "update articles set status = 'unchanged', last_seen = ?, run_id = ? where source = ?",
                [utc_now(), run_id, source],
            )
        return cursor.rowcount

    def rows(self, *, statuses: tuple[str, ...] = (), source: str | None = None) -> Iterator[dict]:
        """Stored articles without their HTML, newest first."""
        where: list[str] = []
        params: list[str] = []
        if statuses:
            where.append(f"status in ({', '.join('?' for _ in statuses)})")
            params.extend(statuses)
        if source:
            where.append("source = ?")
            params.append(source)
        sql = (
            "select id, url, title, published, source, category, status, duplicate_of, first_seen,"
            " last_seen, updated_at, via, text from articles"
            + (" where " + " and ".join(where) if where else "")
            + " order by coalesce(published, first_seen) desc, id desc"
        )
        yield from self.db.query(sql, params)

    def _row_by_url(self, url: str) -> dict | None:
        rows = list(self.db.query("select id, content_hash, duplicate_of from articles where url = ?", [url]))
        return rows[0] if rows else None

    def _insert(self, article: ArticleRecord, compare: str, run_id: int | None) -> SaveResult:
        shingle_set = neardup.shingles(compare)
        bands = article.signature.bands if article.signature else neardup.band_keys(shingle_set)
        duplicate_of = self._find_original(bands, shingle_set)
        now = utc_now()
        status = "reprint" if duplicate_of else "new"
        row = self._content_columns(article, compare, bands) | {
            "url": article.url,
            "source": article.source,
            "first_seen": now,
            "last_seen": now,
            "status": status,
            "duplicate_of": duplicate_of,
            "run_id": run_id,
        }
        article_id = self.table.insert(row).last_pk
        assert isinstance(article_id, int)  # an integer rowid primary key
        return SaveResult(id=article_id, status=status, duplicate_of=duplicate_of)

    def _update(self, existing: dict, article: ArticleRecord, compare: str, run_id: int | None) -> SaveResult:
        now = utc_now()
        if existing["content_hash"] == content_hash(compare):
            self.table.update(existing["id"], {"status": "unchanged", "last_seen": now, "run_id": run_id})
            return SaveResult(existing["id"], "unchanged", existing["duplicate_of"])
        columns = self._content_columns(article, compare, neardup.band_keys(neardup.shingles(compare)))
        self.table.update(
            existing["id"], columns | {"status": "updated", "last_seen": now, "updated_at": now, "run_id": run_id}
        )
        return SaveResult(existing["id"], "updated", existing["duplicate_of"])

    @staticmethod
    def _content_columns(article: ArticleRecord, compare: str, bands: tuple[int, ...]) -> dict:
        return {
            "category": article.category,
            "title": article.title,
            "published": article.published,
            "html": article.html,
            "text": article.text,
            "via": article.via,
            "norm_text": compare,
            "content_hash": content_hash(compare),
            **{f"band{i}": band for i, band in enumerate(bands)},
        }

    def _find_original(self, bands: tuple[int, ...], shingle_set: set[str]) -> int | None:
        """The first stored copy of this text, if it is a reprint of one."""
        clauses = " or ".join(f"band{i} = ?" for i in range(neardup.BANDS))
        candidates = self.db.query(
            f"select id, duplicate_of, norm_text from articles where {clauses} order by id", list(bands)
        )
        for candidate in candidates:
            if neardup.is_reprint(shingle_set, neardup.shingles(candidate["norm_text"] or "")):
                return candidate["duplicate_of"] or candidate["id"]
        return None
