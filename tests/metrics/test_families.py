"""The sentence bank of phrase families (cases/families.toml): fresh sentences, positives and negatives."""

import tomllib
from pathlib import Path

import pytest

from wxwatch.metrics.extract import extract_metrics

BANK = tomllib.loads((Path(__file__).parent / "cases" / "families.toml").read_text(encoding="utf-8"))["case"]


def catalogued(text: str) -> set[tuple[str, float]]:
    return {(o.metric, round(o.value, 6)) for o in extract_metrics(text) if o.metric}


@pytest.mark.parametrize("case", BANK, ids=[f"f{c['family']}-{c['text'][:16]}" for c in BANK])
def test_phrase_family(case):
    assert catalogued(case["text"]) == {(m, round(float(v), 6)) for m, v in case["expect"]}


def test_every_family_has_cases():
    assert {c["family"] for c in BANK} == set(range(1, 13))
