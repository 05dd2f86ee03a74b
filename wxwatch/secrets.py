"""Masking of secrets (tokens and passwords in apprise URLs) for logs and CLI output."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, unquote, urlsplit

MASK = "****"
_USERINFO_RE = re.compile(r"(?P<scheme>[a-z][a-z0-9+.-]*://)(?P<user>[^:/?#@\s]*):(?P<password>[^@/?#\s]+)@", re.I)
_LONG_TOKEN_RE = re.compile(r"(?<![A-Za-z0-9])[A-Za-z0-9_\-]{16,}(?![A-Za-z0-9])")
_QUERY_SECRET_RE = re.compile(r"(?P<key>(?:key|token|secret|access_token|pass|password|sign)=)[^&\s]+", re.I)

SECRET_QUERY_KEYS = {"key", "token", "secret", "access_token", "pass", "password", "sign"}

_known: set[str] = set()


def register_secret(value: str) -> None:
    """Remember a literal secret (e.g. from ${VAR} in settings) so it is masked wherever it shows."""
    if value and len(value) >= 4:
        _known.add(value)


def register_url_credentials(url: str) -> None:
    """Register the password in a URL's user info and its secret-looking query values (a source behind auth)."""
    parts = urlsplit(url)
    if parts.password:
        register_secret(unquote(parts.password))
        register_secret(parts.password)
    for key, value in parse_qsl(parts.query):
        if key.lower() in SECRET_QUERY_KEYS:
            register_secret(value)


def mask_url(url: str) -> str:
    """An apprise URL safe to show: scheme kept; passwords, keys and long tokens masked."""
    scheme, sep, rest = url.partition("://")
    if not sep:
        return _LONG_TOKEN_RE.sub(MASK, url)
    masked = mask_secrets(url)
    rest = masked[len(scheme) + 3 :]
    return f"{scheme}://{_LONG_TOKEN_RE.sub(MASK, rest)}"


def mask_secrets(text: str) -> str:
    """Mask registered secrets and credential-looking URL parts anywhere in `text`."""
    for secret in sorted(_known, key=len, reverse=True):
        text = text.replace(secret, MASK)
    text = _USERINFO_RE.sub(lambda m: f"{m['scheme']}{m['user']}:{MASK}@", text)
    return _QUERY_SECRET_RE.sub(lambda m: m["key"] + MASK, text)
