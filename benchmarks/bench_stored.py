"""Cost per new article against 10k and 1M stored articles with realistic rows, and bytes stored per article.

Usage: python benchmarks/bench_stored.py [--sizes 10000,1000000] [--block 2000] [--batch 300] [--runs 3] [--work DIR]

Rows are made as wxwatch makes them: a block of distinct articles of the benchmark site (40-80 KB pages, 60 KB
on average, templated Chinese text, ~20% with WeChat figures, 2% reprints) is saved through
`ArticleStore.save` (compare text and signature precomputed as a worker would) and analysed with
`analyse_new_articles`; the block is then copied in SQL, every column as stored except the URL and the dates
(copy k is k days older), up to the size. So the row format is whatever the store writes, and copies keep their
band keys: reprint candidates grow with the database as on a templated real corpus, unless the store bounds them.
Per run, `--batch` new site articles are saved and analysed on a fresh copy of each template: CPU-ms per new
article (store, analyse). Bytes per article = file size / rows after a checkpoint. Disk: the template plus one
copy, each rows x stored bytes per article (1M rows of today's format is ~73 GB: too much; ~15 GB at 15 KB).
"""

from __future__ import annotations

import argparse
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE)]  # not the repo root: wxwatch is the installed one (it may be another venv's)

from newssite import Site, article_html, make_articles  # noqa: E402

from wxwatch.analysis import analyse_new_articles  # noqa: E402
from wxwatch.config import Config, load_config  # noqa: E402
from wxwatch.storage import neardup  # noqa: E402
from wxwatch.storage.articles import ArticleRecord, ArticleStore  # noqa: E402
from wxwatch.storage.db import open_database  # noqa: E402

CATEGORIES = 50


def site_records(count: int, first: int, seed: int = 17) -> list[ArticleRecord]:
    """`count` site articles (numbers from `first`) as the crawler hands them to storage, with their HTML."""
    rng = random.Random(seed + first)
    articles = make_articles(first + count, CATEGORIES, rng)[first:]
    site = Site(Path("."), CATEGORIES, articles)
    records = []
    for article in articles:
        text = article.title + "\n" + "\n".join(article.paragraphs)
        compare = neardup.compare_text(text)
        records.append(ArticleRecord(
            url=f"http://site.example{article.path}?n={first}", source=f"c{article.category:02d}",
            title=article.title, text=text, html=article_html(article, site, rng).decode(),
            published=article.published.isoformat(), compare_text=compare, signature=neardup.signature(compare)))
    return records


def save_all(db_path: Path, config: Config, records: list[ArticleRecord]) -> tuple[float, float]:
    """Save and analyse `records` as a crawl would; (CPU s storing, CPU s analysing)."""
    db = open_database(db_path)
    store = ArticleStore(db)
    started = time.process_time()
    for record in records:
        store.save(record, None)
    stored = time.process_time()
    analyse_new_articles(db, config, None)
    analysed = time.process_time()
    db.conn.close()
    return stored - started, analysed - stored


DATED = ("published", "first_seen", "last_seen", "updated_at")  # ISO 8601 with offset, as the store writes them


def copied(name: str) -> str:
    """A column's value in copy number {copy}: the URL made unique, dates {copy} days earlier, the rest as is."""
    if name == "url":
        return "url || '&copy={copy}'"
    if name in DATED:
        return (f"strftime('%Y-%m-%dT%H:%M:%S', substr({name}, 1, 19), '-{{copy}} days') || substr({name}, 20)")
    return name


def copy_block(path: Path, rows: int) -> None:
    """Grow the articles table to `rows` by copying the stored block, every column as stored but the URL and dates
    (copy k is k days older: 1M rows of a 2,000-article block span 500 days, as a real history would)."""
    conn = sqlite3.connect(path)
    names = [row[1] for row in conn.execute("pragma table_info(articles)") if row[1] != "id"]
    block = conn.execute("select count(*) from articles").fetchone()[0]
    select = ", ".join(copied(name) for name in names)
    sql = f"insert into articles ({', '.join(names)}) select {select} from articles where id <= {block}"
    for copy in range(1, -(-rows // block)):
        with conn:
            conn.execute(sql.replace("{copy}", str(copy)))
    with conn:
        conn.execute("delete from articles where id > ?", [rows])
    conn.execute("pragma wal_checkpoint(truncate)")
    conn.close()


def template(work: Path, config: Config, rows: int, block: list[ArticleRecord]) -> Path:
    """The template database with `rows` articles, built once per work folder."""
    path = work / f"stored-{rows}.db"
    if path.exists():
        return path
    partial = work / f"stored-{rows}.partial"
    for leftover in work.glob(partial.name + "*"):
        leftover.unlink()
    started = time.perf_counter()
    save_all(partial, config, block[:rows])
    copy_block(partial, rows)
    partial.rename(path)
    print(f"template {rows:,} rows built in {time.perf_counter() - started:.0f} s", flush=True)
    return path


def bytes_per_article(path: Path) -> float:
    conn = sqlite3.connect(path)
    rows = conn.execute("select count(*) from articles").fetchone()[0]
    conn.close()
    return path.stat().st_size / rows


def measure(template_db: Path, work: Path, config: Config, batch: list[ArticleRecord]) -> tuple[float, float]:
    """CPU-ms per new article (store, analyse) on a fresh copy of `template_db`."""
    run_db = work / "stored-run.db"
    for leftover in work.glob("stored-run.db*"):
        leftover.unlink()
    shutil.copyfile(template_db, run_db)
    store_s, analyse_s = save_all(run_db, config, batch)
    return store_s * 1000 / len(batch), analyse_s * 1000 / len(batch)


def run(work: Path, sizes: list[int], block_size: int, batch_size: int, runs: int) -> dict[str, dict[str, float]]:
    """{rows: {store_ms, analyse_ms, total_ms, bytes}} medians over `runs`."""
    config_path = work / "stored-settings.toml"
    config_path.write_text(f'[storage]\npath = "{work / "unused.db"}"\n', encoding="utf-8")
    config = load_config(config_path)
    block = site_records(min(block_size, min(sizes)), 0)
    templates = {rows: template(work, config, rows, block) for rows in sizes}
    samples: dict[int, list[tuple[float, float]]] = {rows: [] for rows in sizes}
    for number in range(runs):
        batch = site_records(batch_size, block_size + number * batch_size)
        for rows, path in templates.items():  # side by side: every size within the same minute
            samples[rows].append(measure(path, work, config, batch))
    figures = {}
    for rows, values in samples.items():
        store = statistics.median(v[0] for v in values)
        analyse = statistics.median(v[1] for v in values)
        figures[str(rows)] = {"store_ms": store, "analyse_ms": analyse, "total_ms": store + analyse,
                              "bytes": bytes_per_article(templates[rows])}
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,1000000")
    parser.add_argument("--block", type=int, default=2000, help="distinct articles saved through the store")
    parser.add_argument("--batch", type=int, default=300, help="new articles per measurement")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--work", type=Path, help="keep the template databases here (reused)")
    args = parser.parse_args(argv)
    sizes = [int(n) for n in args.sizes.split(",")]
    with tempfile.TemporaryDirectory(prefix="wxwatch-stored-") as tmp:
        work = args.work or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        figures = run(work, sizes, args.block, args.batch, args.runs)
    small = figures[str(sizes[0])]
    for rows, row in figures.items():
        print(f"{int(rows):>9,} stored: {row['total_ms']:.2f} CPU-ms per new article (store {row['store_ms']:.2f}, "
              f"analyse {row['analyse_ms']:.2f}) = {row['total_ms'] / small['total_ms']:.2f}x; "
              f"{row['bytes'] / 1024:.1f} KB per article")
    return 0


if __name__ == "__main__":
    sys.exit(main())
