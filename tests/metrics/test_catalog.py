"""The catalog data file: spec IDs present, consistent references, user extension, examples extractable."""

import tomllib
from pathlib import Path

import pytest

from wxwatch.metrics.catalog import CatalogError, load_catalog, read_catalog_data
from wxwatch.metrics.extract import extract_metrics

SPEC = Path(__file__).resolve().parents[2].parent / "shared" / "spec" / "catalog.toml"


def spec_ids() -> set[str]:
    data = tomllib.loads(SPEC.read_text(encoding="utf-8"))
    return {f"{subject}.{measure}" for subject, table in data.items() for measure in table}


@pytest.mark.skipif(not SPEC.exists(), reason="shared spec not beside the repo")
def test_every_spec_id_is_catalogued():
    assert spec_ids() <= set(load_catalog().metrics)


def test_references_are_consistent():
    catalog = load_catalog()
    for metric in catalog.metrics.values():
        assert metric.subject in catalog.labels, metric.id
        assert metric.kind in ("count", "money", "ratio", "growth"), metric.id
        assert metric.match and all(key in catalog.measures for key in metric.match), metric.id
    for measure in catalog.measures.values():
        assert measure.subject is None or measure.subject in catalog.labels


def test_examples_extract_under_their_subject_heading():
    catalog = load_catalog()
    missed = []
    for metric in catalog.metrics.values():
        for example in metric.examples:
            if "未来" in example:  # a pledge: plans are not extracted
                continue
            found = {o.metric for o in extract_metrics(f"{catalog.labels[metric.subject]}：{example}")}
            if metric.id not in found:
                missed.append((metric.id, example))
    assert missed == []


def test_extra_catalog_file_extends_without_code(tmp_path):
    extra = tmp_path / "mine.toml"
    extra.write_text(
        """
[subjects.wxsport]
label = "微信运动"
names = ["微信运动"]

[measures.steps]
label = "步数"
after = ['步']

[metrics."wxsport.steps"]
subject = "wxsport"
measure = "全体用户步数"
kind = "count"
match = ["steps"]
""",
        encoding="utf-8",
    )
    catalog = load_catalog(extra)
    assert "wxsport.steps" in catalog.metrics
    assert "wechat.mau" in catalog.metrics
    found = {(o.metric, o.value) for o in extract_metrics("除夕到初五，微信运动全体用户共走出了9.63万亿步", catalog)}
    assert ("wxsport.steps", 9.63e12) in found


def test_raw_data_has_others_and_not_subjects():
    data = read_catalog_data()
    assert "微博" in data["others"]["names"]
    assert "微信公开课" in data["not_subjects"]["names"]


def test_plausible_range_keeps_a_misbound_value_uncatalogued(tmp_path):
    extra = tmp_path / "tight.toml"
    extra.write_text('[metrics."wechat.mau"]\nplausible = [1e9, 2e9]\n', encoding="utf-8")
    texts = ("微信月活跃用户达到13.2亿。", "微信月活跃用户达到8亿。")
    found = [[o.metric for o in extract_metrics(text, load_catalog(extra))] for text in texts]
    assert found == [["wechat.mau"], [None]]


@pytest.mark.parametrize("bad", ["[2e9, 1e9]", "[1]", '["a", "b"]'])
def test_plausible_range_must_be_low_high(tmp_path, bad):
    extra = tmp_path / "bad.toml"
    extra.write_text(f'[metrics."wechat.mau"]\nplausible = {bad}\n', encoding="utf-8")
    with pytest.raises(CatalogError, match=r"metrics.wechat.mau.plausible: must be \[low, high\]"):
        load_catalog(extra)
