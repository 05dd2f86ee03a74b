"""`wxwatch run`: APScheduler (memory job store) launching crawl subprocesses, with catch-up, systemd and signals."""

from __future__ import annotations

import logging
import os
import signal
import socket
import threading
import time
from datetime import datetime
from zoneinfo import ZoneInfo

from apscheduler.events import EVENT_JOB_MISSED, JobExecutionEvent
from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.date import DateTrigger
from apscheduler.triggers.interval import IntervalTrigger

from wxwatch.config import Config
from wxwatch.scheduler.catchup import catchup_names, sources_to_catch_up
from wxwatch.scheduler.crawlproc import CrawlOutcome, CrawlProcess, run_dispatch
from wxwatch.scheduler.plan import PlannedJob, plan_jobs
from wxwatch.scheduler.systemd import Notifier, watchdog_interval
from wxwatch.storage.db import open_database
from wxwatch.storage.lock import DaemonLock, current_holder
from wxwatch.storage.schedule import PlannedSource, ScheduleStore

logger = logging.getLogger(__name__)

STOP_TIMEOUT = 20.0  # seconds a crawl has, after SIGTERM, to close its spiders and record the run
MAX_BEAT = 15.0  # heartbeat interval without a systemd watchdog
DB_BEAT_SECONDS = 60.0  # how often the heartbeat is written to the database (for `wxwatch status`)
CATCHUP_JOB = "catch-up"
DISPATCH_JOB = "daily-dispatch"


class Daemon:
    """The scheduler process: jobs from the settings, one crawl subprocess at a time, a heartbeat for systemd."""

    def __init__(self, config: Config, *, verbosity: int = 0, notifier: Notifier | None = None) -> None:
        self.config = config
        self.jobs = {job.id: job for job in plan_jobs(config)}
        self.crawl = CrawlProcess(config.path, lock_wait=config.schedule.misfire_grace, verbosity=verbosity)
        if verbosity < 2:  # the heartbeat's "Running job" lines every few seconds would drown the journal
            logging.getLogger("apscheduler.executors.heartbeat").setLevel(logging.WARNING)
        self.notifier = notifier or Notifier()
        self.watchdog = watchdog_interval()
        self.beat = min(self.watchdog / 2, MAX_BEAT) if self.watchdog else MAX_BEAT
        self.stop_requested = threading.Event()
        self.force = threading.Event()
        self.job_idle = threading.Event()
        self.job_idle.set()
        self.last_beat = self.last_db_beat = time.monotonic()
        self.last_outcome: CrawlOutcome | None = None
        self.signal_name: str | None = None
        self._local = threading.local()
        self.scheduler = BackgroundScheduler(
            executors={"default": ThreadPoolExecutor(1), "heartbeat": ThreadPoolExecutor(1)},
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": config.schedule.misfire_grace},
            timezone=ZoneInfo(config.schedule.timezone),
        )

    def run(self) -> int:
        """Schedule crawls until SIGTERM or SIGINT; exit status 0 after a clean stop."""
        with DaemonLock(self.config.storage.path, command="wxwatch run"):
            self.store().daemon_started(os.getpid(), socket.gethostname())
            self._install_signal_handlers()
            self._start_scheduler()
            self.notifier.ready(self.status_line())
            self._loop()
            self._shutdown()
        return 0

    def store(self) -> ScheduleStore:
        """This thread's connection to the database (sqlite connections stay in their thread)."""
        if not hasattr(self._local, "store"):
            self._local.store = ScheduleStore(open_database(self.config.storage.path))
        return self._local.store

    def _start_scheduler(self) -> None:
        self.scheduler.add_listener(self._on_missed, EVENT_JOB_MISSED)
        self.scheduler.start()
        for job in self.jobs.values():
            self.scheduler.add_job(self._crawl_job, job.trigger(), id=job.id, name=job.id,
                                   args=(job.crawl_names, "scheduled", job.sources))
            logger.info("job %r: %s over %s", job.id, job.schedule, ", ".join(job.sources))
        if self.config.notify.urls or self.config.notify.config:
            self.scheduler.add_job(self._dispatch_job, daily_dispatch_trigger(self.config), id=DISPATCH_JOB,
                                   name=DISPATCH_JOB)
        self.scheduler.add_job(self._heartbeat, IntervalTrigger(seconds=self.beat), id="heartbeat", name="heartbeat",
                               executor="heartbeat", misfire_grace_time=None)
        self._schedule_catchup(list(self.jobs.values()), datetime.now(self.scheduler.timezone))
        self._save_plan()
        logger.info("daemon pid %d ready: %s", os.getpid(), self.status_line())

    def _schedule_catchup(self, jobs: list[PlannedJob], now: datetime) -> None:
        """Crawl, once and now, the sources whose last success is older than their last due run."""
        last_success = self.store().last_success([source for job in jobs for source in job.sources])
        missed = sources_to_catch_up(jobs, last_success, now)
        if not missed:
            return
        logger.info("catch-up: %s missed a scheduled run; crawling them now", ", ".join(missed))
        names = catchup_names(missed, self.jobs.values())
        self.scheduler.add_job(self._crawl_job, DateTrigger(now), id=CATCHUP_JOB, name=CATCHUP_JOB,
                               args=(names, "catchup", missed), replace_existing=True)

    def _on_missed(self, event: JobExecutionEvent) -> None:
        job = self.jobs.get(event.job_id)
        if job is not None and not self.stop_requested.is_set():
            logger.warning("job %r missed its run at %s (asleep or busy): catching up", job.id,
                           event.scheduled_run_time)
            self._schedule_catchup([job], datetime.now(self.scheduler.timezone))

    def _crawl_job(self, names: tuple[str, ...], trigger: str, sources: tuple[str, ...]) -> None:
        """One crawl subprocess, run in the scheduler's single crawl worker thread."""
        if self.stop_requested.is_set():
            return
        self.job_idle.clear()
        try:
            logger.info("%s crawl of %s starting", trigger, ", ".join(sources))
            outcome = self.crawl.run(names, trigger, sources)
            self._record(outcome)
        except Exception:
            logger.exception("%s crawl of %s failed to run", trigger, ", ".join(sources))
        finally:
            self.job_idle.set()

    def _dispatch_job(self) -> None:
        """Daily at [notify] daily_at: deliver what is due (the daily digests), in the crawl worker thread."""
        if self.stop_requested.is_set():
            return
        self.job_idle.clear()
        try:
            result = run_dispatch(self.config.path)
            level = logging.INFO if result.returncode == 0 else logging.WARNING
            logger.log(level, "daily dispatch: %s", (result.stdout + result.stderr).strip() or "nothing due")
        except Exception:
            logger.exception("daily dispatch failed to run")
        finally:
            self.job_idle.set()

    def _record(self, outcome: CrawlOutcome) -> None:
        self.last_outcome = outcome
        run = f"run {outcome.run_id}" if outcome.run_id else "no run"
        level = logging.INFO if outcome.status == "ok" else logging.WARNING
        logger.log(level, "%s crawl finished in %.1f s: %s (%s, %d new articles, exit %s)%s", outcome.trigger,
                   outcome.seconds, outcome.status, run, outcome.new_articles, outcome.returncode,
                   f": {outcome.error}" if outcome.error else "")
        store = self.store()
        store.record_outcome(outcome.sources, outcome.started, outcome.status, outcome.error, outcome.run_id,
                             {name: status for name, status in outcome.statuses.items() if outcome.status != "ok"})
        self._save_plan()
        self.notifier.status(self.status_line())

    def _heartbeat(self) -> None:
        """Proof of progress (the scheduler still dispatches jobs); the database row at most every minute.

        No database write while a crawl holds the lock: its deferred read-then-write transactions would fail
        at once ("database is locked") if another writer committed in between.
        """
        self.last_beat = time.monotonic()
        if self.last_beat - self.last_db_beat >= DB_BEAT_SECONDS and current_holder(self.config.storage.path) is None:
            self.store().heartbeat(self.status_line())
            self.last_db_beat = self.last_beat

    def _save_plan(self) -> None:
        next_runs = {job.id: job.next_run_time for job in self.scheduler.get_jobs()}
        planned = [PlannedSource(source, job.id, job.schedule, _iso(next_runs.get(job.id)))
                   for job in self.jobs.values() for source in job.sources]
        self.store().save_plan(planned)

    def next_run(self) -> datetime | None:
        times = [job.next_run_time for job in self.scheduler.get_jobs()
                 if job.id in self.jobs and job.next_run_time is not None]
        return min(times, default=None)

    def status_line(self) -> str:
        """The STATUS= line: next run and how the last crawl went."""
        next_run = self.next_run()
        parts = [f"next run {next_run:%Y-%m-%d %H:%M:%S %Z}" if next_run else "no run scheduled"]
        outcome = self.last_outcome
        if outcome is not None:
            parts.append(f"last run {outcome.started} {outcome.trigger}: {outcome.status}")
        if self.crawl.running:
            parts.append("crawling")
        return "; ".join(parts)

    def _install_signal_handlers(self) -> None:
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, self._on_signal)

    def _on_signal(self, signum: int, frame: object) -> None:
        self.signal_name = signal.Signals(signum).name
        if self.stop_requested.is_set():
            self.force.set()
        self.stop_requested.set()

    def _loop(self) -> None:
        """The main thread: ping the watchdog while the heartbeat is fresh, keep STATUS= current."""
        tick = self.watchdog or self.beat
        status = ""
        while not self.stop_requested.wait(tick):
            if self.watchdog and self._healthy():
                self.notifier.watchdog()
            line = self.status_line()
            if line != status:
                self.notifier.status(line)
                status = line

    def _healthy(self) -> bool:
        age = time.monotonic() - self.last_beat
        if age <= 3 * self.beat and self.scheduler.running:
            return True
        logger.error("no scheduler heartbeat for %.0f s: withholding the watchdog ping", age)
        return False

    def _shutdown(self) -> None:
        """Stop scheduling; let a running crawl finish within the grace period, else stop it cleanly."""
        logger.info("%s received: stopping the scheduler", self.signal_name or "stop")
        self.notifier.stopping("stopping")
        self.scheduler.shutdown(wait=False)
        grace = self.config.schedule.stop_grace
        if not self.job_idle.is_set():
            logger.info("waiting up to %d s for the running crawl to finish", grace)
            if not self._wait_for_job(grace):
                self.crawl.stop(STOP_TIMEOUT)
                self.job_idle.wait(STOP_TIMEOUT)
        self.store().daemon_stopped()
        logger.info("daemon stopped")

    def _wait_for_job(self, seconds: float) -> bool:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and not self.force.is_set():
            if self.job_idle.wait(0.1):
                return True
        return self.job_idle.is_set()


def daily_dispatch_trigger(config: Config) -> CronTrigger:
    """[notify] daily_at (HH:MM) every day in [notify] timezone."""
    hour, minute = (int(part) for part in config.notify.daily_at.split(":"))
    return CronTrigger(hour=hour, minute=minute, timezone=ZoneInfo(config.notify.timezone))


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat(timespec="seconds") if moment else None
