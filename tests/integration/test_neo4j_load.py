"""Loading registers into the real Neo4j: idempotent, replacing, the ontology kept, the schema
document true to the graph."""

from __future__ import annotations

import json
import re
from datetime import date

import pytest

from sourcing_graph.loaders.csv_reader import read_register
from tests.support import ROOT

pytestmark = pytest.mark.neo4j

WATERLAND = ROOT / "examples" / "gemeente-waterland"
ACME = ROOT / "examples" / "acme-retail"


def dump(store) -> tuple[list[object], list[object]]:  # type: ignore[no-untyped-def]
    """Every node (labels, properties) and relationship (ends by uri, type, properties), sorted;
    not the bookkeeping node nor a node's version (their load id differs from load to load)."""
    nodes = store.read(
        "MATCH (n) WHERE NOT n:SourcingGraphMeta "
        "RETURN labels(n) AS labels, n {.*, loadId: null} AS props"
    )
    rels = store.read(
        "MATCH (a)-[r]->(b) RETURN a.uri AS a, type(r) AS type, properties(r) AS props, b.uri AS b"
    )

    def key(item: object) -> str:  # property maps come back in varying key order
        return json.dumps(item, sort_keys=True, default=str)

    return sorted(nodes, key=key), sorted(rels, key=key)


def documented(section: str) -> set[str]:
    """The backticked names in the first column of the tables under headings (of level 2 or 3)
    containing ``section``."""
    text = (ROOT / "docs" / "schema.md").read_text(encoding="utf-8")
    names: set[str] = set()
    for block in re.split(r"\n###? ", text):
        heading = block.splitlines()[0]
        if section.lower() not in heading.lower():
            continue
        for line in block.splitlines():
            match = re.match(r"\|\s*`([A-Za-z_]+)`\s*\|", line)
            if match:
                names.add(match.group(1))
    return names


def test_loading_twice_gives_an_identical_graph(neo4j_store) -> None:  # type: ignore[no-untyped-def]
    register = read_register(WATERLAND)
    neo4j_store.load_register(register)
    first = dump(neo4j_store)
    neo4j_store.load_register(register)
    assert dump(neo4j_store) == first


def test_a_load_replaces_the_register_and_keeps_the_ontology(neo4j_store) -> None:  # type: ignore[no-untyped-def]
    neo4j_store.load_register(read_register(WATERLAND))
    modes_before = neo4j_store.read("MATCH (m:CollaborationMode) RETURN m.key AS k ORDER BY k")
    acme = read_register(ACME)
    neo4j_store.load_register(acme)
    counts = neo4j_store.register_counts()
    assert counts["contracts"] == len(acme.contracts)
    assert counts["lots"] == len(acme.lots)
    assert counts["organisations"] == len(acme.organisations)
    ids = {r["id"] for r in neo4j_store.read("MATCH (c:Contract) RETURN c.id AS id")}
    assert ids == set(acme.contracts)
    assert (
        neo4j_store.read("MATCH (m:CollaborationMode) RETURN m.key AS k ORDER BY k") == modes_before
    )


def test_values_and_extra_columns_arrive_typed(neo4j_store) -> None:  # type: ignore[no-untyped-def]
    register = read_register(WATERLAND)
    neo4j_store.load_register(register)
    contract = next(c for c in register.contracts.values() if c.start_date and c.annual_value)
    row = neo4j_store.read(
        "MATCH (c:Contract {id: $id})-[:SUPPLIED_BY]->(s) "
        "RETURN c.startDate AS start, c.annualValue AS value, properties(c) AS props, s.id AS s",
        {"id": contract.id},
    )[0]
    assert row["start"] == contract.start_date.isoformat()  # a Neo4j date, read back as ISO text
    assert row["value"] == contract.annual_value
    assert row["s"] == contract.supplier
    for key, value in contract.extra.items():
        assert row["props"][key] == value


def test_schema_document_matches_the_loaded_graph(neo4j_store) -> None:  # type: ignore[no-untyped-def]
    from sourcing_graph.model import Subcontracting

    register = read_register(WATERLAND)
    # DORA supply-chain links (rank 1, and a subcontractor at rank 2) and an ultimate parent, so
    # every documented relationship type occurs
    first = next(iter(register.contracts.values()))
    register.subcontracting.add(Subcontracting(first.id, first.supplier, 1))
    other = next(o for o in sorted(register.organisations) if o != first.supplier)
    register.subcontracting.add(Subcontracting(first.id, other, 2, first.supplier))
    register.organisations[first.supplier].parent = other  # an ultimate parent: PART_OF_GROUP
    neo4j_store.load_register(register)
    labels = {r["l"] for r in neo4j_store.read("MATCH (n) UNWIND labels(n) AS l RETURN DISTINCT l")}
    types = {r["t"] for r in neo4j_store.read("MATCH ()-[r]->() RETURN DISTINCT type(r) AS t")}
    doc_labels = documented("nodes")
    doc_types = documented("relationships")
    assert doc_labels, "docs/schema.md lists no labels"
    assert doc_types, "docs/schema.md lists no relationship types"
    assert doc_labels - labels == set(), "documented labels missing from the loaded graph"
    assert labels - doc_labels == set(), "labels in the graph that docs/schema.md does not name"
    assert doc_types - types == set(), "documented relationship types missing from the graph"
    assert types - doc_types == set(), "relationship types that docs/schema.md does not name"


def documented_conclusions() -> list[tuple[str, str]]:
    """(label, property) of every row of the table "Conclusions stored on the register"."""
    text = (ROOT / "docs" / "schema.md").read_text(encoding="utf-8")
    block = text.split("### Conclusions stored on the register", 1)[1].split("\n###", 1)[0]
    rows = re.findall(r"^\|\s*`(\w+)`\s*\|\s*`(\w+)`\s*\|", block, re.M)
    return [(label, prop) for prop, label in rows]


def test_the_documented_conclusions_are_on_the_waterland_example(neo4j_store) -> None:  # type: ignore[no-untyped-def]
    neo4j_store.load_register(read_register(WATERLAND), as_of=date(2026, 6, 1))
    wanted = documented_conclusions()
    assert len(wanted) == 15, wanted
    for label, prop in wanted:
        found = neo4j_store.read(
            "MATCH (n) WHERE $label IN labels(n) AND n[$prop] IS NOT NULL RETURN count(n) AS n",
            {"label": label, "prop": prop},
        )[0]["n"]
        assert found, f"no {label} has {prop}"
    every = neo4j_store.read(
        "MATCH (c:Contract) RETURN count(c) AS all, count(c.effectiveMode) AS mode, "
        "count(c.modeBasis) AS basis"
    )[0]
    assert every["all"] == every["mode"] == every["basis"] == 26
    lots = neo4j_store.read(
        "MATCH (l:Lot) RETURN count(l) AS all, count(l.mode) AS mode, "
        "count(l.recommendedMode) AS recommended"
    )[0]
    assert lots["all"] == lots["mode"] == lots["recommended"] == 11
    rules = neo4j_store.read(
        "MATCH (f:Finding)-[:BY_RULE]->(r:Rule) RETURN r.key AS rule, count(f) AS n ORDER BY rule"
    )
    assert {r["rule"]: r["n"] for r in rules} == {
        **{"R3": 9, "R4": 5, "R6": 3, "R7": 5, "R8": 5},
        **{"R10": 11, "R11": 2, "R12": 7, "R13": 12, "R14": 19},  # R14 at 2026-06-01
    }
    roles = neo4j_store.read("MATCH (:Finding)-[a:ABOUT]->() RETURN DISTINCT a.role AS role")
    assert {r["role"] for r in roles} == {"lot", "depends_on", "supplier", "function", "contract"}


PROVENANCE_PROPERTIES = [
    # (label or relationship type, property): each documented in docs/schema.md and present on the
    # Waterland example once loaded
    ("Organisation", "source"),
    ("Lot", "source"),
    ("Lot", "primeContractorDefaulted"),
    ("Function", "source"),
    ("Contract", "source"),
    ("Contract", "modeAsWritten"),
    ("SUPPLIED_BY", "source"),
    ("PART_OF", "source"),
    ("DECLARED_MODE", "source"),
    ("HAS_CLAUSE", "source"),
    ("HAS_CLAUSE", "asWritten"),
    ("DELIVERS", "source"),
    ("DEPENDS_ON", "source"),
    ("COORDINATED_BY", "source"),
    ("COORDINATED_BY", "defaulted"),
]


def test_the_provenance_properties_are_documented_and_there(neo4j_store) -> None:  # type: ignore[no-untyped-def]
    """Each provenance property is named in docs/schema.md, in the row of its label or type, and
    the loaded Waterland example has it."""
    text = (ROOT / "docs" / "schema.md").read_text(encoding="utf-8")
    rows = {
        m.group(1): line
        for line in text.splitlines()
        if (m := re.match(r"\|\s*`([A-Za-z_]+)`\s*\|", line))
    }
    neo4j_store.load_register(read_register(WATERLAND))
    for name, prop in PROVENANCE_PROPERTIES:
        assert f"`{prop}`" in rows[name], f"docs/schema.md does not name {name}.{prop}"
        pattern = (
            f"(n:{name})" if name[0].isupper() and not name.isupper() else f"()-[n:{name}]->()"
        )
        [found] = neo4j_store.read(
            f"MATCH {pattern} WHERE n[$prop] IS NOT NULL RETURN count(*) AS n", {"prop": prop}
        )
        assert found["n"] > 0, f"no {name} has {prop} on the Waterland example"


def test_replacing_gives_the_same_graph_as_loading_fresh(neo4j_store) -> None:  # type: ignore[no-untyped-def]
    """A replacing load changes nodes in place; the result must equal a load into an empty graph."""
    import copy

    from tests.support.server import wipe

    old = read_register(WATERLAND)
    new = copy.deepcopy(old)
    first = sorted(new.contracts)[0]
    new.contracts[first].extra = {}  # a property that must disappear
    new.contracts[first].clauses = frozenset()  # relationships that must disappear
    new.contracts[first].mode = None
    second = sorted(new.contracts)[1]
    new.contracts[second].supplier = first_other_supplier(new, new.contracts[second].supplier)
    del new.contracts[sorted(new.contracts)[-1]]  # a node that must disappear
    new.dependencies = set(sorted(new.dependencies)[1:])

    wipe(neo4j_store)
    neo4j_store.load_register(new)
    fresh = dump(neo4j_store)
    neo4j_store.load_register(old)
    assert dump(neo4j_store) != fresh
    neo4j_store.load_register(new)
    assert dump(neo4j_store) == fresh


def first_other_supplier(register, current: str) -> str:  # type: ignore[no-untyped-def]
    return next(o for o in sorted(register.organisations) if o != current)
