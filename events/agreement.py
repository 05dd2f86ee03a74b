"""When two reported figures agree: each read at its own precision and qualifier ("13.8亿" agrees with "13.82亿")."""

from __future__ import annotations

import math
from dataclasses import dataclass

BOUND_ABOVE = (">", ">=")
BOUND_BELOW = ("<", "<=")
RELATIVE_EPSILON = 1e-9  # float noise (13.82 * 1e8 is not exactly 1382000000)


@dataclass(frozen=True)
class Figure:
    """A reported value: "超过13亿" is Figure(1.3e9, ">", 1e8); precision 0 means exact or unknown."""

    value: float
    qualifier: str = "="
    precision: float = 0.0


def interval(figure: Figure) -> tuple[float, float]:
    """The values a figure allows: a rounding for "=", one step either way for "~", a half-line for bounds."""
    half = figure.precision / 2
    if figure.qualifier in BOUND_ABOVE:
        return figure.value, math.inf
    if figure.qualifier in BOUND_BELOW:
        return -math.inf, figure.value
    spread = figure.precision if figure.qualifier == "~" else half
    return figure.value - spread, figure.value + spread


def compatible(a: Figure, b: Figure, floor: float = 0.0) -> bool:
    """Both can be true of one quantity (the less precise contains the more precise); `floor`: relative slack."""
    if _within_floor(a.value, b.value, floor):
        return True
    low_a, high_a = interval(a)
    low_b, high_b = interval(b)
    slack = RELATIVE_EPSILON * max(abs(a.value), abs(b.value))
    overlap = min(high_a, high_b) - max(low_a, low_b)
    if high_a - low_a > slack and high_b - low_b > slack:
        return overlap > slack  # ranges that only touch ("0.41" and "0.42" at 0.415) differ
    return overlap >= -slack  # an exact value inside (or at the edge of) the other's range


def agrees(a: Figure, b: Figure, floor: float = 0.0) -> bool:
    """The same report: compatible, except that two bounds the same way must be the same bound."""
    both_above = a.qualifier in BOUND_ABOVE and b.qualifier in BOUND_ABOVE
    both_below = a.qualifier in BOUND_BELOW and b.qualifier in BOUND_BELOW
    if both_above or both_below:
        return _within_floor(a.value, b.value, floor)
    return compatible(a, b, floor)


def repeats(previous: Figure, new: Figure, floor: float = 0.0) -> bool:
    """No news in a later period: the new figure agrees with the previous one and says no more than it.

    A rounding or a bound after a figure repeats it ("13.82亿" then "13.8亿"); a moved bound ("突破4.5亿" then
    "突破5亿") or a figure after a bound ("超过5亿" then "5.4亿") is news."""
    if previous.qualifier in BOUND_ABOVE + BOUND_BELOW and new.qualifier not in BOUND_ABOVE + BOUND_BELOW:
        return _within_floor(previous.value, new.value, floor)
    return agrees(previous, new, floor)


def _within_floor(a: float, b: float, floor: float) -> bool:
    scale = max(abs(a), abs(b))
    return scale == 0 or abs(a - b) <= max(floor, RELATIVE_EPSILON) * scale
