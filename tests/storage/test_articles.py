"""Article storage with diff: new, unchanged, updated and reprint, on a real SQLite file."""

from __future__ import annotations

import random
from pathlib import Path

import opencc
import pytest

from wxwatch.crawler.pipelines import compare_text
from wxwatch.storage import neardup, pagezip
from wxwatch.storage.articles import BAND_RECENT, ArticleRecord, ArticleStore
from wxwatch.storage.db import open_database
from wxwatch.text.pages import main_text

SITE = Path(__file__).parents[2] / "wxwatch" / "sample" / "site"
STCN = SITE / "a/2022/0106/stcn-wechat-open-class.html"      # seed 001
KR36 = SITE / "36kr/p/1562117236457734.html"                  # seed 002: shares 001's bullet list
GUOHAI = SITE / "a/2022/0107/guohai-wechat-open-class.html"   # seed 000


def record(url: str, text: str, source: str = "s") -> ArticleRecord:
    return ArticleRecord(url=url, source=source, title="t", text=text, compare_text=compare_text(text))


@pytest.fixture
def store(tmp_path: Path) -> ArticleStore:
    return ArticleStore(open_database(tmp_path / "wx.db"))


def page_text(path: Path) -> str:
    return main_text(path.read_text(encoding="utf-8"))


def test_new_then_unchanged_then_updated(store: ArticleStore) -> None:
    text = page_text(STCN)
    first = store.save(record("https://e.org/1", text))
    assert first.status == "new"
    assert store.save(record("https://e.org/1", text + "  ")).status == "unchanged"
    changed = store.save(record("https://e.org/1", text.replace("4.5亿", "5亿")))
    assert (changed.status, changed.id) == ("updated", first.id)
    assert store.is_known("https://e.org/1") and not store.is_known("https://e.org/2")


def test_reprint_in_traditional_script_links_to_first_copy(store: ArticleStore) -> None:
    text = page_text(STCN)
    original = store.save(record("https://a.org/1", text, "stcn"))
    reprint = store.save(record("https://b.org/9", opencc.OpenCC("s2t").convert(text), "mirror"))
    assert (reprint.status, reprint.duplicate_of) == ("reprint", original.id)
    third = store.save(record("https://c.org/3", text[: int(len(text) * 0.95)], "other"))
    assert third.duplicate_of == original.id  # a later copy links to the first one, not to a reprint


def test_articles_sharing_a_quoted_list_stay_separate(store: ArticleStore) -> None:
    store.save(record("https://a.org/001", page_text(STCN)))
    other = store.save(record("https://b.org/002", page_text(KR36)))
    assert (other.status, other.duplicate_of) == ("new", None)
    assert store.save(record("https://c.org/000", page_text(GUOHAI))).duplicate_of is None


def test_mark_unchanged_and_rows(store: ArticleStore) -> None:
    store.save(record("https://e.org/1", "小程序日活突破4.5亿，活跃小程序数量同比上涨41%"))
    assert store.mark_unchanged("https://e.org/1")
    assert not store.mark_unchanged("https://e.org/unknown")
    rows = list(store.rows(statuses=("unchanged",)))
    assert [row["url"] for row in rows] == ["https://e.org/1"]


def test_database_uses_wal_and_migrations_are_idempotent(tmp_path: Path) -> None:
    db = open_database(tmp_path / "wx.db")
    assert db.journal_mode == "wal"
    again = open_database(tmp_path / "wx.db")
    assert {"articles", "runs", "run_sources", "source_state"} <= set(again.table_names())


def test_runs_left_running_by_a_dead_process_are_closed_as_interrupted(tmp_path: Path) -> None:
    import subprocess
    import sys

    from wxwatch.storage.runs import RunLog

    db = open_database(tmp_path / "wx.db")
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    db["runs"].insert({"started": "2022-01-01T00:00:00+00:00", "status": "running", "pid": int(dead.stdout)})
    log = RunLog(db)
    current = log.start_run()
    statuses = {row["id"]: row["status"] for row in db.query("select id, status from runs")}
    assert statuses == {1: "interrupted", current: "running"}


def test_transactions_wait_for_another_writer_instead_of_failing(tmp_path: Path) -> None:
    """A read-then-write transaction must not fail at once when another connection is writing."""
    import sqlite3
    import threading

    store = ArticleStore(open_database(tmp_path / "wx.db"))
    holding = threading.Event()

    def other_writer() -> None:
        conn = sqlite3.connect(tmp_path / "wx.db", isolation_level=None)
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("insert into runs (started, status) values ('x', 'running')")
        holding.set()
        threading.Event().wait(0.5)
        conn.execute("COMMIT")
        conn.close()

    writer = threading.Thread(target=other_writer)
    writer.start()
    holding.wait(5)
    result = store.save(record("https://e.org/1", "小程序日活突破4.5亿"))  # waits ~0.5 s for the lock
    writer.join()
    assert result.status == "new"


def test_a_304_touches_no_article_row_and_shows_its_articles_unchanged(store: ArticleStore) -> None:
    first = store.save(record("https://e.org/1", "小程序日活突破4.5亿，活跃小程序数量同比上涨41%", "feed"), 1)
    store.save(record("https://e.org/2", "视频号的原创内容日均上传量同比增长超过五成", "feed"), 1)
    other = store.save(record("https://o.org/1", "搜一搜的月活跃用户数超过八亿", "other"), 1)
    changes = store.db.conn.total_changes
    assert store.mark_source_unchanged("feed", 2) == 0
    assert store.db.conn.total_changes - changes == 1  # the source's state row, whatever its article count
    shown = {row["id"]: row for row in store.rows()}
    assert shown[first.id]["status"] == "unchanged" and shown[other.id]["status"] == "new"
    assert [row["url"] for row in store.rows(statuses=("new",))] == ["https://o.org/1"]
    stored = store.db.conn.execute("select status, run_id from articles where source = 'feed'").fetchall()
    assert stored == [("new", 1), ("new", 1)]
    later = store.save(record("https://e.org/3", "公众号的日均阅读量较去年同期明显回升", "feed"), 3)
    assert {row["id"]: row["status"] for row in store.rows(source="feed")}[later.id] == "new"


def test_new_article_takes_at_most_five_statements(store: ArticleStore) -> None:
    statements: list[str] = []
    store.save(record("https://e.org/0", page_text(STCN)))
    store.db.conn.set_trace_callback(statements.append)
    store.save(record("https://e.org/1", page_text(KR36)))
    store.save(record("https://e.org/1", page_text(KR36)))
    store.db.conn.set_trace_callback(None)
    assert [s.split()[0].upper() for s in statements] == [
        "BEGIN", "SELECT", "WITH", "INSERT", "COMMIT", "BEGIN", "SELECT", "UPDATE", "COMMIT"]


def test_page_is_stored_compressed_and_read_through_the_store(store: ArticleStore) -> None:
    html = STCN.read_text(encoding="utf-8")
    saved = store.save(ArticleRecord(url="https://e.org/1", source="s", title="t", text=page_text(STCN), html=html))
    query = "select html, norm_text, length(html_zstd), norm_zstd, text from articles"
    stored = store.db.conn.execute(query).fetchone()
    assert stored[:2] == (None, None) and stored[2] < len(html.encode()) * 0.6
    assert store.html(saved.id) == html
    assert pagezip.decompress_compare(stored[3], stored[4]) == compare_text(stored[4])
    assert len(stored[3]) < len(stored[4].encode()) / 4  # the text is the compare text's dictionary


def made_up_text(rng: random.Random, length: int) -> str:
    """Chinese-looking text no corpus contains (random common characters, in sentences)."""
    chars = [chr(rng.randint(0x4E00, 0x62FF)) for _ in range(length)]
    return "。".join("".join(chars[i : i + 20]) for i in range(0, length, 20))


def test_candidates_stay_few_on_templated_texts(store: ArticleStore, monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(4)
    template = made_up_text(rng, 600)  # navigation, footer, a disclaimer: the same in every article
    comparisons: list[int] = []
    original = neardup.is_reprint
    monkeypatch.setattr(neardup, "is_reprint", lambda a, b: comparisons.append(1) or original(a, b))
    per_article = []
    for number in range(60):
        before = len(comparisons)
        saved = store.save(record(f"https://e.org/{number}", template + made_up_text(rng, 400)))
        assert saved.status == "new"
        per_article.append(len(comparisons) - before)
    assert sum(per_article[-20:]) <= 20  # the template's band keys are shared by many stories: no candidates


def test_a_story_reprinted_many_times_links_every_copy(store: ArticleStore) -> None:
    text = page_text(STCN)
    original = store.save(record("https://a.org/1", text, "stcn"))
    traditional = opencc.OpenCC("s2t").convert(text)
    for number in range(2 * BAND_RECENT):
        copy = traditional if number % 2 else text[: len(text) - 10 * number]
        saved = store.save(record(f"https://m{number}.org/1", copy, f"mirror{number}"))
        assert (saved.status, saved.duplicate_of) == ("reprint", original.id)
