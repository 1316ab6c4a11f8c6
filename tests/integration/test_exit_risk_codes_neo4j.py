"""On Neo4j: D5's codes are ontology data (the :FindingReason nodes carry them, and a changed
ontology changes the Cypher's result as it changes the embedded engine's), and the DORA face of
the report is the same from Neo4j's result as from the embedded engine's."""

from __future__ import annotations

import re
from typing import Any

import pytest

from sourcing_graph.graph.analyses import Neo4jEngine, analyze, run_analysis
from sourcing_graph.graph.neo4j import load_ontology
from sourcing_graph.loaders import read_any
from sourcing_graph.ontology.rules import load_rules
from sourcing_graph.views.index import Modes
from sourcing_graph.views.report import build_report
from tests.support.dora import PACKAGE
from tests.support.exit_risks import STRICTER, exit_register

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


def test_the_dora_face_from_the_neo4j_result(neo4j_store: Any) -> None:
    """The report of a DORA package without an overlay, from Neo4j's result, leads with the same
    D1-D5 figures and checks as from the embedded engine's."""
    register = read_any(PACKAGE)
    neo4j_store.load_register(register)
    engine = Neo4jEngine(neo4j_store)
    html = build_report(
        register, None, analyze(None, None, engine), modes=Modes.of(engine), lang="en"
    )
    embedded = build_report(register, lang="en")

    def dora(page: str) -> str:
        section = page[page.index('id="dora"') : page.index('id="key-figures"')]
        return re.sub(r"\s+", " ", section)

    assert dora(html) == dora(embedded)
    assert "critical_without_trust" not in dora(html) and 'id="modes"' not in html
