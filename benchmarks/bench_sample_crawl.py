"""Benchmark: wall time of a first and a second `wxwatch demo` crawl of the bundled sample (loopback).

Usage: python benchmarks/bench_sample_crawl.py [--runs 5]

Each run uses a fresh database: the first crawl fetches every page and article (then extraction, history,
events); the second finds every feed and listing unchanged (304) and fetches no article page. The times are
the crawl job's own (`seconds` in `wxwatch demo --json`), without the interpreter's start-up; the whole
command's wall time is printed beside them. Prints each run and the medians.
"""

from __future__ import annotations

import argparse
import json
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def demo(db: Path, port: int) -> tuple[float, float]:
    """(crawl job seconds, whole command seconds) of one `wxwatch demo --json` (same port: same URLs)."""
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "wxwatch", "demo", "--json", "--port", str(port), "--db", str(db)],
                            capture_output=True, text=True, check=True)
    return json.loads(result.stdout)["seconds"], time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    first, second, first_cmd, second_cmd = [], [], [], []
    for run in range(args.runs):
        with tempfile.TemporaryDirectory() as tmp:
            db, port = Path(tmp) / "sample.db", free_port()
            job, command = demo(db, port)
            first.append(job)
            first_cmd.append(command)
            job, command = demo(db, port)
            second.append(job)
            second_cmd.append(command)
        print(f"run {run + 1}: first {first[-1]:.2f} s ({first_cmd[-1]:.2f} s command), "
              f"second {second[-1]:.2f} s ({second_cmd[-1]:.2f} s command)")
    print(f"median of {args.runs}: first crawl {statistics.median(first):.2f} s "
          f"(command {statistics.median(first_cmd):.2f} s), second crawl {statistics.median(second):.2f} s "
          f"(command {statistics.median(second_cmd):.2f} s)")


if __name__ == "__main__":
    main()
