"""The metric catalog: subjects, measures and metric IDs loaded from TOML data (extensible without code)."""

from __future__ import annotations

import functools
import logging
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from wxwatch.metrics.catalogcheck import CatalogError, check_catalog_data

__all__ = ["Catalog", "CatalogError", "Measure", "Metric", "load_catalog", "read_catalog_data"]

logger = logging.getLogger(__name__)

DEFAULT_PATH = Path(__file__).with_name("catalog.toml")
FAMILY_OF_KIND = {"count": "level", "money": "level", "ratio": "ratio", "growth": "growth"}


@dataclass(frozen=True)
class Measure:
    """What is measured, with the regexes that state it before or after a number."""

    key: str
    label: str
    before: tuple[str, ...] = ()
    after: tuple[re.Pattern[str], ...] = ()
    rate: str | None = None
    subject: str | None = None


@dataclass(frozen=True)
class Metric:
    """A tracked metric ID and how it is stated."""

    id: str
    subject: str
    measure: str
    kind: str
    rate: str | None = None
    match: tuple[str, ...] = ()
    examples: tuple[str, ...] = ()
    plausible: tuple[float, float] | None = None  # values outside cannot be this metric (a misbinding)

    @property
    def family(self) -> str:
        return FAMILY_OF_KIND[self.kind]

    def allows(self, value: float) -> bool:
        """Whether `value` is a plausible value of this metric."""
        return self.plausible is None or self.plausible[0] <= value <= self.plausible[1]


@dataclass
class Catalog:
    """Subjects, measures and metrics with the compiled lookups the extractor needs."""

    subjects: dict[str, str]  # spelling -> subject key
    labels: dict[str, str]  # subject key -> label
    others: frozenset[str]
    not_subjects: frozenset[str]
    owners: frozenset[str]
    latin_ok: frozenset[str]
    measures: dict[str, Measure]
    metrics: dict[str, Metric]
    names_pattern: re.Pattern[str] = field(init=False)
    before_pattern: re.Pattern[str] = field(init=False)
    after_patterns: list[tuple[Measure, re.Pattern[str]]] = field(init=False)
    index: dict[tuple[str, str, str], Metric] = field(init=False)

    def __post_init__(self) -> None:
        names = set(self.subjects) | self.others | self.not_subjects
        self.names_pattern = re.compile("|".join(map(re.escape, sorted(names, key=len, reverse=True))))
        self.before_pattern = _compile_before(self.measures)
        self.after_patterns = [(m, pattern) for m in self.measures.values() for pattern in m.after]
        self.index = {}
        for metric in self.metrics.values():
            for measure in metric.match:
                self.index.setdefault((metric.subject, measure, metric.family), metric)

    def lookup(self, subject: str, measure: str, family: str) -> Metric | None:
        """The metric stated by (subject, measure key, family), if catalogued."""
        return self.index.get((subject, measure, family))

    def value_kind(self, metric_id: str | None, unit: str, measure: str) -> str:
        """count | money | ratio | growth: the metric's kind, else inferred from the unit as written."""
        metric = self.metrics.get(metric_id or "")
        if metric is not None:
            return metric.kind
        if "%" in unit:
            return "growth" if "增" in measure or "长" in measure else "ratio"
        return "money" if "元" in unit else "count"

    def metric_rate(self, metric_id: str | None, stated_rate: str | None) -> str | None:
        """The metric's rate (what the ID means), else the rate the sentence stated."""
        metric = self.metrics.get(metric_id or "")
        return metric.rate if metric is not None else stated_rate

    def name_kind(self, name: str) -> str | None:
        """'other', 'none' (not a subject) or the subject key of a matched spelling."""
        if name in self.others:
            return "other"
        if name in self.not_subjects:
            return "none"
        return self.subjects.get(name)


def _compile_before(measures: dict[str, Measure]) -> re.Pattern[str]:
    """One alternation of every `before` regex, longest first, each alternative tagged by measure."""
    alternatives = []
    for measure in measures.values():
        for number, pattern in enumerate(measure.before):
            alternatives.append((len(pattern), f"(?P<{measure.key}__{number}>{pattern})"))
    alternatives.sort(key=lambda item: item[0], reverse=True)
    return re.compile("|".join(alt for _, alt in alternatives))


def _merge(base: dict, extra: dict) -> dict:
    """Merge TOML tables key by key (extra wins); lists of names are concatenated."""
    merged = dict(base)
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        elif isinstance(value, list) and isinstance(merged.get(key), list) and key == "names":
            merged[key] = merged[key] + [v for v in value if v not in merged[key]]
        else:
            merged[key] = value
    return merged


def _build(data: dict) -> Catalog:
    subjects = {name: key for key, table in data.get("subjects", {}).items() for name in table["names"]}
    labels = {key: table.get("label", key) for key, table in data.get("subjects", {}).items()}
    measures = {
        key: Measure(key, table.get("label", key), tuple(table.get("before", ())),
                     tuple(re.compile(p) for p in table.get("after", ())), table.get("rate"), table.get("subject"))
        for key, table in data.get("measures", {}).items()
    }
    metrics = {
        metric_id: Metric(metric_id, table["subject"], table.get("measure", metric_id), table["kind"],
                          table.get("rate"), tuple(table.get("match", ())), tuple(table.get("examples", ())),
                          tuple(table["plausible"]) if "plausible" in table else None)
        for metric_id, table in data.get("metrics", {}).items()
    }
    others = data.get("others", {})
    return Catalog(subjects, labels, frozenset(others.get("names", ())),
                   frozenset(data.get("not_subjects", {}).get("names", ())), frozenset(others.get("owners", ())),
                   frozenset(others.get("latin_ok", ())), measures, metrics)


def read_catalog_data(extra_path: str | Path | None = None) -> dict:
    """The raw catalog tables: the packaged file merged with an optional user file, checked entry by entry.

    Raises CatalogError naming the file and the entry (the user's file when one is merged)."""
    data = _read_toml(DEFAULT_PATH)
    if extra_path is not None:
        data = _merge(data, _read_toml(Path(extra_path)))
    try:
        check_catalog_data(data)
    except CatalogError as exc:
        raise CatalogError(f"{extra_path or DEFAULT_PATH}: {exc}") from None
    return data


def _read_toml(path: Path) -> dict:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise CatalogError(f"{path}: cannot read catalog file ({exc})") from None
    except tomllib.TOMLDecodeError as exc:
        raise CatalogError(f"{path}: not valid TOML ({exc})") from None


@functools.lru_cache(maxsize=8)
def _cached(extra_path: str | None) -> Catalog:
    return _build(read_catalog_data(extra_path))


def load_catalog(extra_path: str | Path | None = None) -> Catalog:
    """Load the packaged catalog, merged with an optional extra TOML file of the same layout."""
    catalog = _cached(str(extra_path) if extra_path is not None else None)
    logger.debug("catalog: %d metrics, %d measures", len(catalog.metrics), len(catalog.measures))
    return catalog
