"""Benchmark: the daemon's RSS after N seconds-level scheduled runs versus after the first (flat means no leak).

Usage: python benchmarks/bench_daemon_memory.py [--runs 200] [--every 1] [--log daemon.log]

Serves the loopback test site (tests/crawler/testsite.py: an RSS and an Atom feed with their articles),
starts `python -m wxwatch -v run` with `[schedule] every_seconds` against a fresh database in a temporary
folder, reads the daemon's VmRSS from /proc after each scheduled run (each run is a `wxwatch crawl`
subprocess), then stops it with SIGTERM. Prints RSS after run 1, 10, 50, 100, ... N and the exit status.
"""

from __future__ import annotations

import argparse
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "tests" / "crawler")]

from testsite import build_site  # noqa: E402

CHECKPOINTS = (1, 10, 25, 50, 100, 150, 200, 300, 400, 500)


def settings(folder: Path, base_url: str, every: int) -> Path:
    feeds = {"rss": "/feeds/rss.xml", "atom": "/feeds/atom.xml"}
    tables = "".join(f'[[sources]]\nname = "{name}"\nkind = "feed"\nurl = "{base_url}{path}"\nallow_private = true\n\n'
                     for name, path in feeds.items())
    path = folder / "settings.toml"
    path.write_text(f'[storage]\npath = "{folder / "wx.db"}"\n\n[schedule]\nevery_seconds = {every}\n'
                    'misfire_grace = 60\n\n[crawler]\nautothrottle = false\ndownload_delay = 0.0\n\n' + tables,
                    encoding="utf-8")
    return path


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS")


def scheduled_runs(db: Path) -> int:
    if not db.exists():
        return 0
    with sqlite3.connect(db) as conn:
        try:
            return conn.execute("select count(*) from runs where trigger = 'scheduled' and finished is not null"
                                ).fetchone()[0]
        except sqlite3.OperationalError:
            return 0


def measure(daemon: subprocess.Popen, db: Path, runs: int) -> dict[int, int]:
    """RSS (KiB) of the daemon right after each checkpoint run has finished."""
    figures: dict[int, int] = {}
    done = 0
    while done < runs:
        if daemon.poll() is not None:
            raise RuntimeError(f"daemon exited with {daemon.returncode}")
        now = scheduled_runs(db)
        if now > done:
            done = now
            if any(done >= c and c not in figures for c in CHECKPOINTS if c <= runs) or done >= runs:
                figures[done] = rss_kib(daemon.pid)
                print(f"after {done:4d} scheduled runs: daemon RSS {figures[done] / 1024:.1f} MiB", flush=True)
        time.sleep(0.05)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--every", type=int, default=1, help="[schedule] every_seconds")
    parser.add_argument("--log", type=Path, help="keep the daemon's log here")
    args = parser.parse_args()
    site = build_site()
    with site.running() as base_url, tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        log = (args.log or folder / "daemon.log").open("wb")
        config = settings(folder, base_url, args.every)
        command = [sys.executable, "-m", "wxwatch", "-v", "--config", str(config), "run"]
        started = time.monotonic()
        daemon = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, cwd=folder)
        try:
            figures = measure(daemon, folder / "wx.db", args.runs)
        finally:
            daemon.send_signal(signal.SIGTERM)
            code = daemon.wait(60)
            log.close()
        first, last = figures[min(figures)], figures[max(figures)]
        print(f"{max(figures)} runs in {time.monotonic() - started:.0f} s; RSS after run 1: {first / 1024:.1f} MiB, "
              f"after run {max(figures)}: {last / 1024:.1f} MiB ({(last - first) / 1024:+.1f} MiB); "
              f"daemon exit status after SIGTERM: {code}")


if __name__ == "__main__":
    main()
