"""Near-duplicate primitives: shingles, band keys and the reprint decision."""

import pytest

from wxwatch.storage import neardup

BASE = (
    "小程序日活突破4.5亿，活跃小程序数量同比上涨41%，日均使用次数同比增长32%。"
    "搜一搜月活用户过7亿，较前一年上涨20%。"
) * 3


def test_fingerprint_text_ignores_spacing_and_punctuation() -> None:
    assert neardup.fingerprint_text("小程序 日活，突破!") == "小程序日活突破"


def test_identical_texts_share_every_band() -> None:
    a = neardup.band_keys(neardup.shingles(BASE))
    assert a == neardup.band_keys(neardup.shingles(BASE + "。"))


def test_small_edit_still_shares_a_band() -> None:
    edited = BASE.replace("41%", "42%")
    a, b = neardup.band_keys(neardup.shingles(BASE)), neardup.band_keys(neardup.shingles(edited))
    assert set(a) & set(b)


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (BASE, BASE.replace("41%", "42%"), True),
        (BASE, BASE + "本文转载自证券时报。", True),
        (BASE, "腾讯控股公布2021年第四季度业绩，收入同比增长8%。" * 5, False),
        (BASE, BASE[:40] + "完全不同的另一篇报道，讲的是电商平台的年货节和物流配送的情况。" * 4, False),
        ("", BASE, False),
    ],
)
def test_is_reprint(a: str, b: str, expected: bool) -> None:
    assert neardup.is_reprint(neardup.shingles(a), neardup.shingles(b)) is expected
