"""Running ``sourcing-graph`` as a user does (a subprocess), with or without the test Neo4j."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from tests.support import ROOT
from tests.support.notifications import COLLECTOR


def cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """``sourcing-graph ARGS`` in a subprocess; the deprecations the server notified about its
    queries join the test's (:data:`~tests.support.notifications.COLLECTOR`)."""
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
