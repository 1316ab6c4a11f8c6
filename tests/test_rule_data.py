"""The rules are data: changing the ontology's Turtle changes what both engines find.

Each case overrides a few values of the packaged ontology (the way a user would, with a small
Turtle file), runs the embedded engine with ``load_rules(turtle)`` and Neo4j with the ontology
loaded from the same Turtle, and checks the documented effect. Neo4j gets the default ontology back
afterwards.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from test_embedded import C, make_register

from sourcing_graph.graph.analyses import analyze
from sourcing_graph.graph.ontology_loader import load_ontology
from sourcing_graph.loaders.model import Function, Lot, Organisation, Register
from sourcing_graph.ontology.rules import load_rules

PREFIX = "@prefix sg: <https://w3id.org/sourcing-graph/ontology#> .\n"
Result = dict[str, list[dict[str, Any]]]


def sample() -> Register:
    """A register touching every rule that has parameters."""
    return make_register(
        lots=[Lot("K1", complexity="high"), Lot("K2"), Lot("K3", commodity=True)],
        functions=[Function("F", critical=True)],
        organisations=[Organisation("ssc", internal=True)],
        contracts=[
            C("C1", "acme", "K1", "trust", ["sla"], ["F"], 10.0),
            C("C2", "beta", "K1", "trust", ["penalty", "sla"], ["F"]),
            C("C3", "acme", "K2", "reliability", ["reporting"]),
            C("C4", "ssc", "K3"),
        ],
        dependencies=[("K1", "K2"), ("K2", "K3")],
    )


@dataclass(frozen=True)
class Case:
    name: str
    turtle: str
    check: Callable[[Result, Result], None]  # (default result, changed result)


def _weights(before: Result, after: Result) -> None:
    (row,) = after["coordination_load"]
    measures = {k: row[k] for k in ("lots", "suppliers", "interfaces")}
    measures |= {k: row[k] for k in ("distrust_lots", "mismatches", "penalty_bonus_clauses")}
    expected = (
        10 * row["lots"]
        + 0.5 * row["suppliers"]
        + row["interfaces"]
        + 3 * row["distrust_lots"]
        + 2 * row["mismatches"]
        + row["penalty_bonus_clauses"]
    )
    assert row["score"] == expected and isinstance(row["score"], float)
    assert measures == {k: before["coordination_load"][0][k] for k in measures}
    assert isinstance(before["coordination_load"][0]["score"], int)


def _whole_weights(before: Result, after: Result) -> None:
    old, new = before["coordination_load"][0], after["coordination_load"][0]
    assert new["score"] == old["score"] + 4 * old["lots"] and isinstance(new["score"], int)


def _sla_forces_reliability(before: Result, after: Result) -> None:
    assert [r["contract"] for r in before["clause_conflicts"]] == ["C2"]
    assert after["clause_conflicts"] == [
        {
            "contract": "C1",
            "lot": "K1",
            "supplier": "acme",
            "declared_mode": "trust",
            "effective_mode": "reliability",
            "clauses": ["sla"],
        },
        {
            "contract": "C2",
            "lot": "K1",
            "supplier": "beta",
            "declared_mode": "trust",
            "effective_mode": "distrust",
            "clauses": ["penalty", "sla"],
        },
    ]
    load_before, load_after = before["coordination_load"][0], after["coordination_load"][0]
    assert load_before["penalty_bonus_clauses"] == 1
    assert load_after["penalty_bonus_clauses"] == 3  # C1 sla, C2 penalty + sla
    assert after["critical_without_trust"] == [
        {"supplier": "acme", "function": "F", "contracts": ["C1"], "reasons": ["penalty_or_bonus"]},
        {"supplier": "beta", "function": "F", "contracts": ["C2"], "reasons": ["penalty_or_bonus"]},
    ]
    assert before["critical_without_trust"] == after["critical_without_trust"][1:]


def _internal_mode(before: Result, after: Result) -> None:
    # K3 has only C4 (internal, no mode): trust by default, reliability now. A commodity lot needs
    # distrust, so no mode-fit finding either way, but the K2 -> K3 dependency stops mismatching.
    pairs = lambda result: [(r["lot"], r["depends_on"]) for r in result["mode_mismatches"]]  # noqa: E731
    assert ("K2", "K3") not in pairs(after)
    assert pairs(before) == [("K1", "K2"), ("K2", "K3")]


def _severity(before: Result, after: Result) -> None:
    assert [r["severity"] for r in before["mode_mismatches"]] == ["medium", "low"]
    assert [r["severity"] for r in after["mode_mismatches"]] == ["medium", "high"]


def _recommendation(before: Result, after: Result) -> None:
    assert [r["lot"] for r in before["mode_fit"]] == ["K1"]
    assert after["mode_fit"] == [
        {"lot": "K1", "mode": "distrust", "recommended": "trust"},
        {"lot": "K2", "mode": "reliability", "recommended": "trust"},
    ]


CASES = [
    Case(
        "weights",
        PREFIX + "sg:WeightLots sg:weight 10.0 .\nsg:WeightSuppliers sg:weight 0.5 .\n",
        _weights,
    ),
    Case("whole-weights", PREFIX + "sg:WeightLots sg:weight 5.0 .\n", _whole_weights),
    Case(
        "sla-forces",
        PREFIX + "sg:SlaClause sg:forcesMode sg:Reliability .\n",
        _sla_forces_reliability,
    ),
    Case(
        "internal-mode",
        PREFIX + "sg:InternalSupplierMode sg:setsMode sg:Reliability .\n",
        _internal_mode,
    ),
    Case("severity", PREFIX + 'sg:SeverityReliabilityTrust sg:severity "high" .\n', _severity),
    Case(
        "recommendation",
        PREFIX + "sg:RecommendReliabilityOtherwise sg:recommendsMode sg:Trust .\n",
        _recommendation,
    ),
]


def as_json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, indent=1)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_embedded_follows_the_rule_data(case: Case) -> None:
    register = sample()
    before = analyze(register, load_rules())
    after = analyze(register, load_rules(case.turtle))
    case.check(before, after)


@pytest.fixture
def restore_ontology(neo4j_store) -> Iterator[Any]:
    """The store; the packaged ontology is loaded again afterwards, whatever happened."""
    try:
        yield neo4j_store
    finally:
        load_ontology(neo4j_store.driver, neo4j_store.database)


@pytest.mark.neo4j
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_neo4j_follows_the_rule_data(restore_ontology, case: Case) -> None:
    store = restore_ontology
    register = sample()
    store.load_register(register)
    load_ontology(store.driver, store.database)
    before = analyze(None, None, store)
    load_ontology(store.driver, store.database, case.turtle)
    after = analyze(None, None, store)
    case.check(before, after)
    assert as_json(after) == as_json(analyze(register, load_rules(case.turtle)))
    assert as_json(before) == as_json(analyze(register, load_rules()))
