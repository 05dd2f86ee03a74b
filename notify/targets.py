"""Notification targets: the apprise URLs from settings, with each service's format and size limits."""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import apprise

from wxwatch.config import NotifyConfig
from wxwatch.secrets import mask_url, register_secret

logger = logging.getLogger(__name__)

TOKEN_LIKE_RE = re.compile(r"^[A-Za-z0-9_\-]{16,}$")


class TargetError(ValueError):
    """A notification URL or apprise config file apprise cannot use; the message names the setting."""


@dataclass(frozen=True)
class TargetProfile:
    """What a service accepts: body format, whether it shows a title, and its body limit in UTF-8 bytes."""

    name: str
    body_format: str  # "text" | "markdown" | "html"
    max_bytes: int | None  # None: no practical limit
    shows_title: bool = True  # False: the title is put in the body's first line (apprise would drop or merge it)


PROFILES = {
    "wecombot": TargetProfile("wecom-bot", "text", 2048, shows_title=False),  # WeCom group bot: 2048 bytes
    "wechat": TargetProfile("wecom-app", "text", 2048, shows_title=False),
    "feishu": TargetProfile("feishu", "text", 18_000, shows_title=False),  # request body <= 20 KB
    "lark": TargetProfile("lark", "text", 18_000, shows_title=False),
    "dingtalk": TargetProfile("dingtalk", "markdown", 19_000),  # messages <= 20000 bytes
    "tgram": TargetProfile("telegram", "markdown", 4096, shows_title=False),
    "slack": TargetProfile("slack", "markdown", 35_000),
    "mailto": TargetProfile("email", "html", None),
    "mailtos": TargetProfile("email", "html", None),
    "json": TargetProfile("json", "markdown", None),
    "jsons": TargetProfile("json", "markdown", None),
}
DEFAULT_PROFILE = TargetProfile("other", "markdown", 4000)
MODE_TAGS = ("digest", "per_event")


@dataclass(frozen=True)
class Target:
    """One place alerts go. `service` is the apprise plugin (it holds the secrets: never log or print it)."""

    id: str  # stable hash of the URL: deliveries are recorded against it
    label: str  # the URL with secrets masked, for logs and CLI output
    profile: TargetProfile
    mode: str  # digest | per_event
    daily: bool = False  # deliver a digest once a day at notify.daily_at instead of after every run
    tags: frozenset[str] = frozenset()
    service: Any = field(default=None, repr=False, compare=False)


def target_id(url: str) -> str:
    return hashlib.sha256(url.encode("utf-8")).hexdigest()[:16]


def profile_for(scheme: str) -> TargetProfile:
    return PROFILES.get(scheme.lower(), DEFAULT_PROFILE)


def load_targets(notify: NotifyConfig) -> list[Target]:
    """Every configured target: `[notify] urls` first, then the entries of `[notify] config`, without repeats."""
    targets: dict[str, Target] = {}
    for index, url in enumerate(notify.urls):
        target = _target_from_url(url, f"notify.urls[{index}]", notify.mode)
        targets.setdefault(target.id, target)
    if notify.config is not None:
        for target in _targets_from_file(notify.config, notify.mode):
            targets.setdefault(target.id, target)
    return list(targets.values())


def register_url_secrets(url: str) -> None:
    """Register the password and token-like parts of an apprise URL so they are masked wherever they show."""
    parts = urlsplit(url)
    if parts.password:
        register_secret(parts.password)
    pieces = [parts.username or "", parts.hostname or "", *parts.path.split("/")]
    pieces += [value for _, value in parse_qsl(parts.query)]
    for piece in pieces:
        if TOKEN_LIKE_RE.match(piece):
            register_secret(piece)


def _target_from_url(url: str, key: str, default_mode: str) -> Target:
    register_url_secrets(url)
    scheme = url.partition("://")[0]
    service = apprise.Apprise.instantiate(_with_format(url, scheme))
    if service is None:
        raise TargetError(f"{key}: apprise cannot use {mask_url(url)}")
    return Target(target_id(url), mask_url(url), profile_for(scheme), default_mode, service=service)


def _targets_from_file(path: Path, default_mode: str) -> list[Target]:
    config = apprise.AppriseConfig()
    if not config.add(str(path)):
        raise TargetError(f"notify.config: apprise cannot read {path}")
    services = config.services()
    if not services:
        raise TargetError(f"notify.config: {path} names no usable notification URL")
    return [_target_from_service(service, default_mode) for service in services]


def _target_from_service(service: Any, default_mode: str) -> Target:
    url = service.url(privacy=False)
    register_url_secrets(url)
    tags = frozenset(str(tag) for tag in service.tags)
    mode = next((tag for tag in MODE_TAGS if tag in tags), default_mode)
    scheme = service.secure_protocol if getattr(service, "secure", False) else getattr(service, "protocol", None)
    scheme = scheme if isinstance(scheme, str) else url.partition("://")[0]
    return Target(target_id(url), mask_url(url), profile_for(scheme), mode, "daily" in tags, tags, service)


def _with_format(url: str, scheme: str) -> str:
    """DingTalk renders markdown only when asked (`format=markdown`); other URLs are used as written."""
    if scheme.lower() != "dingtalk" or "format=" in url:
        return url
    return f"{url}{'&' if '?' in url else '?'}format=markdown"
