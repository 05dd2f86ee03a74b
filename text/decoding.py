"""Robust decoding of page bytes: BOM, declared and meta charsets, GB18030 and Big5 fallbacks."""

from __future__ import annotations

import codecs
import logging
import re
from collections import Counter

from wxwatch.text.charset import common_cjk, is_cjk

logger = logging.getLogger(__name__)

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.IGNORECASE)
_ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "big5": "big5hkscs", "cp936": "gb18030"}
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")
_CHUNK = 2048  # non-ASCII chars scored between checks of the stop limit
_FALLBACKS = ("utf-8", "gb18030", "big5hkscs")
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def _canonical(name: str | None) -> str | None:
    """Map a charset label to a Python codec name (GBK family to GB18030), or None if unknown."""
    if not name:
        return None
    label = name.strip().lower()
    label = _ALIASES.get(label, label)
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def meta_charset(body: bytes) -> str | None:
    """The charset named in a <meta> tag within the first 4 KB, if any."""
    match = _META_CHARSET.search(body[:4096])
    return match.group(1).decode("ascii", "replace") if match else None


def implausibility(text: str) -> float:
    """Badness of a decoding: replacement chars, C1 controls, private use and rare CJK, per char."""
    if not text:
        return 0.0
    return _badness(text, float("inf")) / len(text)


def _badness(text: str, stop_above: float) -> float:
    """Sum of the per-char penalties, per distinct non-ASCII char (ASCII costs nothing); stops past `stop_above`."""
    common = common_cjk()
    bad = 0.0
    chars = "".join(_NON_ASCII.findall(text))
    for start in range(0, len(chars), _CHUNK):
        for char, count in Counter(chars[start : start + _CHUNK]).items():
            code = ord(char)
            if char == "\ufffd":
                bad += 10 * count
            elif 0x80 <= code <= 0x9F or 0xE000 <= code <= 0xF8FF:
                bad += 5 * count
            elif 0xC0 <= code <= 0xFF:  # Latin-1 letters: how GBK/UTF-8 bytes look under a wrong 8-bit charset
                bad += count
            elif code > 0x2FF and char not in common and is_cjk(char):
                bad += count
        if bad > stop_above:
            break
    return bad


def candidate_encodings(body: bytes, declared: str | None) -> list[str]:
    """Encodings worth trying, most trusted first, without duplicates."""
    names = [_canonical(declared), _canonical(meta_charset(body))] + [_canonical(n) for n in _FALLBACKS]
    seen: list[str] = []
    for name in names:
        if name and name not in seen:
            seen.append(name)
    return seen


def decode_html_bytes(body: bytes, declared: str | None = None) -> str:
    """Decode page bytes: a BOM wins; valid UTF-8 labelled UTF-8 (or not labelled) is taken as is; else the most
    plausible candidate decoding."""
    marked = bom_decoding(body)
    if marked is not None:
        return marked
    labelled = labelled_utf8(body, declared)
    if labelled is not None:
        return labelled
    return most_plausible_decoding(body, declared)


def bom_decoding(body: bytes) -> str | None:
    """The decoding a byte order mark names, or None without one."""
    for bom, codec in _BOMS:
        if body.startswith(bom):
            return body.decode(codec, errors="replace")
    return None


def labelled_utf8(body: bytes, declared: str | None) -> str | None:
    """The strict UTF-8 decoding when the bytes are valid UTF-8 and the header or the <meta> names UTF-8, or
    neither names a known charset (UTF-8 is then the first candidate, as when it is named).

    The fast path of nearly every page today: no candidate is scored (a strict decode is ~100x cheaper)."""
    labels = (_canonical(declared), _canonical(meta_charset(body)))
    if "utf-8" not in labels and labels != (None, None):
        return None
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        return None


def most_plausible_decoding(body: bytes, declared: str | None = None) -> str:
    """The candidate decoding with the fewest U+FFFD and implausible chars (more trusted candidates win ties)."""
    best_text, best_score = "", float("inf")
    for rank, codec in enumerate(candidate_encodings(body, declared)):
        if best_score <= rank * 1e-4:  # this candidate (and every later one) scores at least rank * 1e-4
            break
        text = body.decode(codec, errors="replace")
        if not text:
            score = rank * 1e-4
        else:  # stop reading once this decoding cannot beat the best one
            limit = (best_score - rank * 1e-4) * len(text) * (1 + 1e-9) + 1e-9
            score = _badness(text, limit) / len(text) + rank * 1e-4
        if score < best_score:
            best_text, best_score = text, score
    logger.debug("decoded %d bytes, implausibility %.4f", len(body), best_score)
    return best_text
