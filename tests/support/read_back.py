"""Edits an architect makes with Cypher on the Waterland example, for the read-back and the
in-memory ``refresh`` (issue 14): those the model expresses (each with a check of the register
read back), and shapes it cannot express."""

from __future__ import annotations

import os
from collections.abc import Callable
from decimal import Decimal

from hypothesis import HealthCheck, settings

from sourcing_graph.model import Register
from tests.support import IN_CI

READ_BACK_SETTINGS = settings(
    max_examples=int(os.environ.get("SG_READ_BACK_EXAMPLES", "40" if IN_CI else "25")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

EDITS: dict[str, tuple[str, Callable[[Register], bool]]] = {
    "mode changed": (
        "MATCH (c:Contract {id: 'WL-01'})-[r:DECLARED_MODE]->() DELETE r "
        "WITH DISTINCT c MATCH (m:CollaborationMode {key: 'trust'}) "
        "CREATE (c)-[:DECLARED_MODE {source: c.source}]->(m)",
        lambda r: r.contracts["WL-01"].mode == "trust",
    ),
    "mode removed": (
        "MATCH (:Contract {id: 'WL-02'})-[r:DECLARED_MODE]->() DELETE r",
        lambda r: r.contracts["WL-02"].mode is None,
    ),
    "clause added": (
        "MATCH (c:Contract {id: 'WL-02'}), (t:ClauseType {key: 'penalty'}) "
        "CREATE (c)-[:HAS_CLAUSE]->(t)",
        lambda r: "penalty" in r.contracts["WL-02"].clauses,
    ),
    "clause removed": (
        "MATCH (:Contract {id: 'WL-01'})-[r:HAS_CLAUSE]->(:ClauseType {key: 'sla'}) DELETE r",
        lambda r: "sla" not in r.contracts["WL-01"].clauses,
    ),
    "clause words changed": (
        "MATCH (:Contract {id: 'WL-01'})-[r:HAS_CLAUSE]->(:ClauseType {key: 'sla'}) "
        "SET r.asWritten = ['dienstniveau', 'SLA']",
        lambda r: r.contracts["WL-01"].clause_words["sla"] == ("dienstniveau", "SLA"),
    ),
    "property added": (
        "MATCH (c:Contract) WITH c ORDER BY c.id LIMIT 1 SET c.note = 'checked, é'",
        lambda r: r.contracts["WL-01"].extra["note"] == "checked, é",
    ),
    "property of ours changed": (
        "MATCH (c:Contract {id: 'WL-03'}) "
        "SET c.annualValueCents = 1234567, c.annualValue = 12345.67, c.endDate = date('2026-07-01')",
        lambda r: r.contracts["WL-03"].annual_value == Decimal("12345.67"),
    ),
    "contract deleted": (
        "MATCH (c:Contract {id: 'WL-05'}) DETACH DELETE c",
        lambda r: "WL-05" not in r.contracts,
    ),
    "dependency added": (
        "MATCH (a:Lot {id: 'K03'}), (b:Lot {id: 'K01'}) CREATE (a)-[:DEPENDS_ON]->(b)",
        lambda r: ("K03", "K01") in r.dependencies and ("K03", "K01") not in r.dependency_sources,
    ),
    "supplier made internal": (
        "MATCH (o:Organisation {id: 'kwelder'}) SET o.internal = true",
        lambda r: r.organisations["kwelder"].internal,
    ),
    "level not recorded": (
        "MATCH (l:Lot {id: 'K02'}) REMOVE l.complexity",
        lambda r: r.lots["K02"].complexity is None,
    ),
}
"""Edits the model can express: name -> (Cypher, a check of the register read back)."""

BY_HAND = frozenset({"clause added"})
"""The edits of :data:`EDITS` that make a relationship without the provenance a load gives it
(its contract's ``source``): the read-back's load plan differs from the graph there, so its
digest does; the digest of the rows read does not."""

INEXPRESSIBLE: dict[str, str] = {
    "a contract with no supplier": "MATCH (:Contract {id: 'WL-01'})-[r:SUPPLIED_BY]->() DELETE r",
    "a contract in two lots": (
        "MATCH (c:Contract {id: 'WL-01'}), (l:Lot {id: 'K02'}) CREATE (c)-[:PART_OF]->(l)"
    ),
    "two declared modes": (
        "MATCH (c:Contract {id: 'WL-01'}), (m:CollaborationMode {key: 'trust'}) "
        "CREATE (c)-[:DECLARED_MODE]->(m)"
    ),
    "a clause twice": (
        "MATCH (c:Contract {id: 'WL-01'}), (t:ClauseType {key: 'sla'}) "
        "CREATE (c)-[:HAS_CLAUSE]->(t)"
    ),
    "a relationship the load does not write": (
        "MATCH (a:Contract {id: 'WL-01'}), (b:Contract {id: 'WL-02'}) CREATE (a)-[:REPLACES]->(b)"
    ),
    "a relationship to a node of no register label": (
        "MATCH (c:Contract {id: 'WL-01'}) CREATE (c)-[:DELIVERS]->(:Note {id: 'F-X'})"
    ),
    "a relationship to a mode node of another label": (
        "MATCH (c:Contract {id: 'WL-03'}), (m:ModeCharacteristic) WITH c, m ORDER BY m.key LIMIT 1 "
        "CREATE (c)-[:DECLARED_MODE]->(m)"
    ),
    "a register node without id": "CREATE (:Lot {name: 'nameless'})",
    "a register node with two labels": "MATCH (l:Lot {id: 'K01'}) SET l:Archived",
    "a number as an extra property": "MATCH (c:Contract {id: 'WL-01'}) SET c.score = 5",
    "a date as text": "MATCH (c:Contract {id: 'WL-01'}) SET c.endDate = '2026-12-31'",
    "the amount without its cents": "MATCH (c:Contract {id: 'WL-01'}) SET c.annualValue = 1.5",
    "a level the rules do not read": "MATCH (l:Lot {id: 'K01'}) SET l.complexity = 'hoog'",
    "a property on a relationship": (
        "MATCH (:Lot {id: 'K01'})-[r:DEPENDS_ON]->(:Lot {id: 'K02'}) SET r.weight = 2"
    ),
    "a different uri": "MATCH (o:Organisation {id: 'kwelder'}) SET o.uri = 'urn:x'",
}
"""Shapes the model cannot express: name -> the Cypher that makes one."""
