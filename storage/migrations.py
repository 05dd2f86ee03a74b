"""The database schema as an ordered set of sqlite-utils migrations."""

from __future__ import annotations

import logging

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from wxwatch.events.model import event_columns
from wxwatch.metrics.periods import period_columns
from wxwatch.storage import neardup, pagezip

logger = logging.getLogger(__name__)
migrations = Migrations("wxwatch")


@migrations()
def m001_articles(db: Database) -> None:
    db["articles"].create(
        {
            "id": int,
            "url": str,
            "source": str,
            "category": str,
            "title": str,
            "published": str,
            "first_seen": str,
            "last_seen": str,
            "updated_at": str,
            "status": str,
            "duplicate_of": int,
            "content_hash": str,
            **{f"band{band}": int for band in range(8)},
            "via": str,
            "run_id": int,
            "html": str,
            "text": str,
            "norm_text": str,
        },
        pk="id",
        not_null={"url", "source", "status"},
    )
    db["articles"].create_index(["url"], unique=True)
    db["articles"].create_index(["source", "last_seen"])
    for band in range(8):
        db["articles"].create_index([f"band{band}"])


@migrations()
def m002_runs(db: Database) -> None:
    db["runs"].create(
        {"id": int, "started": str, "finished": str, "status": str, "trigger": str, "pid": int},
        pk="id",
    )
    db["run_sources"].create(
        {
            "run_id": int,
            "source": str,
            "status": str,
            "pages_fetched": int,
            "articles_new": int,
            "articles_updated": int,
            "articles_unchanged": int,
            "duplicates": int,
            "errors": int,
            "links_found": int,
            "error": str,
            "finished": str,
        },
        pk=("run_id", "source"),
        foreign_keys=[("run_id", "runs", "id")],
    )
    db["source_state"].create(
        {
            "source": str,
            "url": str,
            "etag": str,
            "last_modified": str,
            "last_success": str,
            "last_error": str,
            "consecutive_failures": int,
        },
        pk=("source", "url"),
    )


@migrations()
def m003_observations(db: Database) -> None:
    db["articles"].add_column("extracted_hash", str)
    db["run_sources"].add_column("not_modified", int)
    db["source_state"].add_column("health", str)
    db["observations"].create(
        {
            "id": int, "article_id": int, "run_id": int, "source": str, "trust": str, "published": str,
            "metric": str, "metric_key": str, "subject": str, "measure": str, "unit": str, "value": float,
            "qualifier": str, "rate": str, "period": str, "text": str, "start": int, "end": int, "created": str,
        },
        pk="id",
        foreign_keys=[("article_id", "articles", "id")],
    )
    db["observations"].create_index(["article_id"])
    db["observations"].create_index(["metric_key", "published"])
    db["metric_values"].create(
        {
            "id": int, "metric_key": str, "metric": str, "subject": str, "measure": str, "unit": str,
            "value": float, "qualifier": str, "rate": str, "period": str, "published": str, "first_seen": str,
            "last_seen": str, "sources": str, "confirmed": int, "first_source": str, "first_url": str,
        },
        pk="id",
    )
    db["metric_values"].create_index(["metric_key"])


@migrations()
def m030_outbox(db: Database) -> None:
    db["alerts"].create(
        {
            "id": int, "kind": str, "metric": str, "metric_key": str, "subject": str, "measure": str, "unit": str,
            "value": float, "previous_value": float, "change": float, "qualifier": str, "rate": str, "period": str,
            "previous_period": str, "source": str, "category": str, "url": str, "title": str, "published": str,
            "text": str, "other_source": str, "other_category": str, "other_url": str, "other_published": str,
            "corroborating": str,
            "message": str, "run_id": int, "created": str, "status": str, "attempts": int, "last_error": str,
            "sent": str,
        },
        pk="id",
        not_null={"kind", "metric_key", "status"},
        defaults={"status": "pending", "attempts": 0},
    )
    db["alerts"].create_index(["status"])
    db["alerts"].create_index(["run_id"])
    db["deliveries"].create(
        {
            "id": int, "alert_id": int, "target": str, "label": str, "status": str, "attempts": int,
            "last_error": str, "next_attempt": str, "lease_until": str, "sent": str,
        },
        pk="id",
        not_null={"alert_id", "target", "status"},
        defaults={"status": "pending", "attempts": 0},
        foreign_keys=[("alert_id", "alerts", "id")],
    )
    db["deliveries"].create_index(["alert_id", "target"], unique=True)
    db["deliveries"].create_index(["target", "status", "next_attempt"])


@migrations()
def m040_scheduler(db: Database) -> None:
    db["schedule_sources"].create(
        {
            "source": str, "job": str, "schedule": str, "next_run": str, "last_scheduled": str,
            "last_scheduled_status": str, "last_scheduled_error": str, "last_scheduled_run_id": int, "updated": str,
        },
        pk="source",
    )
    db["scheduler_daemon"].create(
        {"id": int, "pid": int, "host": str, "started": str, "heartbeat": str, "stopped": str, "status": str},
        pk="id",
    )


@migrations()
def m050_baseline_state(db: Database) -> None:
    """`baseline_done`: the first analysis pass finished (a pass killed half-way leaves the next one silent too)."""
    db["analysis_state"].create({"key": str, "value": str}, pk="key")
    if db["metric_values"].count:  # databases from before this migration finished their baseline long ago
        db["analysis_state"].insert({"key": "baseline_done", "value": "migrated"})


@migrations()
def m051_source_warnings(db: Database) -> None:
    """A source that worked but looks wrong (a listing selector matching no link) gets a warning, not silence."""
    db["run_sources"].add_column("warning", str)


@migrations()
def m060_extraction_queue_index(db: Database) -> None:
    """Finding the articles still to extract reads an index, not every stored page."""
    db.execute(
        "create index if not exists articles_to_extract on articles (id)"
        " where extracted_hash is null or extracted_hash != content_hash"
    )


def add_event_columns(db: Database) -> None:
    """Give the alerts table every column derived from MetricEvent that it lacks.

    The event dataclass is the one definition of an alert's fields: when it gains a field, append a migration
    that calls this (old migrations are never edited)."""
    existing = db["alerts"].columns_dict
    for column in event_columns():
        if column.name not in existing:
            db["alerts"].add_column(column.name, column.type)


@migrations()
def m070_history_over_time(db: Database) -> None:
    """Alerts carry the previous value's qualifier and both articles; history keeps precision, period order,
    the reports behind each value (so an edited article can be taken back) and whether a value was alerted."""
    add_event_columns(db)
    db["observations"].add_column("precision", float)
    for name, kind in (("precision", float), ("period_end", str), ("period_days", int), ("last_published", str),
                       ("reports", str), ("alerted", int)):
        db["metric_values"].add_column(name, kind)
    db.execute("update metric_values set last_published = published, alerted = confirmed, precision = 0,"
               " reports = (select json_group_array(json_array(s.value, null)) from json_each(sources) s)")
    for row in list(db.query("select id, period from metric_values where period is not null")):
        db["metric_values"].update(row["id"], period_columns(row["period"]))
@migrations()
def m080_skipped_links(db: Database) -> None:
    """Listing links not followed, counted per source and run, with their reasons (`sources --json`)."""
    db["run_sources"].add_column("links_skipped", int)
    db["run_sources"].add_column("skipped_reasons", str)


@migrations()
def m090_analyst_hand(db: Database) -> None:
    """The analyst's hand: observations know the value they stand behind and where a manual figure came from;
    every dismissal and manual addition is audited with who and when (a dismissed figure is never re-read)."""
    for name, kind in (("value_id", int), ("origin", str), ("url", str), ("note", str), ("page", int),
                       ("dismissed", int)):
        db["observations"].add_column(name, kind)
    db["observations"].create_index(["value_id"])
    db["analyst_actions"].create(
        {"id": int, "action": str, "observation_id": int, "article_id": int, "metric_key": str, "value": float,
         "qualifier": str, "period": str, "source": str, "url": str, "text": str, "reason": str, "user": str,
         "at": str},
        pk="id",
        not_null={"action", "metric_key", "user", "at"},
    )
    db["analyst_actions"].create_index(["article_id", "action"])


@migrations()
def m091_official_figures(db: Database) -> None:
    """The issuer's own figures: values and alerts marked official, and the `settled` alert's fields."""
    add_event_columns(db)
    db["metric_values"].add_column("official", int)


COMPRESS_BATCH = 200  # rows per transaction when m092 compresses the pages of an existing database


@migrations(transactional=False)
def m092_flat_article_costs(db: Database) -> None:
    """Costs that do not grow with history: pages stored zstd-compressed (html_zstd; html emptied), the compare
    text compressed against the text (norm_zstd; norm_text emptied),
    the shingle count that bounds reprint candidates, and a source's last 304 recorded once in source_state.

    Existing rows are converted in batches of COMPRESS_BATCH, each its own transaction: a killed migration
    keeps the batches done and resumes on the next open (it is recorded only when every row is converted).
    """
    add_flat_cost_columns(db)
    converted = 0
    while batch := convert_article_batch(db):
        converted += batch
        logger.info("m092: %d stored pages compressed", converted)
    if converted:
        logger.info("m092: done; `sqlite3 DB 'VACUUM'` returns the freed space to the file system")


def add_flat_cost_columns(db: Database) -> None:
    """m092's new columns, those not there yet (a resumed migration already has them)."""
    with db.atomic():
        for table, column, kind in (("articles", "html_zstd", bytes), ("articles", "norm_zstd", bytes),
                                    ("articles", "shingle_count", int),
                                    ("source_state", "not_modified_at", str),
                                    ("source_state", "not_modified_run", int)):
            if column not in db[table].columns_dict:
                db[table].add_column(column, kind)


def convert_article_batch(db: Database) -> int:
    """Compress and count shingles for up to COMPRESS_BATCH rows still in the old layout; how many were converted."""
    with db.atomic():
        rows = db.conn.execute(
            "select id, html, norm_text, text from articles"
            " where html is not null or norm_text is not null or shingle_count is null limit ?", [COMPRESS_BATCH]
        ).fetchall()
        for article_id, html, norm_text, text in rows:
            compare = norm_text if norm_text is not None else neardup.compare_text(text or "")
            db.conn.execute(
                "update articles set html_zstd = coalesce(?, html_zstd), html = null, norm_text = null,"
                " norm_zstd = ?, shingle_count = ? where id = ?",
                [pagezip.compress_html(html or ""), pagezip.compress_compare(compare, text or ""),
                 len(neardup.shingles(compare)), article_id],
            )
    return len(rows)
