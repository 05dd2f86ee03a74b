"""Values in Chinese units for people: 4.5亿, 229亿元, +41%, 1.4亿次/小时 (the inverse of parsing quantities)."""

from __future__ import annotations

RATE_SUFFIXES = {"hour": "/小时", "day": "/天", "week": "/周", "month": "/月", "quarter": "/季度", "year": "/年"}
MAGNITUDES = ((1e12, "万亿"), (1e8, "亿"), (1e4, "万"))
QUALIFIER_SIGNS = {">": ">", ">=": "≥", "~": "≈", "=": "", "<": "<"}


def format_value(value: float | None, unit: str, measure: str = "", rate: str | None = None) -> str:
    """A value of kind `unit` (count | money | ratio | growth): 4.5亿, 1.4亿次/小时, 229亿元, 41%, +12%."""
    if value is None:
        return "?"
    if unit == "ratio":
        text = trim_number(value * 100) + "%"
    elif unit == "growth":
        text = ("+" if value >= 0 else "") + trim_number(value * 100) + "%"
    else:
        counter = "元" if unit == "money" else "次" if measure.endswith("次数") else ""
        text = chinese_number(value) + counter
    return text + RATE_SUFFIXES.get(rate or "", "")


def shown_value(row: dict) -> str:
    """A stored value (a metric_values or observations row) with its qualifier sign: >4.5亿, ≈1200, +33%."""
    sign = QUALIFIER_SIGNS.get(row.get("qualifier") or "=", "")
    return sign + format_value(row["value"], row.get("unit") or "", row.get("measure") or "", row.get("rate"))


def chinese_number(value: float) -> str:
    """450000000 -> 4.5亿, 23000 -> 2.3万, 1.2e12 -> 1.2万亿."""
    for threshold, suffix in MAGNITUDES:
        if abs(value) >= threshold:
            return trim_number(value / threshold) + suffix
    return trim_number(value)


def format_change(change: float | None) -> str:
    """A relative change as a signed percentage: 0.333 -> +33%, -0.052 -> -5.2%."""
    if change is None:
        return ""
    percent = change * 100
    text = f"{percent:+.0f}" if abs(percent) >= 10 else f"{percent:+.1f}".rstrip("0").rstrip(".")
    return text + "%"


def trim_number(number: float) -> str:
    """At most two decimals, trailing zeros dropped: 4.50 -> 4.5, 7.00 -> 7."""
    return f"{number:.2f}".rstrip("0").rstrip(".")
