"""A metric's timeline as a self-contained SVG: one point per report, by period; hover text and links, no script."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

WIDTH, HEIGHT = 720, 260
LEFT, RIGHT, TOP, BOTTOM = 72, 16, 16, 46
RADIUS = 5
SPREAD = 11  # px between points of one period, side by side
MARK_COLOURS = {"conflict": "#d62728", "correction": "#ff7f0e"}
POINT_COLOUR = "#1f77b4"


@dataclass(frozen=True)
class ChartPoint:
    """One report of a metric: where it goes (category `x`, `value`) and what hovering it says."""

    x: str
    value: float
    label: str  # the value as people write it: >6亿
    outlet: str
    published: str
    title: str
    url: str
    mark: str | None = None  # conflict | correction


def timeline_svg(points: Sequence[ChartPoint], tick_label: Callable[[float], str], caption: str) -> str:
    """The chart: x = the sorted distinct categories, y = the value; marked points drawn in their colour."""
    categories = sorted({point.x for point in points})
    low, high, step = value_axis([point.value for point in points])
    band = (WIDTH - LEFT - RIGHT) / max(len(categories), 1)

    def y_of(value: float) -> float:
        return TOP + (high - value) / (high - low) * (HEIGHT - TOP - BOTTOM)

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" '
             f'width="{WIDTH}" height="{HEIGHT}" role="img" aria-label="{escape(caption)}">']
    parts += _value_grid(low, high, step, y_of, tick_label)
    parts += _category_labels(categories, band)
    parts += _points(points, categories, band, y_of)
    parts.append("</svg>")
    return "".join(parts)


def value_axis(values: Sequence[float]) -> tuple[float, float, float]:
    """(low, high, step) of a y axis, in round numbers: from 0 (or below), or zoomed in on values close together.

    Positive values within a factor of two of each other get a zoomed axis, so that a quarter-on-quarter step of
    1% (13.59亿 -> 13.71亿) stays visible; others start at 0."""
    if values and min(values) > 0.5 * max(values) > 0:
        low, high = min(values), max(values)
    else:
        low, high = min([0.0, *values]), max([0.0, *values])
    if high == low:
        pad = abs(high) * 0.1 or 1.0
        low, high = low - pad, high + pad
    step = nice_step((high - low) / 4)
    return math.floor(low / step) * step, math.ceil(high / step) * step, step


def nice_step(raw: float) -> float:
    """The smallest of 1, 2, 2.5, 5 x 10^k that is at least `raw`."""
    magnitude = 10 ** math.floor(math.log10(raw))
    return next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)


def _value_grid(low: float, high: float, step: float, y_of: Callable[[float], float],
                tick_label: Callable[[float], str]) -> list[str]:
    parts = []
    for index in range(round((high - low) / step) + 1):
        value = low + index * step
        y = y_of(value)
        parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ddd"/>'
                     f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11" fill="#555">'
                     f"{escape(tick_label(value))}</text>")
    return parts


def _category_labels(categories: Sequence[str], band: float) -> list[str]:
    parts = []
    for index, category in enumerate(categories):
        x = LEFT + (index + 0.5) * band
        words = category.split(" ", 1)  # "published 2022-01-06" on two lines
        lines = "".join(f'<tspan x="{x:.1f}" dy="{13 * bool(n)}">{escape(w)}</tspan>' for n, w in enumerate(words))
        parts.append(f'<text class="category" x="{x:.1f}" y="{HEIGHT - BOTTOM + 18}" text-anchor="middle" '
                     f'font-size="11" fill="#333">{lines}</text>')
    return parts


def _points(points: Sequence[ChartPoint], categories: Sequence[str], band: float,
            y_of: Callable[[float], float]) -> list[str]:
    by_category: dict[str, list[ChartPoint]] = defaultdict(list)
    for point in points:
        by_category[point.x].append(point)
    parts = []
    for index, category in enumerate(categories):
        group = by_category[category]
        spread = min(SPREAD, band * 0.8 / max(len(group), 1))
        for n, point in enumerate(group):
            x = LEFT + (index + 0.5) * band + (n - (len(group) - 1) / 2) * spread
            parts.append(_point(point, x, y_of(point.value)))
    return parts


def _point(point: ChartPoint, x: float, y: float) -> str:
    colour = MARK_COLOURS.get(point.mark or "", POINT_COLOUR)
    mark = f" ({point.mark})" if point.mark else ""
    hover = f"{point.label} · {point.x}{mark}\n{point.outlet} {point.published}\n{point.title}"
    circle = (f'<circle class="point{" " + point.mark if point.mark else ""}" cx="{x:.1f}" cy="{y:.1f}" '
              f'r="{RADIUS + (1 if point.mark else 0)}" fill="{colour}" fill-opacity="0.8" stroke="#fff">'
              f"<title>{escape(hover)}</title></circle>")
    return f'<a href="{escape(point.url)}">{circle}</a>' if point.url else circle
