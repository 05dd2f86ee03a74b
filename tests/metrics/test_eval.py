"""Eval: the extractor in-process on the shared gold files must stay above pinned floors."""

from pathlib import Path

import pytest

from wxwatch.metrics.evaluation import evaluate, format_table, totals

SHARED = Path(__file__).parents[2].parent / "shared"

# (gold file, documents, precision floor, recall floor); measured 1.000 / 1.000 on all three when pinned.
FLOORS = [
    ("gold/seeds.toml", "seeds", 0.98, 0.98),
    ("gold/dev.toml", "dev/articles", 0.98, 0.98),
    ("gold/dev2.toml", "dev2/articles", 0.95, 0.95),
]


@pytest.mark.skipif(not SHARED.is_dir(), reason="shared inputs not beside the repo")
@pytest.mark.parametrize(("gold", "docs", "precision", "recall"), FLOORS, ids=["seeds", "dev", "dev2"])
def test_gold_floors(gold, docs, precision, recall):
    scores = evaluate(SHARED / gold, SHARED / docs)
    total = totals(scores)
    print(format_table(scores, verbose=True))
    assert total.precision >= precision and total.recall >= recall, format_table(scores, verbose=True)


@pytest.mark.skipif(not SHARED.is_dir(), reason="shared inputs not beside the repo")
@pytest.mark.parametrize(("gold", "docs"), [("gold/dev.toml", "dev/articles"), ("gold/dev2.toml", "dev2/articles")])
def test_negative_articles_have_no_catalogued_metric(gold, docs):
    scores = evaluate(SHARED / gold, SHARED / docs)
    assert [s.fp for s in scores if s.file.startswith("n")] == [[]] * sum(s.file.startswith("n") for s in scores)
