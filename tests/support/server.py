"""The test Neo4j from the environment: its settings, skipping (failing in CI) without it, emptying
it, and a digest of the register in it."""

from __future__ import annotations

import hashlib
import os
from typing import NoReturn

import pytest

from tests.support import IN_CI

TEST_NOTIFICATIONS = "warnings"
"""The tests ask the server for every warning about the store's queries (users get deprecations
only by default); ``tests/conftest.py`` fails a test on a deprecation among them."""


def neo4j_settings():  # type: ignore[no-untyped-def]
    """The connection settings from the environment, or None when none are configured."""
    # imported here: the driver loads only once a test asks for the server
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
        notifications=TEST_NOTIFICATIONS,
    )


def no_neo4j(reason: str) -> NoReturn:
    """Skip the test for want of Neo4j; fail it when ``CI=true``."""
    if IN_CI:
        pytest.fail(f"CI=true and Neo4j is needed but {reason}", pytrace=False)
    pytest.skip(f"Neo4j needed: {reason} (scripts/test starts one)")


def wipe(store: object) -> None:
    """Delete every node and relationship (the test server only)."""
    driver = store.driver  # type: ignore[attr-defined]
    with driver.session(database=store.database) as session:  # type: ignore[attr-defined]
        session.run(
            "MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS"
        ).consume()


def snapshot(store) -> str:  # type: ignore[no-untyped-def]
    """A digest of every register node and relationship with its properties."""
    nodes = store.read(
        "MATCH (n) WHERE n:Contract OR n:Lot OR n:Function OR n:Organisation "
        "RETURN labels(n) AS l, n {.*, loadId: null} AS p ORDER BY n.uri"  # not the version
    )
    rels = store.read(
        "MATCH (a)-[r]->(b) WHERE a:Contract OR a:Lot "
        "RETURN a.uri AS a, type(r) AS t, b.uri AS b ORDER BY a, t, b"
    )
    return hashlib.sha256(repr((nodes, rels)).encode()).hexdigest()
