"""Issue 16's target table in one command: first crawl, polling and flat costs, each beside its reference.

Usage: python benchmarks/perf16.py [--articles 5000] [--runs 3] [--base-python PY] [--np-python PY] [--work DIR]
       [--only crawl,sources,poll,stored] [--json FILE] [--smoke]

Per run, side by side on the same loopback site (N articles, 50 sources): bare Scrapy discarding the pages, the
floor pipeline (Scrapy + trafilatura in a process pool + batched SQLite), news-please (`--np-python`), today's
wxwatch (`--base-python`, an install of main before issue 16) and the worktree's `wxwatch crawl`; the stored
results of the last two are compared (compare_stores.py). Then per-article CPU with 10 vs 1,000 sources, polls of
feeds that all answer 304 against a bare Scrapy poller (bench_poll.py), and CPU per new article and bytes per
article at 10k vs 1M stored rows (bench_stored.py). Figures are medians over the runs; ratios are medians of the
per-run ratios (figures from the same run), except the stored rows' (ratio of the medians).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE)]  # not the repo root: wxwatch is the installed one (it may be another venv's)

import bench_crawl  # noqa: E402
import bench_poll  # noqa: E402
import bench_stored  # noqa: E402
import compare_stores  # noqa: E402
from newssite import Site, build_site, settings_toml  # noqa: E402
from run import Results  # noqa: E402

SECTIONS = ("crawl", "sources", "poll", "stored")


@dataclass
class Options:
    articles: int = 5000
    categories: int = 50
    runs: int = 3
    concurrency: int = 8
    source_counts: tuple[int, int] = (10, 1000)
    source_articles: int = 2000
    poll_sizes: tuple[tuple[int, int], ...] = ((100, 10), (1000, 50))
    stored_sizes: tuple[int, int] = (10_000, 1_000_000)
    stored_block: int = 2000
    stored_batch: int = 300
    base_python: Path | None = Path("/work/bench/base-venv/bin/python")
    np_python: Path | None = Path("/work/bench/np-venv/bin/python")
    wx_python: str = bench_crawl.PYTHON  # the wxwatch under test (this venv's by default)
    sections: tuple[str, ...] = SECTIONS
    polite_polls: bool = True  # the default politeness (1 s delay per host); False in --smoke


def site_for(work: Path, articles: int, categories: int) -> Site:
    started = time.perf_counter()
    site = build_site(work / f"site-{articles}-{categories}", articles, "", categories)
    print(f"site: {articles} articles over {categories} sources, built in {time.perf_counter() - started:.0f} s",
          flush=True)
    return site


def wxwatch_first(site: Site, base_url: str, folder: Path, python: Path | str, concurrency: int
                  ) -> tuple[bench_crawl.Measured, int]:
    """`wxwatch crawl` into a fresh database in `folder`; (measurement, pages fetched)."""
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("wx.db*"):
        old.unlink()
    config = folder / "settings.toml"
    config.write_text(settings_toml(site, base_url, folder / "wx.db", concurrency), encoding="utf-8")
    run, summary = bench_crawl.wxwatch_crawl(config, python=python)
    return run, sum(row["pages"] for row in summary["sources"])


def record(results: Results, name: str, run: bench_crawl.Measured, pages: int, articles: int) -> str:
    results.add(f"{name}_pps", pages / run.wall)
    results.add(f"{name}_cpu_ms", run.cpu * 1000 / articles)
    results.add(f"{name}_rss_mib", run.tree_rss_kib / 1024)
    return f"{name} {pages / run.wall:.0f} pages/s, {run.cpu * 1000 / articles:.1f} CPU-ms/article"


def crawl_round(site: Site, base_url: str, work: Path, options: Options, results: Results, number: int) -> None:
    """One side-by-side round of first crawls: bare, floor, news-please, today's wxwatch, wxwatch."""
    urls, article_urls = work / "urls.txt", work / "articles.txt"
    urls.write_text("\n".join(base_url + p for p in site.entry_paths() + site.article_paths()))
    article_urls.write_text("\n".join(base_url + p for p in site.article_paths()))
    count = len(site.articles)
    bare, out = bench_crawl.bare_scrapy(urls, options.concurrency * 2)
    lines = [record(results, "bare", bare, out["pages"], count)]
    floor, out = bench_crawl.floor_pipeline(urls, work / "floor.db", options.concurrency * 2)
    lines.append(record(results, "floor", floor, out["pages"], count))
    if options.np_python:
        outcome = bench_crawl.news_please(article_urls, options.np_python)
        if isinstance(outcome, str):
            results.notes["np"] = outcome
        else:
            lines.append(record(results, "np", outcome[0], outcome[1]["pages"], count))
    if options.base_python:
        today, pages = wxwatch_first(site, base_url, work / "today", options.base_python, options.concurrency)
        lines.append(record(results, "today", today, pages, count))
    wx, pages = wxwatch_first(site, base_url, work / "wx", options.wx_python, options.concurrency)
    lines.append(record(results, "wx", wx, pages, count))
    for reference in ("floor", "np", "today"):  # ratios within the run (the machine's load changes between runs)
        if len(results.figures.get(f"{reference}_pps", [])) == number:
            results.add(f"wx_vs_{reference}", results.figures["wx_pps"][-1] / results.figures[f"{reference}_pps"][-1])
    print(f"crawl run {number}: " + "; ".join(lines), flush=True)


def compare_today(work: Path, results: Results) -> None:
    """The stored results of today's wxwatch and the worktree's, from the last round (same site, same URLs)."""
    differences, _notes, counts = compare_stores.compare(work / "today" / "wx.db", work / "wx" / "wx.db")
    results.notes["identical"] = ("identical" if not differences else f"{len(differences)} differences") + (
        f" ({counts['articles']} articles, {counts['observations']} observations, {counts['metric_values']} values;"
        " benchmarks/compare_stores.py)")
    for line in differences[:10]:
        print(f"  {line}", flush=True)


def sources_round(sites: dict[int, Site], base_urls: dict[int, str], work: Path, options: Options,
                  results: Results) -> None:
    """Per-article CPU of `wxwatch crawl` with few vs many sources (same article count)."""
    per_article = {}
    for sources, site in sites.items():
        run, _pages = wxwatch_first(site, base_urls[sources], work / f"sources-{sources}", options.wx_python,
                                    options.concurrency)
        per_article[sources] = run.cpu * 1000 / len(site.articles)
        results.add(f"sources_{sources}_cpu_ms", per_article[sources])
        print(f"{sources} sources: {per_article[sources]:.1f} CPU-ms/article, {run.wall:.1f} s", flush=True)
    few, many = options.source_counts
    results.add("sources_ratio", per_article[many] / per_article[few])


def run_crawls(work: Path, options: Options, results: Results) -> None:
    if "crawl" in options.sections:
        site = site_for(work, options.articles, options.categories)
        with bench_crawl.loop_server(site.root) as base_url:
            for number in range(1, options.runs + 1):
                crawl_round(site, base_url, work, options, results, number)
        if options.base_python:
            compare_today(work, results)
    if "sources" in options.sections:
        few, many = options.source_counts
        sites = {n: site_for(work, options.source_articles, n) for n in (few, many)}
        with bench_crawl.loop_server(sites[few].root) as url_few, bench_crawl.loop_server(sites[many].root) as url_many:
            for _ in range(options.runs):
                sources_round(sites, {few: url_few, many: url_many}, work, options, results)


def run_polls(work: Path, options: Options, results: Results) -> None:
    for feeds, hosts in options.poll_sizes:
        rows = bench_poll.poll_size(feeds, hosts, options.runs, work / "poll", options.base_python,
                                    options.polite_polls, options.wx_python)
        for name, runs in rows.items():
            for row in runs:
                results.add(f"poll_{feeds}_{name}_cpu", row["cpu"])
                results.add(f"poll_{feeds}_{name}_wall", row["wall"])
                results.add(f"poll_{feeds}_{name}_304", row["not_modified"])
        for ours, bare in zip(rows["wxwatch"], rows["bare"], strict=True):
            results.add(f"poll_{feeds}_ratio", ours["cpu"] / bare["cpu"])


def run_stored(work: Path, options: Options, results: Results) -> None:
    folder = work / "stored"
    folder.mkdir(parents=True, exist_ok=True)
    figures = bench_stored.run(folder, list(options.stored_sizes), options.stored_block, options.stored_batch,
                               options.runs)
    for rows, row in figures.items():
        for key, value in row.items():
            results.add(f"stored_{rows}_{key}", value)


def ratio_row(results: Results, what: str, ours: str, reference: str, least: float) -> tuple[str, str, str, str]:
    """Medians of both, and the median of the per-run ratios (what the target is judged on)."""
    m = results.median
    a, b, ratio = m(f"{ours}_pps"), m(f"{reference}_pps"), m(f"{ours}_vs_{reference}")
    if a is None or b is None or ratio is None:
        return (what, "not measured", f">= {least}x", "-")
    return (what, f"{a:.0f} vs {b:.0f} pages/s, {ratio:.2f}x ({results.median(ours + '_cpu_ms'):.1f} vs "
            f"{results.median(reference + '_cpu_ms'):.1f} CPU-ms/article)", f">= {least}x", _met(ratio >= least))


def _met(ok: bool) -> str:
    return "yes" if ok else "NO"


def table(results: Results, options: Options) -> list[tuple[str, str, str, str]]:
    """(what, figure, target, met) rows of issue 16's targets."""
    m, rows = results.median, []
    if m("wx_pps"):
        rows.append(("(a) bare Scrapy, discard", f"{m('bare_pps'):.0f} pages/s, {m('bare_cpu_ms'):.1f} CPU-ms/article",
                     "reference", "-"))
        rows.append(ratio_row(results, "first crawl: wxwatch vs floor pipeline", "wx", "floor", 0.8))
        rows.append(ratio_row(results, "first crawl: wxwatch vs news-please", "wx", "np", 2))
        rows.append(ratio_row(results, "first crawl: wxwatch vs today's wxwatch", "wx", "today", 2.5))
        rss = ", ".join(f"{name} {m(name + '_rss_mib'):.0f}" for name in ("bare", "floor", "np", "today", "wx")
                        if m(name + "_rss_mib"))
        rows.append((f"peak RSS, {options.articles}-article first crawl (process + children, MiB)", rss, "bounded",
                     "-"))
        same = results.notes.get("identical")
        rows.append(("stored results, today's wxwatch vs wxwatch", same or "not compared (no --base-python)",
                     "identical", _met(same.startswith("identical")) if same else "-"))
    few, many = options.source_counts
    if m(f"sources_{few}_cpu_ms"):
        a, b, ratio = m(f"sources_{few}_cpu_ms"), m(f"sources_{many}_cpu_ms"), m("sources_ratio")
        rows.append((f"CPU per article, {few} vs {many} sources ({options.source_articles} articles)",
                     f"{a:.1f} vs {b:.1f} ms, {ratio:.2f}x", "<= 1.2x", _met(ratio <= 1.2)))
    for feeds, hosts in options.poll_sizes:
        rows += poll_rows(results, feeds, hosts)
    small, large = options.stored_sizes
    if m(f"stored_{small}_total_ms"):
        a, b = m(f"stored_{small}_total_ms"), m(f"stored_{large}_total_ms")
        rows.append((f"CPU per new article, {small:,} vs {large:,} stored (store + analyse)",
                     f"{a:.2f} vs {b:.2f} ms = {b / a:.2f}x (store {m(f'stored_{small}_store_ms'):.2f} vs "
                     f"{m(f'stored_{large}_store_ms'):.2f})", "<= 1.2x", _met(b / a <= 1.2)))
        sizes = [m(f"stored_{n}_bytes") / 1024 for n in (small, large)]
        rows.append(("stored bytes per article (60 KB pages on average)",
                     f"{sizes[0]:.1f} KB at {small:,}, {sizes[1]:.1f} KB at {large:,}", "<= 15 KB",
                     _met(max(sizes) <= 15)))
    return rows


def poll_rows(results: Results, feeds: int, hosts: int) -> list[tuple[str, str, str, str]]:
    m = results.median
    wx, bare, today = (m(f"poll_{feeds}_{name}_cpu") for name in ("wxwatch", "bare", "today"))
    ratio = m(f"poll_{feeds}_ratio")
    if wx is None or bare is None or ratio is None:
        return []
    wall = m(f"poll_{feeds}_wxwatch_wall")
    reference = (f"; today's wxwatch {today:.2f} CPU-s, {m(f'poll_{feeds}_today_wall'):.1f} s" if today else "")
    rows = [(f"poll, {feeds} feeds over {hosts} hosts, all 304 (default politeness)",
             f"wxwatch {wx:.2f} CPU-s, {wall:.1f} s; bare Scrapy poller {bare:.2f} CPU-s, "
             f"{m(f'poll_{feeds}_bare_wall'):.1f} s, {ratio:.2f}x{reference}; "
             f"{m(f'poll_{feeds}_wxwatch_304'):.0f} x 304", "CPU <= 1.5x bare", _met(ratio <= 1.5))]
    if feeds >= 1000:
        rows.append((f"poll wall, {feeds} feeds over {hosts} hosts", f"{wall:.1f} s", "well under a minute",
                     _met(wall < 45)))
    return rows


def print_table(rows: list[tuple[str, str, str, str]]) -> None:
    print("\n| what | figure (median) | target | met |\n| --- | --- | --- | --- |")
    for row in rows:
        print("| " + " | ".join(row) + " |")


def parse_options(argv: list[str] | None) -> tuple[Options, argparse.Namespace]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--source-articles", type=int, default=2000, help="articles of the 10 vs 1,000 sources sites")
    parser.add_argument("--source-counts", default="10,1000", help="few,many sources (same article count)")
    parser.add_argument("--poll-sizes", default="100x10,1000x50", help="feeds x hosts, comma-separated")
    parser.add_argument("--stored-sizes", default="10000,1000000")
    parser.add_argument("--base-python", type=Path, default=Options.base_python,
                        help="python of today's wxwatch ('' to skip)")
    parser.add_argument("--np-python", type=Path, default=Options.np_python, help="python of news-please's venv")
    parser.add_argument("--wx-python", default=bench_crawl.PYTHON,
                        help="python of the wxwatch under test in crawl, sources and poll (default: this one; "
                             "stored always imports this one's)")
    parser.add_argument("--only", default=",".join(SECTIONS), help="sections to run: " + ",".join(SECTIONS))
    parser.add_argument("--smoke", action="store_true", help="tiny sizes, one run (CI)")
    parser.add_argument("--work", type=Path, help="keep sites and template databases here (reused)")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    options = Options(
        articles=args.articles, runs=args.runs, source_articles=args.source_articles,
        source_counts=tuple(int(n) for n in args.source_counts.split(",")),
        poll_sizes=tuple(bench_poll.parse_sizes(args.poll_sizes)),
        stored_sizes=tuple(int(n) for n in args.stored_sizes.split(",")),
        base_python=_existing(args.base_python), np_python=_existing(args.np_python), wx_python=args.wx_python,
        sections=tuple(s for s in args.only.split(",") if s in SECTIONS))
    if args.smoke:
        options = Options(articles=30, categories=3, runs=1, concurrency=4, source_counts=(2, 6), source_articles=12,
                          poll_sizes=((4, 2),), stored_sizes=(40, 120), stored_block=20, stored_batch=5,
                          base_python=None, np_python=None, sections=options.sections, polite_polls=False,
                          wx_python=args.wx_python)
    return options, args


def _existing(path: Path | None) -> Path | None:
    return path if path and str(path) not in ("", ".") and path.exists() else None


def main(argv: list[str] | None = None) -> int:
    options, args = parse_options(argv)
    results = Results()
    with tempfile.TemporaryDirectory(prefix="wxwatch-perf16-") as tmp:
        work = args.work or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        run_crawls(work, options, results)
        if "poll" in options.sections:
            run_polls(work, options, results)
        if "stored" in options.sections:
            run_stored(work, options, results)
    rows = table(results, options)
    print_table(rows)
    if args.json:
        args.json.write_text(json.dumps({"figures": results.figures, "notes": results.notes, "table": rows},
                                        ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
