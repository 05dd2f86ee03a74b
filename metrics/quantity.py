"""Chinese quantities in normalized text: numbers with magnitudes, qualifiers, percentages, growth, rates.

``find_quantities(text)`` returns every quantity in a text with its value, unit, qualifier, kind and
growth direction; ``parse_quantity(text)`` parses a single quantity phrase such as "超4.5亿",
"1800多家", "同比增长41%", "yoy+32%" or "一倍增长". Values: counts and money absolute, percentages as
fractions, multiples as the multiplier ("翻倍" = 1.0 as a growth).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from wxwatch.metrics.numerals import parse_cn_number, parse_cn_small, parse_magnitude, parse_number

logger = logging.getLogger(__name__)

_ARABIC = r"\d+(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_CN_SECTION = r"[零〇一二两三四五六七八九十百千]+"
# 十三亿四千三百(万), 九亿六千多(万), 四点五(亿): inner magnitudes and decimals; the last magnitude is cn_mag
_CN = rf"{_CN_SECTION}(?:(?:多|余)?(?:万亿|亿|万){_CN_SECTION})*(?:点[零〇一二三四五六七八九]+)?"
_MAG = r"(?:[十百千]?万亿|[十百千]?万|[十百千]?亿|千|百)"
_COUNTER = r"人次|人民币|港元|美元|元|个|家|名|位|款|笔|次|人|户|条|台|项|种|部|张|件|单|篇|份|所|座|粒|步"
_TIME_UNIT = r"个小时|小时|个月|分钟|秒钟|秒|天|日|周|星期|月|年|季度|岁|点|号|载|毫秒|ms|MB|GB|TB|G|K|k|米|公里"

QUANTITY = re.compile(
    rf"""
    (?=[\d+\-零〇一二两三四五六七八九十百千数几大上好翻成亿万])
    (?:(?P<percent_cn>百分之(?P<pct_cn>[零一二两三四五六七八九十百]+(?:点[零一二三四五六七八九]+)?))
    | (?P<fraction>(?P<den>[二三四五六七八九十百]+)分之(?P<numer>[一二三四五六七八九十]+))
    | (?P<doubling>翻倍|翻番|翻了一番|翻一番|成倍)
    | (?P<sign>(?<![\dA-Za-z.])[+-])?
      (?P<num>{_ARABIC})(?P<approx1>多|余|几)?(?P<ge>个(?=[万亿]))?
      (?:(?P<mag>{_MAG})(?P<approx2>多|余|\+(?![\d]))?(?:(?P<times_m>倍)|(?P<counter_m>{_COUNTER}))?
       | (?P<approx3>多|余|\+(?![\d]))?
         (?:(?P<pct>%|‰)(?P<plus>\+)?|(?P<times>倍)|(?P<time>{_TIME_UNIT})|(?P<counter>{_COUNTER}))?)
    | (?P<vague>(?<![户员人者量])数|几|大几|上|好几)?(?P<cn>{_CN})(?P<cn_approx1>多|余|几|\+(?![\d]))?
      (?:(?P<cn_mag>万亿|万|亿)(?P<cn_approx2>多|余|\+(?![\d]))?(?P<cn_counter_m>{_COUNTER})?
       | (?:(?P<cn_times>倍)|(?P<cn_ratio>成)|(?P<cn_time>{_TIME_UNIT})|(?P<cn_counter>{_COUNTER}))?)
    | (?<=[破过超逾])(?P<bare_mag>亿|万))
    """,
    re.VERBOSE,
)

_QUALIFIER_WORDS = {
    ">=": "不少于|不低于|至少|起码|最少",
    "<": "不到|不足|低于|少于|未满|未到|不超过|不超",
    "~": "接近|将近|约为|约有|约|大约|大概|近|差不多|估计",
    ">": "超过|超出|突破|已超|超|过|逾|高于|多于|破|高达|上涨至|增至",
    "=": "达到|达|为|是|有|共计|合计|共|计|至",
}
_QUALIFIER_BEFORE = re.compile(
    "(?:" + "|".join(
        f"(?P<q{i}>{words})" for i, words in enumerate(_QUALIFIER_WORDS.values())
    ) + r")(?:了)?(?:[+])?$"
)
_QUALIFIER_AFTER = {"以上": ">", "左右": "~", "上下": "~", "以下": "<", "以内": "<"}
_QUALIFIER_KEYS = list(_QUALIFIER_WORDS)

_UP = r"增长|上涨|提升|提高|增加|上升|增幅|涨幅|增速|增长率|增长量|增|涨|扩大|yoy|YoY|YOY|同比|环比|翻了"
_DOWN = r"下降|减少|下滑|降低|下跌|回落|收窄|缩减|降|减|跌"
_CHANGE_BEFORE = re.compile(
    rf"(?:(?P<down>{_DOWN})|(?P<up>{_UP}))(?:了|量|率|幅度)?(?:均|都|也|仍|已经|已|亦)?"
    rf"(?:{'|'.join(_QUALIFIER_WORDS.values())})?(?:了)?\s*[+]?\s*$"
)
_CHANGE_AFTER = re.compile(r"^(?:的)?(?:同比|环比)?(?:(?P<up>增长|提升|增幅|上涨|提高|增加)|(?P<down>下降|减少|下滑))")


# "是去年同期的3倍", "达到了2022年的3倍", "分别为上年的两倍和三倍": a multiple of an earlier period's level
_MULTIPLE_OF_EARLIER = re.compile(
    r"(?:去年|上年|前一年|上一年|一年前|同期|(?:19|20)\d\d年(?:全年|同期)?)(?:同期)?(?:水平)?的"
    r"(?:[\d.零一二两三四五六七八九十]+倍(?:和|、|与|及|,))*$"
)


@dataclass
class Quantity:
    """A quantity found in text. kind: count, money, percent, multiple, time or vague."""

    value: float
    unit: str
    qualifier: str
    kind: str
    start: int
    end: int
    text: str
    change: str | None = None  # "up" or "down" when stated as a change (growth/decline)
    bare: bool = False  # a plain number with no magnitude, counter or approximation
    counter: str = ""  # the measure word consumed after the number (人, 家, 个, 元 ...)


def _qualifier_before(left: str) -> str | None:
    match = _QUALIFIER_BEFORE.search(left)
    if not match:
        return None
    return next(_QUALIFIER_KEYS[i] for i in range(len(_QUALIFIER_KEYS)) if match.group(f"q{i}"))


def _qualifier_after(right: str) -> str | None:
    return next((q for word, q in _QUALIFIER_AFTER.items() if right.startswith(word)), None)


def qualifier_for(text: str, start: int, end: int, approximate: bool) -> str:
    """Qualifier from the words around a quantity; '多/余/+' suffixes mean '>'."""
    before = _qualifier_before(text[max(0, start - 6) : start])
    after = _qualifier_after(text[end : end + 2])
    if before in (">=", "<", "~"):
        return before
    if approximate or before == ">" or after == ">":
        return ">"
    return after or before or "="


def change_for(text: str, start: int, end: int) -> str | None:
    """'up'/'down' when the quantity is stated as a change (同比增长41%, yoy+32%, 一倍增长)."""
    before = _CHANGE_BEFORE.search(text[max(0, start - 12) : start])
    if before:
        return "down" if before.group("down") else "up"
    after = _CHANGE_AFTER.match(text[end : end + 4])
    if after:
        return "down" if after.group("down") else "up"
    return None


def _arabic_quantity(m: re.Match[str]) -> tuple[float, str, str, bool]:
    """(value, unit, kind, approximate) for an Arabic-numeral match."""
    value = parse_number(m.group("num")) * parse_magnitude((m.group("mag") or "").lstrip("个"))
    approximate = bool(m.group("approx1") or m.group("approx2") or m.group("approx3") or m.group("plus"))
    if m.group("sign") == "-":
        value = -value
    if m.group("pct"):
        return value / (100 if m.group("pct") == "%" else 1000), m.group("pct"), "percent", approximate
    if m.group("times") or m.group("times_m"):
        return value, "倍", "multiple", approximate
    if m.group("time"):
        return value, m.group("time"), "time", approximate
    counter = m.group("counter") or m.group("counter_m") or ""
    kind = "money" if counter.endswith(("元", "人民币")) else "count"
    return value, (m.group("mag") or "") + counter, kind, approximate


def _chinese_quantity(m: re.Match[str]) -> tuple[float, str, str, bool] | None:
    """(value, unit, kind, approximate) for a Chinese-numeral match, None when not a quantity."""
    numeral, mag = m.group("cn"), m.group("cn_mag") or ""
    if re.search(r"(.)\1", numeral) or (numeral in "一二两三四五六七八九" and not mag and
                                        not (m.group("cn_times") or m.group("cn_ratio"))):
        return None
    if not mag and not (m.group("cn_times") or m.group("cn_ratio") or m.group("cn_counter")) \
            and not re.search("[百千]", numeral):
        return None
    value = parse_cn_number(numeral.replace("多", "").replace("余", "") + mag)
    approximate = bool(m.group("cn_approx1") or m.group("cn_approx2")) or "多" in numeral or "余" in numeral
    vague = bool(m.group("vague")) or m.group("cn_approx1") == "几"
    if m.group("cn_times"):
        return value, "倍", "multiple", approximate
    if m.group("cn_ratio"):
        return value / 10, "成", "percent", approximate
    if m.group("cn_time"):
        return value, m.group("cn_time"), "time", approximate
    counter = m.group("cn_counter") or m.group("cn_counter_m") or ""
    kind = "vague" if vague else ("money" if counter.endswith(("元", "人民币")) else "count")
    return value, mag + counter, kind, approximate


def _special_quantity(m: re.Match[str]) -> tuple[float, str, str, bool]:
    """百分之X, X分之Y, 翻倍 and 破亿-style bare magnitudes."""
    if m.group("percent_cn"):
        return parse_cn_number(m.group("pct_cn")) / 100, "%", "percent", False
    if m.group("fraction"):
        return parse_cn_small(m.group("numer")) / parse_cn_small(m.group("den")), "", "percent", False
    if m.group("doubling"):
        return 1.0, "倍", "multiple", False
    return parse_magnitude(m.group("bare_mag")), m.group("bare_mag"), "count", True


def _interpret(m: re.Match[str]) -> tuple[float, str, str, bool] | None:
    if m.group("num"):
        return _arabic_quantity(m)
    if m.group("cn"):
        return _chinese_quantity(m)
    return _special_quantity(m)


def _is_bare(m: re.Match[str]) -> bool:
    """A plain Arabic number: no magnitude, unit, percent or approximation (years, versions, codes)."""
    return bool(m.group("num")) and not any(
        m.group(g) for g in ("mag", "approx1", "approx3", "pct", "times", "time", "counter")
    )


def _build(text: str, m: re.Match[str]) -> Quantity | None:
    try:
        parsed = _interpret(m)
    except ValueError:
        return None
    if parsed is None:
        return None
    value, unit, kind, approximate = parsed
    start, end = m.start(), m.end()
    counter = next((m.group(g) for g in ("counter", "counter_m", "cn_counter", "cn_counter_m") if m.group(g)), "")
    bare = _is_bare(m)
    qualifier = "=" if bare or kind == "time" else qualifier_for(text, start, end, approximate)
    quantity = Quantity(value, unit, qualifier, kind, start, end, m.group(0), bare=bare, counter=counter or "")
    if kind == "multiple" and _MULTIPLE_OF_EARLIER.search(text, max(0, start - 24), start):
        quantity.value, quantity.change = quantity.value - 1, "up"  # 是去年同期的3倍: up 200%
        return quantity
    if kind in ("percent", "multiple"):
        signed = {"+": "up", "-": "down"}.get(m.group("sign") or "")
        quantity.change = "up" if m.group("doubling") else (change_for(text, start, end) or signed)
        if quantity.change == "down" and quantity.value > 0:
            quantity.value = -quantity.value
    return quantity


def find_quantities(text: str) -> list[Quantity]:
    """All quantities in a (normalized) text, in order."""
    found = []
    for match in QUANTITY.finditer(text):
        if not match.group(0):
            continue
        quantity = _build(text, match)
        if quantity is not None:
            found.append(quantity)
    return found


def parse_quantity(text: str) -> Quantity | None:
    """The most significant quantity in a short phrase ("同比增长41%", "超4.5亿", "1800多家")."""
    quantities = [q for q in find_quantities(text) if q.kind != "time"]
    if not quantities:
        return None
    return max(quantities, key=lambda q: (q.kind != "count" or not q.bare, q.end - q.start))
