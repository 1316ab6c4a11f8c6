"""What every part of one benchmark run shares: its options, results, log and the measured commands."""

from __future__ import annotations

import os
import sys
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.measure import Proc, cli_command, run_measured
from bench.results import Results

SKIPPABLE = ("rdflib", "browser", "loadcsv", "neo4j", "views", "cli")


@dataclass
class Options:
    """The options of ``python -m bench.run``."""

    sizes: list[int]
    repeat: int
    out: Path
    skip: set[str]
    quick: bool
    wipe: bool
    seed: int
    workdir: Path | None
    rdflib_timeout: float
    rdflib_budget: float
    browser_timeout: float
    replace_timeout: float
    import_dir: Path | None
    json_out: Path | None
    argv: list[str]


class Session:
    """The options, the results, the work folder and the Neo4j settings of one run."""

    def __init__(self, opts: Options) -> None:
        self.opts = opts
        self.res = Results(opts.sizes, opts.repeat)
        self.settings: Any = None  # Neo4jSettings when Neo4j is measured
        self.workdir = Path(".")

    def log(self, message: str) -> None:
        print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)

    def skipped(self, what: str) -> bool:
        return what in self.opts.skip

    def attempt(self, size: int, key: str, what: str, func: Callable[[], Any]) -> Any:
        """Run ``func``; on failure note it under (size, key) and carry on."""
        try:
            return func()
        except Exception as exc:  # a benchmark reports failures, it does not stop at them
            message = f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
            self.res.failed(size, key, f"{what}: {message}", message[:120])
            self.log(f"{what} failed: {message}")
            if os.environ.get("BENCH_DEBUG"):
                traceback.print_exc()
            return None

    def cli_env(self) -> dict[str, str]:
        """The environment of a ``sourcing-graph`` command: this one, with the Neo4j settings."""
        env = dict(os.environ)
        if self.settings is not None:
            env["NEO4J_URI"] = self.settings.uri
            env["NEO4J_USER"] = self.settings.user
            if self.settings.password is not None:
                env["NEO4J_PASSWORD"] = self.settings.password
            if self.settings.database:
                env["NEO4J_DATABASE"] = self.settings.database
        return env

    def run_cli(self, args: list[str], timeout: float = 3600) -> Proc:
        return run_measured([*cli_command(), *args], env=self.cli_env(), timeout=timeout)

    def cli(self, size: int, key: str, args: list[str]) -> Proc | None:
        """Run ``sourcing-graph ARGS``; record its wall time under ``key`` and its peak RSS."""
        proc = self.run_cli(args)
        if proc.returncode != 0:
            tail = proc.last_error_line()
            self.res.failed(
                size,
                key,
                f"sourcing-graph {args[0]}: exit {proc.returncode}: {tail}",
                f"exit {proc.returncode}: {tail[:100]}",
            )
            self.log(f"sourcing-graph {args[0]} failed: {tail}")
            return None
        self.record(size, key, proc)
        return proc

    def record(self, size: int, key: str, proc: Proc) -> None:
        """``proc``'s wall time under ``key``, its peak RSS under ``key.rss``."""
        self.res.add(size, key, proc.seconds)
        self.record_rss(size, key + ".rss", proc)

    def record_rss(self, size: int, key: str, proc: Proc) -> None:
        if proc.peak_rss_mb is None:
            self.res.note(size, key, "not measured (install GNU time or psutil)")
        else:
            self.res.add(size, key, proc.peak_rss_mb)
