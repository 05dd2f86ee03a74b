"""The UTF-8 fast path of decode_html_bytes gives the same text as scoring every candidate: counts and ms/page.

Usage: python benchmarks/decoding_identity.py [--articles N]

Compares `decode_html_bytes` (BOM, then valid UTF-8 labelled UTF-8, then scoring) with the decoder before the
fast path (BOM, then scoring every candidate: `text.decoding.most_plausible_decoding`) on every page of
../shared/realworld/pages, the seeds, dev and dev2 articles, the bundled sample site and the benchmark site's
pages, each with several Content-Type labels, and on re-encodings of those texts (GB18030, Big5, UTF-8) under
right and wrong labels. Prints the counts per corpus (identical / different) and the decoding time per
benchmark page and per realworld page (with the charset realworld/SOURCES.md says it was served with) before
and after.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

from newssite import build_site

from wxwatch.text.decoding import bom_decoding, decode_html_bytes, meta_charset, most_plausible_decoding

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
LABELS = (None, "utf-8", "UTF8", "gbk", "gb2312", "big5", "iso-8859-1", "windows-1252", "no-such-charset")
REENCODINGS = ("gb18030", "big5", "utf-8")


def decode_before(body: bytes, declared: str | None = None) -> str:
    """decode_html_bytes as it was before the fast path: BOM, else the most plausible candidate."""
    marked = bom_decoding(body)
    return marked if marked is not None else most_plausible_decoding(body, declared)


def corpora(bench_root: Path) -> dict[str, list[Path]]:
    """The page files of each corpus."""
    return {
        "realworld": sorted((SHARED / "realworld" / "pages").rglob("*.html")),
        "seeds": sorted((SHARED / "seeds").glob("*.txt")),
        "dev": sorted((SHARED / "dev" / "articles").rglob("*.txt")),
        "dev2": sorted((SHARED / "dev2" / "articles").rglob("*.txt")),
        "sample": sorted(p for p in (REPO / "wxwatch" / "sample").rglob("*") if p.suffix in (".html", ".xml")),
        "bench": sorted(bench_root.rglob("*.html")),
    }


def labelled_cases(body: bytes) -> Iterator[tuple[bytes, str | None]]:
    """The page as served under every label, and (UTF-8 text only) its text re-encoded under every label."""
    for label in LABELS:
        yield body, label
    text = decode_before(body, meta_charset(body))
    for encoding in REENCODINGS:
        recoded = text.encode(encoding, errors="xmlcharrefreplace")
        for label in LABELS:
            yield recoded, label


def compare(files: list[Path]) -> Counter:
    """identical / different over every labelled case of the files; prints the first few differences."""
    counts: Counter = Counter()
    for path in files:
        for body, label in labelled_cases(path.read_bytes()):
            same = decode_html_bytes(body, label) == decode_before(body, label)
            counts["identical" if same else "different"] += 1
            if not same and counts["different"] <= 5:
                print(f"  DIFFERENT: {path.name} label={label} ({len(body)} bytes)")
    return counts


def header_charsets() -> dict[str, str | None]:
    """The Content-Type charset each realworld page was served with (realworld/SOURCES.md), by file stem."""
    rows = [line.split("|") for line in (SHARED / "realworld" / "SOURCES.md").read_text().splitlines()
            if line.startswith("| ") and line.count("|") == 9]
    return {row[1].strip(): (None if row[7].strip() == "(none)" else row[7].strip()) for row in rows}


def ms_per_page(decode: Callable[[bytes, str | None], str], labelled: list[tuple[bytes, str | None]],
                repeats: int = 5) -> float:
    """Median over `repeats` passes of the mean decoding time per page, each with its Content-Type label."""
    passes = []
    for _ in range(repeats):
        started = time.perf_counter()
        for body, label in labelled:
            decode(body, label)
        passes.append((time.perf_counter() - started) * 1000 / len(labelled))
    return statistics.median(passes)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=200, help="benchmark site articles to build (default 200)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        site = build_site(Path(folder), args.articles, "http://127.0.0.1:8000", categories=10)
        total: Counter = Counter()
        for name, files in corpora(Path(folder)).items():
            counts = compare(files)
            total += counts
            print(f"{name:10} {len(files):5} files  {counts['identical']:6} identical"
                  f"  {counts['different']:3} different")
        print(f"{'all':10} {'':11} {total['identical']:6} identical  {total['different']:3} different")
        bench = [((Path(folder) / path.lstrip("/")).read_bytes(), "utf-8") for path in site.article_paths()]
        charsets = header_charsets()
        real = [(path.read_bytes(), charsets.get(path.stem)) for path in corpora(Path(folder))["realworld"]]
        for name, bodies in (("benchmark article pages", bench), ("realworld pages", real)):
            size = statistics.mean(len(body) for body, _ in bodies) / 1000
            before, after = ms_per_page(decode_before, bodies), ms_per_page(decode_html_bytes, bodies)
            print(f"{name}: {len(bodies)} of {size:.0f} KB on average; decode ms/page before {before:.3f},"
                  f" after {after:.3f} ({before / after:.1f}x)")
    return 1 if total["different"] else 0


if __name__ == "__main__":
    sys.exit(main())
