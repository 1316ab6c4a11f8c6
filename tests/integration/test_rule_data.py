"""The rules are data: changing the ontology's Turtle changes what both engines find.

Each case overrides a few values of the packaged ontology (the way a user would, with a small
Turtle file), runs the embedded engine with ``load_rules(turtle)`` and Neo4j with the ontology
loaded from the same Turtle, and checks the documented effect. Neo4j gets the default ontology back
afterwards.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from sourcing_graph.errors import OntologyError, QueryError
from sourcing_graph.graph.analyses import Neo4jEngine, analyze
from sourcing_graph.graph.neo4j import load_ontology
from sourcing_graph.model import Function, Lot, Organisation, Register
from sourcing_graph.ontology.rules import load_rules
from sourcing_graph.views.formats import render
from tests.support import AS_OF
from tests.support.registers import C, make_register

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
    filters: dict[str, Any] = field(default_factory=dict)  # for both results


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


def _pairs(result: Result) -> list[tuple[str, str]]:
    return [(r["lot"], r["depends_on"]) for r in result["mode_mismatches"]]


def _reversed_severity_ranks(before: Result, after: Result) -> None:
    # min_severity=medium: K1 -> K2 (medium) passes by default; with low ranked above high, the
    # K2 -> K3 row (low) passes too. The severities themselves do not change.
    assert _pairs(before) == [("K1", "K2")]
    assert _pairs(after) == [("K1", "K2"), ("K2", "K3")]
    assert [r["severity"] for r in after["mode_mismatches"]] == ["medium", "low"]


def _medium_ranked_lowest(before: Result, after: Result) -> None:
    # min_severity=low: everything by default; with medium ranked below low, K1 -> K2 drops out.
    assert _pairs(before) == [("K1", "K2"), ("K2", "K3")]
    assert _pairs(after) == [("K2", "K3")]


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
    Case(
        "severity",
        PREFIX + 'sg:SeverityReliabilityTrust sg:severity "high" ; sg:severityRank 3 .\n',
        _severity,
    ),
    Case(
        "severity-ranks-reversed",
        PREFIX
        + "sg:SeverityReliabilityTrust sg:severityRank 3 .\n"
        + "sg:SeverityDistrustTrust sg:severityRank 1 .\n",
        _reversed_severity_ranks,
        {"min_severity": "medium"},
    ),
    Case(
        "severity-rank-changed",
        PREFIX + "sg:SeverityDistrustReliability sg:severityRank 0 .\n",
        _medium_ranked_lowest,
        {"min_severity": "low"},
    ),
    Case(
        "recommendation",
        PREFIX + "sg:RecommendReliabilityOtherwise sg:recommendsMode sg:Trust .\n",
        _recommendation,
    ),
]


def as_json(value: object) -> str:
    """Strict: an amount (a Decimal) differs from a float of the same value."""
    return json.dumps(value, ensure_ascii=False, indent=1, default=lambda d: f"Decimal({d!s})")


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_embedded_follows_the_rule_data(case: Case) -> None:
    register = sample()
    before = analyze(register, load_rules(), **case.filters)
    after = analyze(register, load_rules(case.turtle), **case.filters)
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
    store.load_register(register, as_of=AS_OF)
    load_ontology(store.driver, store.database)
    before = analyze(None, None, Neo4jEngine(store, as_of=AS_OF), **case.filters)
    load_ontology(store.driver, store.database, case.turtle)
    # the stored conclusions follow changed rule data once refreshed (issue 14)
    assert store.conclusions_stale()
    store.refresh(as_of=AS_OF)
    assert not store.conclusions_stale()
    after = analyze(None, None, Neo4jEngine(store, as_of=AS_OF), **case.filters)
    case.check(before, after)
    assert as_json(after) == as_json(
        analyze(register, load_rules(case.turtle), as_of=AS_OF, **case.filters)
    )
    assert as_json(before) == as_json(analyze(register, load_rules(), as_of=AS_OF, **case.filters))


# -- the severity order ---------------------------------------------------------------------------

RENAMED = PREFIX + 'sg:SeverityDistrustTrust sg:severity "critical" .\n'
"""The high row renamed: the accepted min severities become low, medium, critical."""


def test_min_severity_accepts_the_severities_of_the_data() -> None:
    register = sample()
    with pytest.raises(QueryError, match="unknown severity 'critical'; .*low, medium, high$"):
        analyze(register, load_rules(), min_severity="critical")
    rules = load_rules(RENAMED)
    assert rules.severity_rank == {"low": 1, "medium": 2, "critical": 3}
    assert analyze(register, rules, min_severity="critical")["mode_mismatches"] == []
    with pytest.raises(QueryError, match="unknown severity 'high'; .*low, medium, critical$"):
        analyze(register, rules, min_severity="high")


def test_table_puts_the_highest_ranked_severity_first() -> None:
    result = analyze(sample(), load_rules())
    assert [r["severity"] for r in result["mode_mismatches"]] == ["medium", "low"]
    ranks_reversed = PREFIX + (
        "sg:SeverityReliabilityTrust sg:severityRank 3 .\nsg:SeverityDistrustTrust sg:severityRank 1 .\n"
    )

    def order(text: str) -> list[str]:
        return [word for word in text.split() if word in ("low", "medium")]

    only = {"mode_mismatches": result["mode_mismatches"]}
    assert order(render(only, "table")) == ["medium", "low"]
    assert order(render(only, "table", rules=load_rules(ranks_reversed))) == ["low", "medium"]


@pytest.mark.parametrize(
    ("turtle", "message"),
    [
        ('sg:SeverityReliabilityTrust sg:severity "high" .', "need the same rank"),
        ("sg:SeverityReliabilityTrust sg:severityRank 2 .", "share a sg:severityRank"),
        ('sg:SeverityReliabilityTrust sg:severityRank "first" .', "must be a int"),
    ],
)
def test_bad_severity_ranks_raise_ontology_error(turtle: str, message: str) -> None:
    with pytest.raises(OntologyError, match=message):
        load_rules(PREFIX + turtle + "\n")


@pytest.mark.neo4j
def test_neo4j_min_severity_accepts_the_severities_of_the_data(restore_ontology) -> None:
    store = restore_ontology
    register = sample()
    store.load_register(register)
    load_ontology(store.driver, store.database)
    with pytest.raises(QueryError, match="unknown severity 'critical'; .*low, medium, high$"):
        analyze(None, None, Neo4jEngine(store), min_severity="critical")
    load_ontology(store.driver, store.database, RENAMED)
    rows = store.read("MATCH (s:MismatchSeverity) RETURN s.severity AS s, s.rank AS r ORDER BY r")
    assert [(row["s"], row["r"]) for row in rows] == [("low", 1), ("medium", 2), ("critical", 3)]
    assert analyze(None, None, Neo4jEngine(store), min_severity="critical")["mode_mismatches"] == []
    assert (
        analyze(None, None, Neo4jEngine(store), min_severity="medium")["mode_mismatches"]
        == analyze(register, load_rules(RENAMED), min_severity="medium")["mode_mismatches"]
    )
    with pytest.raises(QueryError, match="unknown severity 'high'; .*low, medium, critical$"):
        analyze(None, None, Neo4jEngine(store), min_severity="high")
