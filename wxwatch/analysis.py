"""After a crawl: extract metrics from new and updated articles, fold them into history, queue the alerts."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime

from sqlite_utils import Database

from wxwatch.config import Config
from wxwatch.events.health import SourceRun, next_health
from wxwatch.events.model import EventSource, MetricEvent
from wxwatch.events.rules import Reading, RuleSettings, apply_reading
from wxwatch.metrics.catalog import Catalog, load_catalog
from wxwatch.metrics.extract import Observation, extract_metrics
from wxwatch.metrics.periods import published_date
from wxwatch.storage.history import MetricHistory
from wxwatch.storage.outbox import Outbox
from wxwatch.storage.runs import RunLog

logger = logging.getLogger(__name__)


@dataclass
class AnalysisReport:
    articles: int = 0
    observations: int = 0
    baseline: bool = False
    events: list[MetricEvent] = field(default_factory=list)


def metric_key(observation: Observation) -> str:
    """A metric's identity in history: its catalog ID, else subject|measure."""
    return observation.metric or f"{observation.subject}|{observation.measure}"


def analyse_new_articles(db: Database, config: Config, run_id: int | None, *, alert_baseline: bool = False
                         ) -> AnalysisReport:
    """Process every article whose text has not been through extraction yet, one transaction each."""
    history = MetricHistory(db)
    report = AnalysisReport(baseline=history.in_baseline() and not alert_baseline)
    outbox = Outbox(db)
    catalog = load_catalog(config.metrics.catalog)
    for queued in sorted(history.articles_to_extract(), key=_publication_order):
        article = history.article_for_extraction(queued["id"])
        trust = _trust(config, article["source"])
        observations = extract_metrics(f"{article['title'] or ''}\n{article['text'] or ''}", catalog,
                                       title=article["title"], published=published_date(article["published"]))
        readings = [_reading(article, o, trust, catalog) for o in observations]
        with db.atomic():
            events = _fold_article(history, config, article, readings, trust, run_id)
            if events and not report.baseline:
                outbox.add_events(events, run_id)
            history.mark_extracted(article["id"], article["content_hash"])
        report.articles += 1
        report.observations += len(observations)
        report.events.extend(events)
    history.finish_pass()
    if report.baseline and report.events:
        logger.info("baseline: %d metric events recorded without alerting", len(report.events))
    return report


def _fold_article(history: MetricHistory, config: Config, article: dict, readings: list[tuple[Reading, dict]],
                  trust: str, run_id: int | None) -> list[MetricEvent]:
    """Store the article's observations and fold each reading into its metric's history."""
    history.replace_observations(article, [row for _, row in readings], trust, run_id)
    events = []
    rules = RuleSettings(config.alerts.tolerance, config.alerts.conflict_window_days)
    for reading, _ in sorted(readings, key=lambda pair: pair[0].period or ""):
        known = history.known_values(reading.metric_key, reading.value, reading.period, reading.source.published,
                                     config.alerts.tolerance, config.alerts.conflict_window_days)
        outcome = apply_reading(known, reading, rules)
        history.save_known(outcome.touched, _descriptive_fields(reading))
        if outcome.event and (reading.metric or config.alerts.uncatalogued):
            events.append(outcome.event)
    return events


def _reading(article: dict, observation: Observation, trust: str, catalog: Catalog) -> tuple[Reading, dict]:
    """The observation as a Reading for the rules, and as an observations row."""
    source = EventSource(
        source=article["source"], category=article["category"] or "", url=article["url"],
        title=article["title"] or "", published=article["published"], text=observation.text,
        article_id=article["id"],
    )
    reading = Reading(
        metric_key=metric_key(observation), value=observation.value, source=source, trust=trust,
        metric=observation.metric, subject=observation.subject, measure=observation.measure,
        unit=catalog.value_kind(observation.metric, observation.unit, observation.measure),
        qualifier=observation.qualifier, rate=catalog.metric_rate(observation.metric, observation.rate),
        period=observation.period,
    )
    return reading, observation.to_dict() | {"metric_key": reading.metric_key}


def _descriptive_fields(reading: Reading) -> dict:
    return {"metric": reading.metric, "subject": reading.subject, "measure": reading.measure,
            "unit": reading.unit, "qualifier": reading.qualifier, "rate": reading.rate}


def _trust(config: Config, source_name: str) -> str:
    return next((s.trust for s in config.sources if s.name == source_name), "normal")


def _publication_order(article: dict) -> tuple:
    try:
        published = datetime.fromisoformat(article["published"]).timestamp() if article["published"] else None
    except ValueError:
        published = None
    return (published is None, published or 0.0, article["id"])


def check_source_health(db: Database, config: Config, run_id: int) -> list[MetricEvent]:
    """Update each crawled source's health state; queue and return the health events."""
    runs = RunLog(db)
    events = []
    with db.atomic():
        for result in runs.results(run_id):
            source = next((s for s in config.sources if s.name == result.source), None)
            if source is None:
                continue
            state = runs.health_state(result.source)
            health, event = next_health(_source_run(runs, run_id, result, source.kind, state),
                                        state.get("health"), config.alerts.health_after_failures)
            runs.set_health(result.source, health)
            if event:
                events.append(event)
        if events:
            Outbox(db).add_events(events, run_id)
    return events


def _source_run(runs: RunLog, run_id: int, result, kind: str, state: dict) -> SourceRun:
    return SourceRun(
        source=result.source, kind=kind, ok=result.status == "ok", error=result.error,
        consecutive_failures=state.get("consecutive_failures") or 0, links_found=result.links_found,
        not_modified=bool(result.not_modified), previous_links_found=runs.previous_links_found(result.source, run_id),
    )
