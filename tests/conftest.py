"""Shared fixtures: the real Neo4j (from the environment) and the examples folder; the helpers they
use are in ``tests.support``."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support import EXAMPLES
from tests.support.notifications import COLLECTOR, DeprecationCollector
from tests.support.server import neo4j_settings, no_neo4j, wipe


@pytest.fixture(autouse=True)
def no_deprecated_cypher(request: pytest.FixtureRequest) -> Iterator[DeprecationCollector]:
    """Fail a test whose queries (the store's, the named queries, a person's; in this process or
    a CLI run of :func:`tests.support.cli.cli`) use a feature the server says is deprecated; a
    test marked ``deprecated_cypher`` runs one on purpose."""
    COLLECTOR.take()
    yield COLLECTOR
    found = COLLECTOR.take()
    if found and request.node.get_closest_marker("deprecated_cypher") is None:
        pytest.fail("Neo4j notified a deprecation:\n" + "\n".join(found), pytrace=False)


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
        no_neo4j("NEO4J_URI is not set")
    try:
        store = Neo4jStore.connect(settings)
    except SourcingGraphError as exc:
        no_neo4j(str(exc))
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


@pytest.fixture
def examples_dir() -> Path:
    return EXAMPLES
