"""The articles table's flat costs: statements per save, reprint candidates per new article, bytes and ms per article.

Usage: python benchmarks/bench_artstore.py [--articles 5000] [--timed 200] [--baseline REV] [--work DIR]
       python benchmarks/bench_artstore.py --paired REV [--articles 5000] [--work DIR]

Saves the benchmark site's articles (benchmarks/newssite.py: 40-80 KB templated pages, 2% reprints) one by one
through ArticleStore as the crawl pipeline does (known-URL check, then save with the compare text), on a fresh
database. Prints statements per save (SQLite trace callback), reprint candidates compared per new article by
thousand, the reprints linked, bytes per stored article (database file after a checkpoint, indexes included), and
ms per save of the last `--timed` articles. `--baseline REV` runs the ArticleStore of git revision REV instead
(loaded from `git show REV:storage/articles.py`), for before/after figures side by side. Page texts are cached in
the work folder (trafilatura is the slow part of building them). `--paired REV`, after one run with and one
without `--baseline REV`, copies both databases and saves the site's next `--timed` articles into each in turn
(the same article into both, one after the other): ms per save side by side at `--articles` stored rows.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import pickle
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path
from types import ModuleType

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE)]

from newssite import Site, article_html, make_articles  # noqa: E402

from wxwatch.storage import articles as articles_module  # noqa: E402
from wxwatch.storage import neardup  # noqa: E402
from wxwatch.storage.db import open_database  # noqa: E402
from wxwatch.text.pages import main_text  # noqa: E402


def site_pages(count: int, seed: int = 11) -> tuple[Site, random.Random]:
    rng = random.Random(seed)
    return Site(Path("."), 50, make_articles(count, 50, rng)), rng


def texts(work: Path, count: int) -> list[str]:
    """Main texts of the first `count` site articles (cached)."""
    cache = work / f"texts-{count}.pickle"
    if cache.exists():
        return pickle.loads(cache.read_bytes())
    site, rng = site_pages(count)
    result = [main_text(article_html(a, site, rng).decode()) for a in site.articles]
    cache.write_bytes(pickle.dumps(result))
    return result


def store_module(baseline: str | None) -> ModuleType:
    if not baseline:
        return articles_module
    source = subprocess.run(["git", "show", f"{baseline}:storage/articles.py"], capture_output=True, text=True,
                            check=True, cwd=HERE.parent).stdout
    spec = importlib.util.spec_from_loader("wxwatch.storage.articles_baseline", loader=None)
    assert spec is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    exec(compile(source, "articles_baseline.py", "exec"), module.__dict__)  # noqa: S102 - our own file at REV
    return module


class Counters:
    """Statements run by SQLite and reprint comparisons made."""

    def __init__(self) -> None:
        self.statements = 0
        self.comparisons = 0
        original = neardup.is_reprint

        def counted(a: set[str], b: set[str]) -> bool:
            self.comparisons += 1
            return original(a, b)

        neardup.is_reprint = counted

    def trace(self, _statement: str) -> None:
        self.statements += 1


def run(options: argparse.Namespace) -> dict:
    work = Path(options.work)
    work.mkdir(parents=True, exist_ok=True)
    all_texts = texts(work, options.articles)
    site, rng = site_pages(options.articles)
    module = store_module(options.baseline)
    db_path = work / f"artstore-{options.baseline or 'tree'}.db"
    for old in work.glob(f"{db_path.name}*"):
        old.unlink()
    db = open_database(db_path)
    store = module.ArticleStore(db)
    counters = Counters()
    db.conn.set_trace_callback(counters.trace)
    per_thousand: list[list[int]] = []
    statements: dict[str, list[int]] = {}
    timings: list[float] = []
    reprints: list[tuple[int, int]] = []
    html_bytes = 0
    timed_from = len(site.articles) - options.timed
    for number, (article, text) in enumerate(zip(site.articles, all_texts, strict=True)):
        html = article_html(article, site, rng).decode()
        html_bytes += len(html.encode())
        record = module.ArticleRecord(url=f"http://site.example{article.path}", source=f"c{article.category:02d}",
                                      title=article.title, text=text, html=html,
                                      published=article.published.isoformat(),
                                      compare_text=neardup.compare_text(text))
        counters.statements, counters.comparisons = 0, 0
        started = time.perf_counter()
        known = store.is_known(record.url)
        counters.statements = 0
        result = store.save(record, 1)
        elapsed = time.perf_counter() - started
        assert not known
        if number >= timed_from:
            timings.append(elapsed * 1000)
        statements.setdefault(result.status, []).append(counters.statements)
        if result.status == "reprint":
            reprints.append((result.id, result.duplicate_of))
        if number % 1000 == 0:
            per_thousand.append([])
        per_thousand[-1].append(counters.comparisons)
    counters.statements = 0
    again = module.ArticleRecord(url=record.url, source=record.source, title=record.title, text=record.text,
                                 html=record.html, compare_text=record.compare_text)
    unchanged = store.save(again, 2)
    statements.setdefault(unchanged.status + " (refetched)", []).append(counters.statements)
    counters.statements = 0
    store.mark_source_unchanged("c00", 3)
    statements["304 of a source"] = [counters.statements]
    changes = db.conn.total_changes
    store.mark_source_unchanged("c01", 3)
    rows_touched_by_304 = db.conn.total_changes - changes
    db.conn.set_trace_callback(None)
    db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.conn.close()
    size = db_path.stat().st_size
    count = len(site.articles)
    return {
        "code": options.baseline or "working tree",
        "articles": count,
        "statements per save (median by status)": {k: statistics.median(v) for k, v in statements.items()},
        "rows written by a 304": rows_touched_by_304,
        "candidates per new article by thousand": [round(statistics.mean(c), 2) for c in per_thousand],
        "reprints linked": len(reprints),
        "reprints": reprints,
        "html KB per article": round(html_bytes / count / 1024, 1),
        "database KB per article": round(size / count / 1024, 1),
        "database bytes by table and index (KB per article)": table_sizes(db_path, count),
        f"ms per save, last {options.timed} (median)": round(statistics.median(timings), 2),
    }


def paired(options: argparse.Namespace) -> dict:
    """Median ms per save of the next articles into copies of both databases, alternating."""
    work, count = Path(options.work), options.articles
    site, rng = site_pages(count + options.timed)
    for article in site.articles[:count]:
        article_html(article, site, rng)  # the page generator's state as the runs left it
    pages = [(article, article_html(article, site, rng).decode()) for article in site.articles[count:]]
    stores = {}
    for label in (options.paired, None):
        copy = work / f"paired-{label or 'tree'}.db"
        for old in work.glob(f"{copy.name}*"):
            old.unlink()
        shutil.copyfile(work / f"artstore-{label or 'tree'}.db", copy)
        module = store_module(label)
        stores[label or "working tree"] = (module, module.ArticleStore(open_database(copy)))
    times: dict[str, list[float]] = {label: [] for label in stores}
    for article, html in pages:
        text = main_text(html)
        for label, (module, store) in stores.items():
            record = module.ArticleRecord(url=f"http://site.example{article.path}", source="c00", title=article.title,
                                          text=text, html=html, compare_text=neardup.compare_text(text))
            started = time.perf_counter()
            store.save(record, 5)
            times[label].append((time.perf_counter() - started) * 1000)
    return {f"ms per save at {count} rows, {label} (median, mean)": (round(statistics.median(values), 2),
                                                                      round(statistics.mean(values), 2))
            for label, values in times.items()}


def table_sizes(path: Path, count: int) -> dict[str, float]:
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute("select name, sum(pgsize) from dbstat group by name order by 2 desc limit 8").fetchall()
    except sqlite3.OperationalError:
        return {}
    finally:
        conn.close()
    return {name: round(size / count / 1024, 2) for name, size in rows}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument("--timed", type=int, default=200)
    parser.add_argument("--baseline", help="git revision whose storage/articles.py to run instead")
    parser.add_argument("--work", default="/tmp/wx-artstore")
    parser.add_argument("--json", help="also write the result to this file")
    parser.add_argument("--paired", metavar="REV", help="time saves side by side on the databases of two runs")
    options = parser.parse_args()
    result = paired(options) if options.paired else run(options)
    shown = {k: v for k, v in result.items() if k != "reprints"}
    print(json.dumps(shown, ensure_ascii=False, indent=1))
    if options.json:
        Path(options.json).write_text(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
