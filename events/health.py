"""Source-health rules: alert once when a source keeps failing or its listing goes empty, once on recovery."""

from __future__ import annotations

from dataclasses import dataclass

from wxwatch.events.model import EventSource, MetricEvent

FAILING = "failing"
EMPTY = "empty"


@dataclass(frozen=True)
class SourceRun:
    """What health rules need to know about one source's latest run."""

    source: str
    kind: str  # listing | feed
    ok: bool
    error: str | None
    consecutive_failures: int
    links_found: int
    not_modified: bool
    previous_links_found: int | None  # in the run before, None if there was none
    category: str = ""  # the outlet's label in messages


def next_health(run: SourceRun, health: str | None, threshold: int) -> tuple[str | None, MetricEvent | None]:
    """The source's health state after this run, and the event to raise if it just changed."""
    if not run.ok:
        if run.consecutive_failures >= threshold and health != FAILING:
            return FAILING, _event(run, f"{run.consecutive_failures} 次抓取连续失败：{run.error or '未知错误'}")
        return health, None
    if _went_empty(run) and health is None:
        return EMPTY, _event(run, "列表页选择器没有匹配到任何文章链接（页面结构可能已改变）")
    if health == FAILING or (health == EMPTY and run.links_found > 0):
        return None, _event(run, "已恢复正常")
    return health, None


def _went_empty(run: SourceRun) -> bool:
    listing = run.kind in ("listing", "releases")
    return listing and not run.not_modified and run.links_found == 0 and bool(run.previous_links_found)


def _event(run: SourceRun, message: str) -> MetricEvent:
    return MetricEvent(kind="health", metric_key=f"health:{run.source}", subject=run.source, message=message,
                       source=EventSource(source=run.source, category=run.category))
