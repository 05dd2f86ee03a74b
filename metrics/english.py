"""English figures of the issuer's releases in the forms the Chinese quantity parser reads.

"1,385 million" -> "1385百万", "1.385 billion" -> "1.385十亿", "exceeded 500 million" -> "超过500百万",
"up 3% year-on-year" -> "同比增长3%", "as at 30 September 2025" -> "截至2025年9月30日", "the third quarter
of 2025" -> "2025年第三季度". The digits are kept as written, so the precision a figure was written
with is unchanged; only the scale word and the qualifier or change around the number are rewritten.
"""

from __future__ import annotations

import re

SCALES = {"thousand": "千", "million": "百万", "mn": "百万", "billion": "十亿", "bn": "十亿", "trillion": "万亿"}
QUALIFIERS = {
    "exceeded": "超过", "exceeding": "超过", "surpassed": "超过", "over": "超过", "more than": "超过",
    "above": "超过", "approximately": "约", "approx.": "约", "about": "约", "around": "约", "nearly": "近",
    "almost": "近", "reached": "达到", "reaching": "达到", "was": "为", "were": "为", "stood at": "为",
    "amounted to": "达",
}
_NUMBER = r"(?P<number>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
_FIGURE = re.compile(
    rf"(?:\b(?P<qualifier>{'|'.join(re.escape(word) for word in sorted(QUALIFIERS, key=len, reverse=True))})\s+)?"
    rf"{_NUMBER}\s*(?P<scale>{'|'.join(SCALES)})\b",
    re.IGNORECASE,
)
_CHANGE = re.compile(
    r"\b(?P<direction>up|down|increased|decreased|grew|rose|fell)(?:\s+by)?"
    r"(?:\s+(?P<qualifier>over|more than|approximately|about|nearly))?\s+(?P<percent>\d+(?:\.\d+)?%)\s*"
    r"(?P<basis>year-on-year|year over year|yoy|quarter-on-quarter|qoq)\b",
    re.IGNORECASE,
)
_DOWN = {"down", "decreased", "fell"}
MONTHS = {name: number for number, name in enumerate(
    ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november",
     "december"), start=1)}
QUARTERS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4}
_AS_AT = re.compile(rf"\b(?:as at|as of)\s+(?P<day>\d{{1,2}})\s+(?P<month>{'|'.join(MONTHS)})\s+(?P<year>\d{{4}})",
                    re.IGNORECASE)
_QUARTER = re.compile(
    rf"\b(?:(?P<year1>\d{{4}})\s+(?P<ordinal1>{'|'.join(QUARTERS)})\s+quarter"
    rf"|(?:the\s+)?(?P<ordinal2>{'|'.join(QUARTERS)})\s+quarter\s+(?:of\s+)?(?P<year2>\d{{4}}))\b",
    re.IGNORECASE)


def english_figures(text: str) -> str:
    """The text with English scaled numbers, their qualifiers and year-on-year changes in Chinese forms."""
    if not re.search(r"[A-Za-z]", text):
        return text
    text = _AS_AT.sub(_as_at, _QUARTER.sub(_quarter, text))
    return _CHANGE.sub(_change, _FIGURE.sub(_figure, text))


def _as_at(match: re.Match[str]) -> str:
    return f"截至{match['year']}年{MONTHS[match['month'].lower()]}月{int(match['day'])}日"


def _quarter(match: re.Match[str]) -> str:
    ordinal = (match["ordinal1"] or match["ordinal2"]).lower()
    return f"{match['year1'] or match['year2']}年第{'一二三四'[QUARTERS[ordinal] - 1]}季度"


def _figure(match: re.Match[str]) -> str:
    qualifier = QUALIFIERS[match["qualifier"].lower()] if match["qualifier"] else ""
    return f"{qualifier}{match['number'].replace(',', '')}{SCALES[match['scale'].lower()]}"


def _change(match: re.Match[str]) -> str:
    basis = "同比" if match["basis"].lower() in ("year-on-year", "year over year", "yoy") else "环比"
    direction = "下降" if match["direction"].lower() in _DOWN else "增长"
    qualifier = QUALIFIERS[match["qualifier"].lower()] if match["qualifier"] else ""
    return f"{basis}{direction}{qualifier}{match['percent']}"
