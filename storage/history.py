"""Observations (every metric mention) and metric history (known values with their sources)."""

from __future__ import annotations

import json
from dataclasses import replace

from sqlite_utils import Database

from wxwatch.events.model import EventSource, KnownValue
from wxwatch.metrics.periods import period_columns
from wxwatch.storage.db import insert_row, insert_rows, select_rows, update_row, utc_now

LIVE = "coalesce(dismissed, 0) = 0"  # observations an analyst has not dismissed (dismissed rows keep their id)
OBSERVATION_FIELDS = ("metric", "metric_key", "subject", "measure", "unit", "value", "qualifier", "rate", "period",
                      "text", "start", "end", "precision", "page")


class MetricHistory:
    """Read and write observations and metric_values."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def is_empty(self) -> bool:
        return not select_rows(self.db, "select 1 from metric_values limit 1")

    def in_baseline(self) -> bool:
        """True until an analysis pass has finished with figures recorded (a killed first pass stays baseline)."""
        return self.is_empty() or not select_rows(self.db, "select 1 from analysis_state where key = 'baseline_done'")

    def finish_pass(self) -> None:
        """An analysis pass finished: once figures are recorded, the baseline is over."""
        if not self.is_empty():
            with self.db.atomic():
                self.db.execute("insert into analysis_state (key, value) values ('baseline_done', ?)"
                                " on conflict (key) do update set value = excluded.value", [utc_now()])

    def articles_to_extract(self) -> list[dict]:
        """Id and publication time of the stored articles whose current text has not been extracted yet.

        Uses the partial index `articles_to_extract`: no full scan of the stored pages."""
        return select_rows(
            self.db, "select id, published from articles indexed by articles_to_extract"
            " where extracted_hash is null or extracted_hash != content_hash"
        )

    def article_for_extraction(self, article_id: int) -> dict:
        """One article's fields that extraction and history need (one article's text in memory at a time).

        `extracted_hash` is None for an article never extracted: it has no observations nor reports yet."""
        return select_rows(self.db,
            "select id, url, source, category, title, published, text, content_hash, duplicate_of, extracted_hash"
            " from articles where id = ?", [article_id]
        )[0]

    def mark_extracted(self, article_id: int, content_hash: str, keep_page: bool = True) -> None:
        """Record which text was extracted; without `keep_page` the stored page is let go in the same statement."""
        if keep_page:
            update_row(self.db, "articles", article_id, {"extracted_hash": content_hash})
        else:
            update_row(self.db, "articles", article_id, {"extracted_hash": content_hash, "html_zstd": None})

    def replace_observations(self, article: dict, rows: list[dict], trust: str, run_id: int | None) -> list[int]:
        """The article's observations become `rows` (re-extraction never duplicates); returns their ids in order."""
        self.drop_observations(article["id"])
        self.add_observations(article, rows, trust, run_id)
        return [row["id"] for row in select_rows(
            self.db, f"select id from observations where article_id = ? and {LIVE} order by id", [article["id"]])]

    def drop_observations(self, article_id: int) -> None:
        """Delete an article's observations (before it is read again); dismissed ones keep their rows."""
        self.db.execute(f"delete from observations where article_id = ? and {LIVE}", [article_id])

    def add_observations(self, article: dict, rows: list[dict], trust: str, run_id: int | None) -> None:
        """Store an article's observations in order (a row may carry its `value_id`), in one statement."""
        common = {"article_id": article["id"], "run_id": run_id, "source": article["source"], "trust": trust,
                  "published": article["published"], "created": utc_now()}
        insert_rows(self.db, "observations", [common | {k: row.get(k) for k in (*OBSERVATION_FIELDS, "value_id")}
                                              for row in rows])

    def link_observation(self, observation_id: int, value_id: int | None) -> None:
        """Record which known value an observation stands behind (`metrics history --json` lists them)."""
        update_row(self.db, "observations", observation_id, {"value_id": value_id})

    def observations_to_replay(self, metric_key: str) -> list[dict]:
        """Every observation of a metric with its article's fields, to rebuild the metric's history."""
        return list(self.db.query(REPLAY_SQL, [metric_key]))

    def forget_values(self, metric_key: str) -> None:
        """Drop a metric's known values (before they are rebuilt from its observations)."""
        self.db.execute("delete from metric_values where metric_key = ?", [metric_key])

    def observation_ids(self, metric_key: str) -> dict[int, list[int]]:
        """Per known value of a metric, the ids of the observations behind it."""
        ids: dict[int, list[int]] = {}
        for row in self.db.query("select id, value_id from observations where metric_key = ? and value_id is not"
                                 f" null and {LIVE} order by id", [metric_key]):
            ids.setdefault(row["value_id"], []).append(row["id"])
        return ids

    def known_values(self, metric_key: str, period: str | None) -> list[KnownValue]:
        """The known values of a metric that the event rules can need for a new reading, in id order.

        Those are: values of the same period, values without a period (or all, for a reading without one),
        and the current value. The rules give the same answer on this subset as on every value ever known,
        without loading a long history for each reading."""
        rows = select_rows(self.db, RELEVANT_VALUES_SQL, {"key": metric_key, "period": period})
        return [_known_from_row(row) for row in rows]

    def save_known(self, known: KnownValue, reading_fields: dict) -> KnownValue:
        """Insert or update one known value; returns it with its row id."""
        row = {
            "metric_key": known.metric_key, "value": known.value, "period": known.period,
            "published": known.published, "sources": json.dumps(list(known.sources), ensure_ascii=False),
            "confirmed": int(known.confirmed), "last_seen": utc_now(), "qualifier": known.qualifier,
            "precision": known.precision, "last_published": known.last_published, "alerted": int(known.alerted),
            "reports": json.dumps([list(report) for report in known.reports], ensure_ascii=False),
            "official": int(known.official),
        } | period_columns(known.period)
        if known.id is not None:
            update_row(self.db, "metric_values", known.id, row)
            return known
        row |= reading_fields | {"first_seen": utc_now(), "first_source": known.first_source.source,
                                 "first_url": known.first_source.url, "qualifier": known.qualifier}
        return replace(known, id=insert_row(self.db, "metric_values", row))

    def retract_article(self, article_id: int) -> set[str]:
        """Take an (edited) article's reports back from metric history; returns the metric keys it touched.

        A value no other report stands behind is removed; the others lose the article (and, when no other
        article of that outlet remains behind them, the outlet)."""
        touched = set()
        for row in select_rows(self.db, REPORTED_BY_SQL, [article_id]):
            touched.add(row["metric_key"])
            reports = [report for report in json.loads(row["reports"]) if report[1] != article_id]
            if not reports:
                self.db.execute("delete from metric_values where id = ?", [row["id"]])
                continue
            sources = [s for s in json.loads(row["sources"]) if any(r[0] == s for r in reports)]
            update_row(self.db, "metric_values", row["id"], {
                "reports": json.dumps(reports, ensure_ascii=False),
                "sources": json.dumps(sources, ensure_ascii=False)})
        return touched

    def observed_keys(self, article_id: int) -> set[str]:
        """The metric keys an article's stored observations are about (empty for an article not read yet)."""
        rows = select_rows(self.db, f"select distinct metric_key from observations where article_id = ? and {LIVE}",
                           [article_id])
        return {row["metric_key"] for row in rows}

    def current_value(self, metric_key: str) -> KnownValue | None:
        rows = select_rows(self.db, CURRENT_ONE_SQL, {"key": metric_key})
        return _known_from_row(rows[0]) if rows else None

    def current_values(self) -> list[dict]:
        """Per metric, the latest confirmed value (by period, then publication) and its source count."""
        return list(self.db.query(CURRENT_SQL))

    def metric_history(self, metric_key: str) -> list[dict]:
        return list(self.db.query(
            "select * from metric_values where metric_key = ?"
            " order by coalesce(period_end, ''), coalesce(period_days, 0), published", [metric_key]
        ))


def latest_order(alias: str = "") -> str:
    """SQL order of a metric's values, current first (the order of events.rules.latest_value)."""
    return (f"coalesce({alias}period_end, '') desc, coalesce({alias}period_days, 0) desc,"
            f" coalesce({alias}official, 0) desc,"
            f" julianday(coalesce({alias}last_published, {alias}published)) desc, {alias}id asc")


WITH_ARTICLE = """
select v.*, a.category as first_category, a.title as first_title, a.id as first_article_id
from metric_values v left join articles a on a.url = v.first_url
"""

RELEVANT_VALUES_SQL = WITH_ARTICLE + f"""
where v.metric_key = :key and (
  v.period = :period or v.period is null or :period is null
  or v.id = (select id from metric_values where metric_key = :key and confirmed = 1 order by {latest_order()} limit 1)
) order by v.id
"""

CURRENT_ONE_SQL = WITH_ARTICLE + f"""
where v.metric_key = :key and v.confirmed = 1 order by {latest_order("v.")} limit 1
"""

REPORTED_BY_SQL = """
select v.* from metric_values v where exists (select 1 from json_each(v.reports) r
  where json_extract(r.value, '$[1]') = ?)
"""

REPLAY_SQL = """
select o.*, coalesce(a.url, o.url) as article_url, coalesce(a.category, '') as category,
       coalesce(a.title, o.note, '') as title
from observations o left join articles a on a.id = o.article_id where o.metric_key = ? and coalesce(o.dismissed, 0) = 0
"""

CURRENT_SQL = f"""
with ranked as (
  select *, row_number() over (partition by metric_key order by {latest_order()}) as rank
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
                                 published=row["published"], category=row.get("first_category") or "",
                                 title=row.get("first_title") or "", article_id=row.get("first_article_id")),
        id=row["id"], qualifier=row["qualifier"] or "=", precision=row["precision"] or 0.0,
        last_published=row["last_published"], alerted=bool(row["alerted"]),
        reports=tuple((source, article) for source, article in json.loads(row["reports"] or "[]")),
        official=bool(row.get("official")),
    )
