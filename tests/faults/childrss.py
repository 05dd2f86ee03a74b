"""Run a command and measure the peak memory of that one child (os.wait4), not of every child of the session."""

from __future__ import annotations

import os
import subprocess
import tempfile


def run_with_peak_rss(argv: list[str], **popen_kwargs) -> tuple[subprocess.CompletedProcess, float]:
    """(the finished process with its text output, its own peak RSS in MiB)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(argv, stdout=out, stderr=err, **popen_kwargs)
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        result = subprocess.CompletedProcess(argv, proc.returncode, out.read().decode(), err.read().decode())
    return result, usage.ru_maxrss / 1024
