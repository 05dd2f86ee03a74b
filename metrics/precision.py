"""The precision of a figure as written: the step of its last digit ("13.82亿" -> 1e6, "41%" -> 0.01)."""

from __future__ import annotations

import re

ARABIC_NUMBER = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?")


def written_precision(surface: str, value: float) -> float:
    """The step of the last digit of `surface` (the quantity as written) in the units of `value`.

    Arabic digits give their decimals ("13.8亿" -> 0.1亿); Chinese numerals or no surface fall back to the
    place of the value's last non-zero digit ("十三亿" -> 1亿). 0 when the value is 0."""
    numbers = ARABIC_NUMBER.findall(surface or "")
    if numbers and value:
        written = numbers[-1].replace(",", "")
        number = float(written)
        if number:
            decimals = len(written.split(".", 1)[1]) if "." in written else 0
            return abs(value / number) * 10 ** -decimals
    return last_digit_step(value)


def last_digit_step(value: float) -> float:
    """10 ** (the place of the last non-zero digit of `value`, read to 12 significant digits)."""
    if not value:
        return 0.0
    digits = f"{abs(value):.12e}"  # d.dddddddddddde±XX
    mantissa, exponent = digits.split("e")
    significant = mantissa.replace(".", "").rstrip("0")
    return 10.0 ** (int(exponent) - (len(significant) - 1))
