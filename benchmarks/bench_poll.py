"""Polling: N feeds over H loopback hosts that all answer 304; `wxwatch crawl` against a bare Scrapy poller.

Usage: python benchmarks/bench_poll.py [--sizes 100x10,1000x50] [--runs 3] [--base-python PY] [--work DIR]

For each size (feeds x hosts): the site is built once, served on 0.0.0.0 (127.0.0.2.. are distinct hosts); per run,
side by side: the bare poller (one Scrapy crawler, conditional GETs with the validators it recorded) and
`wxwatch crawl` of the worktree (and of `--base-python`, today's wxwatch, when given), each after an un-timed
first crawl without politeness delay, then the measured poll at the default politeness (robots.txt obeyed,
autothrottle, 1 s delay, 2 requests per host). Figures: wall and CPU (process + children), 304s seen by the server.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE)]

import bench_crawl  # noqa: E402
from pollsite import PollSite, build_poll_site, poll_settings  # noqa: E402


def bare_poll(site: PollSite, port: int, folder: Path, polite: bool = True) -> dict[str, float]:
    folder.mkdir(parents=True, exist_ok=True)
    urls, state = folder / "feeds.txt", folder / "validators.json"
    urls.write_text("\n".join(site.feed_urls(port)))
    state.unlink(missing_ok=True)
    script = str(HERE / "poll_spider.py")
    bench_crawl.measure([bench_crawl.PYTHON, script, str(urls), str(state), "--fast"])
    base = f"http://127.0.0.1:{port}"
    bench_crawl.server_hits(base, reset=True)
    run = bench_crawl.measure([bench_crawl.PYTHON, script, str(urls), str(state)] + ([] if polite else ["--fast"]))
    return {"wall": run.wall, "cpu": run.cpu, "rss_mib": run.max_rss_kib / 1024,
            "not_modified": bench_crawl.server_hits(base).get("entry 304", 0)}


def wxwatch_poll(site: PollSite, port: int, folder: Path, python: Path | str, polite: bool = True
                 ) -> dict[str, float]:
    """Un-timed first crawl (no delay), then the measured poll at the default politeness (unless not `polite`)."""
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("wx.db*"):
        old.unlink()
    config = folder / "settings.toml"
    config.write_text(poll_settings(site, port, folder / "wx.db", fast=True), encoding="utf-8")
    bench_crawl.wxwatch_crawl(config, python=python)
    config.write_text(poll_settings(site, port, folder / "wx.db", fast=not polite), encoding="utf-8")
    base = f"http://127.0.0.1:{port}"
    bench_crawl.server_hits(base, reset=True)
    run, _summary = bench_crawl.wxwatch_crawl(config, python=python)
    hits = bench_crawl.server_hits(base)
    return {"wall": run.wall, "cpu": run.cpu, "rss_mib": run.max_rss_kib / 1024,
            "not_modified": hits.get("entry 304", 0), "fetched": hits.get("entry 200", 0)
            + hits.get("article 200", 0)}


def poll_size(feeds: int, hosts: int, runs: int, work: Path, base_python: Path | None, polite: bool = True,
              wx_python: Path | str = bench_crawl.PYTHON) -> dict[str, list[dict]]:
    """Every run of one size: {"bare": [...], "wxwatch": [...], "today": [...]}; `polite` False: no delay (CI)."""
    site = build_poll_site(work / f"poll-{feeds}x{hosts}", feeds, hosts)
    results: dict[str, list[dict]] = {"bare": [], "wxwatch": [], "today": []}
    with bench_crawl.loop_server(site.root, host="0.0.0.0") as base_url:
        port = int(base_url.rsplit(":", 1)[1])
        for run in range(1, runs + 1):
            results["bare"].append(bare_poll(site, port, work / "bare", polite))
            results["wxwatch"].append(wxwatch_poll(site, port, work / "wx", wx_python, polite))
            if base_python:
                results["today"].append(wxwatch_poll(site, port, work / "today", base_python, polite))
            line = "; ".join(f"{name} {rows[-1]['wall']:.1f} s wall, {rows[-1]['cpu']:.2f} CPU-s, "
                             f"{rows[-1]['not_modified']} x 304" for name, rows in results.items() if rows)
            print(f"poll {feeds} feeds / {hosts} hosts, run {run}: {line}", flush=True)
    return results


def medians(rows: list[dict]) -> dict[str, float]:
    return {key: statistics.median(row[key] for row in rows) for key in rows[0]} if rows else {}


def parse_sizes(text: str) -> list[tuple[int, int]]:
    return [(int(feeds), int(hosts)) for feeds, hosts in (size.split("x") for size in text.split(","))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100x10,1000x50", help="feeds x hosts, comma-separated")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--base-python", type=Path, help="python of today's wxwatch (e.g. /work/bench/base-venv)")
    parser.add_argument("--work", type=Path)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="wxwatch-poll-") as tmp:
        work = args.work or Path(tmp)
        figures = {f"{feeds}x{hosts}": poll_size(feeds, hosts, args.runs, work, args.base_python)
                   for feeds, hosts in parse_sizes(args.sizes)}
    for size, results in figures.items():
        bare, wx, today = (medians(results[name]) for name in ("bare", "wxwatch", "today"))
        print(f"{size}: bare {bare['wall']:.1f} s / {bare['cpu']:.2f} CPU-s; wxwatch {wx['wall']:.1f} s / "
              f"{wx['cpu']:.2f} CPU-s = {wx['cpu'] / bare['cpu']:.2f}x bare CPU"
              + (f"; today {today['wall']:.1f} s / {today['cpu']:.2f} CPU-s" if today else ""))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
