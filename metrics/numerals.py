"""Chinese and Arabic numerals to numbers: 4.5, 1,800, 三千, 十, 两百五十, 十三亿四千三百万, 四点五亿."""

from __future__ import annotations

import logging

logger = logging.getLogger(__name__)

CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
CN_SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
MAGNITUDES = {"万": 1e4, "亿": 1e8, "万亿": 1e12, "兆": 1e12}


def parse_arabic(text: str) -> float:
    """'1,800' -> 1800.0, '4.5' -> 4.5."""
    return float(text.replace(",", ""))


def parse_cn_small(text: str) -> float:
    """Chinese numeral below 10,000 without magnitude: 三千 -> 3000, 十 -> 10, 十二 -> 12, 一 -> 1."""
    if not text or any(char not in CN_DIGITS and char not in CN_SMALL_UNITS for char in text):
        raise ValueError(f"not a small Chinese numeral: {text!r}")
    return sum(_parse_sections(text, 0.0))


def parse_cn_number(text: str) -> float:
    """Any Chinese numeral with magnitudes and decimals: 十三亿四千三百万, 一亿三千万, 四点五亿, 三万亿, 六点九."""
    whole, _, fraction = text.partition("点")
    if fraction and not fraction.rstrip("万亿"):
        raise ValueError(f"not a Chinese numeral: {text!r}")
    digits = fraction.rstrip("万亿")
    decimal = float("0." + "".join(str(CN_DIGITS[c]) for c in digits)) if digits else 0.0
    total, wan = _parse_sections(whole, decimal)
    for char in fraction[len(digits) :]:
        total, wan = (total + wan) * MAGNITUDES[char], 0.0
    return total + wan


def _parse_sections(text: str, decimal: float) -> tuple[float, float]:
    """(part of 亿 and above, part below 亿) of a numeral without decimals; `decimal` adds to its last digit."""
    total = wan = section = 0.0
    digit: float | None = None
    for char in text:
        if char in CN_DIGITS:
            digit = CN_DIGITS[char] if digit is None else digit * 10 + CN_DIGITS[char]
        elif char in CN_SMALL_UNITS:
            section += (1 if digit is None else digit) * CN_SMALL_UNITS[char]
            digit = None
        elif char == "万":
            wan, section, digit = (wan + section + (digit or 0)) * 1e4, 0.0, None
        elif char == "亿":
            total, wan, section, digit = (total + wan + section + (digit or 0)) * 1e8, 0.0, 0.0, None
        else:
            raise ValueError(f"not a Chinese numeral: {text!r}")
    return total, wan + section + (digit or 0) + decimal


def parse_number(text: str) -> float:
    """An Arabic or small Chinese numeral."""
    if text[:1].isdigit():
        return parse_arabic(text)
    return parse_cn_small(text)


def parse_magnitude(text: str) -> float:
    """Magnitude suffix to multiplier: 万 -> 1e4, 千万 -> 1e7, 百亿 -> 1e10, 万亿 -> 1e12, '' -> 1."""
    if not text:
        return 1.0
    multiplier = 1.0
    for char in text:
        if char in CN_SMALL_UNITS:
            multiplier *= CN_SMALL_UNITS[char]
        elif char in MAGNITUDES:
            multiplier *= MAGNITUDES[char]
        else:
            raise ValueError(f"not a magnitude: {text!r}")
    return multiplier
