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
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
PYTHON = sys.executable
NEWSPLEASE_PYTHON = Path(os.environ.get("NEWSPLEASE_PYTHON", "/tmp/np-venv/bin/python"))


@dataclass
class Measured:
    wall: float
    cpu: float  # user + sys seconds
    max_rss_kib: int
    stdout: str


def measure(command: list[str], cwd: Path | None = None) -> Measured:
    """Run `command` to completion; its wall time, CPU time (with reaped children) and peak RSS."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=out, stderr=err, cwd=cwd)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if process.returncode:
            raise RuntimeError(f"{' '.join(command[:4])}... exited {process.returncode}: {err.read().decode()[-2000:]}")
        return Measured(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss, out.read().decode())


@contextmanager
def loop_server(root: Path):
    """The fast static server on an ephemeral port in its own process; yields the base URL."""
    process = subprocess.Popen([PYTHON, str(HERE / "loopserver.py"), str(root)], stdout=subprocess.PIPE, text=True)
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


def wxwatch_crawl(config: Path, profile: Path | None = None) -> tuple[Measured, dict]:
    prefix = [PYTHON, "-m", "cProfile", "-o", str(profile), "-m", "wxwatch"] if profile else [PYTHON, "-m", "wxwatch"]
    run = measure(prefix + ["--config", str(config), "crawl", "--json"], cwd=config.parent)
    return run, json.loads(run.stdout[run.stdout.index("{"):])


def news_please(urls_file: Path) -> tuple[Measured, dict] | str:
    """news-please over the article URLs, or why it cannot run."""
    if not NEWSPLEASE_PYTHON.exists():
        return f"not installed ({NEWSPLEASE_PYTHON} missing; see benchmarks/README.md)"
    try:
        run = measure([str(NEWSPLEASE_PYTHON), str(HERE / "newsplease_crawl.py"), str(urls_file)])
    except RuntimeError as exc:
        return f"failed: {str(exc)[-300:]}"
    return run, json.loads(run.stdout.strip().splitlines()[-1])
