"""An article page's headline: candidates from metadata, headings and <title>, checked against each other."""

from __future__ import annotations

import logging
import re

from parsel import Selector

logger = logging.getLogger(__name__)

META_TITLES = (
    "meta[property='og:title']::attr(content)",
    "meta[name='twitter:title']::attr(content)",
    "meta[property='twitter:title']::attr(content)",
)
HEADINGS = ("h1", "h2")
MIN_HEADLINE = 4  # a shorter heading is a section logo or a label
MAX_SITE_SUFFIX = 12  # a trailing `_...` / `-...` part longer than this is part of the headline
# `_` `|` `｜` always separate; a hyphen or dash only with spaces around it or next to a CJK character
_SUFFIX_SEPARATOR = re.compile(
    r"\s*(?:[_|｜]|\s[-–—]+\s|-{1,2}(?=[\u4e00-\u9fff])|(?<=[\u4e00-\u9fff！？。])-{1,2})\s*"
)


def page_title(selector: Selector) -> str:
    """The headline: the longest metadata or heading candidate that <title> (or another candidate) starts with;
    else og:title; else <title> without its site-name suffix; else the first headline-like heading."""
    raw_title = _clean(" ".join(selector.css("title::text").getall()))
    metadata = _unique(_clean(v) for css in META_TITLES for v in selector.css(css).getall())
    headings = _unique(_clean(" ".join(node.css("::text").getall())) for tag in HEADINGS for node in selector.css(tag))
    candidates = [c for c in metadata + headings if len(c) >= MIN_HEADLINE]
    confirmed = [c for c in candidates if _confirmed(c, raw_title, candidates)]
    if confirmed:
        return max(confirmed, key=len)
    if metadata:
        return metadata[0]
    return strip_site_suffix(raw_title) or (candidates[0] if candidates else "")


def strip_site_suffix(title: str) -> str:
    """`Headline_频道_网站` or `Headline-新华网` -> `Headline` (short trailing parts only)."""
    cut = len(title)
    for match in reversed(list(_SUFFIX_SEPARATOR.finditer(title))):
        if len(title[match.end() : cut]) > MAX_SITE_SUFFIX or len(title[: match.start()]) < MIN_HEADLINE:
            break
        cut = match.start()
    return title[:cut].strip()


def _confirmed(candidate: str, raw_title: str, candidates: list[str]) -> bool:
    """<title> is this candidate or starts with it (site suffix), or a longer candidate does (og:title cut at a
    quote)."""
    others = [raw_title, *candidates]
    return candidate == raw_title or any(other != candidate and other.startswith(candidate) for other in others)


def _unique(values) -> list[str]:
    seen: list[str] = []
    for value in values:
        if value and value not in seen:
            seen.append(value)
    return seen


def _clean(value: str) -> str:
    return " ".join(value.split())
