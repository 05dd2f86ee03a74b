"""Which links on a listing page look like articles of that outlet, and why the others are skipped."""

from __future__ import annotations

import functools
import logging
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

import tldextract

from wxwatch.config import SourceConfig

logger = logging.getLogger(__name__)

MIN_HEADLINE = 6  # characters of anchor text: article links carry a headline, navigation links do not
_PDF_LINK = re.compile(r"\.pdf(?:[?#]|$)", re.IGNORECASE)
# a dated path (/2019/0907/, /2019-09-07/, /20190907/, /201909/), a numbered last segment, an article page
# extension or an /a/ segment, or a WeChat article address
_ARTICLE_PATH = re.compile(
    r"/(?:19|20)\d{2}[-/]?(?:0[1-9]|1[0-2])(?:[-/]?\d{2})?(?:/|$)"
    r"|\d{5,}[^/]*$"
    r"|\.s?html?$"
    r"|/a/"
)
_NOT_ARTICLE_PATH = re.compile(
    r"/(?:app|apps|download|downloads|about|aboutus|about_us|contact|contactus|help|login|register|reg|signup"
    r"|search|tag|tags|special|zhuanti|rss|sitemap|copyright|privacy|feedback|subscribe|video|live)(?:[/._-]|$)"
    r"|jubao|/(?:index|default|list|more)(?:[_-]\d+)?\.s?html?$",
    re.IGNORECASE,
)
_NOT_HEADLINE = re.compile(
    r"下载.{0,6}客户端|客户端下载|举报|登录|注册|联系我们|关于我们|隐私政策|版权声明|免责声明|网站地图|广告服务|意见反馈"
    r"|^更多|>>$|»$"
)


@dataclass(frozen=True)
class LinkRules:
    """A source's link settings: `link_selector` picks the links; the patterns accept or reject URLs."""

    link_selector: str | None = None
    article_pattern: re.Pattern[str] | None = None
    exclude_pattern: re.Pattern[str] | None = None
    documents: bool = False  # a releases listing: PDF documents are followed too

    @classmethod
    def for_source(cls, source: SourceConfig) -> LinkRules:
        """The source's rules, with its patterns compiled once (config validated them at load)."""
        return cls(
            link_selector=source.link_selector,
            article_pattern=re.compile(source.article_url_pattern) if source.article_url_pattern else None,
            exclude_pattern=re.compile(source.exclude_url_pattern) if source.exclude_url_pattern else None,
            documents=source.kind == "releases",
        )


def skip_reason(url: str, text: str, listing_url: str, rules: LinkRules) -> str | None:
    """None when `url` (with anchor `text`, found on `listing_url`) looks like an article; else why not.

    The reasons are short labels counted per source: `exclude_url_pattern`, `article_url_pattern`,
    `other site`, `not an article path`, `not a headline`.
    """
    if rules.exclude_pattern and rules.exclude_pattern.search(url):
        return "exclude_url_pattern"
    if rules.documents and _PDF_LINK.search(url):
        return None
    if rules.article_pattern:
        return None if rules.article_pattern.search(url) else "article_url_pattern"
    if rules.link_selector:
        return None
    if site_of(url) != site_of(listing_url):
        return "other site"
    if not looks_like_article_path(url):
        return "not an article path"
    if not looks_like_headline(text):
        return "not a headline"
    return None


def looks_like_article_path(url: str) -> bool:
    parts = urlsplit(url)
    path = parts.path or "/"
    if _NOT_ARTICLE_PATH.search(path) or path.endswith("/") and not parts.query:
        return False
    return bool(_ARTICLE_PATH.search(path)) or (parts.hostname == "mp.weixin.qq.com" and path.startswith("/s"))


def looks_like_headline(text: str) -> bool:
    text = " ".join(text.split())
    return len(text) >= MIN_HEADLINE and not _NOT_HEADLINE.search(text)


def site_of(url: str) -> str:
    """The registrable domain (news.sina.com.cn -> sina.com.cn); the host itself for an IP address."""
    host = (urlsplit(url).hostname or "").lower()
    return _registered_domain(host) or host


@functools.lru_cache(maxsize=1024)
def _registered_domain(host: str) -> str:
    return _extractor()(host).top_domain_under_public_suffix


@functools.lru_cache(maxsize=1)
def _extractor() -> tldextract.TLDExtract:
    """The public suffix list snapshot that ships with tldextract (never fetched: the crawler stays offline)."""
    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)
