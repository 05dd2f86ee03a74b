"""WeChat official-account articles (mp.weixin.qq.com, also mirrored): body, title, account and publish time."""

from __future__ import annotations

import html as html_lib
import logging
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from lxml import html as lxml_html
from parsel import Selector

from wxwatch.text.dates import from_timestamp, parse_datetime
from wxwatch.text.html import html_to_text

logger = logging.getLogger(__name__)

WECHAT_HOST = "mp.weixin.qq.com"
BODY_CSS = "#js_content"
_SCRIPT_VAR = r"""var\s+{name}\s*=\s*(?:htmlDecode\()?["']([^"']*)["']"""
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none", re.IGNORECASE)


@dataclass(frozen=True)
class WechatArticle:
    title: str
    account: str
    published: str | None
    text: str


def is_wechat_page(selector: Selector, url: str | None = None) -> bool:
    """A WeChat article: served from mp.weixin.qq.com, or a copy (mirror, RSS bridge) that kept its markup."""
    if url and (urlsplit(url).hostname or "").lower() == WECHAT_HOST:
        return bool(selector.css(BODY_CSS))
    og_url = selector.css("meta[property='og:url']::attr(content)").get() or ""
    marked = WECHAT_HOST in og_url or bool(selector.css("#js_article, .rich_media_content"))
    return marked and bool(selector.css(BODY_CSS))


def wechat_article(selector: Selector, html: str, tz: str) -> WechatArticle:
    """What a WeChat page says about its article; the publish time comes from the page's script variables."""
    return WechatArticle(
        title=_title(selector, html),
        account=_script_var(html, "nickname") or _text(selector, "#js_name"),
        published=_published(html, tz),
        text=_body_text(selector),
    )


def _title(selector: Selector, html: str) -> str:
    for value in (selector.css("meta[property='og:title']::attr(content)").get(), _script_var(html, "msg_title"),
                  _text(selector, "#activity-name")):
        if value and value.strip():
            return " ".join(value.split())
    return ""


def _published(html: str, tz: str) -> str | None:
    for name in ("ct", "create_time", "ori_create_time"):
        value = _script_var(html, name)
        if value and value.isdigit():
            return from_timestamp(value, tz)
    value = _script_var(html, "publish_time")
    return parse_datetime(value, tz) if value else None


def _body_text(selector: Selector) -> str:
    """The readable text of #js_content without its hidden sections (editor markers, tracking)."""
    fragment = selector.css(BODY_CSS).get()
    if not fragment:
        return ""
    root = lxml_html.fragment_fromstring(fragment)
    for node in root.xpath(".//*[@style]"):
        if _HIDDEN_STYLE.search(node.get("style", "")) and node.getparent() is not None:
            node.drop_tree()
    return html_to_text(lxml_html.tostring(root, encoding="unicode"))


def _script_var(html: str, name: str) -> str | None:
    match = re.search(_SCRIPT_VAR.format(name=re.escape(name)), html)
    return html_lib.unescape(match.group(1)).strip() if match else None


def _text(selector: Selector, css: str) -> str:
    return " ".join("".join(selector.css(f"{css} ::text").getall()).split())
