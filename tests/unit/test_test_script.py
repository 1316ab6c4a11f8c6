"""``scripts/test`` never takes over a Neo4j that is already running in the data dir it would use
(issue 15): it would empty the database and stop the server. It refuses at once, saying how to run
the suite beside it. A stand-in process plays the running server (no Java needed)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support import ROOT

SCRIPT = ROOT / "scripts" / "test"
MAIN_CLASS = "dev.sourcinggraph.neo4j.DevServer"


@pytest.fixture
def running_home(tmp_path: Path) -> Iterator[Path]:
    """A data dir whose server ``scripts/neo4j status`` finds running: its pid file names a live
    process whose command line is the server's (main class, ``--home`` the data dir)."""
    home = tmp_path / "neo4j"
    home.mkdir()
    (home / "password").write_text("not-a-real-password\n", encoding="utf-8")
    sleeper = "import time; time.sleep(120)"
    server = subprocess.Popen([sys.executable, "-c", sleeper, MAIN_CLASS, "--home", str(home), "x"])
    (home / "neo4j.pid").write_text(f"{server.pid}\n", encoding="utf-8")
    try:
        yield home
    finally:
        server.kill()
        server.wait(timeout=30)


def test_a_running_server_of_its_data_dir_is_refused_at_once(running_home: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}
    env |= {"NEO4J_HOME_DIR": str(running_home), "NEO4J_BOLT_PORT": "7716"}
    env["SOURCING_GRAPH_VENV"] = str(running_home / "no-venv")  # nothing is installed first
    status = subprocess.run(
        [str(ROOT / "scripts" / "neo4j"), "status"], env=env, capture_output=True, timeout=60
    )
    assert status.returncode == 0  # the stand-in counts as running
    done = subprocess.run(
        [str(SCRIPT)], env=env, capture_output=True, text=True, timeout=60, cwd=ROOT
    )
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr == (
        f"scripts/test: a Neo4j is running in {running_home} (Bolt port 7716); the suite would "
        "empty its database and stop it, so it did nothing. Run it beside that server with a "
        f"data dir and ports of its own: NEO4J_HOME_DIR={ROOT}/.neo4j-test NEO4J_BOLT_PORT=7700 "
        "NEO4J_HTTP_PORT=0 scripts/test\n"
    )
    assert not (running_home / "no-venv").exists()


def test_the_guard_comes_before_anything_is_installed_or_started() -> None:
    text = SCRIPT.read_text(encoding="utf-8")
    guard = text.index('"$root/scripts/neo4j" status')
    assert guard < text.index("python3 -m venv") < text.index('"$root/scripts/neo4j" start')
