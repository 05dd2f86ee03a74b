"""The analyst's hand in the database: dismissed and manually added observations, audited with who and when."""

from __future__ import annotations

import logging
from typing import cast

from sqlite_utils import Database

from wxwatch.storage.db import select_rows, utc_now

logger = logging.getLogger(__name__)

AUDIT_FIELDS = ("observation_id", "article_id", "metric_key", "value", "qualifier", "period", "source", "url",
                "text")


class AnalystLog:
    """Observations an analyst dismissed or added, and the audit table (`analyst_actions`) behind them."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def observation(self, observation_id: int) -> dict | None:
        """One observation with its article's URL (None when there is no such observation)."""
        rows = list(self.db.query(
            "select o.*, coalesce(o.url, a.url) as article_url from observations o"
            " left join articles a on a.id = o.article_id where o.id = ?", [observation_id]))
        return rows[0] if rows else None

    def record(self, action: str, observation: dict, *, reason: str | None, user: str) -> int:
        """One audit row: the action, the figure it concerns, the reason or note, who and when (UTC)."""
        row = {name: observation.get(name) for name in AUDIT_FIELDS}
        row |= {"action": action, "url": observation.get("article_url") or observation.get("url"),
                "reason": reason, "user": user, "at": utc_now()}
        return cast(int, self.db["analyst_actions"].insert(row).last_pk)

    def dismiss(self, observation: dict, *, reason: str | None, user: str) -> int:
        """Mark an observation dismissed (out of every view; its row and id stay) and audit it; returns the audit
        row's id."""
        audit_id = self.record("dismiss", observation | {"observation_id": observation["id"]}, reason=reason,
                               user=user)
        self.db["observations"].update(observation["id"], {"dismissed": 1, "value_id": None})
        return audit_id

    def dismissed_in(self, article_id: int) -> set[tuple[str, float, str | None]]:
        """(metric key, value, period) of the figures dismissed from an article: never read from it again."""
        rows = select_rows(self.db, "select metric_key, value, period from analyst_actions"
                           " where article_id = ? and action = 'dismiss'", [article_id])
        return {(row["metric_key"], row["value"], row["period"]) for row in rows}

    def add_manual(self, row: dict) -> int:
        """Store a manual observation (no article: its provenance is its URL and note); returns its id."""
        return cast(int, self.db["observations"].insert(row | {"origin": "manual", "created": utc_now()}).last_pk)
