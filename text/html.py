"""HTML to plain text (inline markup joined, blocks as line breaks) and YAML front matter splitting."""

from __future__ import annotations

import html as html_lib
import logging
import re

import yaml

logger = logging.getLogger(__name__)

_DROP_ELEMENTS = re.compile(
    r"<(script|style|noscript|svg|head|nav|footer|aside|iframe|template)\b[^>]*>.*?</\1\s*>",
    re.IGNORECASE | re.DOTALL,
)
_COMMENTS = re.compile(r"<!--.*?-->", re.DOTALL)
_HIDDEN = re.compile(r"<(p|div|span)\b[^>]*display\s*:\s*none[^>]*>.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_BLOCK_TAGS = (
    "p|div|br|li|ul|ol|h[1-6]|tr|table|tbody|thead|blockquote|center|section|article|header|hr|pre"
    "|dd|dt|dl|figure|figcaption|title|main|form|body|html|caption"
)
_BLOCK = re.compile(rf"</?(?:{_BLOCK_TAGS})\b[^>]*>", re.IGNORECASE)
_CELL = re.compile(r"</?(?:td|th)\b[^>]*>", re.IGNORECASE)
_TAG = re.compile(r"</?[A-Za-z][^>]*>|<![^>]*>")
_HTML_HINT = re.compile(r"<(?:p|div|br|span|a|img|html|body|table|h[1-6]|blockquote|strong|b|em|li)\b[^>]*>",
                        re.IGNORECASE)
_FRONT_MATTER = re.compile(
    r"\A(?P<header>(?:[^\n]*\n){0,3}?)[ \t]*---[ \t]*\n(?P<yaml>.*?)\n---[ \t]*(?:\n|\Z)", re.DOTALL
)
_KEY_LINE = re.compile(r"^[A-Za-z_][\w-]*\s*:", re.MULTILINE)


def looks_like_html(text: str) -> bool:
    """True when the text carries HTML element markup."""
    return bool(_HTML_HINT.search(text))


def html_to_text(html: str) -> str:
    """Readable text of an HTML fragment or page: inline markup joined, blocks as line breaks."""
    text = _COMMENTS.sub("", html)
    text = _DROP_ELEMENTS.sub("\n", text)
    text = _HIDDEN.sub("\n", text)
    text = _BLOCK.sub("\n", text)
    text = _CELL.sub(" | ", text)
    text = _TAG.sub("", text)
    text = html_lib.unescape(text)
    return tidy_whitespace(text)


def tidy_whitespace(text: str) -> str:
    """Collapse runs of spaces, strip lines and drop empty lines."""
    text = text.replace("\u00a0", " ").replace("\r\n", "\n").replace("\r", "\n")
    lines = (re.sub(r"[ \t\f\v]+", " ", line).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def split_front_matter(text: str) -> tuple[dict, str]:
    """Split a leading YAML front matter block (optionally after a short header) from the body."""
    match = _FRONT_MATTER.match(text.lstrip("\ufeff"))
    if not match or not _KEY_LINE.search(match.group("yaml")):
        return {}, text
    try:
        meta = yaml.safe_load(match.group("yaml"))
    except yaml.YAMLError:
        logger.debug("front matter is not valid YAML; stripped anyway")
        meta = {}
    header = match.group("header")
    body = text.lstrip("\ufeff")[match.end(0) :]
    return (meta if isinstance(meta, dict) else {}), (header + body if header.strip() else body)


def strip_front_matter(text: str) -> str:
    """The text without its YAML front matter block."""
    return split_front_matter(text)[1]
