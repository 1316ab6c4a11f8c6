"""Running ``sourcing-graph`` as a user does (a subprocess), with or without the test Neo4j."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.support import ROOT


def cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sourcing_graph", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=300,
    )


def no_neo4j_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}


def neo4j_env(store) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return dict(
        os.environ,
        NEO4J_URI=store.settings.uri,
        NEO4J_USER=store.settings.user,
        NEO4J_PASSWORD=store.settings.password or "",
    )
