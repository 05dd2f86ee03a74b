"""Compare the stored results of two wxwatch databases (e.g. a first crawl before and after a change).

Usage: python benchmarks/compare_stores.py A.db B.db [--limit 50] [--no-html]

Articles are matched by URL (title, published, text, status, via, category, source, the raw HTML after
decompression from whichever column holds it, and the reprint group as the set of URLs it joins); observations
and metric values are compared as multisets with article ids replaced by URLs and `sources` lists sorted. Ids, run
ids and timestamps are ignored, and so are columns that only one of the databases has (a migration may add or
change them). Exit 0 when identical, 1 with the differences listed, 2 when a file is missing. Reads the databases
with plain sqlite3, so it works across schema versions.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sqlite3
import sys
import zlib
from collections import Counter
from pathlib import Path

ARTICLE_FIELDS = ("title", "published", "text", "status", "via", "category", "source")
IGNORED = {"id", "run_id", "article_id", "value_id", "created", "first_seen", "last_seen", "updated_at"}
HTML_COLUMNS = ("html", "html_z", "raw_html", "html_zstd", "html_zlib")


ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"


def decompress(value: object) -> object:
    """Raw HTML as text whatever way it is stored (plain text, zstd, zlib or gzip bytes)."""
    if not isinstance(value, bytes):
        return value
    if value.startswith(ZSTD_MAGIC):
        return _zstd(value).decode("utf-8", "surrogateescape")
    for unpack in (zlib.decompress, gzip.decompress):
        try:
            return unpack(value).decode("utf-8", "surrogateescape")
        except (zlib.error, OSError, EOFError):  # not this format: try the next
            continue
    return value.decode("utf-8", "surrogateescape")


def _zstd(value: bytes) -> bytes:
    """One zstd frame, with the zstandard package (what wxwatch stores pages with) or Python 3.14's module."""
    try:
        import zstandard  # type: ignore[import-not-found]

        return zstandard.ZstdDecompressor().decompress(value, max_output_size=1 << 28)
    except ImportError:
        from compression import zstd  # type: ignore[import-not-found]  # Python 3.14; ImportError if missing

        return zstd.decompress(value)


def columns(conn: sqlite3.Connection, table: str) -> list[str]:
    return [row[1] for row in conn.execute(f"pragma table_info({table})")]


class Store:
    """One database's comparable content."""

    def __init__(self, path: Path) -> None:
        self.conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        self.conn.row_factory = sqlite3.Row
        self.urls = {row["id"]: row["url"] for row in self.conn.execute("select id, url from articles")}

    def articles(self, shared: set[str], with_html: bool) -> dict[str, dict]:
        """Articles by URL; the raw HTML from whichever column of this database holds it (first non-empty one)."""
        html = [c for c in HTML_COLUMNS if c in columns(self.conn, "articles")] if with_html else []
        fields = [f for f in ARTICLE_FIELDS if f in shared]
        select = ", ".join(["id", "url", "duplicate_of", *fields, *html])
        rows = {row["url"]: dict(row) for row in self.conn.execute(f"select {select} from articles")}
        groups: dict[str, set[str]] = {}
        for row in rows.values():
            root = self.urls.get(row["duplicate_of"] or row["id"], row["url"])
            groups.setdefault(root, set()).add(row["url"])
        for row in rows.values():
            duplicate_of, own_id = row.pop("duplicate_of"), row.pop("id")
            root = self.urls.get(duplicate_of or own_id, row["url"])
            row["reprint group"] = sorted(groups[root])
            if html:
                row["html"] = decompress(next((v for v in (row.pop(c) for c in html) if v), ""))
        return rows

    def multiset(self, table: str, shared: set[str]) -> Counter:
        names = sorted(shared - IGNORED)
        wanted = names + [c for c in ("article_id",) if c in shared]
        rows = Counter()
        for row in self.conn.execute(f"select {', '.join(wanted)} from {table}"):
            record = {name: row[name] for name in names}
            if "article_id" in wanted:
                record["article"] = self.urls.get(row["article_id"], row["article_id"])
            if record.get("sources"):  # the order sources arrived in depends on the crawl's concurrency
                record["sources"] = sorted(json.loads(record["sources"]))
            if "reports" in record and record["reports"]:
                record["reports"] = sorted([s, self.urls.get(a, a)] for s, a in json.loads(record["reports"]))
            rows[json.dumps(record, ensure_ascii=False, sort_keys=True, default=str)] += 1
        return rows


def shared_columns(a: Store, b: Store, table: str, notes: list[str]) -> set[str]:
    left, right = set(columns(a.conn, table)), set(columns(b.conn, table))
    if left != right:
        notes.append(f"{table}: columns only in A {sorted(left - right)}, only in B {sorted(right - left)}"
                     " (not compared as columns)")
    return left & right


def compare_articles(a: Store, b: Store, notes: list[str], with_html: bool = True) -> list[str]:
    shared = shared_columns(a, b, "articles", notes)
    left, right = a.articles(shared, with_html), b.articles(shared, with_html)
    differences = [f"article only in A: {url}" for url in sorted(left.keys() - right.keys())]
    differences += [f"article only in B: {url}" for url in sorted(right.keys() - left.keys())]
    let_go = first_copy = 0
    for url in sorted(left.keys() & right.keys()):
        if with_html and bool(left[url].get("html")) != bool(right[url].get("html")):
            let_go += 1  # one store let the page go ([storage] keep_pages): pages are compared where both kept one
            left[url].pop("html"), right[url].pop("html")
        if _first_copy_differs(left[url], right[url]):
            first_copy += 1  # the same reprint group, another copy fetched first: arrival order, not content
            left[url].pop("status"), right[url].pop("status")
        for name in sorted(left[url].keys() | right[url].keys()):
            if left[url].get(name) != right[url].get(name):
                differences.append(f"article {url}: {name} differs: {_difference(left[url][name], right[url][name])}")
    if first_copy:
        notes.append(f"articles: {first_copy} copies of identical reprint groups changed roles (the copy fetched "
                     "first is the original: arrival order of concurrent fetches)")
    if let_go:
        notes.append(f"articles: {let_go} pages stored on one side only (let go by [storage] keep_pages; "
                     "pages compared where both kept one)")
    return differences


def _first_copy_differs(left: dict, right: dict) -> bool:
    """Same reprint group, but one store kept this copy as the original ('new') and the other as a reprint."""
    statuses = {left.get("status"), right.get("status")}
    return statuses == {"new", "reprint"} and left.get("reprint group") == right.get("reprint group")


def compare_table(a: Store, b: Store, table: str, notes: list[str]) -> list[str]:
    shared = shared_columns(a, b, table, notes)
    left, right = a.multiset(table, shared), b.multiset(table, shared)
    differences = [f"{table} only in A (x{n}): {row}" for row, n in sorted((left - right).items())]
    return differences + [f"{table} only in B (x{n}): {row}" for row, n in sorted((right - left).items())]


def _difference(a: object, b: object, size: int = 60) -> str:
    """The two values, or for two long strings the place where they first differ."""
    if isinstance(a, str) and isinstance(b, str) and max(len(a), len(b)) > size:
        at = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))
        start = max(0, at - 20)
        return (f"at character {at}: {a[start:start + size]!r} != {b[start:start + size]!r} "
                f"({len(a)} vs {len(b)} chars)")
    return f"{a!r} != {b!r}"


def compare(path_a: Path, path_b: Path, with_html: bool = True) -> tuple[list[str], list[str], dict[str, int]]:
    """(differences, notes, counts compared) between two databases."""
    a, b = Store(path_a), Store(path_b)
    notes: list[str] = []
    differences = compare_articles(a, b, notes, with_html)
    for table in ("observations", "metric_values"):
        differences += compare_table(a, b, table, notes)
    counts = {table: a.conn.execute(f"select count(*) from {table}").fetchone()[0]
              for table in ("articles", "observations", "metric_values")}
    return differences, notes, counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("a", type=Path)
    parser.add_argument("b", type=Path)
    parser.add_argument("--limit", type=int, default=50, help="differences listed at most (all are counted)")
    parser.add_argument("--no-html", action="store_true", help="leave the raw HTML out (a store that drops it)")
    args = parser.parse_args(argv)
    for path in (args.a, args.b):
        if not path.is_file():
            print(f"Error: {path}: no such database", file=sys.stderr)
            return 2
    try:
        differences, notes, counts = compare(args.a, args.b, with_html=not args.no_html)
    except ImportError:
        print("Error: the pages are stored zstd-compressed: install zstandard (pip install zstandard) or pass "
              "--no-html", file=sys.stderr)
        return 2
    for note in notes:
        print(f"note: {note}")
    compared = ", ".join(f"{n} {table}" for table, n in counts.items())
    if not differences:
        print(f"identical: {compared} (A)")
        return 0
    for line in differences[: args.limit]:
        print(line)
    print(f"{len(differences)} differences ({compared} in A)")
    return 1


if __name__ == "__main__":
    sys.exit(main())
