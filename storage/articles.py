"""Articles keyed by canonical URL: store with diff (new, updated, unchanged, reprint) and query."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterator
from dataclasses import dataclass

from sqlite_utils import Database

from wxwatch.storage import neardup, pagezip
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
    page_zstd: bytes | None = None  # `html` already compressed (pagezip.compress_html, by a page worker)


@dataclass(frozen=True)
class SaveResult:
    id: int
    status: str
    duplicate_of: int | None = None


def content_hash(text: str) -> str:
    """Hash of the text as compared for updates: spaces and punctuation do not count."""
    return hashlib.sha256(neardup.fingerprint_text(text).encode()).hexdigest()


BAND_COLUMNS = tuple(f"band{i}" for i in range(neardup.BANDS))
CANDIDATE_LIMIT = 10  # reprint candidates compared per new article, most recent first (a reprint links the original)
_CONTENT_COLUMNS = ("category", "title", "published", "html_zstd", "text", "norm_zstd", "via", "content_hash",
                    "shingle_count", *BAND_COLUMNS)
_INSERT_SQL = (
    "insert into articles (url, source, first_seen, last_seen, status, duplicate_of, run_id,"
    f" {', '.join(_CONTENT_COLUMNS)})"
    f" values ({', '.join('?' for _ in range(7 + len(_CONTENT_COLUMNS)))})"
)
_UPDATE_SQL = (
    f"update articles set status = 'updated', last_seen = ?, updated_at = ?, run_id = ?,"
    f" {', '.join(f'{column} = ?' for column in _CONTENT_COLUMNS)} where id = ?"
)
BAND_RECENT = 9  # rows read per band key (most recent first)
# Reprint candidates, in one statement of bounded work: the BAND_RECENT most recent rows of each band key; a key
# whose rows belong to more than one story (an original and its reprints are one story) is boilerplate shared by
# unrelated articles (templated text, common quotes) and gives no candidate; then rows whose shingle count can pass
# is_reprint, most recent first, at most CANDIDATE_LIMIT.
_CANDIDATES_SQL = (
    "with hits (band, id, story) as ("
    + " union all ".join(
        f"select * from (select {i}, id, coalesce(duplicate_of, id) from articles where {column} = ?"
        f" order by id desc limit {BAND_RECENT})"
        for i, column in enumerate(BAND_COLUMNS)
    )
    + "), story_bands (band) as (select band from hits group by band having count(distinct story) = 1)"
    " select id, duplicate_of, text, norm_zstd from articles where id in (select id from hits natural join story_bands)"
    " and (shingle_count between ? and ? or shingle_count is null) order by id desc limit ?"
)
# A 304 of a source's feed or listing is recorded once, in its run-level source_state row; its articles are not
# rewritten. Reading a row, the source's later 304 makes the article unchanged and seen then.
_NOT_MODIFIED_LATER = ("coalesce(s.not_modified_run > a.run_id, s.not_modified_at > a.last_seen, 0)")
_ROWS_SQL = (
    "select * from (select a.id, a.url, a.title, a.published, a.source, a.category,"
    f" case when {_NOT_MODIFIED_LATER} then 'unchanged' else a.status end as status, a.duplicate_of, a.first_seen,"
    f" case when {_NOT_MODIFIED_LATER} then s.not_modified_at else a.last_seen end as last_seen,"
    " a.updated_at, a.via, a.text from articles a left join source_state s on s.source = a.source and s.url = '')"
)


class ArticleStore:
    """Read and write the articles table (raw SQL with explicit columns: one transaction, <= 5 statements a save)."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.conn = db.conn

    def is_known(self, url: str) -> bool:
        return self.conn.execute("select 1 from articles where url = ? limit 1", [url]).fetchone() is not None

    def save(self, article: ArticleRecord, run_id: int | None = None) -> SaveResult:
        """Insert or update one article in a single transaction; return its status."""
        compare = article.compare_text if article.compare_text is not None else neardup.compare_text(article.text)
        with self.db.atomic():
            existing = self.conn.execute(
                "select id, content_hash, duplicate_of from articles where url = ?", [article.url]
            ).fetchone()
            if existing is None:
                return self._insert(article, compare, run_id)
            return self._update(existing, article, compare, run_id)

    def mark_unchanged(self, url: str, run_id: int | None = None) -> bool:
        """Record that a known article was listed again without being re-fetched."""
        with self.db.atomic():
            cursor = self.conn.execute(
                "update articles set status = 'unchanged', last_seen = ?, run_id = ? where url = ?",
                [utc_now(), run_id, url],
            )
        return cursor.rowcount > 0

    def mark_source_unchanged(self, source: str, run_id: int | None = None) -> int:
        """A source's feed or listing answered 304: record it once for the source; returns the article rows written (0).

        The cost does not grow with the source's articles: rows() shows them unchanged and seen at that time.
        """
        with self.db.atomic():
            self.conn.execute(
                "insert into source_state (source, url, not_modified_at, not_modified_run) values (?, '', ?, ?)"
                " on conflict (source, url) do update set not_modified_at = excluded.not_modified_at,"
                " not_modified_run = excluded.not_modified_run",
                [source, utc_now(), run_id],
            )
        return 0

    def rows(self, *, statuses: tuple[str, ...] = (), source: str | None = None) -> Iterator[dict]:
        """Stored articles without their HTML, newest first (status and last_seen count the source's last 304)."""
        where: list[str] = []
        params: list[str] = []
        if statuses:
            where.append(f"status in ({', '.join('?' for _ in statuses)})")
            params.extend(statuses)
        if source:
            where.append("source = ?")
            params.append(source)
        sql = (
            _ROWS_SQL
            + (" where " + " and ".join(where) if where else "")
            + " order by coalesce(published, first_seen) desc, id desc"
        )
        yield from self.db.query(sql, params)

    def html(self, article_id: int) -> str:
        """The page as fetched ("" when none was stored)."""
        row = self.conn.execute("select html_zstd, html from articles where id = ?", [article_id]).fetchone()
        if row is None:
            return ""
        return pagezip.decompress_html(row[0]) or row[1] or ""

    def _insert(self, article: ArticleRecord, compare: str, run_id: int | None) -> SaveResult:
        signature = article.signature or neardup.signature(compare)
        duplicate_of = self._find_original(signature, compare)
        now = utc_now()
        status = "reprint" if duplicate_of else "new"
        values = [article.url, article.source, now, now, status, duplicate_of, run_id,
                  *self._content_values(article, compare, signature)]
        article_id = self.conn.execute(_INSERT_SQL, values).lastrowid
        assert isinstance(article_id, int)  # an integer rowid primary key
        return SaveResult(id=article_id, status=status, duplicate_of=duplicate_of)

    def _update(self, existing: tuple, article: ArticleRecord, compare: str, run_id: int | None) -> SaveResult:
        article_id, stored_hash, duplicate_of = existing
        now = utc_now()
        if stored_hash == content_hash(compare):
            self.conn.execute("update articles set status = 'unchanged', last_seen = ?, run_id = ? where id = ?",
                              [now, run_id, article_id])
            return SaveResult(article_id, "unchanged", duplicate_of)
        signature = article.signature or neardup.signature(compare)
        self.conn.execute(_UPDATE_SQL, [now, now, run_id, *self._content_values(article, compare, signature),
                                        article_id])
        return SaveResult(article_id, "updated", duplicate_of)

    @staticmethod
    def _content_values(article: ArticleRecord, compare: str, signature: neardup.TextSignature) -> list:
        """Values of _CONTENT_COLUMNS, in order."""
        page = article.page_zstd if article.page_zstd is not None else pagezip.compress_html(article.html)
        return [article.category, article.title, article.published, page,
                article.text, pagezip.compress_compare(compare, article.text), article.via, content_hash(compare),
                signature.size, *signature.bands]

    def _find_original(self, signature: neardup.TextSignature, compare: str) -> int | None:
        """The first stored copy of this text, if it is a reprint of one.

        Candidates share a band key that is not boilerplate and have a shingle count that can pass is_reprint
        (_CANDIDATES_SQL); a reprint links the original through duplicate_of.
        """
        if not signature.size:
            return None
        low, high = neardup.size_range(signature.size)
        candidates = self.conn.execute(_CANDIDATES_SQL, [*signature.bands, low, high, CANDIDATE_LIMIT]).fetchall()
        if not candidates:
            return None
        shingle_set = neardup.shingles(compare)
        for candidate_id, duplicate_of, text, compressed in candidates:
            if neardup.is_reprint(shingle_set, neardup.shingles(_stored_compare(text or "", compressed))):
                return duplicate_of or candidate_id
        return None


def _stored_compare(text: str, compressed: bytes | None) -> str:
    """A stored article's compare text (normalized again for a row written without it)."""
    return pagezip.decompress_compare(compressed, text) if compressed else neardup.compare_text(text)
