#!/usr/bin/env python3
"""Page parsing on the real-world corpus: titles, dates, text F1 and boilerplate checks per page.

Usage:
    python benchmarks/realworld_eval.py [--json FILE] [--verbose]

Reads ../shared/realworld/pages (45 article pages from 24 outlets), the hand-decided headline, dateline day and
must-not-contain lines in tests/text/realworld_pages.toml, and the reference texts in ../shared/realworld/refs.
Prints one row per page and the counts the issue asks for; tests/text/test_realworld_pages.py pins the floors.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tomllib
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path

from parsel import Selector

from wxwatch.text.pages import parse_article_page

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "realworld"
TRUTH = REPO / "tests" / "text" / "realworld_pages.toml"
TIMEZONE = "Asia/Shanghai"
WECHAT_FULL_RECALL = 0.97  # share of #js_content's characters the stored text must keep


@dataclass
class PageScore:
    page: str
    title_ok: bool
    date_ok: bool
    leaks: list[str]
    f1: float | None
    wechat_recall: float | None
    title: str
    published: str | None


def char_f1(predicted: str, reference: str) -> float:
    """Character-level F1 of two texts (multisets of non-space characters)."""
    ours, theirs = Counter("".join(predicted.split())), Counter("".join(reference.split()))
    overlap = sum((ours & theirs).values())
    if not overlap:
        return 0.0
    precision, recall = overlap / sum(ours.values()), overlap / sum(theirs.values())
    return 2 * precision * recall / (precision + recall)


def char_recall(predicted: str, reference: str) -> float:
    ours, theirs = Counter("".join(predicted.split())), Counter("".join(reference.split()))
    return sum((ours & theirs).values()) / max(1, sum(theirs.values()))


def corpus_pages() -> dict[str, Path]:
    return {path.stem: path for path in sorted((CORPUS / "pages").glob("*/*.html"))}


def load_truth() -> dict[str, dict]:
    return tomllib.loads(TRUTH.read_text(encoding="utf-8"))["pages"]


def wechat_body(html: str) -> str:
    """Every text node of a WeChat page's #js_content (the article body as the reader sees it)."""
    return "".join(Selector(text=html).css("#js_content ::text").getall())


def score_page(name: str, path: Path, truth: dict) -> PageScore:
    page = parse_article_page(path.read_bytes(), None, f"http://127.0.0.1/{name}.html", TIMEZONE)
    reference = CORPUS / "refs" / f"{name}.txt"
    body = wechat_body(page.html) if name.startswith("wechat") else ""
    return PageScore(
        page=name,
        title_ok=page.title == truth["title"],
        date_ok=bool(page.published) and page.published[:10] == truth["date"],
        leaks=[line for line in truth.get("not_contain", []) if line in page.text],
        f1=char_f1(page.text, reference.read_text(encoding="utf-8")) if reference.exists() else None,
        wechat_recall=char_recall(page.text, body) if body else None,
        title=page.title,
        published=page.published,
    )


def summary(scores: list[PageScore]) -> dict:
    f1s = [s.f1 for s in scores if s.f1 is not None]
    return {
        "pages": len(scores),
        "dates_right": sum(s.date_ok for s in scores),
        "titles_right": sum(s.title_ok for s in scores),
        "pages_with_leaks": sum(bool(s.leaks) for s in scores),
        "wechat_full": sum(1 for s in scores if s.wechat_recall is not None and s.wechat_recall >= WECHAT_FULL_RECALL),
        "median_f1": round(statistics.median(f1s), 4) if f1s else None,
        "f1_pages": len(f1s),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, help="also write the per-page scores and the summary here")
    parser.add_argument("--verbose", action="store_true", help="print every page, not only the wrong ones")
    args = parser.parse_args()
    truth = load_truth()
    scores = [score_page(name, path, truth[name]) for name, path in corpus_pages().items()]
    for s in scores:
        if args.verbose or not (s.title_ok and s.date_ok) or s.leaks:
            f1 = f"{s.f1:.3f}" if s.f1 is not None else "-"
            print(f"{s.page:14} title={'ok' if s.title_ok else repr(s.title)} "
                  f"date={'ok' if s.date_ok else s.published} f1={f1} leaks={s.leaks}")
    result = summary(scores)
    print(" ".join(f"{k}={v}" for k, v in result.items()))
    if args.json:
        args.json.write_text(json.dumps({"summary": result, "pages": [asdict(s) for s in scores]}, ensure_ascii=False,
                                        indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
