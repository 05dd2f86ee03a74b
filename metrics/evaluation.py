"""In-process evaluation of the extractor on gold TOML files (same matching rules as the shared scorer)."""

from __future__ import annotations

import logging
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from wxwatch.metrics.extract import extract_metrics
from wxwatch.text.document import load_document

logger = logging.getLogger(__name__)

TOLERANCE = 0.01


@dataclass
class ArticleScore:
    """True/false positives and false negatives of one article."""

    file: str
    tp: list = field(default_factory=list)
    fp: list = field(default_factory=list)
    fn: list = field(default_factory=list)
    neutral: list = field(default_factory=list)
    uncatalogued: int = 0


@dataclass
class Totals:
    """Micro-averaged precision, recall and F1 over articles."""

    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def close(value: float, gold: float) -> bool:
    """Within 1% of the gold value."""
    return abs(value) < 1e-12 if gold == 0 else abs(value - gold) <= TOLERANCE * abs(gold)


def score_article(file: str, predictions: list[tuple[str | None, float]], required: list, optional: list
                  ) -> ArticleScore:
    """Score (metric, value) predictions of one article against its required and optional gold pairs."""
    score, seen, open_required = ArticleScore(file), set(), list(required)
    for metric, value in predictions:
        if metric is None:
            score.uncatalogued += 1
            continue
        key = (metric, round(value, 6))
        if key in seen:
            continue
        seen.add(key)
        hit = next((g for g in open_required if g[0] == metric and close(value, g[1])), None)
        if hit is not None:
            open_required.remove(hit)
            score.tp.append(key)
        elif any(g[0] == metric and close(value, g[1]) for g in required):
            continue
        elif any(g[0] in (metric, "*") and close(value, g[1]) for g in optional):
            score.neutral.append(key)
        else:
            score.fp.append(key)
    score.fn = [tuple(g) for g in open_required]
    return score


def evaluate(gold_path: Path, docs_dir: Path) -> list[ArticleScore]:
    """Run the extractor in-process on every article of a gold file."""
    gold = tomllib.loads(Path(gold_path).read_text(encoding="utf-8"))
    scores = []
    for article in gold.get("article", []):
        document = load_document(str(Path(docs_dir) / article["file"]))
        predictions = [(o.metric, o.value) for o in extract_metrics(document.text)]
        scores.append(score_article(article["file"], predictions, article.get("required", []),
                                    article.get("optional", [])))
    return scores


def totals(scores: list[ArticleScore]) -> Totals:
    return Totals(sum(len(s.tp) for s in scores), sum(len(s.fp) for s in scores), sum(len(s.fn) for s in scores))


def format_table(scores: list[ArticleScore], verbose: bool = False) -> str:
    """The per-article table and the summary line, like the shared scorer prints."""
    lines = [f"{'article':34} {'tp':>4} {'fp':>4} {'fn':>4} {'neutral':>7} {'uncat':>5}"]
    for s in scores:
        lines.append(f"{s.file:34} {len(s.tp):4} {len(s.fp):4} {len(s.fn):4} {len(s.neutral):7} {s.uncatalogued:5}")
        if verbose:
            lines += [f"    FP {m} = {v}" for m, v in s.fp] + [f"    FN {m} = {v}" for m, v in s.fn]
    t = totals(scores)
    lines.append(f"precision={t.precision:.3f} recall={t.recall:.3f} f1={t.f1:.3f} tp={t.tp} fp={t.fp} fn={t.fn} "
                 f"uncatalogued={sum(s.uncatalogued for s in scores)}")
    return "\n".join(lines)
