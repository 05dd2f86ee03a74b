"""What a fault test checks in the database afterwards: the article set, orphans, and the outbox."""

from __future__ import annotations

import sqlite3
from collections import Counter
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class DbState:
    """The parts of a database that must not depend on whether (or when) a crawl was killed."""

    urls: tuple[str, ...]
    duplicate_urls: tuple[str, ...]
    observations: tuple[tuple[str, int], ...]  # (url, number of observations)
    orphan_observations: int
    extracted_without_observations: tuple[str, ...]
    not_extracted: tuple[str, ...]
    alerts: tuple[tuple, ...]
    duplicate_alerts: tuple[tuple, ...]


def query(db: Path, sql: str, params: tuple = ()) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql, params).fetchall()


def db_state(db: Path) -> DbState:
    urls = [row[0] for row in query(db, "select url from articles order by url")]
    alerts = query(db, "select kind, metric_key, value, period, url from alerts order by 1, 2, 3, 4, 5")
    return DbState(
        urls=tuple(sorted(set(urls))),
        duplicate_urls=tuple(url for url, n in Counter(urls).items() if n > 1),
        observations=tuple(query(db, "select a.url, count(o.id) from articles a left join observations o"
                                     " on o.article_id = a.id group by a.url order by a.url")),
        orphan_observations=query(db, "select count(*) from observations where article_id not in"
                                      " (select id from articles)")[0][0],
        extracted_without_observations=tuple(row[0] for row in query(
            db, "select url from articles where extracted_hash = content_hash and not exists"
                " (select 1 from observations o where o.article_id = articles.id)")),
        not_extracted=tuple(row[0] for row in query(
            db, "select url from articles where extracted_hash is null or extracted_hash != content_hash")),
        alerts=tuple(alerts),
        duplicate_alerts=tuple(alert for alert, n in Counter(alerts).items() if n > 1),
    )


def integrity(db: Path) -> str:
    return query(db, "pragma integrity_check")[0][0]


def copy_database(source: Path, target: Path) -> None:
    """A consistent copy (WAL included) through SQLite's backup API."""
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
