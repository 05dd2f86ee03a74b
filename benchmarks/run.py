"""The benchmark suite: one command that builds the loopback site, runs every measurement and prints a table.

Usage: python benchmarks/run.py [--articles 5000] [--runs 3] [--smoke] [--profile] [--work DIR] [--json FILE]

Per run, side by side (the machine is shared): bare Scrapy discarding the same URLs, `wxwatch crawl` on a fresh
database, the incremental second crawl, news-please (its own venv, NEWSPLEASE_PYTHON, default /work/bench/np-venv);
then extraction articles/s on the site's texts (one core), growth with the database (10k vs 1M stored articles,
event detection against 100k observations). Figures are medians over the runs. `--smoke` runs everything on a
tiny site once (the CI smoke test); `--profile` adds a cProfile of one `wxwatch crawl` (top entries printed).
"""

from __future__ import annotations

import argparse
import json
import pstats
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE)]  # not the repo root: wxwatch is the installed one (it may be another venv's)

import bench_crawl  # noqa: E402
import bench_growth  # noqa: E402
from bench_extract import run_once  # noqa: E402
from newssite import Site, build_site, settings_toml  # noqa: E402

from wxwatch.analysis import metric_key  # noqa: E402
from wxwatch.config import load_config  # noqa: E402
from wxwatch.metrics.extract import extract_metrics  # noqa: E402


@dataclass
class Options:
    articles: int = 5000
    categories: int = 50
    runs: int = 3
    concurrency: int = 8
    growth_rows: tuple[int, int] = (10_000, 1_000_000)
    observations: tuple[int, int] = (1_000, 100_000)
    growth_batch: int = 300
    news_please: bool = True
    wrk: bool = True
    profile: bool = False


@dataclass
class Results:
    figures: dict[str, list[float]] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)

    def add(self, name: str, value: float) -> None:
        self.figures.setdefault(name, []).append(value)

    def median(self, name: str) -> float | None:
        values = self.figures.get(name)
        return statistics.median(values) if values else None


def prepare_site(work: Path, options: Options) -> Site:
    """Build (or rebuild) the site under `work`; feeds carry relative links, so any port serves it."""
    started = time.perf_counter()
    site = build_site(work / "site", options.articles, "", options.categories)
    print(f"site: {options.articles} articles, {options.categories} categories, {len(site.entry_paths())} feeds and "
          f"listing pages, built in {time.perf_counter() - started:.0f} s", flush=True)
    return site


def crawl_round(site: Site, base_url: str, work: Path, options: Options, results: Results, run: int) -> None:
    """One side-by-side round: bare Scrapy, wxwatch first and second crawl, news-please."""
    urls, articles = work / "urls.txt", work / "articles.txt"
    urls.write_text("\n".join(base_url + p for p in site.entry_paths() + site.article_paths()))
    articles.write_text("\n".join(base_url + p for p in site.article_paths()))
    bare, bare_out = bench_crawl.bare_scrapy(urls, options.concurrency * 2)
    results.add("bare_pps", bare_out["pages"] / bare_out["seconds"])
    results.add("bare_cpu_ms", bare.cpu * 1000 / len(site.articles))
    first, second = wxwatch_pair(site, base_url, work / f"run{run}", options, results)
    line = (f"run {run}: bare Scrapy {bare_out['pages'] / bare_out['seconds']:.0f} pages/s; "
            f"wxwatch {first:.1f} s first, {second:.2f} s second")
    if options.news_please:
        outcome = bench_crawl.news_please(articles)
        if isinstance(outcome, str):
            results.notes["news_please"] = outcome
        else:
            measured, out = outcome
            results.add("np_pps", out["pages"] / out["seconds"])
            results.add("np_cpu_ms", measured.cpu * 1000 / len(site.articles))
            line += f"; news-please {out['pages'] / out['seconds']:.0f} pages/s"
    print(line, flush=True)


def wxwatch_pair(site: Site, base_url: str, folder: Path, options: Options, results: Results) -> tuple[float, float]:
    """`wxwatch crawl` on a fresh database, then again on the unchanged site; returns both job times."""
    folder.mkdir(parents=True, exist_ok=True)
    config = folder / "settings.toml"
    config.write_text(settings_toml(site, base_url, folder / "wx.db", options.concurrency), encoding="utf-8")
    bench_crawl.server_hits(base_url, reset=True)
    first, summary = bench_crawl.wxwatch_crawl(config)
    pages = sum(row["pages"] for row in summary["sources"])
    results.add("wx_pps", pages / summary["seconds"])
    results.add("wx_seconds", summary["seconds"])
    results.add("wx_cpu_ms", first.cpu * 1000 / len(site.articles))
    results.add("wx_rss_mib", first.max_rss_kib / 1024)
    results.add("wx_new", sum(row["new"] + row["reprints"] for row in summary["sources"]))
    bench_crawl.server_hits(base_url, reset=True)
    second, again = bench_crawl.wxwatch_crawl(config)
    hits = bench_crawl.server_hits(base_url)
    results.add("inc_seconds", again["seconds"])
    results.add("inc_ratio", again["seconds"] / summary["seconds"])
    results.add("inc_article_pages", hits.get("article 200", 0) + hits.get("article 304", 0))
    results.add("inc_entry_304", hits.get("entry 304", 0))
    results.add("inc_entry_200", hits.get("entry 200", 0))
    return summary["seconds"], again["seconds"]


def profile_crawl(site: Site, base_url: str, work: Path, options: Options, top: int = 25) -> str:
    """cProfile of one first `wxwatch crawl`: the top entries by own time and by cumulative time."""
    folder = work / "profile"
    folder.mkdir(parents=True, exist_ok=True)
    config = folder / "settings.toml"
    config.write_text(settings_toml(site, base_url, folder / "wx.db", options.concurrency), encoding="utf-8")
    bench_crawl.wxwatch_crawl(config, profile=folder / "crawl.prof")
    report = folder / "profile.txt"
    with report.open("w") as stream:
        stats = pstats.Stats(str(folder / "crawl.prof"), stream=stream).strip_dirs()
        stats.sort_stats("tottime").print_stats(top)
        stats.sort_stats("cumulative").print_stats(top)
    return report.read_text()


def extraction(site: Site, results: Results, runs: int) -> None:
    texts = site.texts()
    extract_metrics(texts[0])
    for _ in range(runs):
        wall, _cpu = run_once(texts)
        results.add("extract_aps", wall)


def growth(site: Site, work: Path, options: Options, results: Results, runs: int) -> None:
    """ms per new article (store, analyse) on small vs large databases, and against few vs many observations."""
    config = work / "growth-settings.toml"
    config.write_text(settings_toml(site, "http://127.0.0.1:1", work / "unused.db", 1), encoding="utf-8")
    cfg = load_config(config)
    texts = site.texts()
    metric_texts = [t for t in texts if extract_metrics(t)][: options.growth_batch]
    keys = sorted({metric_key(o) for t in metric_texts[:50] for o in extract_metrics(t)}) or ["wechat.mau"]
    small, large = options.growth_rows
    few, many = options.observations
    templates = {"small": bench_growth.template(work, small), "large": bench_growth.template(work, large),
                 "few": bench_growth.template(work, small, few, keys),
                 "many": bench_growth.template(work, small, many, keys)}
    for run in range(runs):
        for name, path in templates.items():
            pool = texts if name in ("small", "large") else metric_texts
            batch = bench_growth.new_articles(pool, options.growth_batch, offset=run * options.growth_batch)
            store_ms, analyse_ms = bench_growth.time_new_articles(path, work, cfg, batch)
            results.add(f"growth_{name}_store", store_ms)
            results.add(f"growth_{name}_analyse", analyse_ms)
    print(f"growth: {small} vs {large} stored articles, {few} vs {many} observations "
          f"({options.growth_batch} new articles per run)", flush=True)


def table(results: Results, options: Options) -> list[tuple[str, str, str, str]]:
    """(what, figure, target, met) rows."""
    m = results.median
    rows = []

    def row(what: str, figure: str, target: str, met: bool | None) -> None:
        rows.append((what, figure, target, "-" if met is None else ("yes" if met else "NO")))

    if m("server_rps"):
        row("server alone (wrk, article pages)", f"{m('server_rps'):.0f} req/s", ">= 5x crawl rate (b)",
            m("server_rps") >= 5 * m("wx_pps"))
    row("(a) bare Scrapy, discard", f"{m('bare_pps'):.0f} pages/s, {m('bare_cpu_ms'):.1f} CPU-ms/article", "-", None)
    ratio_a = m("wx_pps") / m("bare_pps")
    row("(b) wxwatch crawl, first", f"{m('wx_pps'):.0f} pages/s, {m('wx_cpu_ms'):.1f} CPU-ms/article, "
        f"{m('wx_seconds'):.1f} s; {ratio_a:.2f}x (a)", ">= 0.5x (a)", ratio_a >= 0.5)
    if m("np_pps"):
        ratio_c = m("wx_pps") / m("np_pps")
        row("(c) news-please (from_urls)", f"{m('np_pps'):.0f} pages/s, {m('np_cpu_ms'):.1f} CPU-ms/article; "
            f"(b) is {ratio_c:.2f}x (c)", "(b) >= 3x (c)", ratio_c >= 3)
    else:
        row("(c) news-please", results.notes.get("news_please", "skipped"), "(b) >= 3x (c)", None)
    row("incremental second crawl", f"{m('inc_seconds'):.2f} s = {100 * m('inc_ratio'):.1f}% of first; "
        f"{m('inc_article_pages'):.0f} article pages, {m('inc_entry_304'):.0f} entry pages 304, "
        f"{m('inc_entry_200'):.0f} 200", "<= 5%, 0 article pages",
        m("inc_ratio") <= 0.05 and m("inc_article_pages") == 0)
    row(f"peak RSS, {options.articles}-article crawl", f"{m('wx_rss_mib'):.0f} MiB", "<= 300 MB",
        m("wx_rss_mib") * 1.048576 <= 300)
    row("extraction (normalize + metrics), one core", f"{m('extract_aps'):.0f} articles/s", ">= 300/s",
        m("extract_aps") >= 300)
    for label, small, large in (("articles", "small", "large"), ("observations", "few", "many")):
        a = m(f"growth_{small}_store") + m(f"growth_{small}_analyse")
        b = m(f"growth_{large}_store") + m(f"growth_{large}_analyse")
        sizes = options.growth_rows if label == "articles" else options.observations
        row(f"time per new article, {sizes[0]:,} vs {sizes[1]:,} {label}",
            f"{a:.2f} vs {b:.2f} ms ({b / a:.2f}x); store {m(f'growth_{small}_store'):.2f} vs "
            f"{m(f'growth_{large}_store'):.2f}, analyse {m(f'growth_{small}_analyse'):.2f} vs "
            f"{m(f'growth_{large}_analyse'):.2f}", "<= 1.5x", b / a <= 1.5)
    return rows


def print_table(rows: list[tuple[str, str, str, str]]) -> None:
    print("\n| what | figure (median) | target | met |\n| --- | --- | --- | --- |")
    for what, figure, target, met in rows:
        print(f"| {what} | {figure} | {target} | {met} |")


def parse_options(argv: list[str] | None) -> tuple[Options, argparse.Namespace]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--smoke", action="store_true", help="a tiny site, one run (the CI smoke test)")
    parser.add_argument("--profile", action="store_true", help="also profile one wxwatch crawl (cProfile)")
    parser.add_argument("--no-news-please", action="store_true")
    parser.add_argument("--growth-rows", default="10000,1000000")
    parser.add_argument("--work", type=Path, help="keep the site and template databases here (reused)")
    parser.add_argument("--json", type=Path, help="write every figure here")
    args = parser.parse_args(argv)
    options = Options(articles=args.articles, runs=args.runs, profile=args.profile,
                      news_please=not args.no_news_please,
                      growth_rows=tuple(int(n) for n in args.growth_rows.split(",")))
    if args.smoke:
        options = Options(articles=40, categories=4, runs=1, concurrency=4, growth_rows=(200, 1000),
                          observations=(100, 1000), growth_batch=10, news_please=False, wrk=False,
                          profile=args.profile)
    return options, args


def main(argv: list[str] | None = None) -> int:
    options, args = parse_options(argv)
    with tempfile.TemporaryDirectory(prefix="wxwatch-bench-") as tmp:
        work = args.work or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        results = run_suite(work, options)
    rows = table(results, options)
    print_table(rows)
    if args.json:
        args.json.write_text(json.dumps({"figures": results.figures, "notes": results.notes, "table": rows},
                                        ensure_ascii=False, indent=1))
    return 0


def run_suite(work: Path, options: Options) -> Results:
    results = Results()
    site = prepare_site(work, options)
    with bench_crawl.loop_server(site.root) as base_url:
        if options.wrk:
            rate = bench_crawl.wrk_rate(base_url, site.article_paths()[:2000], work)
            if rate:
                results.add("server_rps", rate)
                print(f"server alone: {rate:.0f} requests/s (wrk, 1 thread, 16 connections)", flush=True)
        for run in range(1, options.runs + 1):
            crawl_round(site, base_url, work, options, results, run)
        if options.profile:
            print(profile_crawl(site, base_url, work, options))
    extraction(site, results, options.runs)
    growth(site, work, options, results, options.runs)
    return results


if __name__ == "__main__":
    sys.exit(main())
