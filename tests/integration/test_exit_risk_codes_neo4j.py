"""D5's codes are ontology data on Neo4j too: the :FindingReason nodes carry them, and a changed
ontology changes the Cypher's result as it changes the embedded engine's."""

from __future__ import annotations

from typing import Any

import pytest

from sourcing_graph.graph.analyses import Neo4jEngine, run_analysis
from sourcing_graph.graph.neo4j import load_ontology
from sourcing_graph.ontology.rules import load_rules
from tests.unit.test_exit_risk_codes import STRICTER, exit_register

pytestmark = pytest.mark.neo4j


def test_d5_codes_come_from_the_ontology_nodes(neo4j_store: Any) -> None:
    register = exit_register()
    neo4j_store.load_register(register)
    nodes = neo4j_store.read(
        "MATCH (r:FindingReason) WHERE r.exitRiskCode IS NOT NULL "
        "RETURN r.key AS key, r.exitRiskColumn AS column, r.exitRiskCode AS code ORDER BY column"
    )
    assert nodes == [
        {"key": "not_substitutable", "column": "c0050", "code": "eba_ZZ:x959"},
        {"key": "no_exit_plan", "column": "c0080", "code": "eba_BT:x29"},
        {"key": "no_alternative", "column": "c0110", "code": "eba_BT:x29"},
    ]
    engine = Neo4jEngine(neo4j_store, stored=False)
    assert run_analysis("exit_risks", None, None, engine) == run_analysis(
        "exit_risks", register, load_rules()
    )
    load_ontology(neo4j_store.driver, neo4j_store.database, STRICTER)
    stricter = run_analysis("exit_risks", None, None, engine)
    assert stricter == run_analysis("exit_risks", register, load_rules(STRICTER))
    assert [r["contract"] for r in stricter] == ["C1", "C2", "C3"]
