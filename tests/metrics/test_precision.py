"""The precision of a figure as written, table-driven: the step of its last digit in the value's units."""

from __future__ import annotations

import pytest

from wxwatch.metrics.precision import last_digit_step, written_precision


@pytest.mark.parametrize(("surface", "value", "step"), [
    ("13.82亿", 13.82e8, 1e6),
    ("13.8亿", 13.8e8, 1e7),
    ("14亿", 14e8, 1e8),
    ("10亿", 10e8, 1e8),            # as written: 10亿 is not "1 followed by anything"
    ("1,300万", 1.3e7, 1e4),
    ("41%", 0.41, 0.01),
    ("2.5万亿元", 2.5e12, 1e11),
    ("十三亿", 13e8, 1e8),           # Chinese numerals: the value's last non-zero digit
    ("", 4.5e8, 1e7),
    ("0", 0.0, 0.0),
])
def test_written_precision(surface: str, value: float, step: float) -> None:
    assert written_precision(surface, value) == pytest.approx(step)


def test_last_digit_step_ignores_float_noise() -> None:
    assert last_digit_step(13.82 * 1e8) == pytest.approx(1e6)
