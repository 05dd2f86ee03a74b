"""The static report: current values, a timeline chart per metric and the newest alerts, in one offline HTML file."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import jinja2
from sqlite_utils import Database

from wxwatch.atomfeed import write_alerts_feed
from wxwatch.canned import open_read_only, run_canned
from wxwatch.charts import ChartPoint, timeline_svg
from wxwatch.metrics.display import format_value, shown_value
from wxwatch.notify.render import KIND_LABELS, OFFICIAL_MARK, describe
from wxwatch.storage.outbox import Alert, Outbox

logger = logging.getLogger(__name__)

TEMPLATES = Path(__file__).parent / "templates"
NEWEST_ALERTS = 50


class UnknownMetric(Exception):
    """A metric asked for with --metric has no recorded value."""


@dataclass
class MetricSection:
    """One metric in the report: its current value, its reports (the chart's points) and the chart."""

    metric: str
    name: str
    current: str
    period: str
    points: list[ChartPoint]
    svg: str


@dataclass
class ReportFiles:
    html: Path
    feed: Path
    metrics: int
    alerts: int


def build_report(db_path: Path, out_dir: Path, metrics: Sequence[str] = (),
                 now: datetime | None = None) -> ReportFiles:
    """Write `index.html` and `alerts.atom` into `out_dir` from the database (opened read-only)."""
    now = now or datetime.now(UTC)
    connection = open_read_only(db_path)
    try:
        current = _selected(run_canned(connection, "current_values"), metrics)
        sections = [metric_section(row, run_canned(connection, "metric_history", metric=row["metric"]))
                    for row in current]
        alerts = Outbox(Database(connection)).alerts()
        delivery = {row["id"]: row["deliveries"] for row in run_canned(connection, "alerts_delivery")}
    finally:
        connection.close()
    out_dir.mkdir(parents=True, exist_ok=True)
    html_path, feed_path = out_dir / "index.html", out_dir / "alerts.atom"
    html_path.write_text(render_html(db_path, sections, alerts, delivery, now), encoding="utf-8")
    write_alerts_feed(alerts, describe, db_path, feed_path, now)
    logger.info("report of %d metrics and %d alerts written to %s", len(sections), len(alerts), out_dir)
    return ReportFiles(html_path, feed_path, len(sections), len(alerts))


def _selected(current: list[dict], metrics: Sequence[str]) -> list[dict]:
    if not metrics:
        return current
    known = {row["metric"]: row for row in current}
    missing = [metric for metric in metrics if metric not in known]
    if missing:
        raise UnknownMetric(f"no value recorded for metric {missing[0]!r}")
    return [known[metric] for metric in dict.fromkeys(metrics)]


def metric_section(current: dict, history: list[dict]) -> MetricSection:
    """The chart of one metric from its `metric_history` rows (one point per report)."""
    unit, measure, rate = current["unit"] or "", current["measure"] or "", current["rate"]
    points = [ChartPoint(x=row["x"], value=row["value"], label=_official(shown_value(row), row), outlet=row["outlet"],
                         published=row["published"] or "", title=row["title"] or "", url=row["url"] or "",
                         mark=_first_mark(row["mark"]))
              for row in history]
    svg = timeline_svg(points, lambda value: format_value(value, unit, measure, rate),
                       caption=f"{current['metric']}: {len(points)} reports")
    return MetricSection(metric=current["metric"], name=f"{current['subject']} {measure}".strip(),
                         current=_official(shown_value(current), current),
                         period=current["period"] or "", points=points, svg=svg)


def _official(shown: str, row: dict) -> str:
    """A value the issuer reported is marked as official."""
    return shown + (OFFICIAL_MARK if row.get("official") else "")


def _first_mark(marks: str | None) -> str | None:
    """`conflict,correction` -> the one drawn: a conflict outweighs a correction."""
    found = set((marks or "").split(","))
    return next((mark for mark in ("conflict", "correction") if mark in found), None)


def render_html(db_path: Path, sections: list[MetricSection], alerts: list[Alert], delivery: dict[int, str],
                now: datetime) -> str:
    environment = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True)
    newest = [{"alert": alert, "label": KIND_LABELS.get(alert.kind, alert.kind), "text": describe(alert),
               "deliveries": delivery.get(alert.id) or ""} for alert in reversed(alerts[-NEWEST_ALERTS:])]
    return environment.get_template("report.html").render(
        database=db_path.name, generated=now.isoformat(timespec="seconds"), sections=sections, alerts=newest,
        alert_count=len(alerts))
