"""After a crawl: extract metrics from new and updated articles, fold them into history, queue the alerts."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace
from datetime import datetime

from sqlite_utils import Database

from wxwatch.config import Config
from wxwatch.events.health import SourceRun, next_health
from wxwatch.events.model import EventSource, KnownValue, MetricEvent
from wxwatch.events.rules import Reading, RuleSettings, apply_reading, event_for
from wxwatch.metrics.article import ArticleFigures, article_figures, figures_key
from wxwatch.metrics.catalog import Catalog, load_catalog
from wxwatch.metrics.extract import Observation
from wxwatch.metrics.pagecite import cite_pages
from wxwatch.metrics.periods import period_order
from wxwatch.metrics.precision import written_precision
from wxwatch.storage.analyst import AnalystLog
from wxwatch.storage.history import MetricHistory
from wxwatch.storage.outbox import Outbox
from wxwatch.storage.runs import RunLog

logger = logging.getLogger(__name__)

FiguresMemo = dict[str, ArticleFigures]  # figures_key -> figures a page worker extracted during the crawl
FOLD_BATCH = 50  # articles folded per transaction (extracted before it opens: the write lock is held briefly)


@dataclass
class AnalysisReport:
    articles: int = 0
    observations: int = 0
    baseline: bool = False
    events: list[MetricEvent] = field(default_factory=list)


def metric_key(observation: Observation) -> str:
    """A metric's identity in history: its catalog ID, else subject|measure."""
    return observation.metric or f"{observation.subject}|{observation.measure}"


def analyse_new_articles(db: Database, config: Config, run_id: int | None, *, alert_baseline: bool = False,
                         precomputed: FiguresMemo | None = None) -> AnalysisReport:
    """Process every article whose text has not been through extraction yet, one transaction each.

    `precomputed`: figures the crawl's page workers extracted (used once, for an identical title/text/date)."""
    history = MetricHistory(db)
    report = AnalysisReport(baseline=history.in_baseline() and not alert_baseline)
    _analyse(db, config, history.articles_to_extract(), run_id, report, precomputed or {})
    history.finish_pass()
    if report.baseline and report.events:
        logger.info("baseline: %d metric events recorded without alerting", len(report.events))
    return report


def analyse_silently(db: Database, config: Config, article_ids: list[int]) -> AnalysisReport:
    """Fold the figures of the given articles into history without queueing any alert (`wxwatch backfill`)."""
    history = MetricHistory(db)
    queued = [row for row in history.articles_to_extract() if row["id"] in set(article_ids)]
    report = AnalysisReport(baseline=True)
    _analyse(db, config, queued, None, report, {})
    return report


def _analyse(db: Database, config: Config, queued_articles: list[dict], run_id: int | None,
             report: AnalysisReport, precomputed: FiguresMemo) -> None:
    """Extract and fold each queued article in publication order; alerts go to the outbox unless baseline.

    Articles are extracted outside the write lock, then folded FOLD_BATCH at a time in one transaction: each
    article's observations, history and alerts are committed together with its `extracted_hash`, so a killed
    pass redoes exactly the articles whose transaction did not commit (no alert lost or doubled)."""
    history = MetricHistory(db)
    outbox = Outbox(db)
    catalog = load_catalog(config.metrics.catalog)
    ordered = sorted(queued_articles, key=_publication_order)
    for start in range(0, len(ordered), FOLD_BATCH):
        extracted = [_extract(history, config, catalog, queued["id"], precomputed)
                     for queued in ordered[start : start + FOLD_BATCH]]
        with db.atomic():
            for article, readings in extracted:
                events = _fold_article(history, config, article, readings, run_id)
                if events and not report.baseline:
                    outbox.add_events(events, run_id)
                history.mark_extracted(article["id"], article["content_hash"], keeps_page(config, readings))
                report.articles += 1
                report.observations += len(readings)
                report.events.extend(events)


def keeps_page(config: Config, readings: list) -> bool:
    """Whether the article's fetched page stays stored: `[storage] keep_pages` all, figures (the page behind a
    figure, for an analyst to check) or none. The text is always kept."""
    return config.storage.keep_pages == "all" or (config.storage.keep_pages == "figures" and bool(readings))


def _extract(history: MetricHistory, config: Config, catalog: Catalog, article_id: int,
             precomputed: FiguresMemo) -> tuple[dict, list[tuple[Reading, dict]]]:
    """An article and its readings (with their observation rows): a page worker's figures for exactly this
    title, text and published time, else extracted here (title and text normalised once)."""
    article = history.article_for_extraction(article_id)
    trust = _trust(config, article["source"])
    figures = precomputed.pop(figures_key(article["title"], article["text"], article["published"]), None)
    if figures is None:
        figures = article_figures(article["title"], article["text"], article["published"], catalog)
    pages = cite_pages([o.text for o in figures.observations], article["text"] or "")
    official = is_issuer(config, article["source"])
    readings = [_reading(article, o, trust, catalog, span, official)
                for o, span in zip(figures.observations, figures.spans, strict=True)]
    return article | {"trust": trust}, [(reading, row | {"page": page})
                                        for (reading, row), page in zip(readings, pages, strict=True)]


def _fold_article(history: MetricHistory, config: Config, article: dict, readings: list[tuple[Reading, dict]],
                  run_id: int | None) -> list[MetricEvent]:
    """Store the article's observations and fold each reading into its metric's history.

    An article read before (an outlet's edit: same URL, new text) first takes its earlier reports back, so
    the outlet never conflicts with itself; a metric whose current value the edit changed gets one
    `correction` event instead of the rules' events. An article never extracted has nothing to take back."""
    before: dict[str, KnownValue | None] = {}
    if article["extracted_hash"] is not None:
        before = {key: history.current_value(key) for key in history.observed_keys(article["id"])}
        history.retract_article(article["id"])
        dismissed = AnalystLog(history.db).dismissed_in(article["id"])
        readings = [pair for pair in readings if (pair[0].metric_key, pair[0].value, pair[0].period) not in dismissed]
        history.drop_observations(article["id"])
    events: list[MetricEvent] = []
    value_ids: list[int | None] = [None] * len(readings)
    for index in sorted(range(len(readings)), key=lambda i: period_order(readings[i][0].period)):
        reading = readings[index][0]
        event, value_ids[index] = fold_value(history, config, reading)
        if event and (reading.metric or config.alerts.uncatalogued):
            events.append(event)
    history.add_observations(article, [row | {"value_id": value_id} for (_, row), value_id
                                       in zip(readings, value_ids, strict=True)], article["trust"], run_id)
    corrections = _corrections(history, before, [reading for reading, _ in readings])
    corrected = {event.metric_key for event in corrections}
    return [event for event in events if event.metric_key not in corrected] + corrections


def fold_reading(history: MetricHistory, config: Config, reading: Reading, observation_id: int
                 ) -> MetricEvent | None:
    """Fold one reading into its metric's known values, link its observation to the value; the event if any."""
    event, value_id = fold_value(history, config, reading)
    history.link_observation(observation_id, value_id)
    return event


def fold_value(history: MetricHistory, config: Config, reading: Reading) -> tuple[MetricEvent | None, int | None]:
    """Fold one reading into its metric's known values; the event if any and the id of the value it stands behind."""
    rules = RuleSettings(config.alerts.tolerance, config.alerts.conflict_window_days)
    outcome = apply_reading(history.known_values(reading.metric_key, reading.period), reading, rules)
    saved = history.save_known(outcome.touched, _descriptive_fields(reading))
    return outcome.event, saved.id


def reading_from_row(row: dict, catalog: Catalog, official: bool = False) -> Reading:
    """A stored observation (with its article's URL, category and title) as a Reading for the rules."""
    source = EventSource(
        source=row["source"], category=row["category"] or "", url=row["article_url"] or "", title=row["title"] or "",
        published=row["published"], text=row["text"] or "", article_id=row["article_id"],
    )
    return Reading(
        metric_key=row["metric_key"], value=row["value"], source=source, trust=row["trust"] or "normal",
        metric=row["metric"], subject=row["subject"] or "", measure=row["measure"] or "",
        unit=catalog.value_kind(row["metric"], row["unit"] or "", row["measure"] or ""),
        qualifier=row["qualifier"] or "=", rate=catalog.metric_rate(row["metric"], row["rate"]),
        period=row["period"], precision=row["precision"] or 0.0, official=official,
    )


def _corrections(history: MetricHistory, before: dict[str, KnownValue | None], readings: list[Reading]
                 ) -> list[MetricEvent]:
    """One `correction` per metric whose current value an edited article changed (naming that outlet)."""
    events = []
    for key, previous in before.items():
        current = history.current_value(key)
        own = [reading for reading in readings if reading.metric_key == key]
        if previous is None or current is None or not own or _same_current(previous, current):
            continue
        reading = next((r for r in own if r.value == current.value), own[0])
        events.append(event_for("correction", replace(reading, value=current.value, period=current.period,
                                                      qualifier=current.qualifier), previous))
    return events


def _same_current(previous: KnownValue, current: KnownValue) -> bool:
    return (previous.value, previous.period, previous.qualifier) == (current.value, current.period,
                                                                      current.qualifier)


def _reading(article: dict, observation: Observation, trust: str, catalog: Catalog, span: str, official: bool
             ) -> tuple[Reading, dict]:
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
        precision=written_precision(span, observation.value), official=official,
    )
    return reading, observation.to_dict() | {"metric_key": reading.metric_key, "precision": reading.precision}


def _descriptive_fields(reading: Reading) -> dict:
    return {"metric": reading.metric, "subject": reading.subject, "measure": reading.measure,
            "unit": reading.unit, "qualifier": reading.qualifier, "rate": reading.rate}


def _trust(config: Config, source_name: str) -> str:
    return next((s.trust for s in config.sources if s.name == source_name), "normal")


def is_issuer(config: Config, source_name: str) -> bool:
    """Whether a source is the issuer's own (its figures are official)."""
    return any(s.issuer for s in config.sources if s.name == source_name)


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
            health, event = next_health(_source_run(runs, run_id, result, source.kind, source.category, state),
                                        state.get("health"), config.alerts.health_after_failures)
            runs.set_health(result.source, health)
            if event:
                events.append(event)
        if events:
            Outbox(db).add_events(events, run_id)
    return events


def _source_run(runs: RunLog, run_id: int, result, kind: str, category: str, state: dict) -> SourceRun:
    return SourceRun(
        source=result.source, kind=kind, category=category, ok=result.status == "ok", error=result.error,
        consecutive_failures=state.get("consecutive_failures") or 0, links_found=result.links_found,
        not_modified=bool(result.not_modified), previous_links_found=runs.previous_links_found(result.source, run_id),
    )
