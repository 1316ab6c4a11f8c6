"""Exact money on a real Neo4j: integer cents stored, exact sums, ties by the next key, no noise."""

from __future__ import annotations

import copy
import json
from decimal import Decimal
from pathlib import Path

import pytest

from sourcing_graph.graph.analyses import analyze, run_analysis
from sourcing_graph.graph.neo4j.digest import register_digest
from sourcing_graph.graph.neo4j.engine import Neo4jEngine
from sourcing_graph.loaders.csv_reader import read_register
from sourcing_graph.ontology.rules import load_rules
from sourcing_graph.views.formats import render
from tests.support import AS_OF, EXAMPLES
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


def test_an_amount_of_minus_zero_is_stored_as_zero_and_the_digest_holds(neo4j_store) -> None:
    """A register whose amount reads ``-0,00`` replacing one with ``0,00``: Neo4j keeps a stored
    0.0 when -0.0 is set over it, so the load stores the float of zero itself; the digest it
    records is the graph's (not stale), and the amount reads back as zero."""
    zero = read_register(EXAMPLES / "gemeente-waterland")
    zero.contracts["WL-01"].annual_value = Decimal("0.00")
    minus = copy.deepcopy(zero)
    minus.contracts["WL-01"].annual_value = Decimal("-0.00")
    for register in (zero, minus, zero):
        neo4j_store.load_register(register, as_of=AS_OF)
        assert not neo4j_store.conclusions_stale()
        with neo4j_store.driver.session(database=neo4j_store.database) as session:
            read = session.execute_read(lambda tx: register_digest(lambda c, p: tx.run(c, p)))
        stored = neo4j_store.read(
            "MATCH (m:SourcingGraphMeta {key: 'register'}) RETURN m.registerDigest AS d"
        )
        assert stored == [{"d": read}]
    value = neo4j_store.read("MATCH (c:Contract {id: 'WL-01'}) RETURN toString(c.annualValue) AS v")
    assert value == [{"v": "0.0"}]
