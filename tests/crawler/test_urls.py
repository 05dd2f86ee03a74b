"""Canonical URLs: one key per article whatever the link looks like."""

import pytest

from wxwatch.crawler.urls import canonical_url

CASES = [
    ("HTTPS://Example.ORG/a/1.html#comments", "https://example.org/a/1.html"),
    ("https://example.org/a/1.html?utm_source=wx&utm_medium=x", "https://example.org/a/1.html"),
    ("https://example.org/a?id=3&spm=a.b&page=1", "https://example.org/a?id=3&page=1"),
    ("https://example.org/a?b=2&a=1", "https://example.org/a?a=1&b=2"),
    ("http://example.org:80/x", "http://example.org/x"),
    ("http://127.0.0.1:8765/x", "http://127.0.0.1:8765/x"),
    ("https://example.org", "https://example.org/"),
]


@pytest.mark.parametrize(("url", "expected"), CASES)
def test_canonical_url(url: str, expected: str) -> None:
    assert canonical_url(url) == expected


def test_declared_canonical_on_the_same_host_wins() -> None:
    assert canonical_url("https://e.org/a?x=1", "https://e.org/a") == "https://e.org/a"
    assert canonical_url("https://e.org/a", "https://other.org/b") == "https://e.org/a"
