"""Growth with the database: time per new article (store + extract + fold) against small and large databases.

Used by benchmarks/run.py. Stored rows are generated directly (random band keys and hashes, short texts, already
extracted); the new articles are real site texts, saved as the crawl pipeline saves them (known-URL check, diff,
reprint candidates), then analysed (extraction, observations, history, events). Template databases are kept in
the work folder and copied for each measurement.
"""

from __future__ import annotations

import random
import shutil
import sqlite3
import time
from pathlib import Path

from wxwatch.analysis import analyse_new_articles
from wxwatch.config import Config
from wxwatch.crawler.pipelines import compare_text
from wxwatch.storage.articles import ArticleRecord, ArticleStore
from wxwatch.storage.db import open_database

FILLER = "这是一篇早已存储的文章，正文较短，只为让数据库达到要测量的规模。"
BATCH = 20_000


def fill_articles(path: Path, rows: int, seed: int = 3) -> None:
    """`rows` stored, already extracted articles (generated directly, in batches)."""
    open_database(path).conn.close()
    rng = random.Random(seed)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode = WAL")
    columns = ["url", "source", "category", "title", "published", "first_seen", "last_seen", "status",
               "content_hash", "extracted_hash", "text", "norm_text", "html", "via"] + [f"band{i}" for i in range(8)]
    sql = f"insert into articles ({', '.join(columns)}) values ({', '.join('?' for _ in columns)})"
    for first in range(0, rows, BATCH):
        batch = []
        for number in range(first, min(rows, first + BATCH)):
            digest = f"{rng.getrandbits(128):032x}"
            text = f"{FILLER}第{number}篇。"
            batch.append([f"http://old.example/{number}.html", f"s{number % 50:02d}", "", f"旧文章{number}",
                          f"2021-{number % 12 + 1:02d}-01T08:00:00+08:00", "2021-01-01", "2021-01-01", "unchanged",
                          digest, digest, text, text, "", "page"] + [rng.getrandbits(32) for _ in range(8)])
        with conn:
            conn.executemany(sql, batch)
    conn.close()


def fill_observations(path: Path, observations: int, keys: list[str], seed: int = 5) -> None:
    """`observations` stored observations over `keys`, folded into metric_values (about one value in ten new)."""
    rng = random.Random(seed)
    conn = sqlite3.connect(path)
    values: dict[tuple[str, float], int] = {}
    obs_rows = []
    for number in range(observations):
        key = rng.choice(keys)
        value = float(rng.randint(1, max(2, observations // (10 * len(keys)))) * 1000)
        values[(key, value)] = values.get((key, value), 0) + 1
        obs_rows.append([number % 1000 + 1, key, key, value, f"2021-{number % 12 + 1:02d}-01T08:00:00+08:00",
                         f"s{number % 50:02d}", "normal", "count", "="])
    with conn:
        conn.executemany("insert into observations (article_id, metric, metric_key, value, published, source, trust,"
                         " unit, qualifier) values (?, ?, ?, ?, ?, ?, ?, ?, ?)", obs_rows)
        conn.executemany(
            "insert into metric_values (metric_key, metric, value, published, sources, confirmed, first_source,"
            " first_url, unit, qualifier) values (?, ?, ?, '2021-06-01T08:00:00+08:00', ?, 1, 's00', 'http://old', "
            "'count', '=')",
            [[key, key, value, '["s00"]'] for (key, value) in values])
        conn.execute("insert or replace into analysis_state (key, value) values ('baseline_done', 'bench')")
    conn.close()


def template(folder: Path, rows: int, observations: int = 0, keys: list[str] | None = None) -> Path:
    """A database with `rows` articles (and `observations`), built once per work folder."""
    path = folder / f"growth-{rows}-{observations}.db"
    if not path.exists():
        partial = path.with_suffix(".partial")
        for leftover in folder.glob(partial.name + "*"):
            leftover.unlink()
        fill_articles(partial, rows)
        if observations:
            fill_observations(partial, observations, keys or ["wechat.mau"])
        _checkpoint(partial)
        partial.rename(path)
    return path


def _checkpoint(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()


def new_articles(texts: list[str], count: int, offset: int) -> list[ArticleRecord]:
    chosen = [texts[(offset + i) % len(texts)] for i in range(count)]
    return [ArticleRecord(url=f"http://new.example/{offset}-{i}.html", source="c00", title=text.split("\n", 1)[0],
                          text=text, published="2023-06-01T08:00:00+08:00", compare_text=compare_text(text))
            for i, text in enumerate(chosen)]


def time_new_articles(template_db: Path, work: Path, config: Config, articles: list[ArticleRecord]
                      ) -> tuple[float, float]:
    """(ms per article to store, ms per article to analyse) on a fresh copy of `template_db`."""
    db_path = work / "growth-run.db"
    for leftover in work.glob("growth-run.db*"):
        leftover.unlink()
    shutil.copyfile(template_db, db_path)
    db = open_database(db_path)
    store = ArticleStore(db)
    started = time.perf_counter()
    for article in articles:
        if not store.is_known(article.url):
            store.save(article, None)
    stored = time.perf_counter()
    analyse_new_articles(db, config, None)
    analysed = time.perf_counter()
    db.conn.close()
    count = len(articles)
    return (stored - started) * 1000 / count, (analysed - stored) * 1000 / count
