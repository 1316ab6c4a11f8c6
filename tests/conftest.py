"""Shared fixtures: the real Neo4j (from the environment), paths to examples and test data."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# ``bench`` is a top-level folder, not part of the package; tests import it from the root.
if str(ROOT) not in sys.path:
    sys.path.append(str(ROOT))
EXAMPLES = ROOT / "examples"
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def neo4j_settings():  # type: ignore[no-untyped-def]
    """The connection settings from the environment, or None when none are configured."""
    from sourcing_graph.graph.neo4j import Neo4jSettings

    uri = os.environ.get("NEO4J_URI")
    if not uri:
        return None
    return Neo4jSettings(
        uri=uri,
        user=os.environ.get("NEO4J_USER", "neo4j"),
        password=os.environ.get("NEO4J_PASSWORD"),
        database=os.environ.get("NEO4J_DATABASE") or None,
        trusted_ca=os.environ.get("NEO4J_TRUSTED_CA") or None,
    )


def _no_neo4j(reason: str) -> None:
    if IN_CI:
        pytest.fail(f"CI=true and Neo4j is needed but {reason}", pytrace=False)
    pytest.skip(f"Neo4j needed: {reason} (scripts/test starts one)")


@pytest.fixture(scope="session")
def neo4j_store() -> Iterator[object]:
    """A connected :class:`Neo4jStore` on the test server; the database is left empty afterwards.

    Integration tests replace the loaded register freely, so they refuse a database that already
    holds a register unless ``SOURCING_GRAPH_TEST_WIPE=1`` says it is a scratch server
    (``scripts/test`` sets it for the server it starts).
    """
    from sourcing_graph.errors import SourcingGraphError
    from sourcing_graph.graph.neo4j import Neo4jStore

    settings = neo4j_settings()
    if settings is None:
        _no_neo4j("NEO4J_URI is not set")
    try:
        store = Neo4jStore.connect(settings)
    except SourcingGraphError as exc:
        _no_neo4j(str(exc))
    occupied = store.read("MATCH (n) WHERE n:Contract OR n:Lot RETURN count(n) AS n")[0]["n"]
    if occupied and os.environ.get("SOURCING_GRAPH_TEST_WIPE") != "1":
        store.close()
        pytest.fail(
            f"the Neo4j database at {settings.uri} already holds a register; integration tests "
            "replace it. Use a scratch server (scripts/test) or set SOURCING_GRAPH_TEST_WIPE=1.",
            pytrace=False,
        )
    yield store
    wipe(store)
    store.close()


def wipe(store: object) -> None:
    """Delete every node and relationship (the test server only)."""
    driver = store.driver  # type: ignore[attr-defined]
    with driver.session(database=store.database) as session:  # type: ignore[attr-defined]
        session.run(
            "MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS"
        ).consume()


@pytest.fixture
def examples_dir() -> Path:
    return EXAMPLES
