"""The register diff of a replacing load (issue 14): the node hashes a load records are the parts
of the register digest it records, and a changed register's plan keeps only the rows of the
nodes whose hash changed. Nothing is sent to a server (the integration tests load the diffs)."""

from __future__ import annotations

import copy
from decimal import Decimal

import pytest

from sourcing_graph.graph.neo4j.digest import sum_digest
from sourcing_graph.graph.neo4j.load_plan import (
    load_plan,
    planned_node_hashes,
    planned_register_digest,
)
from sourcing_graph.graph.neo4j.ontology import ontology_writer
from sourcing_graph.graph.neo4j.register_diff import changed_plan, decode, encode
from sourcing_graph.loaders.csv_reader import read_register
from sourcing_graph.model import Register
from tests.support import EXAMPLES

ONTOLOGY = ontology_writer().nodes


@pytest.fixture(scope="module")
def waterland() -> Register:
    return read_register(EXAMPLES / "gemeente-waterland")


def test_the_node_hashes_sum_to_the_planned_register_digest(waterland: Register) -> None:
    plan = list(load_plan(waterland))
    hashes = planned_node_hashes(plan, ONTOLOGY)
    counts = waterland.counts()
    assert len(hashes) == sum(
        counts[k] for k in ("organisations", "lots", "functions", "contracts")
    )
    assert sum_digest(hashes.values()) == planned_register_digest(plan, ONTOLOGY)
    assert decode(encode(hashes)) == hashes


def test_an_id_with_any_character_survives_the_recorded_form() -> None:
    hashes = {("Contract", "C|1 é\t😀"): 2**127 + 5, ("Organisation", ""): 0, ("Lot", "x"): 1}
    assert decode(encode(hashes)) == hashes


def test_a_changed_contract_keeps_its_rows_and_those_of_no_other_node(
    waterland: Register,
) -> None:
    plan = list(load_plan(waterland))
    before = planned_node_hashes(plan, ONTOLOGY)
    changed = copy.deepcopy(waterland)
    contract = changed.contracts["WL-02"]
    contract.annual_value = (contract.annual_value or Decimal(0)) + 1
    new_plan = list(load_plan(changed))
    kept, ids = changed_plan(new_plan, planned_node_hashes(new_plan, ONTOLOGY), before)
    assert ids == {"Contract": ["WL-02"], "Lot": [], "Function": [], "Organisation": []}
    rows = {stage.name: stage.rows for stage in kept}
    assert [row["id"] for row in rows["contracts"]] == ["WL-02"]
    assert all(not rows[name] for name in rows if name != "contracts")
    # the same register: nothing to write
    same, none = changed_plan(plan, before, before)
    assert all(not stage.rows for stage in same) and not any(none.values())


def test_a_removed_end_changes_the_node_its_relationship_starts_at(waterland: Register) -> None:
    # a function no contract delivers any more... here: a function removed from the register,
    # so the contracts delivering it lose their DELIVERS relationship and are written again
    plan = list(load_plan(waterland))
    before = planned_node_hashes(plan, ONTOLOGY)
    changed = copy.deepcopy(waterland)
    function = next(iter(changed.functions))
    del changed.functions[function]
    delivering = sorted(c.id for c in changed.contracts.values() if function in c.functions)
    assert delivering
    new_plan = list(load_plan(changed))
    _, ids = changed_plan(new_plan, planned_node_hashes(new_plan, ONTOLOGY), before)
    assert sorted(ids["Contract"]) == delivering
    assert ids["Function"] == []
