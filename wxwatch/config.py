"""Typed settings: parse and validate settings.toml once, fail with one line naming the key."""

from __future__ import annotations

import dataclasses
import os
import re
import tomllib
from dataclasses import MISSING, dataclass, field, replace
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from wxwatch.cron import cron_trigger
from wxwatch.secrets import mask_url, register_secret, register_url_credentials

DEFAULT_CONFIG_NAME = "settings.toml"
SOURCE_NAME_RE = re.compile(r"^[a-z0-9_-]+$")
ENV_REF_RE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
SOURCE_KINDS = ("listing", "feed", "releases")  # releases: an issuer's results listing (HTML and PDF)
TRUST_LEVELS = ("high", "normal", "low")
NOTIFY_MODES = ("digest", "per_event")
DAILY_AT_RE = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


class ConfigError(Exception):
    """An invalid settings file; the message names the key and the problem."""


@dataclass(frozen=True)
class StorageConfig:
    path: Path
    keep_pages: str = "figures"  # which fetched pages stay stored: all | figures (articles with a figure) | none


@dataclass(frozen=True)
class ScheduleConfig:
    cron: str = "0 7 * * *"
    timezone: str = "Asia/Shanghai"
    jitter: int = 0  # seconds of random delay added to each scheduled run
    misfire_grace: int = 3600  # a run may start this many seconds late (busy lock, suspend) instead of being skipped
    stop_grace: int = 30  # on SIGTERM, seconds a running crawl may take to finish before it is stopped cleanly
    every_seconds: int = 0  # tests and development only: crawl every N seconds instead of on the cron


@dataclass(frozen=True)
class SourceConfig:
    name: str
    kind: str
    url: str
    category: str = ""
    link_selector: str | None = None
    next_selector: str | None = None
    article_url_pattern: str | None = None  # regex: only listing links matching it are followed
    exclude_url_pattern: str | None = None  # regex: listing links matching it are never followed
    max_pages: int = 1
    trust: str = "normal"
    allow_private: bool = False
    timezone: str = "Asia/Shanghai"
    enabled: bool = True
    cron: str | None = None  # the daemon's schedule for this source, instead of [schedule] cron
    issuer: bool = False  # the company's own releases: its figure for a period is official (settles conflicts)


@dataclass(frozen=True)
class CrawlerConfig:
    user_agent: str = "wxwatch/0.1 (+https://github.com/wxwatch/wxwatch)"
    autothrottle: bool = True
    download_delay: float = 1.0
    concurrent_requests_per_domain: int = 2
    download_timeout: float = 30.0
    retry_times: int = 2
    max_response_bytes: int = 10 * 1024 * 1024
    obey_robots: bool = True
    max_articles_per_source: int = 0
    parallel_sources: int = 8  # sources whose pass is open at once in the run's one crawler (bounds memory)
    workers: int = 0  # processes for article page work: 0 = one per core, 1 = in-process (no pool)


@dataclass(frozen=True)
class MetricsConfig:
    """Extraction: an optional extra catalog merged over the built-in metrics/catalog.toml."""

    catalog: Path | None = None


@dataclass(frozen=True)
class AlertsConfig:
    """Alerting rules: tolerances and source-health thresholds."""

    tolerance: float = 0.0  # optional floor: relative difference under which two figures always agree
    conflict_window_days: int = 7  # same-period reports this close in time that disagree are a conflict
    health_after_failures: int = 3  # consecutive failed runs before a source-health alert
    uncatalogued: bool = False  # also alert on figures whose measure is not in the catalog


@dataclass(frozen=True)
class NotifyConfig:
    """Where alerts go (apprise URLs and/or an apprise config file with tags) and how delivery retries."""

    urls: tuple[str, ...] = ()
    config: Path | None = None  # apprise YAML/text config; entries tagged `daily` get a daily digest
    mode: str = "digest"  # digest: one message per run and target | per_event: one message per alert
    max_attempts: int = 5  # failed sends of one alert to one target before it is marked failed
    backoff_seconds: float = 60.0  # wait after the first failure, doubled after each further one
    max_backoff_seconds: float = 6 * 3600.0
    timeout: float = 30.0  # seconds one target may take to accept a message
    daily_at: str = "08:00"  # local time at which targets tagged `daily` get their digest
    timezone: str = "Asia/Shanghai"


@dataclass(frozen=True)
class Config:
    path: Path
    storage: StorageConfig
    schedule: ScheduleConfig
    crawler: CrawlerConfig
    notify: NotifyConfig
    sources: tuple[SourceConfig, ...] = field(default_factory=tuple)
    alerts: AlertsConfig = field(default_factory=AlertsConfig)
    metrics: MetricsConfig = field(default_factory=MetricsConfig)

    def source(self, name: str) -> SourceConfig:
        for source in self.sources:
            if source.name == name:
                return source
        raise ConfigError(f"sources: no source named {name!r}")


def resolve_config_path(explicit: str | os.PathLike | None) -> Path:
    """The settings file to use: the explicit path, else ./settings.toml."""
    return Path(explicit) if explicit else Path.cwd() / DEFAULT_CONFIG_NAME


def load_config(path: str | os.PathLike, environ: dict[str, str] | None = None) -> Config:
    """Read and validate the settings file at `path`; raise ConfigError on any problem."""
    path = Path(path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: settings file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read settings file ({exc})") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc})") from None
    return parse_config(raw, path, os.environ if environ is None else environ)


def parse_config(raw: dict[str, Any], path: Path, environ: dict[str, str] | os._Environ) -> Config:
    """Build a Config from parsed TOML; relative paths resolve against the file's folder."""
    _reject_unknown(raw, {"storage", "schedule", "sources", "crawler", "notify", "alerts", "metrics"}, "")
    base = path.resolve().parent
    sources = tuple(
        _parse_source(item, f"sources[{i}]") for i, item in enumerate(_list(raw, "sources", ""))
    )
    _check_unique_names(sources)
    return Config(
        path=path.resolve(),
        storage=_parse_storage(_table(raw, "storage"), base),
        schedule=_parse_schedule(_table(raw, "schedule")),
        crawler=_parse_crawler(_table(raw, "crawler")),
        notify=_parse_notify(_table(raw, "notify"), environ, base),
        sources=sources,
        alerts=_parse_dataclass(AlertsConfig, _table(raw, "alerts"), "alerts"),
        metrics=_parse_metrics(_table(raw, "metrics"), base),
    )


KEEP_PAGES = ("all", "figures", "none")


def _parse_storage(table: dict[str, Any], base: Path) -> StorageConfig:
    _reject_unknown(table, {"path", "keep_pages"}, "storage")
    keep_pages = table.get("keep_pages", "figures")
    if keep_pages not in KEEP_PAGES:
        raise ConfigError(f"storage.keep_pages: must be one of {', '.join(KEEP_PAGES)}, not {keep_pages!r}")
    raw_path = table.get("path", "data/wxwatch.db")
    if not isinstance(raw_path, str) or not raw_path:
        raise ConfigError("storage.path: must be a non-empty string")
    db_path = Path(raw_path).expanduser()
    return StorageConfig(path=db_path if db_path.is_absolute() else base / db_path, keep_pages=keep_pages)


def _parse_crawler(table: dict[str, Any]) -> CrawlerConfig:
    crawler = _parse_dataclass(CrawlerConfig, table, "crawler")
    if crawler.parallel_sources < 1:
        raise ConfigError("crawler.parallel_sources: must be at least 1")
    return crawler


def _parse_metrics(table: dict[str, Any], base: Path) -> MetricsConfig:
    _reject_unknown(table, {"catalog"}, "metrics")
    return MetricsConfig(catalog=_existing_file(table.get("catalog"), base, "metrics.catalog", "catalog file"))


def _existing_file(raw_path: Any, base: Path, key: str, what: str) -> Path | None:
    """An optional path setting that must name an existing file (relative to the settings file)."""
    if raw_path is None:
        return None
    if not isinstance(raw_path, str) or not raw_path:
        raise ConfigError(f"{key}: must be a non-empty string")
    path = Path(raw_path).expanduser()
    path = path if path.is_absolute() else base / path
    if not path.is_file():
        raise ConfigError(f"{key}: {what} {path} not found")
    return path


def _parse_schedule(table: dict[str, Any]) -> ScheduleConfig:
    schedule = _parse_dataclass(ScheduleConfig, table, "schedule")
    _check_cron(schedule.cron, "schedule.cron")
    _check_timezone(schedule.timezone, "schedule.timezone")
    return schedule


def _parse_source(item: Any, where: str) -> SourceConfig:
    if not isinstance(item, dict):
        raise ConfigError(f"{where}: must be a table")
    source = _issuer_defaults(_parse_dataclass(SourceConfig, item, where), item)
    name = source.name
    if not SOURCE_NAME_RE.match(name):
        raise ConfigError(f"{where}.name: {name!r} must match [a-z0-9_-]+")
    if source.kind not in SOURCE_KINDS:
        raise ConfigError(f"sources.{name}.kind: {source.kind!r} is not one of {', '.join(SOURCE_KINDS)}")
    if source.trust not in TRUST_LEVELS:
        raise ConfigError(f"sources.{name}.trust: {source.trust!r} is not one of {', '.join(TRUST_LEVELS)}")
    if not re.match(r"^(https?|file)://", source.url):
        raise ConfigError(f"sources.{name}.url: {mask_url(source.url)!r} is not an http(s) or file URL")
    register_url_credentials(source.url)
    if source.max_pages < 1:
        raise ConfigError(f"sources.{name}.max_pages: must be at least 1")
    _check_timezone(source.timezone, f"sources.{name}.timezone")
    for key in ("article_url_pattern", "exclude_url_pattern"):
        _check_regex(getattr(source, key), f"{where}.{key}")
    if source.cron is not None:
        _check_cron(source.cron, f"sources.{name}.cron")
    return source


def _issuer_defaults(source: SourceConfig, item: dict) -> SourceConfig:
    """`kind = "releases"` is an issuer's listing (issuer = true unless said otherwise); an issuer's trust is high
    unless set."""
    issuer = item.get("issuer", source.kind == "releases")
    trust = item.get("trust", "high" if issuer is True else source.trust)
    return replace(source, issuer=issuer, trust=trust)


def _parse_notify(table: dict[str, Any], environ: dict[str, str] | os._Environ, base: Path) -> NotifyConfig:
    scalars = {key: value for key, value in table.items() if key not in ("urls", "config")}
    notify = _parse_dataclass(NotifyConfig, scalars, "notify")
    if notify.mode not in NOTIFY_MODES:
        raise ConfigError(f"notify.mode: {notify.mode!r} is not one of {', '.join(NOTIFY_MODES)}")
    if notify.max_attempts < 1:
        raise ConfigError("notify.max_attempts: must be at least 1")
    if notify.timeout <= 0:
        raise ConfigError("notify.timeout: must be more than 0 seconds")
    if not DAILY_AT_RE.match(notify.daily_at):
        raise ConfigError(f"notify.daily_at: {notify.daily_at!r} is not a time like 08:00")
    _check_timezone(notify.timezone, "notify.timezone")
    return replace(
        notify, urls=_parse_notify_urls(table.get("urls", []), environ), config=_parse_notify_file(table, base)
    )


def _parse_notify_urls(urls: Any, environ: dict[str, str] | os._Environ) -> tuple[str, ...]:
    """The apprise URLs with ${VAR} expanded; every expanded value is registered as a secret to mask."""
    if not isinstance(urls, list) or not all(isinstance(u, str) for u in urls):
        raise ConfigError("notify.urls: must be a list of strings")
    for url in urls:
        for name in ENV_REF_RE.findall(url):
            if name in environ:
                register_secret(environ[name])
    return tuple(expand_env(u, environ, "notify.urls") for u in urls)


def _parse_notify_file(table: dict[str, Any], base: Path) -> Path | None:
    return _existing_file(table.get("config"), base, "notify.config", "apprise config file")


def expand_env(value: str, environ: dict[str, str] | os._Environ, key: str) -> str:
    """Replace ${VAR} references from the environment; a missing variable is an error."""

    def substitute(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in environ:
            raise ConfigError(f"{key}: environment variable {name} is not set")
        return environ[name]

    return ENV_REF_RE.sub(substitute, value)


def _parse_dataclass(cls: type, table: dict[str, Any], where: str) -> Any:
    fields = {f.name: f for f in dataclasses.fields(cls)}
    _reject_unknown(table, set(fields), where)
    values = {}
    for key, value in table.items():
        values[key] = _coerce(value, fields[key], f"{where}.{key}")
    try:
        return cls(**values)
    except TypeError:
        missing = [n for n, f in fields.items() if n not in values and _is_required(f)]
        raise ConfigError(f"{where}.{missing[0]}: required key is missing") from None


def _is_required(f: Any) -> bool:
    return f.default is MISSING and f.default_factory is MISSING


def _coerce(value: Any, f: Any, key: str) -> Any:
    expected = f.type if isinstance(f.type, str) else getattr(f.type, "__name__", str(f.type))
    checks = {
        "str": lambda v: isinstance(v, str),
        "bool": lambda v: isinstance(v, bool),
        "int": lambda v: isinstance(v, int) and not isinstance(v, bool),
        "float": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
        "str | None": lambda v: isinstance(v, str),
    }
    check = checks.get(expected)
    if check is not None and not check(value):
        raise ConfigError(f"{key}: expected {expected.replace(' | None', '')}, got {value!r}")
    if expected == "float":
        value = float(value)
        if value < 0:
            raise ConfigError(f"{key}: must not be negative")
    if expected == "int" and value < 0:
        raise ConfigError(f"{key}: must not be negative")
    return value


def _check_cron(expression: str, key: str) -> None:
    if len(expression.split()) != 5:
        raise ConfigError(f"{key}: {expression!r} is not a 5-field cron expression")
    try:
        cron_trigger(expression, "UTC")
    except ValueError as exc:
        raise ConfigError(f"{key}: {expression!r} is not a valid cron expression ({exc})") from None


def _check_regex(pattern: str | None, key: str) -> None:
    if pattern is None:
        return
    try:
        re.compile(pattern)
    except re.error as exc:
        raise ConfigError(f"{key}: not a valid regular expression ({exc})") from None


def _check_timezone(name: str, key: str) -> None:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"{key}: unknown time zone {name!r}") from None


def _check_unique_names(sources: tuple[SourceConfig, ...]) -> None:
    seen: set[str] = set()
    for source in sources:
        if source.name in seen:
            raise ConfigError(f"sources.{source.name}.name: duplicate source name")
        seen.add(source.name)


def _table(raw: dict[str, Any], key: str) -> dict[str, Any]:
    value = raw.get(key, {})
    if not isinstance(value, dict):
        raise ConfigError(f"{key}: must be a table")
    return value


def _list(raw: dict[str, Any], key: str, where: str) -> list[Any]:
    value = raw.get(key, [])
    if not isinstance(value, list):
        raise ConfigError(f"{where or ''}{key}: must be an array of tables ([[{key}]])")
    return value


def _reject_unknown(table: dict[str, Any], allowed: set[str], where: str) -> None:
    for key in table:
        if key not in allowed:
            prefix = f"{where}." if where else ""
            raise ConfigError(f"{prefix}{key}: unknown key")
