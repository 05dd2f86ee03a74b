"""Canonical article URLs: one key per article whatever tracking parameters a link carries."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

TRACKING_PARAMS = frozenset(
    {"spm", "from", "share_token", "share_from", "ref", "referer", "fbclid", "gclid", "scene",
     "srcid", "wxfrom", "isappinstalled", "clicktime", "enterid", "sessionid", "chksm", "mpshare", "ivk_sa"}
)


def canonical_url(url: str, declared: str | None = None) -> str:
    """Normalize `url` (or the page's declared <link rel=canonical>, when on the same host)."""
    if declared and _same_host(url, declared):
        url = declared
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    port = parts.port
    if port and not ((scheme == "http" and port == 80) or (scheme == "https" and port == 443)):
        host = f"{host}:{port}"
    query = urlencode(sorted(kv for kv in parse_qsl(parts.query, keep_blank_values=True) if _keep_param(kv[0])))
    return urlunsplit((scheme, host, parts.path or "/", query, ""))


def _keep_param(name: str) -> bool:
    lowered = name.lower()
    return not lowered.startswith("utm_") and lowered not in TRACKING_PARAMS


def _same_host(a: str, b: str) -> bool:
    return (urlsplit(a).hostname or "").lower() == (urlsplit(b).hostname or "").lower()
