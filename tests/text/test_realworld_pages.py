"""The page parser on the real-world corpus (../shared/realworld): headline, dateline day, no link lists kept,
WeChat bodies in full, and the text F1 against the reference texts (floors of benchmarks/realworld_eval.py)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("realworld_eval", REPO / "benchmarks" / "realworld_eval.py")
realworld_eval = sys.modules["realworld_eval"] = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(realworld_eval)

pytestmark = pytest.mark.skipif(not realworld_eval.CORPUS.is_dir(), reason="../shared/realworld is not there")
TRUTH = realworld_eval.load_truth()
PAGES = realworld_eval.corpus_pages() if realworld_eval.CORPUS.is_dir() else {}


@pytest.fixture(scope="module")
def scores() -> dict[str, object]:
    return {name: realworld_eval.score_page(name, path, TRUTH[name]) for name, path in PAGES.items()}


def test_every_corpus_page_has_a_hand_decided_entry() -> None:
    assert set(PAGES) == set(TRUTH) and len(PAGES) == 45


@pytest.mark.parametrize("name", sorted(TRUTH))
def test_page_headline_date_and_no_related_headlines(scores, name: str) -> None:
    score = scores[name]
    assert score.title == TRUTH[name]["title"]
    assert score.published and score.published[:10] == TRUTH[name]["date"]
    assert score.leaks == []


def test_wechat_bodies_are_stored_in_full(scores) -> None:
    recalls = {name: s.wechat_recall for name, s in scores.items() if name.startswith("wechat")}
    assert len(recalls) == 2 and all(r >= realworld_eval.WECHAT_FULL_RECALL for r in recalls.values()), recalls


def test_corpus_counts_reach_the_floors(scores) -> None:
    summary = realworld_eval.summary(list(scores.values()))
    assert summary["dates_right"] >= 43 and summary["titles_right"] >= 43
    assert summary["pages_with_leaks"] == 0
    assert summary["median_f1"] >= 0.97, summary
