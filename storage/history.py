"""Observations (every metric mention) and metric history (known values with their sources)."""

from __future__ import annotations

import json

from sqlite_utils import Database
from wxwatch.events.model import EventSource, KnownValue
from wxwatch.storage.db import utc_now

OBSERVATION_FIELDS = ("metric", "metric_key", "subject", "measure", "unit", "value", "qualifier", "rate", "period",
                      "text", "start", "end")


class MetricHistory:
    """Read and write observations and metric_values."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def is_empty(self) -> bool:
        return not list(self.db.query("select 1 from metric_values limit 1"))

    def in_baseline(self) -> bool:
        """True until an analysis pass has finished with figures recorded (a killed first pass stays baseline)."""
        return self.is_empty() or not list(self.db.query("select 1 from analysis_state where key = 'baseline_done'"))

    def finish_pass(self) -> None:
        """An analysis pass finished: once figures are recorded, the baseline is over."""
        if not self.is_empty():
            with self.db.atomic():
                self.db["analysis_state"].upsert({"key": "baseline_done", "value": utc_now()}, pk="key")

    def articles_to_extract(self) -> list[dict]:
        """Id and publication time of the stored articles whose current text has not been extracted yet.

        Uses the partial index `articles_to_extract`: no full scan of the stored pages."""
        return list(self.db.query(
            "select id, published from articles indexed by articles_to_extract"
            " where extracted_hash is null or extracted_hash != content_hash"
        ))

    def article_for_extraction(self, article_id: int) -> dict:
        """One article's fields that extraction and history need (one article's text in memory at a time)."""
        return next(self.db.query(
            "select id, url, source, category, title, published, text, content_hash, duplicate_of from articles"
            " where id = ?", [article_id]
        ))

    def mark_extracted(self, article_id: int, content_hash: str) -> None:
        self.db["articles"].update(article_id, {"extracted_hash": content_hash})

    def replace_observations(self, article: dict, rows: list[dict], trust: str, run_id: int | None) -> None:
        """The article's observations become `rows` (re-extraction never duplicates)."""
        self.db.execute("delete from observations where article_id = ?", [article["id"]])
        common = {"article_id": article["id"], "run_id": run_id, "source": article["source"], "trust": trust,
                  "published": article["published"], "created": utc_now()}
        self.db["observations"].insert_all([common | {k: row.get(k) for k in OBSERVATION_FIELDS} for row in rows])

    def known_values(self, metric_key: str, value: float, period: str | None, published: str | None,
                     tolerance: float, window_days: float) -> list[KnownValue]:
        """The known values of a metric that the event rules can need for a new reading, in id order.

        Those are: values within `tolerance` (a repeat), confirmed values of the same period or published within
        `window_days` (a conflict), and the latest confirmed value (a change). The rules give the same answer on
        this subset as on every value ever known, without loading a long history for each reading.
        """
        rows = self.db.query(RELEVANT_VALUES_SQL, {
            "key": metric_key, "value": value, "tolerance": tolerance, "period": period,
            "published": published, "window": window_days,
        })
        return [_known_from_row(row) for row in rows]

    def save_known(self, known: KnownValue, reading_fields: dict) -> KnownValue:
        """Insert or update one known value; returns it with its row id."""
        row = {
            "metric_key": known.metric_key, "value": known.value, "period": known.period,
            "published": known.published, "sources": json.dumps(list(known.sources), ensure_ascii=False),
            "confirmed": int(known.confirmed), "last_seen": utc_now(),
        }
        if known.id is not None:
            self.db["metric_values"].update(known.id, row)
            return known
        row |= reading_fields | {"first_seen": utc_now(), "first_source": known.first_source.source,
                                 "first_url": known.first_source.url}
        new_id = self.db["metric_values"].insert(row).last_pk
        return KnownValue(**{**known.__dict__, "id": new_id})

    def current_values(self) -> list[dict]:
        """Per metric, the latest confirmed value (by period, then publication) and its source count."""
        return list(self.db.query(CURRENT_SQL))

    def metric_history(self, metric_key: str) -> list[dict]:
        return list(self.db.query(
            "select * from metric_values where metric_key = ? order by coalesce(period, ''), published", [metric_key]
        ))


RELEVANT_VALUES_SQL = """
select * from metric_values where metric_key = :key and (
  abs(value - :value) <= :tolerance * max(abs(value), abs(:value))
  or (confirmed = 1 and (period = :period
      or abs(julianday(published) - julianday(:published)) <= :window))
  or id = (select id from metric_values where metric_key = :key and confirmed = 1
           order by coalesce(period, '') desc, julianday(published) desc, id asc limit 1)
) order by id
"""

CURRENT_SQL = """
with ranked as (
  select *, row_number() over (
    partition by metric_key order by coalesce(period, '') desc, published desc, id desc) as rank
  from metric_values where confirmed = 1
)
select metric_key, metric, subject, measure, unit, value, qualifier, rate, period, published, sources,
       json_array_length(sources) as source_count, first_source, first_url, first_seen, last_seen
from ranked where rank = 1 order by metric_key
"""


def _known_from_row(row: dict) -> KnownValue:
    return KnownValue(
        metric_key=row["metric_key"], value=row["value"], period=row["period"], published=row["published"],
        sources=tuple(json.loads(row["sources"] or "[]")), confirmed=bool(row["confirmed"]),
        first_source=EventSource(source=row["first_source"] or "", url=row["first_url"] or "",
                                 published=row["published"]),
        id=row["id"],
    )
