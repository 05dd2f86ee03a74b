"""Source-health rules, table-driven: one alert when a source breaks, one when it recovers."""

from __future__ import annotations

import pytest

from wxwatch.events.health import EMPTY, FAILING, SourceRun, next_health


def run(ok: bool = True, failures: int = 0, links: int = 5, not_modified: bool = False, previous: int | None = 5,
        kind: str = "listing") -> SourceRun:
    return SourceRun("zqsb", kind, ok, None if ok else "HTTP 503", failures, links, not_modified, previous)


CASES = [
    # (run, health before, threshold) -> (health after, alert?)
    (run(ok=False, failures=1), None, 3, None, False),
    (run(ok=False, failures=3), None, 3, FAILING, True),
    (run(ok=False, failures=4), FAILING, 3, FAILING, False),          # once, not on every failing run
    (run(), FAILING, 3, None, True),                                   # recovered
    (run(links=0), None, 3, EMPTY, True),                              # selector suddenly matches nothing
    (run(links=0, previous=0), None, 3, None, False),                  # never matched: not "suddenly"
    (run(links=0, not_modified=True), None, 3, None, False),           # 304: nothing was parsed
    (run(links=0, kind="feed"), None, 3, None, False),
    (run(links=0), EMPTY, 3, EMPTY, False),
    (run(links=2), EMPTY, 3, None, True),
    (run(links=0, not_modified=True), EMPTY, 3, EMPTY, False),         # unchanged since it went empty
    (run(links=0, not_modified=True), FAILING, 3, None, True),         # fetched again: recovered
]


@pytest.mark.parametrize(("source_run", "before", "threshold", "after", "alerts"), CASES)
def test_next_health(source_run: SourceRun, before: str | None, threshold: int, after: str | None,
                     alerts: bool) -> None:
    health, event = next_health(source_run, before, threshold)
    assert health == after
    assert (event is not None) is alerts
    if event:
        assert event.kind == "health" and event.metric_key == "health:zqsb" and event.message
