"""The UTF-8 fast path of decode_html_bytes: same text as scoring every candidate, on real and mislabelled pages."""

from __future__ import annotations

from pathlib import Path

import pytest

from wxwatch.text.decoding import (
    bom_decoding,
    decode_html_bytes,
    labelled_utf8,
    meta_charset,
    most_plausible_decoding,
)

REALWORLD = Path(__file__).resolve().parents[2].parent / "shared" / "realworld" / "pages"
TEXT = "据腾讯披露，視頻號的月活躍用戶數已經來到8.7亿；企业微信上的活跃用户突破1.9亿。café ½"
TRADITIONAL = "視頻號的月活躍用戶數已經來到8.7億，企業微信活躍用戶突破1.9億。"  # Big5 has no simplified forms
PAGE = "<html><head>{meta}<title>月活</title></head><body><p>{text}</p></body></html>"


def scored(body: bytes, declared: str | None) -> str:
    """The decoder before the fast path: a BOM, else the most plausible candidate."""
    marked = bom_decoding(body)
    return marked if marked is not None else most_plausible_decoding(body, declared)


def page(meta: str = "", text: str = TEXT) -> str:
    return PAGE.format(meta=meta, text=text)


@pytest.mark.parametrize("path", sorted(REALWORLD.rglob("*.html")), ids=lambda p: p.name)
def test_realworld_pages_decode_as_before_under_every_label(path: Path) -> None:
    body = path.read_bytes()
    for label in (None, "utf-8", meta_charset(body), "gbk", "big5", "iso-8859-1"):
        assert decode_html_bytes(body, label) == scored(body, label), label


@pytest.mark.parametrize(("encoding", "meta", "declared"), [
    ("gb18030", '<meta charset="utf-8">', "utf-8"),  # GBK bytes labelled UTF-8 twice
    ("gb18030", '<meta charset="utf-8">', None),
    ("big5hkscs", '<meta charset="utf-8">', "utf-8"),
    ("gb18030", "", "UTF8"),
    ("utf-8", '<meta charset="gbk">', "big5"),  # UTF-8 bytes labelled anything else
    ("utf-8", "", "iso-8859-1"),
    ("utf-8", "", None),
])
def test_mislabelled_bodies_still_decode_to_their_text(encoding: str, meta: str, declared: str | None) -> None:
    text = page(meta, TRADITIONAL if encoding == "big5hkscs" else TEXT)
    body = text.encode(encoding)
    assert decode_html_bytes(body, declared) == text
    assert decode_html_bytes(body, declared) == scored(body, declared)


def test_valid_utf8_labelled_utf8_is_taken_without_scoring() -> None:
    body = page().encode("utf-8")
    assert labelled_utf8(body, "utf-8") == page()
    assert labelled_utf8(page('<meta charset="UTF-8">').encode(), None) == page('<meta charset="UTF-8">')
    assert labelled_utf8(body, None) == page()  # no label: UTF-8 is the first candidate as when named
    assert labelled_utf8(body, "gbk") is None  # another charset named: scored
    assert labelled_utf8(page('<meta charset="big5">').encode(), None) is None


def test_broken_utf8_labelled_utf8_goes_through_scoring() -> None:
    body = page().encode("utf-8")[:-30] + b"\xe8\xa7" + page().encode("utf-8")[-30:]  # a cut multibyte char
    assert labelled_utf8(body, "utf-8") is None
    assert decode_html_bytes(body, "utf-8") == scored(body, "utf-8")
    assert "\ufffd" in decode_html_bytes(body, "utf-8")


def test_a_bom_still_wins_over_the_label() -> None:
    assert decode_html_bytes(page().encode("utf-8-sig"), "gbk") == page()
    assert decode_html_bytes(page().encode("utf-16"), "utf-8") == page()
