"""SQL statements per stored article over a whole crawl job (crawl, analysis, health, dispatch), by kind.

Usage: python benchmarks/sql_statements.py [--articles N] [--categories N] [--json]

Builds the benchmark site (benchmarks/newssite.py) with N articles, serves it on loopback, then runs one
`wxwatch crawl` job in this process, alerting on the first crawl (`alert_baseline`, so the outbox is written
too), on a database created beforehand (its migrations run once per database and are not counted). Every
SQLite connection the job opens has a `sqlite3.Connection.set_trace_callback`; the statements SQLite executed
are counted by kind and by the wxwatch module that issued them (the innermost wxwatch frame outside
storage/db.py). The statements of storage/articles.py (ArticleStore: the articles table's own look-ups,
near-duplicate candidates and writes, with their introspection and savepoints) are left out of the budgeted
figure; everything else (runs and validators, analysis, history, outbox, health, dispatch) is in it."""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections import Counter
from dataclasses import replace
from pathlib import Path

from bench_crawl import loop_server
from newssite import build_site, settings_toml

from wxwatch.analysis import analyse_new_articles
from wxwatch.config import load_config
from wxwatch.crawljob import run_crawl_job
from wxwatch.storage.db import open_database

BUDGET_EXCLUDED = "wxwatch.storage.articles"  # artstore's area, rewritten separately


def statement_kind(sql: str) -> str:
    """A statement's kind: introspection, transaction control, the articles table's own, or verb + table."""
    text = " ".join(sql.split())
    lower = text.lower()
    if lower.startswith("-- trigger"):
        return "trigger body"
    if "sqlite_master" in lower or "sqlite_schema" in lower:
        return "sqlite_master read"
    if lower.startswith("pragma"):
        return "pragma " + re.split(r"[\s(=]", lower[7:].strip(), maxsplit=1)[0]
    if re.match(r"(savepoint|release|rollback to)\b", lower):
        return "savepoint/release"
    if re.match(r"(begin|commit|rollback)\b", lower):
        return "begin/commit"
    table = re.search(r"(?:into|from|update|table)\s+[\[\"]?(\w+)", lower)
    return f"{lower.split(' ', 1)[0]} {table.group(1) if table else '?'}"


def issuing_module() -> str:
    """The innermost wxwatch module on the stack outside storage/db.py (the code that issued a statement)."""
    frame = sys._getframe(2)
    while frame is not None:
        name = frame.f_globals.get("__name__", "")
        if name.startswith("wxwatch.") and name != "wxwatch.storage.db":
            return name
        frame = frame.f_back
    return "?"


def count_statements(config_path: Path) -> tuple[Counter, dict]:
    """Run one crawl job with every new SQLite connection traced; the statement kinds and the job's counts."""
    kinds: Counter = Counter()
    connect = sqlite3.connect

    def traced_connect(*args, **kwargs):
        connection = connect(*args, **kwargs)
        connection.set_trace_callback(lambda sql: kinds.update([(issuing_module(), statement_kind(sql))]))
        return connection

    config = load_config(config_path)
    open_database(config.storage.path).close()  # the schema exists (migrations run once per database, not per job)
    sqlite3.connect = traced_connect
    try:
        report = run_crawl_job(config, alert_baseline=True)
    finally:
        sqlite3.connect = connect
    stored = sum(result.articles_new + result.articles_updated + result.duplicates for result in report.results)
    return kinds, {"stored": stored, "observations": report.analysis.observations,
                   "alerts": len(report.analysis.events)}


def analyse_ms_per_article(config_path: Path, repeats: int = 3) -> float:
    """Median CPU ms per article of a fresh analysis pass over the crawled database (extraction state reset)."""
    config = load_config(config_path)
    timings = []
    for run in range(repeats):
        copy = config_path.parent / f"analysis{run}.db"
        shutil.copy(config.storage.path, copy)
        db = open_database(copy)
        db.executescript("update articles set extracted_hash = null; delete from observations;"
                         " delete from metric_values; delete from alerts; delete from analysis_state;")
        started = time.process_time()
        report = analyse_new_articles(db, replace(config, storage=replace(config.storage, path=copy)), None,
                                      alert_baseline=True)
        timings.append((time.process_time() - started) * 1000 / max(report.articles, 1))
        db.close()
    return statistics.median(timings)


def summary(statements: Counter, job: dict) -> dict:
    """Per stored article: all statements, the budgeted ones (without ArticleStore's), by kind and by module."""
    stored = max(job["stored"], 1)
    budgeted: Counter = Counter()
    modules: Counter = Counter()
    for (module, kind), count in statements.items():
        modules[module] += count
        if module != BUDGET_EXCLUDED:
            budgeted[kind] += count
    return job | {"statements": sum(statements.values()), "budgeted": sum(budgeted.values()),
                  "per_article": round(sum(statements.values()) / stored, 2),
                  "budgeted_per_article": round(sum(budgeted.values()) / stored, 2),
                  "kinds": {kind: round(n / stored, 2) for kind, n in budgeted.most_common()},
                  "modules": {module: round(n / stored, 2) for module, n in modules.most_common()}}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=500, help="articles on the site (default 500)")
    parser.add_argument("--categories", type=int, default=10,
                        help="sources (feeds and listings) the articles are spread over (default 10)")
    parser.add_argument("--json", action="store_true", help="print the figures as one JSON line")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        site = build_site(Path(folder) / "site", args.articles, "", categories=args.categories)
        with loop_server(Path(folder) / "site") as base_url:
            config = Path(folder) / "settings.toml"
            config.write_text(settings_toml(site, base_url, Path(folder) / "wxwatch.db", per_domain=8))
            figures = summary(*count_statements(config))
        figures["analyse_ms_per_article"] = round(analyse_ms_per_article(config), 2)
    if args.json:
        print(json.dumps(figures))
        return 0
    print(f"{figures['stored']} articles stored, {figures['observations']} observations, {figures['alerts']} events")
    print(f"statements per stored article: {figures['per_article']}; budgeted (without {BUDGET_EXCLUDED}):"
          f" {figures['budgeted_per_article']}")
    print(f"analysis pass alone: {figures['analyse_ms_per_article']} CPU ms/article (median of 3)")
    print("budgeted, per stored article, by kind:")
    for kind, per_article in figures["kinds"].items():
        print(f"  {per_article:8.2f}  {kind}")
    print("all, per stored article, by issuing module:")
    for module, per_article in figures["modules"].items():
        print(f"  {per_article:8.2f}  {module}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
