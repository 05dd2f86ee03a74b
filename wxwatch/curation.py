"""The analyst's hand: dismiss a wrong observation, add a figure by hand; the metric's history is rebuilt."""

from __future__ import annotations

import getpass
import logging
from dataclasses import dataclass
from datetime import datetime

from sqlite_utils import Database

from wxwatch.analysis import fold_reading, is_issuer, reading_from_row
from wxwatch.config import Config
from wxwatch.events.model import MetricEvent
from wxwatch.metrics.catalog import Catalog, load_catalog
from wxwatch.metrics.normalize import normalize_text
from wxwatch.metrics.periods import period_bounds, period_order
from wxwatch.metrics.precision import written_precision
from wxwatch.metrics.quantity import parse_quantity
from wxwatch.storage.analyst import AnalystLog
from wxwatch.storage.db import utc_now
from wxwatch.storage.history import MetricHistory
from wxwatch.storage.outbox import Outbox

logger = logging.getLogger(__name__)

MANUAL_SOURCE = "manual"


class CurationError(Exception):
    """An analyst's request that cannot be carried out (unknown observation or metric, unreadable value)."""


@dataclass(frozen=True)
class ManualFigure:
    """A figure an analyst enters by hand, with its provenance."""

    metric: str
    value_text: str
    period: str
    source_url: str
    note: str | None = None


def current_user() -> str:
    """The OS user who acts (recorded in the audit table)."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def dismiss_observation(db: Database, config: Config, observation_id: int, reason: str | None) -> dict:
    """Remove a wrong observation from history (audited; never read from its article again), silently."""
    log = AnalystLog(db)
    observation = log.observation(observation_id)
    if observation is None:
        raise CurationError(f"no observation {observation_id} (see `wxwatch metrics history METRIC --json`)")
    if observation["dismissed"]:
        raise CurationError(f"observation {observation_id} was already dismissed")
    with db.atomic():
        log.dismiss(observation, reason=reason, user=current_user())
        replay_metric(db, config, observation["metric_key"])
    return observation


def replay_metric(db: Database, config: Config, metric_key: str) -> None:
    """Rebuild a metric's known values from its observations, in the order they were read; no alert."""
    history = MetricHistory(db)
    catalog = load_catalog(config.metrics.catalog)
    history.forget_values(metric_key)
    for row in sorted(history.observations_to_replay(metric_key), key=_read_order):
        fold_reading(history, config, reading_from_row(row, catalog, is_issuer(config, row["source"])), row["id"])


def _read_order(row: dict) -> tuple:
    try:
        published = datetime.fromisoformat(row["published"]).timestamp() if row["published"] else 0.0
    except ValueError:
        published = 0.0
    return (published, row["article_id"] or 0, period_order(row["period"]), row["id"])


def add_manual_figure(db: Database, config: Config, figure: ManualFigure, *, silent: bool
                      ) -> tuple[int, MetricEvent | None]:
    """Enter a figure by hand as a manual observation; its event is queued unless `silent`."""
    catalog = load_catalog(config.metrics.catalog)
    row = _manual_row(catalog, figure)
    log, history = AnalystLog(db), MetricHistory(db)
    with db.atomic():
        observation_id = log.add_manual(row)
        stored = next(r for r in history.observations_to_replay(row["metric_key"]) if r["id"] == observation_id)
        event = fold_reading(history, config, reading_from_row(stored, catalog), observation_id)
        log.record("add", stored | {"observation_id": observation_id}, reason=figure.note, user=current_user())
        if event is not None and not silent:
            Outbox(db).add_events([event], None)
    return observation_id, event


def _manual_row(catalog: Catalog, figure: ManualFigure) -> dict:
    metric = catalog.metrics.get(figure.metric)
    if metric is None:
        raise CurationError(f"unknown metric {figure.metric!r} (the IDs are in the catalog)")
    try:
        period_bounds(figure.period)
    except ValueError:
        raise CurationError(f"--period {figure.period!r} is not a period"
                            " (2024Q3, 2024H1, 2024, 2024-11, 2024-02-09)") from None
    written = normalize_text(figure.value_text)
    quantity = parse_quantity(written)
    if quantity is None:
        raise CurationError(f"cannot read {figure.value_text!r} as a number (e.g. 14.02亿, 1402000000, 超过5亿)")
    user = current_user()
    return {
        "metric": metric.id, "metric_key": metric.id, "subject": metric.subject, "measure": metric.measure,
        "unit": quantity.unit, "value": quantity.value, "qualifier": quantity.qualifier, "rate": metric.rate,
        "period": figure.period, "precision": written_precision(written, quantity.value), "source": MANUAL_SOURCE,
        "trust": "high", "published": utc_now(), "url": figure.source_url, "note": figure.note,
        "text": f"{figure.value_text} (entered by {user})",
    }
