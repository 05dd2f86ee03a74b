"""Stored page HTML compressed with zstd: what the articles table keeps instead of the page as fetched."""

from __future__ import annotations

import zstandard

LEVEL = 3  # ~1 ms and 3.5-4x on 60 KB news pages; level 9 gains 5% for 5x the time

_compressor = zstandard.ZstdCompressor(level=LEVEL)
_decompressor = zstandard.ZstdDecompressor()


def compress_html(html: str) -> bytes | None:
    """The page as a zstd frame (None for no page)."""
    return _compressor.compress(html.encode("utf-8", "surrogatepass")) if html else None


def decompress_html(blob: bytes | None) -> str:
    """The page stored by compress_html ("" for none)."""
    return _decompressor.decompress(blob).decode("utf-8", "surrogatepass") if blob else ""
