"""benchmarks/compare_stores.py: two stores with the same results compare identical whatever their ids; a doctored
one is reported difference by difference, with exit 1."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
import zstandard

from wxwatch.analysis import analyse_new_articles
from wxwatch.config import load_config
from wxwatch.storage.articles import ArticleRecord, ArticleStore
from wxwatch.storage.db import open_database

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "compare_stores.py"
MAU = "腾讯在季度报告中披露，微信及WeChat合并月活跃账户数达到14.02亿，较上季度略有增长。" * 3
DAU = "据介绍，小程序日活跃用户已经超过6.1亿，开发者数量继续扩大，更多商家入驻。" * 3
PLAIN = "今年春节期间，城市道路整体畅通，游客数量与往年持平，各景区秩序良好。" * 3
RECORDS = [
    ArticleRecord(url="http://a.example/1.html", source="a", title="月活", text=MAU, html="<p>月活</p>" * 50,
                  published="2024-03-01T08:00:00+08:00"),
    ArticleRecord(url="http://b.example/2.html", source="b", title="转载月活", text=MAU, html="<p>转载</p>",
                  published="2024-03-01T09:00:00+08:00"),
    ArticleRecord(url="http://a.example/3.html", source="a", title="日活", text=DAU, html="<p>日活</p>",
                  published="2024-03-02T08:00:00+08:00"),
    ArticleRecord(url="http://b.example/4.html", source="b", title="春节", text=PLAIN, html="<p>春节</p>"),
]


def store(path: Path, settings: Path, shift_ids: bool) -> Path:
    """The records saved and analysed as a crawl would; `shift_ids` makes every id differ from the other store's."""
    db = open_database(path)
    articles = ArticleStore(db)
    placeholder = ArticleRecord(url="http://x.example/0", source="x", title="x", text="占位")
    saved = [articles.save(record, None) for record in ([placeholder] if shift_ids else []) + RECORDS]
    if shift_ids:  # saved first, removed last: every other article's id is one higher than in the other store
        db.execute("delete from articles where id = ?", [saved[0].id])
    analyse_new_articles(db, load_config(settings), None)
    db.conn.close()
    return path


@pytest.fixture
def stores(tmp_path: Path) -> tuple[Path, Path]:
    settings = tmp_path / "settings.toml"
    settings.write_text(f'[storage]\npath = "{tmp_path / "unused.db"}"\n', encoding="utf-8")
    return store(tmp_path / "a.db", settings, False), store(tmp_path / "b.db", settings, True)


def compare(a: Path, b: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(SCRIPT), str(a), str(b)], capture_output=True, text=True, timeout=60)


def test_same_results_with_other_ids_are_identical(stores: tuple[Path, Path]) -> None:
    a, b = stores
    with sqlite3.connect(b) as conn:
        assert conn.execute("select min(id) from articles").fetchone()[0] == 2  # the ids really differ
        assert conn.execute("select count(*) from observations").fetchone()[0] >= 3  # figures were stored
    result = compare(a, b)
    assert result.returncode == 0, result.stdout
    assert result.stdout.startswith("identical: 4 articles")


def _pages(conn: sqlite3.Connection) -> list[tuple[int, str]]:
    """(id, page) of every article, as the store wrote them (zstd in html_zstd)."""
    rows = conn.execute("select id, html_zstd from articles").fetchall()
    return [(row_id, zstandard.ZstdDecompressor().decompress(page).decode() if page else "") for row_id, page in rows]


def test_pages_in_todays_plain_column_compare_identical(stores: tuple[Path, Path]) -> None:
    a, b = stores
    with sqlite3.connect(b) as conn:  # as the store before migration m092 kept them: plain text in `html`
        conn.executemany("update articles set html = ?, html_zstd = null where id = ?",
                         [(page, row_id) for row_id, page in _pages(conn)])
    result = compare(a, b)
    assert result.returncode == 0, result.stdout


def test_pages_compressed_in_another_column_compare_identical(stores: tuple[Path, Path]) -> None:
    a, b = stores
    with sqlite3.connect(b) as conn:  # as a migration to zlib in a new column would leave them
        conn.execute("alter table articles add column html_z blob")
        conn.executemany("update articles set html_z = ?, html_zstd = null where id = ?",
                         [(zlib.compress(page.encode()), row_id) for row_id, page in _pages(conn)])
    result = compare(a, b)
    assert result.returncode == 0, result.stdout
    assert "columns only in A [], only in B ['html_z'] (not compared as columns)" in result.stdout


def test_a_page_let_go_on_one_side_is_a_note_not_a_difference(stores: tuple[Path, Path]) -> None:
    a, b = stores
    with sqlite3.connect(b) as conn:  # kept on one side only, as [storage] keep_pages = all vs none
        conn.execute("update articles set html_zstd = null where url = 'http://a.example/3.html'")
    result = compare(a, b)
    assert result.returncode == 0, result.stdout
    assert "1 pages stored on one side only" in result.stdout


def test_a_doctored_store_is_listed_difference_by_difference(stores: tuple[Path, Path]) -> None:
    a, b = stores
    with sqlite3.connect(b) as conn:
        conn.execute("update articles set title = '日活跃' where url = 'http://a.example/3.html'")
        conn.execute("update articles set duplicate_of = null where url = 'http://b.example/2.html'")
        page = dict(_pages(conn))[conn.execute("select id from articles where url = 'http://a.example/1.html'")
                                   .fetchone()[0]]
        conn.execute("update articles set html_zstd = ? where url = 'http://a.example/1.html'",
                     [zstandard.ZstdCompressor().compress((page + " ").encode())])
        conn.execute("update observations set value = 620000000 where metric_key = 'miniprogram.dau'")
    result = compare(a, b)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert "article http://a.example/3.html: title differs: '日活' != '日活跃'" in lines
    assert any(line.startswith("article http://b.example/2.html: reprint group differs") for line in lines)
    assert any(line.startswith("article http://a.example/1.html: html differs") for line in lines)
    assert any(line.startswith("observations only in A") and "610000000" in line for line in lines)
    assert any(line.startswith("observations only in B") and "620000000" in line for line in lines)


def test_a_missing_database_is_one_clear_line(tmp_path: Path) -> None:
    result = compare(tmp_path / "none.db", tmp_path / "none.db")
    assert result.returncode == 2
    assert result.stderr.strip() == f"Error: {tmp_path / 'none.db'}: no such database"


def test_another_copy_of_the_same_reprint_group_stored_first_is_a_note(stores: tuple[Path, Path]) -> None:
    a, b = stores
    with sqlite3.connect(b) as conn:  # the reprint arrived first in B: it is the original, the other its reprint
        ids = dict(conn.execute("select url, id from articles").fetchall())
        original, reprint = ids["http://a.example/1.html"], ids["http://b.example/2.html"]
        conn.execute("update articles set status = 'new', duplicate_of = null where id = ?", [reprint])
        conn.execute("update articles set status = 'reprint', duplicate_of = ? where id = ?", [reprint, original])
    result = compare(a, b)
    assert result.returncode == 0, result.stdout
    assert "2 copies of identical reprint groups changed roles" in result.stdout


def test_a_copy_moved_to_another_group_is_still_a_difference(stores: tuple[Path, Path]) -> None:
    a, b = stores
    with sqlite3.connect(b) as conn:
        conn.execute("update articles set status = 'new', duplicate_of = null where url = 'http://b.example/2.html'")
    result = compare(a, b)
    assert result.returncode == 1
    assert any("reprint group differs" in line for line in result.stdout.splitlines())
