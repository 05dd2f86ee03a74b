"""Peak RSS and time of one `wxwatch crawl` of a generated site: N articles over C categories (one source each).

Usage: python benchmarks/bench_crawl_memory.py ARTICLES CATEGORIES [CATEGORIES ...]
e.g.   python benchmarks/bench_crawl_memory.py 5000 50 50 50   (three runs of the 5,000-article, 50-source crawl)
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import bench_crawl  # noqa: E402
from newssite import build_site, settings_toml  # noqa: E402


def crawl_once(articles: int, categories: int) -> str:
    """Build the site (once per size), serve it, crawl it into a fresh database; one line of figures."""
    work = Path(tempfile.gettempdir()) / f"wxwatch-bench-memory-{articles}-{categories}"
    work.mkdir(exist_ok=True)
    site = build_site(work / "site", articles, "", categories)
    with bench_crawl.loop_server(work / "site") as base:
        for old in work.glob("wx.db*"):
            old.unlink()
        settings = work / "settings.toml"
        settings.write_text(settings_toml(site, base, work / "wx.db", 8), encoding="utf-8")
        run, _ = bench_crawl.wxwatch_crawl(settings)
    return (f"{articles} articles, {categories} sources: {run.wall:.1f} s wall, {run.cpu:.1f} s CPU, "
            f"peak RSS {run.max_rss_kib / 1024:.0f} MiB")


def main() -> None:
    articles = int(sys.argv[1])
    for categories in (int(arg) for arg in sys.argv[2:]):
        print(crawl_once(articles, categories), flush=True)


if __name__ == "__main__":
    main()
