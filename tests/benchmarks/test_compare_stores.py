"""benchmarks/compare_stores.py: two stores with the same results compare identical whatever their ids; a doctored
one is reported difference by difference, with exit 1."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import zlib
from pathlib import Path

import pytest

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


def test_raw_html_compressed_in_another_column_compares_identical(stores: tuple[Path, Path]) -> None:
    a, b = stores
    with sqlite3.connect(b) as conn:  # as a migration that compresses the raw HTML into a new column would leave it
        conn.execute("alter table articles add column html_z blob")
        rows = conn.execute("select id, html from articles").fetchall()
        conn.executemany("update articles set html_z = ?, html = '' where id = ?",
                         [(zlib.compress(html.encode()), row_id) for row_id, html in rows])
    result = compare(a, b)
    assert result.returncode == 0, result.stdout
    assert "columns only in A [], only in B ['html_z'] (not compared as columns)" in result.stdout


def test_raw_html_zstd_compressed_compares_identical(stores: tuple[Path, Path]) -> None:
    zstandard = pytest.importorskip("zstandard")
    a, b = stores
    with sqlite3.connect(b) as conn:  # the page as one zstd frame in html_zstd, html emptied
        conn.execute("alter table articles add column html_zstd blob")
        rows = conn.execute("select id, html from articles").fetchall()
        conn.executemany("update articles set html_zstd = ?, html = null where id = ?",
                         [(zstandard.ZstdCompressor().compress(html.encode()), row_id) for row_id, html in rows])
    result = compare(a, b)
    assert result.returncode == 0, result.stdout


def test_a_doctored_store_is_listed_difference_by_difference(stores: tuple[Path, Path]) -> None:
    a, b = stores
    with sqlite3.connect(b) as conn:
        conn.execute("update articles set title = '日活跃' where url = 'http://a.example/3.html'")
        conn.execute("update articles set duplicate_of = null where url = 'http://b.example/2.html'")
        conn.execute("update articles set html = html || ' ' where url = 'http://a.example/1.html'")
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
