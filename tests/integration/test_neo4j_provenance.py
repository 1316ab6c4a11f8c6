"""Provenance in Neo4j: every register node and relationship says where the register said it, what
the register did not say is stored as not said, and the words as written sit beside the keys."""

from __future__ import annotations

import re

import pytest

from sourcing_graph.loaders.csv_reader import read_register
from sourcing_graph.loaders.dora.reader import read_dora
from tests.support import DATA, ROOT

pytestmark = pytest.mark.neo4j

WATERLAND = ROOT / "examples" / "gemeente-waterland"
SOURCE = re.compile(r"^[a-z_.0-9]+\.csv:\d+$")


def test_has_clause_keeps_the_words_as_written(neo4j_store) -> None:  # type: ignore[no-untyped-def]
    neo4j_store.load_register(read_register(WATERLAND))
    rows = neo4j_store.read(
        "MATCH (c:Contract)-[r:HAS_CLAUSE]->(t:ClauseType) "
        "RETURN c.id AS contract, t.key AS clause, r.source AS source, r.asWritten AS asWritten "
        "ORDER BY contract, clause"
    )
    by = {(r["contract"], r["clause"]): r for r in rows}
    assert by["WL-04", "obligation"]["asWritten"] == ["resultaatverplichting"]
    assert by["WL-06", "obligation"]["asWritten"] == ["inspanningsverplichting"]
    assert by["WL-04", "obligation"]["source"] == "contracten.csv:5"
    assert by["WL-06", "obligation"]["source"] == "contracten.csv:7"
    assert by["WL-08", "penalty"]["asWritten"] == ["boete", "boeteclausule"]
    assert by["WL-13", "exit"]["asWritten"] == ["beëindiging"]
    assert all(r["source"] and r["asWritten"] for r in rows)


def test_every_register_node_and_relationship_has_its_source(neo4j_store) -> None:  # type: ignore[no-untyped-def]
    neo4j_store.load_register(read_register(WATERLAND))
    nodes = neo4j_store.read(
        "MATCH (n) WHERE n:Organisation OR n:Lot OR n:Function OR n:Contract "
        "RETURN labels(n)[0] AS label, n.id AS id, n.source AS source"
    )
    assert nodes and all(SOURCE.match(r["source"]) for r in nodes), nodes
    rels = neo4j_store.read(
        "MATCH (a)-[r:SUPPLIED_BY|PART_OF|DECLARED_MODE|HAS_CLAUSE|DELIVERS|DEPENDS_ON|"
        "COORDINATED_BY]->(b) RETURN type(r) AS type, a.id AS a, r.source AS source"
    )
    assert rels and all(SOURCE.match(r["source"]) for r in rels), rels
    # a contract's relationships take its row's source, a dependency its own row's
    wl06 = {
        (r["type"], r["source"])
        for r in neo4j_store.read(
            # the register's relationships; the conclusions' (issue 14) carry no source line
            "MATCH (:Contract {id: 'WL-06'})-[r:SUPPLIED_BY|PART_OF|DECLARED_MODE|HAS_CLAUSE|"
            "DELIVERS]->() RETURN type(r) AS type, r.source AS source"
        )
    }
    assert {source for _, source in wl06} == {"contracten.csv:7"}
    assert {t for t, _ in wl06} == {
        "SUPPLIED_BY",
        "PART_OF",
        "DECLARED_MODE",
        "HAS_CLAUSE",
        "DELIVERS",
    }
    [dep] = neo4j_store.read(
        "MATCH (:Lot {id: 'K02'})-[r:DEPENDS_ON]->(:Lot {id: 'K07'}) RETURN r.source AS source"
    )
    assert dep["source"] == "afhankelijkheden.csv:4"


def test_what_the_register_did_not_say_is_not_stored_as_said(neo4j_store) -> None:  # type: ignore[no-untyped-def]
    neo4j_store.load_register(read_register(WATERLAND))
    lots = {
        r["id"]: r
        for r in neo4j_store.read(
            "MATCH (l:Lot)-[c:COORDINATED_BY]->(p) RETURN l.id AS id, "
            "l.primeContractorDefaulted AS defaulted, c.defaulted AS rel, p.id AS prime, "
            "c.source AS source, l.complexity AS complexity, keys(l) AS keys"
        )
    }
    assert {i for i, r in lots.items() if r["defaulted"]} == {"K01", "K06"}
    assert lots["K01"]["rel"] is True and lots["K01"]["prime"] == "own-it"
    assert lots["K01"]["source"] == "kavels.csv:2"
    assert lots["K02"]["defaulted"] is False and lots["K02"]["rel"] is None  # no property
    assert "complexity" not in lots["K06"]["keys"] and lots["K06"]["complexity"] is None
    assert lots["K06"]["keys"].count("dynamics") == 1
    defaulted = neo4j_store.read(
        "MATCH (l:Lot)-[:COORDINATED_BY {defaulted: true}]->() RETURN l.id AS id ORDER BY id"
    )
    assert [r["id"] for r in defaulted] == ["K01", "K06"]
    modes = {
        r["id"]: (r["written"], r["mode"])
        for r in neo4j_store.read(
            "MATCH (c:Contract) OPTIONAL MATCH (c)-[:DECLARED_MODE]->(m) "
            "RETURN c.id AS id, c.modeAsWritten AS written, m.key AS mode"
        )
    }
    assert modes["WL-14"] == ("Vertrouwen", "trust")
    assert modes["WL-18"] == ("onbekend", None)  # written, but no mode
    assert modes["WL-19"] == (None, None)


def test_dora_supply_chain_links_have_their_rows(neo4j_store) -> None:  # type: ignore[no-untyped-def]
    reg = read_dora(DATA / "dora" / "bank-roi", overlay=DATA / "dora" / "bank-roi-overlay")
    neo4j_store.load_register(reg)
    links = neo4j_store.read(
        "MATCH (c:Contract)-[r:SUPPLY_CHAIN]->(o) RETURN c.id AS c, r.rank AS rank, "
        "o.id AS o, r.source AS source ORDER BY c, rank, o"
    )
    assert links and all(r["source"].startswith("b_05.02.csv:") for r in links)
    [lot] = neo4j_store.read(
        "MATCH (l:Lot {id: 'eba_TA:S04'}) RETURN l.primeContractorDefaulted AS d, l.source AS s"
    )
    assert lot["d"] is True and lot["s"].startswith("b_02.02.csv:")
