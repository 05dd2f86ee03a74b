"""Boilerplate removal before main-text extraction: link-dense blocks (related, hot, ranking lists, footers)."""

from __future__ import annotations

import logging
import re

from lxml import etree
from lxml import html as lxml_html

from wxwatch.text.html import drop_hidden

logger = logging.getLogger(__name__)

BLOCK_TAGS = ("ul", "ol", "dl", "table", "div", "section", "aside", "nav", "footer", "p", "li")
MIN_LINKS = 3  # one or two links in a block are citations or a "source" line, not a list
MAX_LINK_DENSITY = 0.5  # share of a block's text inside <a>; above it the block is a list of links
HEADLINE_LINK = 6  # characters of anchor text from which a link reads as a headline
MAX_CHARS_PER_HEADLINE = 80  # a block with less text per headline link is a teaser list (headline, blurb, time)
MIN_ARTICLE = 100  # characters an end marker must follow (a label at the top introduces the article)
LONG_PARAGRAPH = 100  # a line this long after an end marker means the article goes on: do not cut
END_LABELS = (
    "热门推荐|相关推荐|为你推荐|推荐阅读|相关阅读|相关新闻|相关文章|相关报道|热点新闻|热门新闻|热门文章|点击排行|排行榜"
    "|精彩推荐|精彩视频推荐|重点推荐|猜你喜欢|延伸阅读|推荐新闻|今日推荐|大家都在看|热帖|跟贴热词|热门跟贴|最新跟贴|网友评论"
)
MAX_TEASER_ITEM = 150  # characters of one item of a teaser list
HEADING_TAGS = ("h2", "h3", "h4", "h5", "h6")
MAX_HEADER_EXTRA = 60  # characters a header wrapper may hold beside its label ("更多>>", a featured title)
ARTICLE_PARAGRAPH = 150  # a paragraph this long after a label means the article goes on: keep the block
STANDALONE_SHARE = 0.3  # a headline link is at least this share of its parent's text
_COMMENT_BLOCK = re.compile(r"(?:^|[-_\s])(?:comments?|tie|pinglun)(?:[-_\s]|$)", re.IGNORECASE)
_LABEL = re.compile(rf"^(?:{END_LABELS})$")
_END_MARKER = re.compile(rf"^(?:(?:{END_LABELS})\s*[:：]?|网友评论仅供其表达个人看法.*)$")
_EDITOR_LINE = re.compile(r"^[\[【(（]?\s*(?:责任编辑|责编)\s*[:：]")
_WIDGET_LINE = re.compile(r"^(?=.{0,20}$).*(?:快速登录|立即注册|登录超时|扫码登录|注册登录)")  # a short line only


def remove_link_lists(html: str) -> str:
    """The page without hidden elements and link-dense blocks (deepest first, so an article keeps its paragraphs)."""
    try:
        root = lxml_html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return html
    prune_link_lists(root)
    return lxml_html.tostring(root, encoding="unicode")


def prune_link_lists(root: etree._Element) -> int:
    """`remove_link_lists` on a parsed page, in place (the caller's one parse); returns how many blocks went."""
    drop_hidden(root)
    removed = remove_labelled_blocks(root)
    for node in reversed(list(root.iter(*BLOCK_TAGS))):
        if node.getparent() is not None and (is_link_list(node) or is_comment_block(node)):
            node.drop_tree()
            removed += 1
    logger.debug("removed %d link-dense blocks", removed)
    return removed


def remove_labelled_blocks(root: etree._Element) -> int:
    """Drop each block opened by a heading like 热门推荐 / 推荐阅读 (the heading's header wrapper and everything
    after it at that level), unless an article-long paragraph follows. Returns how many blocks were dropped."""
    removed = 0
    for heading in list(root.iter(*HEADING_TAGS)):
        label = _visible_text(heading).rstrip(":：")
        if not _LABEL.match(label) or not _attached(heading, root):  # gone with an earlier block
            continue
        start = _header_wrapper(heading, len(label))
        block = [start, *start.itersiblings()]
        if not any(_visible_length(p.text_content()) >= ARTICLE_PARAGRAPH for node in block for p in node.iter("p")):
            for node in block:
                node.drop_tree()
            removed += 1
    return removed


def _header_wrapper(heading: etree._Element, label_length: int) -> etree._Element:
    """The heading, or the small header element it opens (`<div class="title"><h2>热门推荐</h2>更多</div>`)."""
    node = heading
    parent = node.getparent()
    while (parent is not None and parent.tag not in ("body", "html") and _first_element(parent) is node
           and _visible_length(parent.text_content()) <= label_length + MAX_HEADER_EXTRA):
        node, parent = parent, parent.getparent()
    return node


def _attached(node: etree._Element, root: etree._Element) -> bool:
    return any(ancestor is root for ancestor in node.iterancestors())


def _first_element(node: etree._Element) -> etree._Element | None:
    return next((child for child in node if isinstance(child.tag, str)), None)


def _visible_text(node: etree._Element) -> str:
    return " ".join(node.text_content().split())


def is_link_list(node: etree._Element) -> bool:
    """Several links that make up most of the block's text, or several headline links that stand as items
    of their own with little else (teaser lists: headline, one-line blurb, time)."""
    links = list(node.iter("a"))
    if len(links) < MIN_LINKS:  # most blocks: decided without reading any text
        return False
    lengths = [n for n in (_visible_length(link.text_content()) for link in links) if n]
    if len(lengths) < MIN_LINKS:
        return False
    text = _visible_length(node.text_content())
    if sum(lengths) / text > MAX_LINK_DENSITY:
        return True
    headlines = sum(1 for link in links if _standalone_headline(link))
    return (headlines >= MIN_LINKS and text / headlines < MAX_CHARS_PER_HEADLINE) or _teaser_items(node)


def is_comment_block(node: etree._Element) -> bool:
    """A readers' comment area (`id="post_comment"`, `class="tie-area"`, ...)."""
    return bool(_COMMENT_BLOCK.search(node.get("id") or "") or _COMMENT_BLOCK.search(node.get("class") or ""))


def _teaser_items(node: etree._Element) -> bool:
    """Three or more short sibling items of one tag, each carrying a headline link (a recommendation list)."""
    items = [child for child in node if isinstance(child.tag, str)]
    tags = {child.tag for child in items}
    if len(items) < MIN_LINKS or len(tags) != 1:
        return False
    return all(_visible_length(child.text_content()) <= MAX_TEASER_ITEM and _has_headline_link(child)
               for child in items)


def _has_headline_link(node: etree._Element) -> bool:
    return any(_standalone_headline(link) for link in node.iter("a"))


def _standalone_headline(link: etree._Element) -> bool:
    """A link with a headline's length that opens its parent and is a fair part of it (a list item's headline,
    not a term linked in the middle of a paragraph)."""
    parent = link.getparent()
    own = "".join(link.text_content().split())
    around = "".join(parent.text_content().split()) if parent is not None else own
    return len(own) >= HEADLINE_LINK and around.startswith(own) and len(own) >= STANDALONE_SHARE * len(around)


def trim_text(text: str) -> str:
    """Extracted text without login widgets and without what follows the article's end: the editor's line,
    a related/hot/ranking label, a comment disclaimer (only when no paragraph-long line follows)."""
    lines = [line for line in text.split("\n") if not _WIDGET_LINE.match(line.strip())]
    for index, line in enumerate(lines):
        marker = line.strip()
        keep = 1 if _EDITOR_LINE.match(marker) else 0 if _END_MARKER.match(marker) else None
        if keep is not None and _ends_article(lines[: index + keep], lines[index + 1 :]):
            return "\n".join(lines[: index + keep])
    return "\n".join(lines)


def _ends_article(before: list[str], after: list[str]) -> bool:
    """An end marker ends the article when an article precedes it and no paragraph-long line follows it."""
    kept = sum(len(line.strip()) for line in before)
    return kept >= MIN_ARTICLE and not any(len(line.strip()) >= LONG_PARAGRAPH for line in after)


def _visible_length(text: str) -> int:
    return len("".join(text.split()))
