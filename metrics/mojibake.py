"""Detection of mojibake stretches (GBK byte-shift garbage, U+FFFD) so nearby numbers are not trusted."""

from __future__ import annotations

import logging
import re

from wxwatch.metrics.script import TONE_VOWELS
from wxwatch.text.charset import is_cjk, is_rare_cjk

logger = logging.getLogger(__name__)

REPLACEMENT = "\ufffd"
_PINYIN_FRAGMENT = re.compile(rf"[a-zü{TONE_VOWELS}]{{1,6}}\)")
_WINDOW = 8
_GAP = 2


_ORDINARY_PUNCTUATION = set("，。、“”‘’：；！？（）《》【】—–…·「」『』〈〉％")


def is_odd(char: str) -> bool:
    """Rare CJK, private-use characters and stray non-ASCII symbols typical of mis-decoded bytes."""
    if is_rare_cjk(char) or 0xE000 <= ord(char) <= 0xF8FF:
        return True
    return ord(char) > 0x7F and not is_cjk(char) and char not in _ORDINARY_PUNCTUATION


def _is_garbage(text: str, index: int) -> bool:
    """A character that belongs inside a mojibake stretch."""
    char = text[index]
    return char in "?\\)" + REPLACEMENT or is_odd(char)


def _starts_stretch(text: str, index: int) -> bool:
    """A '?' opening a stretch: followed by a broken pinyin annotation or by >= 2 rare characters."""
    window = text[index + 1 : index + 1 + _WINDOW]
    if _PINYIN_FRAGMENT.match(window):
        return True
    return sum(1 for char in window if is_odd(char)) >= 2


def _extend(text: str, start: int, end: int) -> tuple[int, int]:
    """Grow a stretch over garbage characters, tolerating gaps of up to two ordinary characters."""
    while start > 0 and is_odd(text[start - 1]):
        start -= 1
    index = end
    while index < len(text):
        fragment = _PINYIN_FRAGMENT.match(text, index)
        if fragment:
            index = end = fragment.end()
            continue
        ahead = [i for i in range(index, min(index + _GAP + 1, len(text))) if _is_garbage(text, i)]
        if not ahead or text[ahead[0]] == ")" and ahead[0] != index:
            break
        index = end = ahead[0] + 1
    return start, end


def find_mojibake(text: str) -> list[tuple[int, int]]:
    """Character spans of mojibake stretches and U+FFFD runs, sorted and non-overlapping."""
    spans: list[tuple[int, int]] = []
    for match in re.finditer(r"[?\ufffd]", text):
        index = match.start()
        if spans and index < spans[-1][1]:
            continue
        if text[index] == REPLACEMENT or _starts_stretch(text, index):
            spans.append(_extend(text, index, index + 1))
    if spans:
        logger.debug("flagged %d mojibake stretches", len(spans))
    return spans


def touches(spans: list[tuple[int, int]], start: int, end: int, margin: int = 1) -> bool:
    """True when [start, end) lies within `margin` characters of a flagged span."""
    return any(s - margin <= end and start <= e + margin - 1 for s, e in spans)
