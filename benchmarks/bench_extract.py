"""Benchmark: articles/s of normalization + extraction on one core over a few thousand article-sized texts.

Usage: python benchmarks/bench_extract.py [--articles 3000] [--runs 3]

The corpus is built from the shared seed and dev articles (../shared beside the repo) when present,
else from built-in sentences: each synthetic article (~1,500-3,000 characters) mixes sentences of
several real articles, so the timing covers normalization (HTML, script, pinyin, mojibake) and
extraction. Prints each run and the medians, wall-clock and CPU time (CPU time is the steadier figure on
a busy machine). Pin to one core with `taskset -c 0`.

`--scaling` instead times one figure-dense text of 10 KB and of 1 MB (paragraphs, and one unpunctuated
line) and prints the CPU time per KB of each: extraction must stay linear (1 MB within 2x of 10 KB per KB).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from wxwatch.metrics.extract import extract_metrics  # noqa: E402
from wxwatch.text.document import parse_document  # noqa: E402

SHARED = REPO.parent / "shared"
FALLBACK = [
    "小程序日活突破4.5亿，活跃小程序数量同比上涨41%，日均使用次数同比增长32%。",
    "搜一搜MAU已超7亿，较前一年上涨20%。企业微信1小时产生1.4亿次服务。",
    "微博月活跃用户数为5.66亿，较上年同期净增约4300万。2021年1月6日，微信公开课PRO开讲。",
]


def source_paragraphs() -> list[str]:
    """Paragraphs of the shared articles (as their loaders produce them), or built-in sentences."""
    files = sorted(SHARED.glob("seeds/*")) + sorted(SHARED.glob("dev/articles/*"))
    paragraphs = []
    for path in files:
        text = parse_document(path.read_text(encoding="utf-8", errors="replace")).text
        paragraphs += [p for p in text.split("\n") if len(p) > 20]
    return paragraphs or FALLBACK


def build_corpus(count: int, seed: int = 7) -> list[str]:
    """`count` article-sized texts made of randomly drawn paragraphs."""
    rng = random.Random(seed)
    paragraphs = source_paragraphs()
    corpus = []
    for _ in range(count):
        target = rng.randint(1500, 3000)
        parts, size = [], 0
        while size < target:
            part = rng.choice(paragraphs)
            parts.append(part)
            size += len(part)
        corpus.append("\n".join(parts))
    return corpus


def run_once(corpus: list[str]) -> tuple[float, float]:
    """(articles per wall-clock second, articles per CPU second) for one pass over the corpus."""
    wall, cpu = time.perf_counter(), time.process_time()
    for text in corpus:
        extract_metrics(text)
    return len(corpus) / (time.perf_counter() - wall), len(corpus) / (time.process_time() - cpu)


def dense_text(size: int, paragraphs: list[str], separator: str) -> str:
    """About `size` UTF-8 bytes of figure-bearing paragraphs joined by `separator`."""
    dense = [p for p in paragraphs if any(c.isdigit() for c in p)] or FALLBACK
    parts, total = [], 0
    while total < size:
        part = dense[len(parts) % len(dense)]
        parts.append(part)
        total += len(part.encode("utf-8")) + len(separator)
    return separator.join(parts)


def cpu_ms_per_kb(text: str, repeats: int) -> float:
    """Best CPU milliseconds per KB of `repeats` extractions of `text`."""
    best = float("inf")
    for _ in range(repeats):
        start = time.process_time()
        extract_metrics(text)
        best = min(best, time.process_time() - start)
    return best * 1000 / (len(text.encode("utf-8")) / 1024)


def scaling() -> int:
    """Per-KB cost at 10 KB and 1 MB, for paragraphs and for one long line with clause breaks only."""
    paragraphs = source_paragraphs()
    extract_metrics(dense_text(20_000, paragraphs, "\n"))  # warm caches
    for layout, separator in (("paragraphs", "\n"), ("one line", "，")):
        small = cpu_ms_per_kb(dense_text(10 * 1024, paragraphs, separator), repeats=20)
        large = cpu_ms_per_kb(dense_text(1024 * 1024, paragraphs, separator), repeats=2)
        print(f"{layout}: 10 KB {small:.2f} ms/KB, 1 MB {large:.2f} ms/KB, ratio {large / small:.2f}")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=3000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--scaling", action="store_true", help="per-KB time at 10 KB and 1 MB")
    args = parser.parse_args()
    if args.scaling:
        return scaling()
    corpus = build_corpus(args.articles)
    chars = sum(map(len, corpus)) / len(corpus)
    extract_metrics(corpus[0])  # warm caches (catalog, OpenCC)
    walls, cpus = [], []
    for run in range(1, args.runs + 1):
        wall, cpu = run_once(corpus)
        walls.append(wall)
        cpus.append(cpu)
        print(f"run {run}: {wall:.0f} articles/s wall, {cpu:.0f} articles/CPU-s")
    print(f"median of {args.runs}: {statistics.median(walls):.0f} articles/s wall, "
          f"{statistics.median(cpus):.0f} articles/CPU-s ({len(corpus)} articles, {chars:.0f} chars on average, "
          "single-threaded)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
