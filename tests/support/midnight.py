"""Opt-in pytest plugin: the date moves on by a day before every test phase (setup, call,
teardown) and every ``SG_MIDNIGHT_STEP`` seconds (default 0.5) while the tests run, so that a
test comparing a result computed on one day with one computed on another fails at once, as it
would once in a while when the suite crosses midnight. For finding such tests; not part of the
suite.

It needs libfaketime (Debian: ``apt-get install faketime``) preloaded in the pytest process; the
Python subprocesses (the CLI) inherit it, any other program (the Neo4j server, Chromium) runs
without it. libfaketime makes ``time.sleep`` fail (EINVAL) with an unfaked monotonic clock, so
every Python here sleeps with ``select`` instead::

    FAKETIME_TIMESTAMP_FILE=$(mktemp) FAKETIME_NO_CACHE=1 FAKETIME_DONT_FAKE_MONOTONIC=1 \\
    LD_PRELOAD=/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1 \\
      .venv/bin/pytest -p tests.support.midnight tests/integration/test_neo4j_faults.py

The TLS tests cannot run so (their certificates are dated by a program without it).
"""

from __future__ import annotations

import os
import select
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date
from pathlib import Path
from typing import Any

import pytest

FAKED = ("LD_PRELOAD", "FAKETIME_TIMESTAMP_FILE", "FAKETIME_NO_CACHE")


class Clock:
    """Writes the offset (``+Nd``) libfaketime reads; each :meth:`tick` adds a day."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.days = 0
        self.lock = threading.Lock()
        self.write()

    def write(self) -> None:
        temporary = self.path.with_name(self.path.name + ".new")
        temporary.write_text(f"+{self.days}d\n", encoding="ascii")
        os.replace(temporary, self.path)

    def tick(self) -> None:
        with self.lock:
            self.days += 1
            self.write()


SLEEP_WITH_SELECT = """import select, time
time.sleep = lambda seconds: select.select([], [], [], seconds) and None
"""


def _sleep_with_select(folder: Path) -> None:
    """``time.sleep`` by ``select`` here and (``sitecustomize`` on PYTHONPATH) in children."""
    time.sleep = lambda seconds: select.select([], [], [], seconds) and None  # type: ignore[assignment]
    (folder / "sitecustomize.py").write_text(SLEEP_WITH_SELECT, encoding="utf-8")
    paths = [str(folder), *filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep))]
    os.environ["PYTHONPATH"] = os.pathsep.join(paths)


def _without_faketime_for_other_programs() -> None:
    """Programs other than this Python (the Neo4j server's script, Chromium's driver) run
    without libfaketime."""
    original = subprocess.Popen.__init__

    def init(self: Any, args: Any, *rest: Any, **kwargs: Any) -> None:
        first = args if isinstance(args, (str, bytes, os.PathLike)) else args[0]
        if str(first) != sys.executable:
            env = dict(os.environ if kwargs.get("env") is None else kwargs["env"])
            for name in FAKED:
                env.pop(name, None)
            kwargs["env"] = env
        original(self, args, *rest, **kwargs)

    subprocess.Popen.__init__ = init  # type: ignore[method-assign]


def pytest_configure(config: pytest.Config) -> None:
    path = os.environ.get("FAKETIME_TIMESTAMP_FILE")
    if not path or "faketime" not in os.environ.get("LD_PRELOAD", ""):
        raise pytest.UsageError("tests.support.midnight needs libfaketime: see its docstring")
    _sleep_with_select(Path(tempfile.mkdtemp(prefix="midnight-")))
    clock = Clock(Path(path))
    first = date.today()
    clock.tick()
    if date.today() == first:
        raise pytest.UsageError("libfaketime does not move the date: FAKETIME_NO_CACHE=1?")
    _without_faketime_for_other_programs()
    step = float(os.environ.get("SG_MIDNIGHT_STEP", "0.5"))

    def run() -> None:
        while True:
            time.sleep(step)
            clock.tick()

    threading.Thread(target=run, daemon=True).start()
    config.stash[CLOCK] = clock


CLOCK = pytest.StashKey[Clock]()


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    item.config.stash[CLOCK].tick()


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_call(item: pytest.Item) -> None:
    item.config.stash[CLOCK].tick()


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_teardown(item: pytest.Item) -> None:
    item.config.stash[CLOCK].tick()
