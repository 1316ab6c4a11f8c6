"""The DORA part of the model: ultimate parents and ICT supply-chain links, on both engines and in RDF.

The hand-made register below is small enough to check by hand:

- suppliers ``a1`` and ``a2`` share the ultimate parent ``GRP``; ``b`` has no parent (it stands for
  itself); ``own-it`` and the internal ``ssc`` never count in D1;
- ``C1`` (``a1``, critical ``F-PAY``) has the chain a1 (rank 1) <- s1 (rank 2) <- s2 (rank 3);
  ``C2`` (``a2``, critical ``F-PAY`` and ``F-CRM``) names a rank-2 link to ``s3`` whose recipient
  ``x`` is not linked itself; ``C3`` (``b``, critical ``F-CRM``) lists no link;
  ``C4`` (``ssc``, critical ``F-HR``) lists none either.

D1 (parent_concentration): GRP holds a1 and a2 with C1 (100) and C2 (50): critical F-CRM, F-PAY,
150.0; b holds C3 (20): F-CRM, 20.0. GRP first (two critical functions).
D2 (supply_chains): F-PAY via C1 and C2: depth 3, providers a1, a2, s1, s2, s3, x;
F-CRM via C2 and C3: depth 2 (C2's rank-2 link), providers a2, b, s3, x; F-HR via C4: depth 1,
providers ssc. Sorted by depth desc: F-PAY, F-CRM, F-HR.
SUBCONTRACTS_TO (provider -> subcontractor, from the links of rank 2 and more): a1 -> s1 (rank 2,
C1), s1 -> s2 (rank 3, C1), x -> s3 (rank 2, C2); the rank-1 link of C1 makes none.
"""

from __future__ import annotations

import json

import networkx as nx
import pytest
from pyshacl import validate
from rdflib import URIRef

from sourcing_graph.graph.analyses import DORA_ANALYSES, Neo4jEngine, analyze, run_analysis
from sourcing_graph.graph.embedded import to_networkx
from sourcing_graph.loaders.rdf import read_rdf, register_to_rdf, write_rdf
from sourcing_graph.model import (
    Contract,
    Function,
    Lot,
    Organisation,
    Register,
    Subcontracting,
    subcontracts_to,
)
from sourcing_graph.ontology.rules import load_rules, ontology_graph
from tests.support import AS_OF
from tests.support.conclusions import digests_of_the_load

EXPECTED_D1 = [
    {
        "parent": "GRP",
        "suppliers": ["a1", "a2"],
        "critical_functions": ["F-CRM", "F-PAY"],
        "contracts": ["C1", "C2"],
        "annual_value": 150.0,
    },
    {
        "parent": "b",
        "suppliers": ["b"],
        "critical_functions": ["F-CRM"],
        "contracts": ["C3"],
        "annual_value": 20.0,
    },
]
EXPECTED_D2 = [
    {
        "function": "F-PAY",
        "depth": 3,
        "providers": ["a1", "a2", "s1", "s2", "s3", "x"],
        "contracts": ["C1", "C2"],
    },
    {
        "function": "F-CRM",
        "depth": 2,
        "providers": ["a2", "b", "s3", "x"],
        "contracts": ["C2", "C3"],
    },
    {"function": "F-HR", "depth": 1, "providers": ["ssc"], "contracts": ["C4"]},
]


EXPECTED_SUBCONTRACTS = [
    {"provider": "a1", "subcontractor": "s1", "rank": 2, "arrangement": "C1"},
    {"provider": "s1", "subcontractor": "s2", "rank": 3, "arrangement": "C1"},
    {"provider": "x", "subcontractor": "s3", "rank": 2, "arrangement": "C2"},
]


def dora_register() -> Register:
    orgs = [
        Organisation("a1", "Alpha Payments", parent="GRP"),
        Organisation("a2", "Alpha Cloud", parent="GRP"),
        Organisation("b", "Beta CRM"),
        Organisation("ssc", "Shared services", internal=True),
        *(Organisation(s) for s in ("s1", "s2", "s3", "x")),
    ]
    contracts = [
        Contract("C1", "a1", "K", functions=frozenset({"F-PAY"}), annual_value=100.0),
        Contract("C2", "a2", "K", functions=frozenset({"F-PAY", "F-CRM"}), annual_value=50.0),
        Contract("C3", "b", "K", "trust", functions=frozenset({"F-CRM"}), annual_value=20.0),
        Contract("C4", "ssc", "K", functions=frozenset({"F-HR"})),
    ]
    return Register(
        organisations={o.id: o for o in orgs},
        lots={"K": Lot("K")},
        functions={f: Function(f, critical=True) for f in ("F-PAY", "F-CRM", "F-HR")}
        | {"F-DOC": Function("F-DOC")},
        contracts={c.id: c for c in contracts},
        subcontracting={
            Subcontracting("C1", "a1", 1, service_type="eba_TA:S01"),
            Subcontracting("C1", "s1", 2, "a1"),
            Subcontracting("C1", "s2", 3, "s1"),
            Subcontracting("C2", "s3", 2, "x"),
        },
    )


def test_hand_checked_results_on_the_embedded_engine() -> None:
    result = analyze(dora_register(), load_rules())
    assert list(result)[-5:-3] == ["parent_concentration", "supply_chains"]
    assert result["parent_concentration"] == EXPECTED_D1
    assert result["supply_chains"] == EXPECTED_D2


@pytest.mark.neo4j
def test_hand_checked_results_on_neo4j(neo4j_store) -> None:  # type: ignore[no-untyped-def]
    register = dora_register()
    counts = neo4j_store.load_register(register, as_of=AS_OF)
    assert counts["subcontracting"] == 4
    assert neo4j_store.register_counts()["subcontracting"] == 4
    stored, read_back = digests_of_the_load(neo4j_store)  # computed from the load's rows
    assert stored == read_back
    result = analyze(None, None, Neo4jEngine(neo4j_store, as_of=AS_OF))
    assert result["parent_concentration"] == EXPECTED_D1
    assert result["supply_chains"] == EXPECTED_D2
    assert json.dumps(result, default=repr) == json.dumps(
        analyze(register, load_rules(), as_of=AS_OF), default=repr
    )
    parents = neo4j_store.read(
        "MATCH (o:Organisation) WHERE o.parent IS NOT NULL RETURN o.id AS id, o.parent AS parent "
        "ORDER BY id"
    )
    assert parents == [{"id": "a1", "parent": "GRP"}, {"id": "a2", "parent": "GRP"}]
    links = neo4j_store.read(
        "MATCH (c:Contract)-[l:SUPPLY_CHAIN]->(o) RETURN c.id AS c, o.id AS o, l.rank AS rank, "
        "l.recipient AS recipient, l.serviceType AS type ORDER BY c, rank"
    )
    assert links == [
        {"c": "C1", "o": "a1", "rank": 1, "recipient": None, "type": "eba_TA:S01"},
        {"c": "C1", "o": "s1", "rank": 2, "recipient": "a1", "type": None},
        {"c": "C1", "o": "s2", "rank": 3, "recipient": "s1", "type": None},
        {"c": "C2", "o": "s3", "rank": 2, "recipient": "x", "type": None},
    ]
    subcontracts = neo4j_store.read(
        "MATCH (p:Organisation)-[s:SUBCONTRACTS_TO]->(o:Organisation) RETURN p.id AS provider, "
        "o.id AS subcontractor, s.rank AS rank, s.arrangement AS arrangement, s.source AS source "
        "ORDER BY provider, subcontractor"
    )
    assert subcontracts == [{**row, "source": None} for row in EXPECTED_SUBCONTRACTS]
    paths = neo4j_store.read(
        "MATCH (:Organisation {id: 'a1'})-[:SUBCONTRACTS_TO*]->(o) RETURN o.id AS id ORDER BY id"
    )
    assert paths == [{"id": "s1"}, {"id": "s2"}]  # paths can be followed
    # replacing with a register without supply chains removes the links and the DORA sections
    plain = dora_register()
    plain.subcontracting = set()
    for org in plain.organisations.values():
        org.parent = None
    neo4j_store.load_register(plain)
    assert neo4j_store.register_counts()["subcontracting"] == 0
    assert neo4j_store.read("MATCH ()-[s:SUBCONTRACTS_TO]->() RETURN count(s) AS n") == [{"n": 0}]
    assert "supply_chains" not in analyze(None, None, Neo4jEngine(neo4j_store, as_of=AS_OF))


def test_the_dora_sections_appear_only_with_supply_chain_data() -> None:
    plain = dora_register()
    plain.subcontracting = set()
    for org in plain.organisations.values():
        org.parent = None
    assert "parent_concentration" not in analyze(plain, load_rules())
    plain.organisations["b"].parent = "B-GROUP"  # a parent alone is enough
    assert list(analyze(plain, load_rules()))[-5:] == list(DORA_ANALYSES)


def test_supplier_filter_keeps_the_groups_and_chains_it_is_in() -> None:
    rules = load_rules()
    reg = dora_register()
    groups = run_analysis("parent_concentration", reg, rules, supplier="a2")
    assert [r["parent"] for r in groups] == ["GRP"]
    assert groups[0]["contracts"] == ["C1", "C2"]  # the whole group, not only a2's contracts
    chains = run_analysis("supply-chains", reg, rules, supplier="x")
    assert [r["function"] for r in chains] == ["F-PAY", "F-CRM"]
    assert run_analysis("supply_chains", reg, rules, supplier="nobody") == []


def test_networkx_keeps_every_link() -> None:
    graph = to_networkx(dora_register())
    links = sorted(
        (u[1], v[1], d["rank"], d["recipient"])
        for u, v, d in graph.edges(data=True)
        if d["type"] == "SUPPLY_CHAIN"
    )
    assert links == [
        ("C1", "a1", 1, None),
        ("C1", "s1", 2, "a1"),
        ("C1", "s2", 3, "s1"),
        ("C2", "s3", 2, "x"),
    ]
    assert graph.nodes["organisation", "a1"]["parent"] == "GRP"
    subcontracts = sorted(
        (
            {
                "provider": u[1],
                "subcontractor": v[1],
                "rank": d["rank"],
                "arrangement": d["arrangement"],
            }
            for u, v, d in graph.edges(data=True)
            if d["type"] == "SUBCONTRACTS_TO"
        ),
        key=lambda r: (r["provider"], r["subcontractor"]),
    )
    assert subcontracts == EXPECTED_SUBCONTRACTS
    assert nx.descendants(
        graph.edge_subgraph(
            (u, v, k)
            for u, v, k, t in graph.edges(keys=True, data="type")
            if t == "SUBCONTRACTS_TO"
        ),
        ("organisation", "a1"),
    ) == {("organisation", "s1"), ("organisation", "s2")}


def test_subcontracts_to_is_derived_from_the_links() -> None:
    links = dora_register().subcontracting | {
        Subcontracting("C1", "s1", 2, "a1", service_type="eba_TA:S02", source="b_05.02.csv:9")
    }
    found = subcontracts_to(links)  # one per provider, subcontractor, arrangement and rank
    assert [
        {
            "provider": s.provider,
            "subcontractor": s.subcontractor,
            "rank": s.rank,
            "arrangement": s.arrangement,
        }
        for s in found
    ] == EXPECTED_SUBCONTRACTS
    assert found[0].source is None  # the first link in link order (no service type sorts first)


@pytest.mark.parametrize("fmt", ["turtle", "nt", "json-ld"])
def test_rdf_round_trip_keeps_parents_and_links(tmp_path, fmt: str) -> None:  # type: ignore[no-untyped-def]
    register = dora_register()
    path = tmp_path / f"register.{ {'turtle': 'ttl', 'nt': 'nt', 'json-ld': 'jsonld'}[fmt] }"
    write_rdf(register, path, fmt)
    back = read_rdf(path)
    assert back.subcontracting == register.subcontracting
    assert {o.id: o.parent for o in back.organisations.values()} == {
        o.id: o.parent for o in register.organisations.values()
    }
    assert register_to_rdf(back).isomorphic(register_to_rdf(register))
    sg = "https://w3id.org/sourcing-graph/ontology#"
    org = "https://w3id.org/sourcing-graph/id/org/"
    pairs = sorted(
        (str(s).removeprefix(org), str(o).removeprefix(org))
        for s, o in register_to_rdf(back).subject_objects(URIRef(sg + "subcontractsTo"))
    )
    assert pairs == [("a1", "s1"), ("s1", "s2"), ("x", "s3")]


def test_shapes_accept_links_and_reject_a_bad_rank() -> None:
    from sourcing_graph.ontology.rules import shapes_graph

    graph = register_to_rdf(dora_register())
    conforms, _, text = validate(graph, shacl_graph=shapes_graph(), ont_graph=ontology_graph())
    assert conforms, text
    from rdflib import Literal
    from rdflib.namespace import XSD

    sg = "https://w3id.org/sourcing-graph/ontology#"
    link = next(s for s in graph.subjects(URIRef(sg + "chainRank"), None))
    graph.set((link, URIRef(sg + "chainRank"), Literal(0, datatype=XSD.integer)))
    conforms, _, text = validate(graph, shacl_graph=shapes_graph(), ont_graph=ontology_graph())
    assert not conforms
    assert "LinkRankShape" in text or "rank" in text


def test_rdf_reader_rejects_a_link_to_an_unknown_contract(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from sourcing_graph.errors import RegisterError

    path = tmp_path / "bad.ttl"
    write_rdf(dora_register(), path)
    text = path.read_text(encoding="utf-8").replace(
        "sg:linkContract <https://w3id.org/sourcing-graph/id/contract/C2>",
        "sg:linkContract <https://w3id.org/sourcing-graph/id/contract/NOPE>",
    )
    path.write_text(text, encoding="utf-8")
    with pytest.raises(
        RegisterError,
        match=r"refers to a contract the register does not have \(read 'sgr:contract/NOPE'",
    ) as caught:
        read_rdf(path)
    assert "does not have" in str(caught.value)
    assert "NOPE" in str(caught.value)


# -- D3, D4, D5 ----------------------------------------------------------------------------------
# chain_register() is dora_register() with C3's chain b <- s2 (rank 2) and B_07.01 extras:
# C1 "highly complex" (x960: not counted), C2 not substitutable and, of two assessments, one with
# no exit plan; C3 no alternative; C4 (internal ssc) no exit plan. By hand:
# D3 — a1: F-PAY (directly); a2: F-CRM, F-PAY (directly); b: F-CRM (directly); s1: F-PAY; s2:
#   F-PAY (C1) and F-CRM (C3); s3 and x: F-CRM, F-PAY (C2); ssc is internal; the group GRP (a1,
#   a2, whose parent is another organisation) F-CRM, F-PAY, directly both. b names no parent.
# D4 — s2 sits behind a1 (group GRP, C1) and b (group b, C3); s1 behind a1 only, s3 behind a2.
# D5 — C2 (F-CRM, F-PAY): not substitutable, no exit plan; C3 (F-CRM): no alternative; C4 (F-HR):
#   no exit plan.


def _d3(org: str, level: str, members: list[str], direct: list[str], all_: list[str]) -> dict:  # type: ignore[type-arg]
    return {
        "organisation": org,
        "level": level,
        "members": members,
        "direct_functions": direct,
        "critical_functions": all_,
    }


BOTH = ["F-CRM", "F-PAY"]
EXPECTED_D3 = [
    _d3("GRP", "group", ["a1", "a2"], BOTH, BOTH),
    _d3("a2", "provider", ["a2"], BOTH, BOTH),
    _d3("s2", "provider", ["s2"], [], BOTH),
    _d3("s3", "provider", ["s3"], [], BOTH),
    _d3("x", "provider", ["x"], [], BOTH),
    _d3("a1", "provider", ["a1"], ["F-PAY"], ["F-PAY"]),
    _d3("b", "provider", ["b"], ["F-CRM"], ["F-CRM"]),
    _d3("s1", "provider", ["s1"], [], ["F-PAY"]),
]
EXPECTED_D4 = [
    {
        "subcontractor": "s2",
        "direct_providers": ["a1", "b"],
        "groups": ["GRP", "b"],
        "contracts": ["C1", "C3"],
        "critical_functions": BOTH,
    }
]
EXPECTED_D5 = [
    {
        "function": "F-CRM",
        "contract": "C2",
        "supplier": "a2",
        "reasons": ["not_substitutable", "no_exit_plan"],
    },
    {
        "function": "F-PAY",
        "contract": "C2",
        "supplier": "a2",
        "reasons": ["not_substitutable", "no_exit_plan"],
    },
    {"function": "F-CRM", "contract": "C3", "supplier": "b", "reasons": ["no_alternative"]},
    {"function": "F-HR", "contract": "C4", "supplier": "ssc", "reasons": ["no_exit_plan"]},
]


def chain_register() -> Register:
    register = dora_register()
    register.subcontracting.add(Subcontracting("C3", "s2", 2, "b"))
    extras = {
        "C1": {"substitutability_code": "eba_ZZ:x960"},
        "C2": {"substitutability_code": "eba_ZZ:x959", "exit_plan_code": "eba_BT:x28 | eba_BT:x29"},
        "C3": {"alternative_providers_code": "eba_BT:x29", "exit_plan_code": "No"},
        "C4": {"exit_plan_code": "eba_BT:x29"},
    }
    for contract, extra in extras.items():
        register.contracts[contract].extra.update(extra)
    return register


def test_d3_d4_d5_hand_checked_on_the_embedded_engine() -> None:
    result = analyze(chain_register(), load_rules())
    assert list(result)[-5:] == list(DORA_ANALYSES)
    assert result["indirect_concentration"] == EXPECTED_D3
    assert result["shared_subcontractors"] == EXPECTED_D4
    assert result["exit_risks"] == EXPECTED_D5


def test_d3_d4_d5_supplier_filter() -> None:
    rules, reg = load_rules(), chain_register()
    d3 = run_analysis("indirect_concentration", reg, rules, supplier="a2")
    assert [r["organisation"] for r in d3] == ["GRP", "a2"]
    assert run_analysis("shared_subcontractors", reg, rules, supplier="b") == EXPECTED_D4
    assert run_analysis("shared_subcontractors", reg, rules, supplier="a2") == []
    assert run_analysis("exit_risks", reg, rules, supplier="b") == [EXPECTED_D5[2]]


@pytest.mark.neo4j
def test_d3_d4_d5_hand_checked_on_neo4j(neo4j_store) -> None:  # type: ignore[no-untyped-def]
    register = chain_register()
    neo4j_store.load_register(register, as_of=AS_OF)
    engine = Neo4jEngine(neo4j_store, as_of=AS_OF)
    result = analyze(None, None, engine)  # the stored findings
    assert result["indirect_concentration"] == EXPECTED_D3
    assert result["shared_subcontractors"] == EXPECTED_D4
    assert result["exit_risks"] == EXPECTED_D5
    assert json.dumps(result, default=repr) == json.dumps(
        analyze(register, load_rules(), as_of=AS_OF), default=repr
    )
    for key, expected in (
        ("indirect_concentration", EXPECTED_D3),
        ("shared_subcontractors", EXPECTED_D4),
        ("exit_risks", EXPECTED_D5),
    ):  # the named queries
        assert run_analysis(key, None, None, engine) == expected
    assert run_analysis("exit_risks", None, None, engine, supplier="b") == [EXPECTED_D5[2]]
    d3 = run_analysis("indirect_concentration", None, None, engine, supplier="a2")
    assert [r["organisation"] for r in d3] == ["GRP", "a2"]


@pytest.mark.neo4j
def test_d3_d4_d5_of_the_realistic_bank_on_both_engines(neo4j_store, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The bank of ``tests/support/dora_bank.py`` (45 providers, 150 arrangements, chains up to
    rank 4, FibreLink behind every critical function): both engines agree on D3-D5."""
    from sourcing_graph.loaders import read_any
    from tests.support.dora_bank_files import write_bank_package

    bank = write_bank_package(tmp_path / "roi")
    fibre = next(p.lei for p in bank.providers.values() if p.name == "FibreLink Backbone SE")
    rules = load_rules()
    register = read_any(tmp_path / "roi", rules=rules)
    neo4j_store.load_register(register)
    ours = analyze(register, rules)
    engine = Neo4jEngine(neo4j_store)
    theirs = analyze(None, None, engine)
    for key in ("indirect_concentration", "shared_subcontractors", "exit_risks"):
        assert theirs[key] == ours[key], key
        assert run_analysis(key, None, None, engine) == ours[key], key
    top = ours["indirect_concentration"][0]
    assert (top["organisation"], len(top["critical_functions"]), top["direct_functions"]) == (
        fibre,
        10,
        [],
    )
    assert ours["shared_subcontractors"][0]["subcontractor"] == fibre
    assert ours["exit_risks"]  # no exit plan or not substitutable here and there
    behind = neo4j_store.read(
        "MATCH (p:Organisation)-[:SUBCONTRACTS_TO*]->(:Organisation {id: $id}) "
        "RETURN count(DISTINCT p) AS n",
        {"id": fibre},
    )
    assert behind[0]["n"] > 10  # the providers a path leads from to FibreLink
