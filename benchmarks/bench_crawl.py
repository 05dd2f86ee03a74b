"""Crawl measurements on the loopback site: server rate, bare Scrapy, `wxwatch crawl` (first, second), news-please.

Used by benchmarks/run.py; each measured command runs in its own process, timed with os.wait4 (wall, user+sys
CPU of the process and the children it waited for, peak RSS).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
PYTHON = sys.executable
NEWSPLEASE_PYTHON = Path(os.environ.get("NEWSPLEASE_PYTHON", "/work/bench/np-venv/bin/python"))


@dataclass
class Measured:
    wall: float
    cpu: float  # user + sys seconds
    max_rss_kib: int  # the largest single process (getrusage)
    stdout: str
    tree_rss_kib: int = 0  # peak of the process and its children together (sampled every 0.2 s)


PAGE_KIB = os.sysconf("SC_PAGE_SIZE") // 1024


def tree_rss_kib(root: int) -> int:
    """Resident memory of `root` and all its descendants now (from /proc)."""
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(stat.parent.name)] = int(fields[1])
    tree, total, grown = {root}, 0, True
    while grown:  # until no process joins (a child's pid may be lower than its parent's after wrap-around)
        joining = {pid for pid, parent in parents.items() if parent in tree} - tree
        tree |= joining
        grown = bool(joining)
    for pid in tree:
        try:
            total += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE_KIB
        except (OSError, IndexError):
            continue
    return total


class TreeSampler(threading.Thread):
    """Samples the process tree's resident memory until stopped; keeps the peak."""

    def __init__(self, pid: int, every: float = 0.2) -> None:
        super().__init__(daemon=True)
        self.pid, self.every, self.peak, self.done = pid, every, 0, threading.Event()

    def run(self) -> None:
        while not self.done.wait(self.every):
            self.peak = max(self.peak, tree_rss_kib(self.pid))


def measure(command: list[str], cwd: Path | None = None) -> Measured:
    """Run `command` to completion; its wall time, CPU time (with reaped children) and peak RSS."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=out, stderr=err, cwd=cwd)
        sampler = TreeSampler(process.pid)
        sampler.start()
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        sampler.done.set()
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if process.returncode:
            raise RuntimeError(f"{' '.join(command[:4])}... exited {process.returncode}: {err.read().decode()[-2000:]}")
        return Measured(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss, out.read().decode(),
                        max(sampler.peak, usage.ru_maxrss))


@contextmanager
def loop_server(root: Path, host: str = "127.0.0.1"):
    """The fast static server on an ephemeral port in its own process; yields the base URL (on 127.0.0.1)."""
    process = subprocess.Popen([PYTHON, str(HERE / "loopserver.py"), str(root), "--host", host],
                               stdout=subprocess.PIPE, text=True)
    try:
        port = int(process.stdout.readline())
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(10)


def server_hits(base_url: str, reset: bool = False) -> dict[str, int]:
    with urllib.request.urlopen(base_url + ("/__reset" if reset else "/__stats")) as response:
        return json.loads(response.read())


def wrk_rate(base_url: str, paths: list[str], folder: Path, seconds: int = 5, connections: int = 16) -> float | None:
    """Requests/s the server alone sustains over the article pages (wrk, one thread), or None without wrk."""
    if not shutil.which("wrk"):
        return None
    script = folder / "paths.lua"
    quoted = ",".join(f'"{p}"' for p in paths)
    script.write_text(f"local paths = {{{quoted}}}\nlocal i = 0\n"
                      "request = function() i = i % #paths + 1; return wrk.format('GET', paths[i]) end\n")
    result = subprocess.run(["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "-s", str(script), base_url],
                            capture_output=True, text=True, check=True)
    match = re.search(r"Requests/sec:\s+([\d.]+)", result.stdout)
    return float(match.group(1)) if match else None


def bare_scrapy(urls_file: Path, concurrency: int) -> tuple[Measured, dict]:
    run = measure([PYTHON, str(HERE / "discard_spider.py"), str(urls_file), "--concurrency", str(concurrency)])
    return run, json.loads(run.stdout.strip().splitlines()[-1])


def floor_pipeline(urls_file: Path, db: Path, concurrency: int) -> tuple[Measured, dict]:
    """Bare Scrapy + trafilatura in a process pool (every core) + batched SQLite inserts, into a fresh `db`."""
    for old in db.parent.glob(db.name + "*"):
        old.unlink()
    run = measure([PYTHON, str(HERE / "floor_pipeline.py"), str(urls_file), str(db), "--concurrency",
                   str(concurrency)])
    return run, json.loads(run.stdout.strip().splitlines()[-1])


def wxwatch_crawl(config: Path, profile: Path | None = None, python: Path | str = PYTHON) -> tuple[Measured, dict]:
    """`wxwatch crawl --json` with `python` (the worktree's venv by default, or a reference install's)."""
    python = str(python)
    prefix = [python, "-m", "cProfile", "-o", str(profile), "-m", "wxwatch"] if profile else [python, "-m", "wxwatch"]
    run = measure(prefix + ["--config", str(config), "crawl", "--json"], cwd=config.parent)
    return run, json.loads(run.stdout[run.stdout.index("{"):])


def news_please(urls_file: Path, python: Path = NEWSPLEASE_PYTHON) -> tuple[Measured, dict] | str:
    """news-please over the article URLs (with its own venv's `python`), or why it cannot run."""
    if not python.exists():
        return f"not installed ({python} missing; see benchmarks/README.md)"
    try:
        run = measure([str(python), str(HERE / "newsplease_crawl.py"), str(urls_file)])
    except RuntimeError as exc:
        return f"failed: {str(exc)[-300:]}"
    return run, json.loads(run.stdout.strip().splitlines()[-1])
