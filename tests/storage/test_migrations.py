"""m092 on a database from before it: pages compressed in batches, resumable after a kill, idempotent."""

from __future__ import annotations

from pathlib import Path

from sqlite_utils import Database

from wxwatch.storage import neardup, pagezip
from wxwatch.storage.articles import ArticleStore
from wxwatch.storage.db import open_database
from wxwatch.storage.migrations import (
    COMPRESS_BATCH,
    add_flat_cost_columns,
    convert_article_batch,
    migrations,
)

ROWS = COMPRESS_BATCH * 2 + 7


def page(number: int) -> str:
    return f"<html><body><p>第{number}篇</p>{'导航' * 300}</body></html>"


def legacy_database(path: Path) -> Database:
    """A database migrated up to m091 with articles stored the old way (plain html and norm_text)."""
    db = Database(path)
    migrations.apply(db, stop_before="m092_flat_article_costs")
    rows = [{"url": f"https://e.org/{i}", "source": "s", "status": "new", "text": f"第{i}篇：小程序日活突破{i}万",
             "norm_text": f"第{i}篇小程序日活突破{i}万", "html": page(i)} for i in range(ROWS)]
    db["articles"].insert_all(rows)
    return db


def test_a_killed_migration_resumes_and_converts_every_row_once(tmp_path: Path) -> None:
    db = legacy_database(tmp_path / "wx.db")
    add_flat_cost_columns(db)
    assert convert_article_batch(db) == COMPRESS_BATCH  # then the process is killed: m092 is not recorded
    db.conn.close()
    store = ArticleStore(open_database(tmp_path / "wx.db"))  # resumes
    rows = store.db.conn.execute(
        "select id, url, html, norm_text, shingle_count, norm_zstd, text from articles order by id").fetchall()
    assert len(rows) == ROWS and all(row[2] is None and row[3] is None for row in rows)
    number = int(rows[-1][1].rsplit("/", 1)[1])
    assert rows[-1][4] == len(neardup.shingles(f"第{number}篇小程序日活突破{number}万"))
    assert pagezip.decompress_compare(rows[-1][5], rows[-1][6]) == f"第{number}篇小程序日活突破{number}万"
    assert store.html(rows[-1][0]) == page(number)
    applied = [row["name"] for row in store.db["_sqlite_migrations"].rows]
    assert applied.count("m092_flat_article_costs") == 1
    store.db.conn.close()
    assert not migrations.pending(open_database(tmp_path / "wx.db"))


def test_empty_pages_stay_empty(tmp_path: Path) -> None:
    db = legacy_database(tmp_path / "wx.db")
    db.execute("update articles set html = '' where id = 1")
    db.conn.close()
    store = ArticleStore(open_database(tmp_path / "wx.db"))
    assert store.html(1) == "" and store.db.conn.execute("select html_zstd from articles where id = 1").fetchone() == (
        None,)
