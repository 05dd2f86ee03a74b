"""The chart's value axis: round numbers, zoomed in when the values are close (quarterly steps of 1% stay visible)."""

from __future__ import annotations

import pytest

from wxwatch.charts import ChartPoint, nice_step, timeline_svg, value_axis


@pytest.mark.parametrize(("values", "axis"), [
    ([13.43e8, 13.71e8, 13.28e8], (13.2e8, 13.8e8, 0.2e8)),  # close together: zoomed in
    ([0.2, 8.0], (0.0, 8.0, 2.0)),  # far apart: from zero
    ([-0.1, 0.3], (-0.1, 0.3, 0.1)),  # a decline below zero
    ([8e8], (7e8, 9e8, 0.5e8)),  # one value: padded around it
    ([], (-1.0, 1.0, 0.5)),
])
def test_value_axis(values: list[float], axis: tuple[float, float, float]) -> None:
    assert value_axis(values) == pytest.approx(axis)


@pytest.mark.parametrize(("raw", "step"), [(0.07, 0.1), (3.1, 5.0), (210.0, 250.0), (1.0, 1.0), (0.0013, 0.002)])
def test_nice_step(raw: float, step: float) -> None:
    assert nice_step(raw) == pytest.approx(step)


def test_points_of_one_period_sit_side_by_side_with_escaped_hover_text() -> None:
    points = [ChartPoint("2024Q1", 5.0, "5", "<快报>", "2024-05-15", "a & b", "http://x.example/1?a=1&b=2"),
              ChartPoint("2024Q1", 5.0, "5", "科技日报", "2024-05-16", "c", "")]
    svg = timeline_svg(points, str, "test")
    assert svg.count("<circle") == 2 and svg.count('cy="') == 2
    assert "&lt;快报&gt;" in svg and "a &amp; b" in svg and 'href="http://x.example/1?a=1&amp;b=2"' in svg
    assert len(set(part.split('"')[1] for part in svg.split('cx=')[1:])) == 2  # not drawn on top of each other
