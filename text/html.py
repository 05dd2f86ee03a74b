"""HTML to plain text with lxml (inline markup joined, blocks as line breaks) and YAML front matter splitting."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator

import lxml.html
import yaml
from lxml import etree

logger = logging.getLogger(__name__)

DROP_TAGS = ("script", "style", "noscript", "svg", "head", "nav", "footer", "aside", "iframe", "template",
             "button", "select", "textarea")
BLOCK_TAGS = frozenset(
    "p div br li ul ol h1 h2 h3 h4 h5 h6 tr table tbody thead tfoot blockquote center section article header hr pre"
    " dd dt dl figure figcaption title main form body html caption".split()
)
CELL_TAGS = frozenset(("td", "th"))
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_HTML_HINT = re.compile(r"<(?:p|div|br|span|a|img|html|body|table|h[1-6]|blockquote|strong|b|em|li)\b[^>]*>",
                        re.IGNORECASE)
_PARSER = lxml.html.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True)
_FRONT_MATTER = re.compile(
    r"\A(?P<header>(?:[^\n]*\n){0,3}?)[ \t]*---[ \t]*\n(?P<yaml>.*?)\n---[ \t]*(?:\n|\Z)", re.DOTALL
)
_KEY_LINE = re.compile(r"^[A-Za-z_][\w-]*\s*:", re.MULTILINE)


def looks_like_html(text: str) -> bool:
    """True when the text carries HTML element markup."""
    return bool(_HTML_HINT.search(text))


def html_to_text(html: str) -> str:
    """Readable text of an HTML fragment or page: inline markup joined, blocks as line breaks, cells as ' | '.

    Parsed with lxml (attributes such as `title="a>b"` cannot leak); scripts, navigation, forms and anything
    hidden with `display:none`, `visibility:hidden` or the `hidden` attribute (at any depth) are dropped."""
    if not html.strip():
        return ""
    root = lxml.html.document_fromstring(html.encode("utf-8", "surrogatepass"), parser=_PARSER)
    _drop_invisible(root)
    return tidy_whitespace("".join(_text_pieces(root)))


def _drop_invisible(root: lxml.html.HtmlElement) -> None:
    for element in list(root.iter(*DROP_TAGS)):
        if element.getparent() is not None:
            element.drop_tree()  # keeps the element's tail text
    drop_hidden(root)


def drop_hidden(root: lxml.html.HtmlElement) -> None:
    """Remove what a reader never sees: `hidden`, `display:none` or `visibility:hidden`, at any depth."""
    hidden = [el for el in root.iter() if isinstance(el.tag, str)
              and (el.get("hidden") is not None or _HIDDEN_STYLE.search(el.get("style") or ""))]
    for element in hidden:
        if element.getparent() is not None:
            element.drop_tree()


def _text_pieces(root: lxml.html.HtmlElement) -> Iterator[str]:
    """Text in document order, with a line break around blocks (iterative: deep pages cannot overflow)."""
    for event, element in etree.iterwalk(root, events=("start", "end")):
        tag = element.tag if isinstance(element.tag, str) else ""
        if event == "start":
            yield "\n" if tag in BLOCK_TAGS else " | " if tag in CELL_TAGS else ""
            yield element.text or ""
        else:
            yield "\n" if tag in BLOCK_TAGS else " | " if tag in CELL_TAGS else ""
            if element is not root:
                yield element.tail or ""


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
