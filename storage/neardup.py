"""Near-duplicate detection for reprints: MinHash band keys to find candidates, shingle overlap to confirm."""

from __future__ import annotations

import math
import re
import struct
import zlib
from dataclasses import dataclass

from wxwatch.metrics.normalize import normalize_text

SHINGLE_SIZE = 4
BINS = 32  # one-permutation MinHash: each shingle hash lands in one of BINS bins, keep each bin's minimum
BANDS = 8  # LSH: BANDS bands of BINS // BANDS rows; a shared band makes two articles candidates
ROWS = BINS // BANDS
EMPTY_BIN = 0xFFFFFFFF
MIN_JACCARD = 0.6
MIN_CONTAINMENT = 0.9
MIN_LENGTH_RATIO = 0.7
_NOISE_RE = re.compile(r"[\s\W_]+", re.UNICODE)


@dataclass(frozen=True)
class TextSignature:
    """What reprint detection keeps of a compare text: its band keys and shingle count (picklable, small)."""

    bands: tuple[int, ...]
    size: int


def compare_text(text: str) -> str:
    """The normalized text used for diffing and reprint detection (simplified script, folded)."""
    return normalize_text(text)


def signature(compare: str) -> TextSignature:
    """The band keys and shingle count of a compare text (computed once, possibly in a worker process)."""
    shingle_set = shingles(compare)
    return TextSignature(band_keys(shingle_set), len(shingle_set))


def fingerprint_text(text: str) -> str:
    """The text reduced to what near-duplicate detection compares: no spaces or punctuation."""
    return _NOISE_RE.sub("", text).lower()


def shingles(text: str, size: int = SHINGLE_SIZE) -> set[str]:
    """Character n-grams of the fingerprint text (Chinese has no word boundaries)."""
    compact = fingerprint_text(text)
    if len(compact) <= size:
        return {compact} if compact else set()
    return {compact[i : i + size] for i in range(len(compact) - size + 1)}


def minhash_signature(shingle_set: set[str]) -> list[int]:
    """BINS minima of the shingles' CRC-32 hashes, binned by hash (one pass over the shingles)."""
    signature = [EMPTY_BIN] * BINS
    for shingle in shingle_set:
        value = zlib.crc32(shingle.encode())
        bin_index = value % BINS
        if value < signature[bin_index]:
            signature[bin_index] = value
    return signature


def band_keys(shingle_set: set[str]) -> tuple[int, ...]:
    """BANDS integer keys; near-identical texts share at least one with high probability."""
    signature = minhash_signature(shingle_set)
    keys = []
    for band in range(BANDS):
        rows = signature[band * ROWS : (band + 1) * ROWS]
        keys.append(zlib.crc32(struct.pack(f"<B{ROWS}I", band, *rows)))
    return tuple(keys)


def size_range(size: int) -> tuple[int, int]:
    """The shingle counts a stored text can have and still pass is_reprint against one of `size` shingles."""
    ratio = min(MIN_JACCARD, MIN_LENGTH_RATIO)  # the Jaccard index never exceeds small / large
    return math.floor(size * ratio), math.ceil(size / ratio)


def is_reprint(a: set[str], b: set[str]) -> bool:
    """True when two shingle sets are the same article (not merely sharing a quoted passage)."""
    if not a or not b:
        return False
    common = len(a & b)
    if common / len(a | b) >= MIN_JACCARD:
        return True
    small, large = sorted((len(a), len(b)))
    return small / large >= MIN_LENGTH_RATIO and common / small >= MIN_CONTAINMENT
