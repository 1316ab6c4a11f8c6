"""The register read back from Neo4j (issue 14, ``refresh`` in memory): the exact inverse of the
load plan. Loaded, read back and planned again, a register gives the same rows and node hashes,
and the read-back's planned digest is the register digest read from the graph; after each edit
made with Cypher that the model can express too; a shape it cannot express gives None."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from hypothesis import given

from sourcing_graph.graph.neo4j.digest import register_digest
from sourcing_graph.graph.neo4j.load_plan import (
    load_plan,
    planned_node_hashes,
    planned_register_digest,
)
from sourcing_graph.graph.neo4j.ontology import ontology_writer
from sourcing_graph.graph.neo4j.read_back import ReadBack, read_back
from sourcing_graph.loaders import read_any
from sourcing_graph.loaders.csv_reader import read_register
from sourcing_graph.model import Register
from sourcing_graph.ontology.rules import load_rules
from tests.support import DATA, EXAMPLES
from tests.support.random_registers import registers
from tests.support.read_back import BY_HAND, EDITS, INEXPRESSIBLE, READ_BACK_SETTINGS
from tests.support.server import wipe

pytestmark = pytest.mark.neo4j

AS_OF = date(2026, 6, 1)
ONTOLOGY = ontology_writer(None)


def read_back_of(store: Any) -> tuple[ReadBack | None, str]:
    """The register part read back, and the register digest read from the graph."""

    def work(tx: Any) -> tuple[ReadBack | None, str]:
        def run(cypher: str, params: dict[str, Any]) -> Any:
            return tx.run(cypher, params)

        bases = ONTOLOGY.rules.selection_basis_words.values()
        return read_back(run, ONTOLOGY.nodes, bases), register_digest(run)

    with store.driver.session(database=store.database) as session:
        return session.execute_read(work)  # type: ignore[no-any-return]


def by_stage(register: Register) -> dict[str, Any]:
    """The load plan's rows, a node stage's by id (the graph returns nodes in its own order)."""
    rows: dict[str, Any] = {}
    for stage in load_plan(register):
        node_stage = stage.rows and isinstance(stage.rows[0], dict) and "props" in stage.rows[0]
        rows[stage.name] = {r["id"]: r for r in stage.rows} if node_stage else stage.rows
    return rows


def assert_exact(store: Any, register: Register) -> None:
    """Loaded, ``register`` reads back as itself: the same plan rows, node hashes and digest.
    Into an empty database: a load replacing an amount of 0.00 by one of -0.00 (a float of
    minus zero) leaves 0.0, which Neo4j holds equal, so the graph is not the new register."""
    wipe(store)
    store.load_register(register, as_of=AS_OF)
    back, digest = read_back_of(store)
    assert back is not None
    assert by_stage(back.register) == by_stage(register)
    original = planned_node_hashes(list(load_plan(register)), ONTOLOGY.nodes)
    assert planned_node_hashes(back.plan, ONTOLOGY.nodes) == original
    assert planned_register_digest(back.plan, ONTOLOGY.nodes) == digest == back.digest()


@pytest.mark.parametrize("name", ["gemeente-waterland", "acme-retail"])
def test_the_examples_read_back_as_loaded(neo4j_store: Any, name: str) -> None:
    assert_exact(neo4j_store, read_register(EXAMPLES / name))


def test_the_dora_example_reads_back_as_loaded(neo4j_store: Any) -> None:
    register = read_any(
        DATA / "dora" / "bank-roi", overlay=DATA / "dora" / "bank-roi-overlay", rules=load_rules()
    )
    assert register.subcontracting and register.part_of_group()  # what the inverse must hold
    assert_exact(neo4j_store, register)


@READ_BACK_SETTINGS
@given(register=registers())
def test_random_registers_read_back_as_loaded(neo4j_store: Any, register: Register) -> None:
    assert_exact(neo4j_store, register)


@pytest.mark.parametrize("edit", list(EDITS), ids=list(EDITS))
def test_an_edit_the_model_expresses_reads_back_with_the_graphs_digest(
    neo4j_store: Any, edit: str
) -> None:
    register = read_register(EXAMPLES / "gemeente-waterland")
    neo4j_store.load_register(register, as_of=AS_OF)
    cypher, check = EDITS[edit]
    neo4j_store.write(cypher)
    back, digest = read_back_of(neo4j_store)
    assert back is not None
    assert back.digest() == digest
    planned = planned_register_digest(back.plan, ONTOLOGY.nodes)
    assert (planned == digest) is (edit not in BY_HAND)
    assert planned_register_digest(list(load_plan(register)), ONTOLOGY.nodes) != digest
    assert check(back.register)


@pytest.mark.parametrize("edit", list(INEXPRESSIBLE), ids=list(INEXPRESSIBLE))
def test_a_shape_the_model_cannot_express_reads_back_as_none(neo4j_store: Any, edit: str) -> None:
    neo4j_store.load_register(read_register(EXAMPLES / "gemeente-waterland"), as_of=AS_OF)
    neo4j_store.write(INEXPRESSIBLE[edit])
    try:
        back, _ = read_back_of(neo4j_store)
        assert back is None
    finally:  # what no load removes (later tests count labels, or diff a load's writes)
        for undo in (
            "MATCH (n:Note) DETACH DELETE n",
            "MATCH (n:Archived) REMOVE n:Archived",
            "MATCH ()-[r:REPLACES]->() DELETE r",
        ):
            neo4j_store.write(undo)
