"""What a failed batched load says it left behind (issue 19): before the switch the previous
register, after it the new one; the next load cleans up. And the statements kept to one version."""

from __future__ import annotations

from types import SimpleNamespace

from neo4j.exceptions import Neo4jError, ServiceUnavailable

from sourcing_graph.errors import LoadError, Neo4jUnavailableError
from sourcing_graph.graph.neo4j import Neo4jSettings
from sourcing_graph.graph.neo4j.batched import _failed, versioned

STORE = SimpleNamespace(
    settings=Neo4jSettings(uri="bolt://127.0.0.1:7687", password="unused-" + "x" * 8)
)


def test_a_lost_connection_before_the_switch_keeps_the_previous_register() -> None:
    error = _failed(STORE, ServiceUnavailable("gone"), 30_000, switched=False)  # type: ignore[arg-type]
    assert isinstance(error, Neo4jUnavailableError)
    text = str(error)
    assert "previously loaded register is intact" in text
    assert "the next load removes what it wrote" in text


def test_a_failure_after_the_switch_says_the_new_register_is_loaded() -> None:
    failure = Neo4jError._hydrate_neo4j(
        code="Neo.TransientError.General.MemoryPoolOutOfMemoryError", message="no memory left"
    )
    error = _failed(STORE, failure, 30_000, switched=True)  # type: ignore[arg-type]
    assert isinstance(error, LoadError)
    text = str(error)
    assert "the new register is loaded and complete" in text and "30,000 contracts" in text
    assert "MemoryPoolOutOfMemoryError" in text and "no memory left" in text


def test_versioned_keeps_every_register_node_pattern_to_one_version() -> None:
    cypher = (
        "MATCH (:Organisation {id: $s})<-[:SUPPLIED_BY]-(c:Contract)-[:HAS_CLAUSE]->(t:ClauseType)"
        " MERGE (f:Finding {key: $k}) WITH c MATCH (n) WHERE n:Organisation OR n:Lot OR "
        "n:Function OR n:Contract RETURN count(*)"
    )
    assert versioned(cypher) == (
        "MATCH (:Organisation {id: $s, loadId: $sgLoad})<-[:SUPPLIED_BY]-"
        "(c:Contract {loadId: $sgLoad})-[:HAS_CLAUSE]->(t:ClauseType)"
        " MERGE (f:Finding {key: $k, loadId: $sgLoad}) WITH c MATCH (n) WHERE "
        "(n:Organisation OR n:Lot OR n:Function OR n:Contract) AND n.loadId = $sgLoad "
        "RETURN count(*)"
    )
    assert versioned("MATCH (r:FindingReason) RETURN r") == "MATCH (r:FindingReason) RETURN r"
