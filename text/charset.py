"""Character classes shared by decoding and mojibake detection (common CJK characters, CJK ranges)."""

from __future__ import annotations

import functools
import logging

import opencc

logger = logging.getLogger(__name__)

_CJK_RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x2FFFF))


def is_cjk(char: str) -> bool:
    """True for a CJK unified (or compatibility) ideograph."""
    code = ord(char)
    return any(low <= code <= high for low, high in _CJK_RANGES)


def _gb2312_level1() -> str:
    """The 3,755 most common simplified characters (GB2312 level 1, lead bytes B0-D7)."""
    chars = []
    for lead in range(0xB0, 0xD8):
        for trail in range(0xA1, 0xFF):
            if lead == 0xD7 and trail > 0xF9:
                break
            chars.append(bytes([lead, trail]).decode("gb2312"))
    return "".join(chars)


@functools.lru_cache(maxsize=1)
def common_cjk() -> frozenset[str]:
    """Common CJK characters in both scripts: GB2312 level 1 plus their traditional forms."""
    simplified = _gb2312_level1()
    traditional = opencc.OpenCC("s2t").convert(simplified)
    return frozenset(simplified) | frozenset(traditional)


def is_rare_cjk(char: str) -> bool:
    """A CJK ideograph outside the common set (mojibake is full of these)."""
    return is_cjk(char) and char not in common_cjk()
