"""Every malformed register, through the real CLI: a precise message, exit 1, no traceback, and
nothing changed in Neo4j (checked against the real server)."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys

import pytest
from register_cases import MALFORMED_CASES

pytestmark = pytest.mark.neo4j

EXAMPLE = "examples/acme-retail"


def snapshot(store) -> str:  # type: ignore[no-untyped-def]
    """A digest of every register node and relationship with its properties."""
    nodes = store.read(
        "MATCH (n) WHERE n:Contract OR n:Lot OR n:Function OR n:Organisation "
        "RETURN labels(n) AS l, properties(n) AS p ORDER BY n.uri"
    )
    rels = store.read(
        "MATCH (a)-[r]->(b) WHERE a:Contract OR a:Lot "
        "RETURN a.uri AS a, type(r) AS t, b.uri AS b ORDER BY a, t, b"
    )
    return hashlib.sha256(repr((nodes, rels)).encode()).hexdigest()


@pytest.fixture(scope="module")
def loaded(neo4j_store):  # type: ignore[no-untyped-def]
    from conftest import ROOT

    from sourcing_graph.loaders.csv_reader import read_register

    neo4j_store.load_register(read_register(ROOT / EXAMPLE))
    return neo4j_store, snapshot(neo4j_store)


def cli(store, *args: str) -> subprocess.CompletedProcess[str]:  # type: ignore[no-untyped-def]
    env = dict(
        os.environ,
        NEO4J_URI=store.settings.uri,
        NEO4J_USER=store.settings.user,
        NEO4J_PASSWORD=store.settings.password or "",
    )
    return subprocess.run(
        [sys.executable, "-m", "sourcing_graph", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )


@pytest.mark.parametrize(
    ("case_id", "path", "file", "line", "column", "value", "message"),
    MALFORMED_CASES,
    ids=[c[0] for c in MALFORMED_CASES],
)
def test_malformed_register_loads_nothing(  # type: ignore[no-untyped-def]
    loaded, case_id, path, file, line, column, value, message
) -> None:
    store, before = loaded
    result = cli(store, "load", str(path))
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert f"{file}:{line}:{column}: error:" in result.stderr
    if value is not None:
        assert value in result.stderr
    assert message in result.stderr
    assert "nothing was loaded" in result.stderr
    assert snapshot(store) == before, f"{case_id} changed the graph in Neo4j"
