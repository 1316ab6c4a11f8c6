"""Running ``sourcing-graph`` as a user does, with or without the test Neo4j.

:func:`cli` runs the command's ``main`` in this process by default (the interpreter start and the
imports of a subprocess cost about a second of CPU each, hundreds of times in the suite), with
the given environment, the repository as the working folder, and stdout and stderr read the way
a subprocess's are (UTF-8, universal newlines); the exit code is the one ``main`` exits with, and
an exception it lets through is a traceback on stderr and exit code 1, as Python gives it. A test
about the process itself (what a real process prints, signals, the interpreter's own output)
passes ``process=True``.
"""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
import tempfile
import threading
import traceback
from collections.abc import Iterator
from pathlib import Path

from tests.support import ROOT
from tests.support.notifications import COLLECTOR

_ONE_AT_A_TIME = threading.Lock()
"""The process-wide state an in-process run swaps (environment, folder, streams)."""


def cli(
    *args: str, env: dict[str, str] | None = None, process: bool = False
) -> subprocess.CompletedProcess[str]:
    """``sourcing-graph ARGS`` (in this process unless ``process``); the deprecations the server
    notified about its queries join the test's (:data:`~tests.support.notifications.COLLECTOR`)."""
    if not process:
        return in_process(args, env)
    with tempfile.TemporaryDirectory() as folder:
        kept = Path(folder) / "deprecations.txt"
        done = subprocess.run(
            [sys.executable, "-m", "tests.support.cli_child", *args],
            capture_output=True,
            text=True,
            env=dict(os.environ if env is None else env, SG_TEST_DEPRECATIONS=str(kept)),
            cwd=ROOT,
            timeout=300,
        )
        if kept.exists():
            COLLECTOR.add(kept.read_text(encoding="utf-8").split("\n"))
    return done


def in_process(
    args: tuple[str, ...], env: dict[str, str] | None
) -> subprocess.CompletedProcess[str]:
    """``main(args)`` here, as :func:`cli` describes."""
    from sourcing_graph.cli import main

    out, err = io.BytesIO(), io.BytesIO()
    stdout = io.TextIOWrapper(out, encoding="utf-8", newline="\n", write_through=True)
    stderr = io.TextIOWrapper(
        err, encoding="utf-8", errors="backslashreplace", newline="\n", write_through=True
    )
    code: int
    with _ONE_AT_A_TIME, _environment(env, args), _streams(stdout, stderr):
        try:
            main(list(args))
            code = 0
        except SystemExit as exc:
            code = _exit_code(exc.code, stderr)
        except Exception:  # noqa: BLE001 - what the interpreter would print, and exit 1
            stderr.write(traceback.format_exc())
            code = 1
        stdout.flush()
        stderr.flush()
    return subprocess.CompletedProcess(
        ["sourcing-graph", *args], code, _text(out.getvalue()), _text(err.getvalue())
    )


def _exit_code(code: object, stderr: io.TextIOWrapper) -> int:
    """What a process exits with for ``sys.exit(code)``."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    stderr.write(f"{code}\n")  # sys.exit("message"): printed, exit 1
    return 1


def _text(data: bytes) -> str:
    """The bytes as ``subprocess.run(text=True)`` reads them: UTF-8, universal newlines."""
    return data.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")


@contextlib.contextmanager
def _environment(env: dict[str, str] | None, args: tuple[str, ...]) -> Iterator[None]:
    saved, folder, argv, stdin = dict(os.environ), os.getcwd(), sys.argv, sys.stdin
    sys.argv = ["sourcing-graph", *args]
    sys.stdin = io.StringIO("")
    if env is not None:
        os.environ.clear()
        os.environ.update(env)
    os.chdir(ROOT)
    try:
        yield
    finally:
        os.chdir(folder)
        sys.argv, sys.stdin = argv, stdin
        os.environ.clear()
        os.environ.update(saved)


@contextlib.contextmanager
def _streams(stdout: io.TextIOWrapper, stderr: io.TextIOWrapper) -> Iterator[None]:
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        yield


def no_neo4j_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}


def neo4j_env(store) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return dict(
        os.environ,
        NEO4J_URI=store.settings.uri,
        NEO4J_USER=store.settings.user,
        NEO4J_PASSWORD=store.settings.password or "",
        NEO4J_NOTIFICATIONS=store.settings.notifications,
    )
