"""Text normalization for extraction: HTML, front matter, width folding, script, pinyin and number spacing.

Public API (stable, used by the crawler):

- ``html_to_text(html) -> str``: readable text of an HTML fragment or page, inline markup joined
  (``100<a>万优</a>质`` -> ``100万优质``), block boundaries kept as line breaks.
- ``normalize_text(text) -> str``: the full normalization used before extraction. Accepts raw HTML,
  a front-matter post or plain text, in either script. Returns a plain ``str``; offsets reported
  by the extractor index into this string.
- ``decode_html_bytes(body, declared) -> str``: robust decoding of page bytes.
- ``find_mojibake(text) -> list[(start, end)]``: flagged garbage stretches in normalized text.
"""

from __future__ import annotations

import logging
import re

from wxwatch.metrics.english import english_figures
from wxwatch.metrics.mojibake import find_mojibake
from wxwatch.metrics.script import remove_pinyin_annotations, to_simplified
from wxwatch.text.decoding import decode_html_bytes
from wxwatch.text.html import html_to_text, looks_like_html, split_front_matter, strip_front_matter, tidy_whitespace

__all__ = [
    "decode_html_bytes",
    "find_mojibake",
    "fold_width",
    "html_to_text",
    "join_number_spaces",
    "normalize_text",
    "split_front_matter",
    "strip_front_matter",
]

logger = logging.getLogger(__name__)

_FULLWIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_FULLWIDTH.update({0x3000: 0x20, 0x2E3A: 0x2014, 0xFF5E: 0x7E})
_UNIT_AFTER_NUMBER = "万亿千百十个%‰多余元人次家名位款笔条倍小分秒天年月日号周季度成"
_SPACE_IN_NUMBER = re.compile(r"(?<=\d)[ \t]+(?=[.,]?\d)|(?<=\d[.,])[ \t]+(?=\d)")
_SPACE_BEFORE_UNIT = re.compile(rf"(?<=\d)[ \t]+(?=[{_UNIT_AFTER_NUMBER}])|(?<=[万亿])[ \t]+(?=[+多余个人元次])")
_SPACE_AROUND_CJK_NUMBER = re.compile(
    r"(?<=[\u4e00-\u9fff])[ \t]+(?=[\d+])|(?<=[\d%+])[ \t]+(?=[\u4e00-\u9fff+])"
)
_SPACE_AFTER_UNIT = re.compile(
    r"(\d(?:多|余)?(?:[十百千]?[万亿]){0,2}(?:多|余)?[个家名位款笔条次人元户]{0,2})[ \t]+(?=[\u4e00-\u9fff])"
    r"|(\d[十百千]?[万亿](?:多|余|\+)?)[ \t]+(?=[A-Za-z])"
)


def fold_width(text: str) -> str:
    """Full-width ASCII digits, letters and punctuation (and the ideographic space) to half-width."""
    return text.translate(_FULLWIDTH)


def join_number_spaces(text: str) -> str:
    """Remove spaces inside numbers and between a number and its unit: '4.5 亿' -> '4.5亿'."""
    text = _SPACE_IN_NUMBER.sub("", text)
    text = _SPACE_BEFORE_UNIT.sub("", text)
    text = _SPACE_AROUND_CJK_NUMBER.sub("", text)
    return _SPACE_AFTER_UNIT.sub(lambda m: m.group(1) or m.group(2), text)


def _simplify_outside(text: str, spans: list[tuple[int, int]]) -> str:
    """Convert to simplified script, leaving mojibake stretches untouched so they stay detectable."""
    if not spans:
        return to_simplified(text)
    pieces, cursor = [], 0
    for start, end in spans:
        pieces.append(to_simplified(text[cursor:start]))
        pieces.append(text[start:end])
        cursor = end
    pieces.append(to_simplified(text[cursor:]))
    return "".join(pieces)


def normalize_text(text: str) -> str:
    """Full normalization for extraction (see the module docstring)."""
    text = strip_front_matter(text)
    if looks_like_html(text):
        text = html_to_text(text)
    text = english_figures(fold_width(text))
    text = remove_pinyin_annotations(text)
    text = _simplify_outside(text, find_mojibake(text))
    text = join_number_spaces(text)
    return tidy_whitespace(text)
