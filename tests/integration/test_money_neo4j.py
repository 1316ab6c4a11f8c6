"""Exact money on a real Neo4j: integer cents stored, exact sums, ties by the next key, no noise."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from sourcing_graph.graph.analyses import analyze, run_analysis
from sourcing_graph.graph.neo4j.engine import Neo4jEngine
from sourcing_graph.ontology.rules import load_rules
from sourcing_graph.views.formats import render
from tests.support import AS_OF
from tests.support.money import money_register

pytestmark = pytest.mark.neo4j

EXPECTED = [
    ("big", Decimal("13962610.22")),
    ("aa", Decimal("0.30")),  # 0.10 + 0.20: equal to aa's 0.30, so by supplier
    ("zz", Decimal("0.30")),
]


def test_neo4j_stores_cents_and_sums_them_exactly(neo4j_store, tmp_path: Path) -> None:
    register = money_register(tmp_path / "register")
    neo4j_store.load_register(register, as_of=AS_OF)
    stored = neo4j_store.read(
        "MATCH (c:Contract) RETURN c.id AS id, c.annualValueCents AS cents ORDER BY id"
    )
    assert {r["id"]: r["cents"] for r in stored}["C1"] == 10
    assert all(isinstance(r["cents"], int) for r in stored)
    organisation = neo4j_store.read(
        "MATCH (o:Organisation {id: 'big'}) RETURN o.concentrationAnnualValueCents AS cents"
    )
    assert organisation == [{"cents": 1396261022}]  # the stored R9 conclusion, exact
    embedded = analyze(register, load_rules(), as_of=AS_OF)
    for engine in (
        Neo4jEngine(neo4j_store, as_of=AS_OF),
        Neo4jEngine(neo4j_store, as_of=AS_OF, stored=False),
    ):
        result = analyze(None, None, engine)
        rows = result["concentration"]
        assert [(r["supplier"], r["annual_value"]) for r in rows] == EXPECTED
        for fmt in ("json", "csv", "markdown", "table"):
            assert render(result, fmt) == render(embedded, fmt), fmt
        text = render(result, "json")
        assert "0.30000000000000004" not in text and "13962610.219999999" not in text
        assert [r["annual_value"] for r in json.loads(text)["concentration"]] == [
            13962610.22,
            0.3,
            0.3,
        ]


def test_d1_on_neo4j_sums_exactly(neo4j_store, tmp_path: Path) -> None:
    register = money_register(tmp_path / "register")
    neo4j_store.load_register(register)
    rows = run_analysis("parent_concentration", None, None, Neo4jEngine(neo4j_store))
    assert [(r["parent"], r["annual_value"]) for r in rows] == [
        ("holding", Decimal("13962610.22")),
        ("aa", Decimal("0.30")),
        ("zz", Decimal("0.30")),
    ]
    assert rows == run_analysis("parent_concentration", register, load_rules())
