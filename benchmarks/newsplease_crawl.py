"""news-please (library mode) fetching and extracting a list of article URLs; run with news-please's own venv.

Usage: /work/bench/np-venv/bin/python benchmarks/newsplease_crawl.py URLS_FILE [--batch 200]   (prints JSON)

news-please's `from_urls` downloads a batch with one thread per URL, then extracts in a process pool (every
core). It does not discover links, so it is handed the article URLs the feeds and listings lead to.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from newsplease import NewsPlease


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("urls", type=Path)
    parser.add_argument("--batch", type=int, default=200)
    args = parser.parse_args()
    urls = args.urls.read_text().split()
    started, texts = time.perf_counter(), 0
    for first in range(0, len(urls), args.batch):
        results = NewsPlease.from_urls(urls[first:first + args.batch], request_args={"timeout": 30},
                                       fetch_images=False)
        texts += sum(1 for article in results.values() if getattr(article, "maintext", None))
    print(json.dumps({"pages": len(urls), "texts": texts, "seconds": time.perf_counter() - started}))


if __name__ == "__main__":
    main()
