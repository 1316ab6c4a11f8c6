"""Measuring a process: wall time and peak RSS of a command, and a timer for code in this one."""

from __future__ import annotations

import contextlib
import gc
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

TIME_BIN = "/usr/bin/time"


@dataclass
class Proc:
    """What :func:`run_measured` saw of one command."""

    seconds: float
    peak_rss_mb: float | None  # None: neither GNU time nor psutil is available
    returncode: int
    stdout: str
    stderr: str
    timed_out: bool = False

    def last_error_line(self) -> str:
        """The last line the command wrote to stderr (its message when it failed)."""
        return (self.stderr.strip().splitlines() or ["(no message)"])[-1]


def has_gnu_time() -> bool:
    return os.access(TIME_BIN, os.X_OK)


def cli_command() -> list[str]:
    """How to run ``sourcing-graph`` from this interpreter's environment."""
    script = Path(sys.executable).with_name("sourcing-graph")
    return [str(script)] if script.exists() else [sys.executable, "-m", "sourcing_graph"]


def run_measured(
    cmd: Sequence[str], env: dict[str, str] | None = None, timeout: float = 3600
) -> Proc:
    """Run ``cmd``: its wall time, and its peak RSS.

    The peak RSS comes from GNU time (``%M``) when ``/usr/bin/time`` exists: the child is forked
    from that small process. (``ru_maxrss`` of a child forked straight from this benchmark starts
    at the benchmark's own RSS, which the kernel carries over the fork and exec.) Without GNU time,
    the child's RSS is polled with psutil every 5 ms.
    """
    with (
        tempfile.TemporaryFile() as out,
        tempfile.TemporaryFile() as err,
        tempfile.NamedTemporaryFile("r", suffix=".rss") as rss_file,
    ):
        use_time = has_gnu_time()
        full = [TIME_BIN, "-f", "%M", "-o", rss_file.name, *cmd] if use_time else list(cmd)
        start = time.perf_counter()
        proc = subprocess.Popen(
            full,
            stdout=out,
            stderr=err,
            stdin=subprocess.DEVNULL,
            env=env,
            start_new_session=True,  # its own process group, so a timeout can stop all of it
        )
        watched = None if use_time else _psutil_process(proc.pid)
        peak, timed_out = _wait(proc, watched, start + timeout)
        seconds = time.perf_counter() - start
        if use_time:
            text = rss_file.read().strip().splitlines()
            with contextlib.suppress(ValueError, IndexError):
                peak = int(text[-1]) * 1024  # KiB
        out.seek(0)
        err.seek(0)
        return Proc(
            seconds,
            peak / 1024 / 1024 if (use_time or watched is not None) and peak else None,
            proc.returncode,
            out.read().decode("utf-8", "replace"),
            err.read().decode("utf-8", "replace"),
            timed_out,
        )


def _psutil_process(pid: int) -> object | None:
    with contextlib.suppress(Exception):
        import psutil  # optional (the bench extra): only needed without GNU time

        return psutil.Process(pid)
    return None


def _wait(
    proc: subprocess.Popen[bytes], watched: object | None, deadline: float
) -> tuple[int, bool]:
    """Wait for ``proc`` (polling ``watched``'s RSS); kill it at ``deadline``: (peak, timed out)."""
    peak = 0
    while proc.poll() is None:
        if watched is not None:
            with contextlib.suppress(Exception):
                peak = max(peak, watched.memory_info().rss)  # type: ignore[attr-defined]
        if time.perf_counter() > deadline:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)  # GNU time and the command under it
            proc.wait()
            return peak, True
        time.sleep(0.005)
    return peak, False


@contextlib.contextmanager
def timer() -> Iterator[list[float]]:
    """``with timer() as t: ...`` then ``t[0]`` is the wall time in seconds (GC collected first)."""
    gc.collect()
    box: list[float] = []
    start = time.perf_counter()
    try:
        yield box
    finally:
        box.append(time.perf_counter() - start)
