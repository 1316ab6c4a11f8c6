"""An organisation's ultimate parent as a relationship (issue 19): ``PART_OF_GROUP`` in Neo4j and
the embedded graph, ``sg:partOfGroup`` in RDF, beside the ``parent`` id they are drawn from.

The register, made here: ``a1`` and ``a2`` belong to the group of ``GRP`` (an organisation of the
register, its own parent: no relationship to itself); ``b``'s parent ``LEI-OUTSIDE`` is not an
organisation of the register (the property only); ``c`` names none. So the relationships are
a1 -> GRP and a2 -> GRP.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from pyshacl import validate
from rdflib import Graph, Literal, URIRef

from sourcing_graph.errors import RegisterError
from sourcing_graph.graph.analyses import Neo4jEngine, analyze
from sourcing_graph.graph.embedded import to_networkx
from sourcing_graph.loaders.dora import read_dora
from sourcing_graph.loaders.rdf import rdf_to_register, read_rdf, register_to_rdf, write_rdf
from sourcing_graph.model import Contract, Function, Lot, Organisation, Register
from sourcing_graph.ontology.rules import load_rules, ontology_graph, shapes_graph
from tests.support import AS_OF
from tests.support.conclusions import digests_of_the_load
from tests.support.dora import PACKAGE

SG = "https://w3id.org/sourcing-graph/ontology#"
ORG = "https://w3id.org/sourcing-graph/id/org/"
PART_OF_GROUP = URIRef(SG + "partOfGroup")
pytestmark = pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")
ULTIMATE_PARENT = URIRef(SG + "ultimateParent")

EXPECTED = [
    {"o": "a1", "g": "GRP", "source": "b_05.01.csv:2"},
    {"o": "a2", "g": "GRP", "source": "b_05.01.csv:3"},
]
RELATIONSHIPS = (
    "MATCH (o:Organisation)-[r:PART_OF_GROUP]->(g:Organisation) "
    "RETURN o.id AS o, g.id AS g, r.source AS source ORDER BY o, g"
)


def group_register() -> Register:
    orgs = [
        Organisation("a1", "Alpha Payments", parent="GRP", source="b_05.01.csv:2"),
        Organisation("a2", "Alpha Cloud", parent="GRP", source="b_05.01.csv:3"),
        Organisation("GRP", "Alpha Group", parent="GRP", source="b_05.01.csv:4"),
        Organisation("b", "Beta CRM", parent="LEI-OUTSIDE", source="b_05.01.csv:5"),
        Organisation("c", "Gamma", source="b_05.01.csv:6"),
    ]
    contracts = [
        Contract("C1", "a1", "K", functions=frozenset({"F-PAY"}), annual_value=100),
        Contract("C2", "a2", "K", functions=frozenset({"F-CRM"}), annual_value=50),
        Contract("C3", "b", "K", "trust", functions=frozenset({"F-CRM"}), annual_value=20),
        Contract("C4", "c", "K", functions=frozenset({"F-PAY"}), annual_value=10),
    ]
    return Register(
        organisations={o.id: o for o in orgs},
        lots={"K": Lot("K")},
        functions={f: Function(f, critical=True) for f in ("F-PAY", "F-CRM")},
        contracts={c.id: c for c in contracts},
    )


def test_the_relationships_are_the_parents_that_are_organisations() -> None:
    assert group_register().part_of_group() == [("a1", "GRP"), ("a2", "GRP")]
    # the example DORA package: NovaCloud's group is a provider of its own; NetLine's parent is
    # not a provider, SecurOps is its own parent
    package = read_dora(PACKAGE)
    assert package.part_of_group() == [
        ("LEI-NOVACLOUD-EU", "LEI-NOVA-GROUP"),
        ("LEI-NOVACLOUD-US", "LEI-NOVA-GROUP"),
    ]
    assert package.organisations["LEI-NETLINE"].parent == "LEI-NETLINE-HOLD"


def test_the_embedded_graph_has_them() -> None:
    graph = to_networkx(group_register())
    found = sorted(
        (
            {"o": u[1], "g": v[1], "source": d["source"]}
            for u, v, d in graph.edges(data=True)
            if d["type"] == "PART_OF_GROUP"
        ),
        key=lambda r: (r["o"], r["g"]),
    )
    assert found == EXPECTED
    assert graph.nodes["organisation", "b"]["parent"] == "LEI-OUTSIDE"  # the property stays


@pytest.mark.neo4j
def test_a_load_writes_them_idempotently_and_a_replace_removes_old_ones(neo4j_store: Any) -> None:
    register = group_register()
    neo4j_store.load_register(register, as_of=AS_OF)
    assert neo4j_store.read(RELATIONSHIPS) == EXPECTED
    parents = neo4j_store.read(
        "MATCH (o:Organisation) WHERE o.parent IS NOT NULL RETURN o.id AS id, o.parent AS parent "
        "ORDER BY id"
    )
    assert parents == [
        {"id": "GRP", "parent": "GRP"},
        {"id": "a1", "parent": "GRP"},
        {"id": "a2", "parent": "GRP"},
        {"id": "b", "parent": "LEI-OUTSIDE"},
    ]
    neo4j_store.load_register(
        register, as_of=AS_OF
    )  # the same register again: the same relationships
    assert neo4j_store.read(RELATIONSHIPS) == EXPECTED
    stored, read_back = digests_of_the_load(neo4j_store)  # computed from the load's rows
    assert stored == read_back
    # the analyses give the same rows on both engines (D1 groups by the parent)
    result = analyze(None, None, Neo4jEngine(neo4j_store, as_of=AS_OF))
    assert [r["parent"] for r in result["parent_concentration"]] == ["GRP", "LEI-OUTSIDE", "c"]
    assert json.dumps(result, default=repr) == json.dumps(
        analyze(register, load_rules(), as_of=AS_OF), default=repr
    )

    changed = copy.deepcopy(register)
    del changed.organisations["GRP"]  # a1's parent is no organisation now: the id only
    changed.organisations["a2"].parent = "b"
    neo4j_store.load_register(changed)
    assert neo4j_store.read(RELATIONSHIPS) == [{"o": "a2", "g": "b", "source": "b_05.01.csv:3"}]
    [a1] = neo4j_store.read("MATCH (o:Organisation {id: 'a1'}) RETURN o.parent AS parent")
    assert a1 == {"parent": "GRP"}


def pairs(graph: Graph) -> list[tuple[str, str]]:
    return sorted(
        (str(s).removeprefix(ORG), str(o).removeprefix(ORG))
        for s, o in graph.subject_objects(PART_OF_GROUP)
    )


@pytest.mark.parametrize("fmt", ["turtle", "nt", "json-ld"])
def test_the_rdf_round_trip_keeps_them(tmp_path: Path, fmt: str) -> None:
    register = group_register()
    path = tmp_path / f"register.{ {'turtle': 'ttl', 'nt': 'nt', 'json-ld': 'jsonld'}[fmt] }"
    write_rdf(register, path, fmt)
    written = Graph().parse(path, format=fmt)
    assert pairs(written) == [("a1", "GRP"), ("a2", "GRP")]
    back = read_rdf(path)
    assert {o.id: o.parent for o in back.organisations.values()} == {
        o.id: o.parent for o in register.organisations.values()
    }
    assert back.part_of_group() == register.part_of_group()
    assert register_to_rdf(back).isomorphic(register_to_rdf(register))


def test_rdf_with_only_the_relationship_gives_the_parent() -> None:
    graph = register_to_rdf(group_register())
    graph.remove((URIRef(ORG + "a1"), ULTIMATE_PARENT, None))
    assert rdf_to_register(graph).organisations["a1"].parent == "GRP"


def test_rdf_whose_relationship_and_parent_disagree_is_refused() -> None:
    graph = register_to_rdf(group_register())
    graph.set((URIRef(ORG + "a1"), ULTIMATE_PARENT, Literal("OTHER")))
    with pytest.raises(RegisterError, match=r"name different parents \(read 'GRP and OTHER'"):
        rdf_to_register(graph)


def test_shapes_accept_the_relationship_and_reject_a_bad_one() -> None:
    graph = register_to_rdf(group_register())
    conforms, _, text = validate(graph, shacl_graph=shapes_graph(), ont_graph=ontology_graph())
    assert conforms, text
    two = copy.deepcopy(graph)
    two.add((URIRef(ORG + "a1"), PART_OF_GROUP, URIRef(ORG + "b")))  # two groups
    conforms, _, text = validate(two, shacl_graph=shapes_graph(), ont_graph=ontology_graph())
    assert not conforms
    assert "at most one group" in text
    lot = copy.deepcopy(graph)
    lot.set((URIRef(ORG + "a1"), PART_OF_GROUP, URIRef("https://w3id.org/sourcing-graph/id/lot/K")))
    conforms, _, text = validate(lot, shacl_graph=shapes_graph(), ont_graph=ontology_graph())
    assert not conforms
    assert "at most one group" in text
