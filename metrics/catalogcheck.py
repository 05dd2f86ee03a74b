"""Validation of catalog data before it is built: one message naming the entry (and its own regex) per problem.

A user's extra catalog is merged over the packaged one; a typo there must stop every command at start with
`Error: <file>: <entry>: <problem>` instead of a KeyError after a crawl or an `re.error` at a position of an
internal combined pattern.
"""

from __future__ import annotations

import re
from typing import Any

KINDS = ("count", "money", "ratio", "growth")
TABLE_KEYS: dict[str, dict[str, type | tuple[type, ...]]] = {
    "subjects": {"label": str, "names": list},
    "measures": {"label": str, "before": list, "after": list, "rate": str, "subject": str},
    "metrics": {"subject": str, "measure": str, "kind": str, "rate": str, "match": list, "examples": list,
                "plausible": list},
}
NUMBER_LIST_KEYS = ("plausible",)
NAME_LIST_KEYS = {"others": ("names", "owners", "latin_ok"), "not_subjects": ("names",)}
REGEX_KEYS = ("before", "after")


class CatalogError(ValueError):
    """Catalog data that cannot be used; the message names the entry and the problem."""


def check_catalog_data(data: dict[str, Any]) -> None:
    """Raise CatalogError for the first unusable entry of merged catalog data."""
    _reject_unknown(data, set(TABLE_KEYS) | set(NAME_LIST_KEYS), "")
    for section, keys in NAME_LIST_KEYS.items():
        table = _table(data, section, section)
        _reject_unknown(table, set(keys), section)
        for key in keys:
            _strings(table.get(key, []), f"{section}.{key}")
    for section, types in TABLE_KEYS.items():
        for name, entry in _table(data, section, section).items():
            _check_entry(entry, types, f"{section}.{name}")
    _check_references(data)


def _check_entry(entry: Any, types: dict[str, type | tuple[type, ...]], where: str) -> None:
    if not isinstance(entry, dict):
        raise CatalogError(f"{where}: must be a table")
    _reject_unknown(entry, set(types), where)
    for key, expected in types.items():
        if key in entry and not isinstance(entry[key], expected):
            raise CatalogError(f"{where}.{key}: expected {getattr(expected, '__name__', expected)}")
        if key in entry and expected is list and key in NUMBER_LIST_KEYS:
            _low_high(entry[key], f"{where}.{key}")
        elif key in entry and expected is list:
            _strings(entry[key], f"{where}.{key}")
    for key in REGEX_KEYS:
        for index, pattern in enumerate(entry.get(key, [])):
            _check_regex(pattern, f"{where}.{key}[{index}]")


def _check_regex(pattern: str, where: str) -> None:
    try:
        compiled = re.compile(pattern)
    except re.error as exc:
        raise CatalogError(f"{where}: invalid regex {pattern!r} ({exc})") from None
    if compiled.groupindex:
        raise CatalogError(f"{where}: regex {pattern!r} has a named group; use (?:...) instead")


def _check_references(data: dict[str, Any]) -> None:
    subjects, measures = data.get("subjects", {}), data.get("measures", {})
    for name, measure in measures.items():
        if "subject" in measure and measure["subject"] not in subjects:
            raise CatalogError(f"measures.{name}.subject: unknown subject {measure['subject']!r}")
    for name, metric in data.get("metrics", {}).items():
        where = f"metrics.{name}"
        for key in ("subject", "kind"):
            if key not in metric:
                raise CatalogError(f"{where}.{key}: required key is missing")
        if metric["subject"] not in subjects:
            raise CatalogError(f"{where}.subject: unknown subject {metric['subject']!r}")
        if metric["kind"] not in KINDS:
            raise CatalogError(f"{where}.kind: {metric['kind']!r} is not one of {', '.join(KINDS)}")
        for measure in metric.get("match", []):
            if measure not in measures:
                raise CatalogError(f"{where}.match: unknown measure {measure!r}")
    for name, subject in subjects.items():
        if "names" not in subject:
            raise CatalogError(f"subjects.{name}.names: required key is missing")


def _table(data: dict[str, Any], key: str, where: str) -> dict[str, Any]:
    value = data.get(key, {})
    if not isinstance(value, dict):
        raise CatalogError(f"{where}: must be a table")
    return value


def _strings(value: Any, where: str) -> None:
    if not isinstance(value, list) or not all(isinstance(item, str) and item for item in value):
        raise CatalogError(f"{where}: must be a list of non-empty strings")


def _low_high(value: Any, where: str) -> None:
    numbers = isinstance(value, list) and len(value) == 2 and all(isinstance(v, int | float) for v in value)
    if not numbers or value[0] > value[1]:
        raise CatalogError(f"{where}: must be [low, high], two numbers with low <= high")


def _reject_unknown(table: dict[str, Any], allowed: set[str], where: str) -> None:
    for key in table:
        if key not in allowed:
            raise CatalogError(f"{where + '.' if where else ''}{key}: unknown key")
