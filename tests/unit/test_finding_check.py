"""A finding's writtenHash (graph/neo4j/finding_check.py): the node as written, and only that."""

from __future__ import annotations

from typing import Any

import pytest

from sourcing_graph.graph.neo4j.finding_check import row_written_hash, written_hash

ROW: dict[str, Any] = {
    "key": "R4|lisdodde|F-INFRA",
    "rule": "R4",
    "props": {
        "key": "R4|lisdodde|F-INFRA",
        "rule": "R4",
        "textNl": "Lisdodde levert een kritieke functie zonder vertrouwensbasis.",
        "contracts": ["WL-03", "WL-04"],
        "annual_value_cents": 0,
        "severity": None,
        "contentHash": "0" * 32,
    },
    "lots": [["lot", "K01"]],
    "contracts": [],
    "organisations": [["supplier", "lisdodde"]],
    "functions": [["function", "F-INFRA"]],
}

STORED = (
    {k: v for k, v in ROW["props"].items() if v is not None},
    ["Finding"],
    [
        ("ABOUT", [("role", "supplier")], "Organisation", "lisdodde"),
        ("BY_RULE", [], "Rule", "R4"),
        ("ABOUT", [("role", "function")], "Function", "F-INFRA"),
        ("ABOUT", [("role", "lot")], "Lot", "K01"),
    ],
)
"""ROW as Neo4j gives it back: no null property, relationships in any order."""


def test_the_hash_of_a_row_is_the_hash_of_its_node_read_back() -> None:
    props, labels, rels = STORED
    assert row_written_hash(ROW) == written_hash(props, labels, rels)
    assert written_hash({**props, "loadId": "a", "writtenHash": "b"}, labels, rels[::-1]) == (
        written_hash(props, labels, rels)
    )


@pytest.mark.parametrize(
    "edit",
    [
        lambda p, n, r: ({**p, "textNl": "bewerkt"}, n, r),
        lambda p, n, r: ({**p, "accepted": True}, n, r),
        lambda p, n, r: ({k: v for k, v in p.items() if k != "textNl"}, n, r),
        lambda p, n, r: ({**p, "annual_value_cents": 0.0}, n, r),
        lambda p, n, r: ({**p, "contracts": ["WL-04", "WL-03"]}, n, r),
        lambda p, n, r: (p, [*n, "Dismissed"], r),
        lambda p, n, r: (p, n, r[1:]),
        lambda p, n, r: (p, n, [*r, ("REVIEWED_BY", [], "Organisation", "own-it")]),
        lambda p, n, r: (p, n, [("ABOUT", [("role", "lot")], "Lot", "K02"), *r[1:]]),
        lambda p, n, r: (p, n, [("ABOUT", [("role", "x")], "Organisation", "lisdodde"), *r[1:]]),
        lambda p, n, r: (p, n, [("ABOUT", [("role", "supplier")], "Lot", "lisdodde"), *r[1:]]),
        lambda p, n, r: (p, n, [(*r[0][:2], None, None), *r[1:]]),
    ],
)
def test_any_edit_of_the_node_changes_the_hash(edit: Any) -> None:
    assert written_hash(*edit(*STORED)) != written_hash(*STORED)
