"""Jobs from the settings, crontab weekdays, the last due time, and which sources a start-up catches up."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from wxwatch.config import ConfigError, load_config
from wxwatch.cron import cron_weekdays
from wxwatch.scheduler.catchup import catchup_names, sources_to_catch_up
from wxwatch.scheduler.plan import PlannedJob, check_schedules, plan_jobs, previous_fire_time

SHANGHAI = ZoneInfo("Asia/Shanghai")
SOURCES = "".join(f'\n[[sources]]\nname = "{name}"\nkind = "feed"\nurl = "https://e.org/{name}.xml"\n{extra}\n'
                  for name, extra in [("a", ""), ("b", 'cron = "30 */6 * * *"'), ("c", "enabled = false"), ("d", "")])


def config(tmp_path: Path, schedule: str = "", sources: str = SOURCES):
    path = tmp_path / "settings.toml"
    path.write_text(f"[schedule]\n{schedule}\n{sources}", encoding="utf-8")
    return load_config(path, environ={})


def daily(cron: str = "0 7 * * *", sources: tuple[str, ...] = ("a",)) -> PlannedJob:
    return PlannedJob("crawl", sources, cron, 0, "Asia/Shanghai", 0, True)


@pytest.mark.parametrize(("field", "expected"), [
    ("*", "*"), ("0", "sun"), ("7", "sun"), ("1-5", "mon,tue,wed,thu,fri"), ("0-6", "sun,mon,tue,wed,thu,fri,sat"),
    ("5-7", "sun,fri,sat"), ("*/2", "sun,tue,thu,sat"), ("1,3", "mon,wed"), ("mon-fri", "mon-fri"),
])
def test_crontab_weekday_numbers_become_names(field: str, expected: str) -> None:
    assert cron_weekdays(field) == expected


def test_sunday_is_sunday() -> None:
    trigger = daily("0 7 * * 0").trigger()
    fire = trigger.get_next_fire_time(None, datetime(2025, 1, 1, tzinfo=SHANGHAI))  # a Wednesday
    assert fire == datetime(2025, 1, 5, 7, 0, tzinfo=SHANGHAI) and fire.strftime("%a") == "Sun"


def test_sources_are_grouped_by_schedule(tmp_path: Path) -> None:
    jobs = {job.id: job for job in plan_jobs(config(tmp_path))}
    assert jobs["crawl [0 7 * * *]"].sources == ("a", "d") and jobs["crawl [0 7 * * *]"].crawl_names == ("a", "d")
    assert jobs["crawl [30 */6 * * *]"].sources == ("b",)
    assert "c" not in {source for job in jobs.values() for source in job.sources}


def test_one_schedule_crawls_every_enabled_source_without_names(tmp_path: Path) -> None:
    [job] = plan_jobs(config(tmp_path, 'cron = "15 8 * * 1-5"', SOURCES.replace('cron = "30 */6 * * *"', "")))
    assert (job.id, job.sources, job.crawl_names, job.schedule) == ("crawl", ("a", "b", "d"), (),
                                                                     "cron 15 8 * * 1-5 Asia/Shanghai")


def test_every_seconds_overrides_every_cron(tmp_path: Path) -> None:
    [job] = plan_jobs(config(tmp_path, "every_seconds = 2\njitter = 1"))
    assert job.schedule == "every 2 s" and job.sources == ("a", "b", "d")
    assert job.trigger().jitter == 1


def test_previous_fire_time(tmp_path: Path) -> None:
    now = datetime(2025, 1, 3, 6, 0, tzinfo=SHANGHAI)
    assert previous_fire_time(daily(), now) == datetime(2025, 1, 2, 7, 0, tzinfo=SHANGHAI)
    assert previous_fire_time(daily(), now.replace(hour=7)) == now.replace(hour=7)
    assert previous_fire_time(daily("0 7 1 1 *"), now) == datetime(2025, 1, 1, 7, 0, tzinfo=SHANGHAI)
    assert previous_fire_time(daily("*/5 * * * *"), now + timedelta(minutes=3)) == now
    every = PlannedJob("crawl", ("a",), None, 60, "Asia/Shanghai", 0, True)
    assert previous_fire_time(every, now) == now - timedelta(seconds=60)


def test_catch_up_once_for_many_missed_days() -> None:
    now = datetime(2025, 1, 10, 9, 0, tzinfo=SHANGHAI)
    job = daily(sources=("a", "b", "c"))
    last = {"a": "2025-01-03T00:00:00+00:00",  # a week ago: several missed runs, one catch-up
            "b": datetime(2025, 1, 10, 7, 5, tzinfo=SHANGHAI).astimezone(UTC).isoformat(),  # ran today
            "c": None}  # never crawled
    assert sources_to_catch_up([job], last, now) == ("a", "c")
    assert catchup_names(("a", "c"), [job]) == ("a", "c")
    assert catchup_names(("a", "b", "c"), [job]) == ()


def test_invalid_cron_names_the_key(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"^sources\.b\.cron: '30 \*/6 \* \* 9' is not a valid cron expression"):
        check_schedules(config(tmp_path, sources=SOURCES.replace("30 */6 * * *", "30 */6 * * 9")))
    with pytest.raises(ConfigError, match=r"^schedule\.cron: '61 7 \* \* \*'"):
        check_schedules(config(tmp_path, 'cron = "61 7 * * *"'))


def test_nothing_enabled_is_a_settings_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="^sources: no enabled source to schedule$"):
        check_schedules(config(tmp_path, sources=SOURCES.replace('cron = "30 */6 * * *"', "enabled = false")
                               .replace('name = "a"\nkind', 'name = "a"\nenabled = false\nkind')
                               .replace('name = "d"\nkind', 'name = "d"\nenabled = false\nkind')))


def test_daily_dispatch_runs_at_daily_at_in_the_notify_time_zone(tmp_path) -> None:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from wxwatch.config import parse_config
    from wxwatch.scheduler.daemon import daily_dispatch_trigger

    raw = {"storage": {"path": str(tmp_path / "wx.db")}, "notify": {"urls": ["json://127.0.0.1:9/x"],
                                                                     "daily_at": "08:30", "timezone": "Asia/Tokyo"}}
    trigger = daily_dispatch_trigger(parse_config(raw, tmp_path / "s.toml", {}))
    now = datetime(2026, 11, 22, 9, 0, tzinfo=ZoneInfo("Asia/Tokyo"))
    assert trigger.get_next_fire_time(None, now) == datetime(2026, 11, 23, 8, 30, tzinfo=ZoneInfo("Asia/Tokyo"))


def test_alerts_send_delivers_only_what_is_due(tmp_path, run_cli) -> None:
    settings = tmp_path / "s.toml"
    settings.write_text(f'[storage]\npath = "{tmp_path / "wx.db"}"\n[notify]\nurls = ["json://127.0.0.1:9/x"]\n')
    result = run_cli("--config", str(settings), "alerts", "send")
    assert result.returncode == 0, result.stderr
