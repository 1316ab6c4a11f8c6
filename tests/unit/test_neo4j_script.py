"""``scripts/neo4j env`` and ``status`` on a server never started: exit 1, one line saying to run
``scripts/neo4j start``, and nothing for ``eval`` (issue 15). No server, no Java needed."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from tests.support import ROOT

SCRIPT = ROOT / "scripts" / "neo4j"


def run(command: str, home: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}
    env |= {"NEO4J_HOME_DIR": str(home), "NEO4J_BOLT_PORT": "7715"}
    return subprocess.run(
        [str(SCRIPT), command], env=env, capture_output=True, text=True, timeout=60
    )


def never_started(tmp_path: Path, how: str) -> Path:
    """A data dir of a server never started: no dir at all, or a dir without a password file."""
    home = tmp_path / "fresh neo4j"  # a space: the message quotes nothing wrongly
    if how == "no password file":
        (home / "import").mkdir(parents=True)
    return home


@pytest.mark.parametrize("how", ["no data dir", "no password file"])
@pytest.mark.parametrize("command", ["env", "status"])
def test_never_started_exits_1_saying_to_start(tmp_path: Path, how: str, command: str) -> None:
    home = never_started(tmp_path, how)
    done = run(command, home)
    assert done.returncode == 1
    assert done.stdout == ""  # env: nothing to eval, so no half-set NEO4J_PASSWORD
    (line,) = done.stderr.splitlines()
    assert line.startswith(f"neo4j: never started here ({how} ")
    assert str(home) in line
    assert line.endswith("/scripts/neo4j start' first")
    assert "NEO4J_HOME_DIR=" in line and "NEO4J_BOLT_PORT=7715" in line


def test_eval_of_env_sets_nothing_before_start(tmp_path: Path) -> None:
    home = never_started(tmp_path, "no data dir")
    shell = f'eval "$({SCRIPT} env)"; echo "uri=${{NEO4J_URI-unset}}"'
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}
    done = subprocess.run(
        ["bash", "-c", shell],
        env=env | {"NEO4J_HOME_DIR": str(home)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.stdout == "uri=unset\n"
    assert "run '" in done.stderr and "cat:" not in done.stderr


def test_a_stopped_server_is_status_3_and_env_works(tmp_path: Path) -> None:
    home = tmp_path / "neo4j"
    home.mkdir()
    (home / "password").write_text("not-a-real-password\n", encoding="utf-8")
    (home / "password").chmod(0o600)
    status = run("status", home)
    assert status.returncode == 3
    assert status.stdout.startswith("neo4j: not running\n")
    env = run("env", home)
    assert env.returncode == 0 and env.stderr == ""
    assert "export NEO4J_URI=bolt://127.0.0.1:7715\n" in env.stdout
    assert f'export NEO4J_PASSWORD="$(cat {home}/password)"' in env.stdout
    assert "not-a-real-password" not in env.stdout  # the password itself is never printed


def test_the_exit_codes_are_documented_in_the_header() -> None:
    header = SCRIPT.read_text(encoding="utf-8").split("set -euo pipefail", 1)[0]
    assert "status    exit 0 when running, 3 when stopped, 1 when never started here" in header
    assert "Exit codes:" in header
