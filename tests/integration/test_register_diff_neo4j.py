"""The register diff of a replacing load (issue 14, performance): with nothing committed since our
own last load or refresh, a load writes only the register nodes whose hash changed, and leaves the
graph, its digests and its conclusions exactly as a whole write does."""

from __future__ import annotations

import copy
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from sourcing_graph.graph.analyses import EmbeddedEngine
from sourcing_graph.loaders.csv_reader import read_register
from sourcing_graph.model import Register
from sourcing_graph.ontology.rules import load_rules
from sourcing_graph.queries.statements import statements
from tests.support import EXAMPLES
from tests.support.conclusions import digests_of_the_load, expected_conclusions, stored_conclusions
from tests.support.ontology import SG_PREFIX
from tests.support.spy import spy_statements

pytestmark = pytest.mark.neo4j

AS_OF = date(2026, 6, 1)
FORCED_SLA = SG_PREFIX + "sg:SlaClause sg:forcesMode sg:Reliability .\n"
LOAD = statements("load")
NODE_WRITES = {
    "merge-organisations": "Organisation",
    "merge-functions": "Function",
    "merge-lots": "Lot",
    "merge-contracts": "Contract",
}


@pytest.fixture
def waterland() -> Register:
    return read_register(EXAMPLES / "gemeente-waterland")


class NodeWrites:
    """Spies on a load's statements: the ids of the register nodes each label's merge wrote, and
    whether every register relationship was removed (a whole write)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.clear()

        def seen(cypher: str, given: dict[str, Any]) -> None:
            for name, label in NODE_WRITES.items():
                if cypher == LOAD[name]:
                    self.ids.setdefault(label, []).extend(r["id"] for r in given["rows"])
            if cypher == LOAD["remove-contract-relationships"]:
                self.whole = True

        spy_statements(monkeypatch, seen)

    def clear(self) -> None:
        self.ids: dict[str, list[str]] = {}
        self.whole = False


def assert_as_a_whole_load_leaves_it(
    store: Any, register: Register, load_id: str, written: dict[str, list[str]] | None = None
) -> None:
    """The digests and conclusions a diffed load left are those of ``register``; the nodes it
    wrote (``written``: per label, the ids; None: every node) carry its load id, the others the
    one of the load that wrote them (not touched)."""
    stored, now = digests_of_the_load(store)
    assert stored == now
    assert not store.conclusions_stale()
    embedded = EmbeddedEngine(register, load_rules(), as_of=AS_OF).conclusions()
    assert stored_conclusions(store) == expected_conclusions(embedded, register.organisations)
    versions = store.read(
        "MATCH (n) WHERE n:Contract OR n:Lot OR n:Function OR n:Organisation "
        "RETURN [l IN labels(n) WHERE l IN ['Contract', 'Lot', 'Function', 'Organisation']][0] "
        "AS label, n.id AS id, "
        "n.loadId AS version"
    )
    assert all(row["version"] is not None for row in versions)
    mine = {
        (row["label"], row["id"])
        for row in versions
        if written is None or row["id"] in written.get(row["label"], ())
    }
    assert {(row["label"], row["id"]) for row in versions if row["version"] == load_id} == mine


@pytest.fixture
def writes(neo4j_store: Any, waterland: Register, monkeypatch: pytest.MonkeyPatch) -> NodeWrites:
    """Waterland loaded whole, then the spy on the loads after it."""
    neo4j_store.load_register(waterland, as_of=AS_OF)
    return NodeWrites(monkeypatch)


def test_a_replace_writes_only_the_nodes_that_changed(
    neo4j_store: Any, waterland: Register, writes: NodeWrites
) -> None:
    store = neo4j_store
    changed = copy.deepcopy(waterland)
    contract = changed.contracts["WL-02"]
    contract.annual_value = (contract.annual_value or Decimal(0)) + 1
    del changed.contracts["WL-18"]  # R4 and R8 findings go with it
    changed.lots["K02"].prime_contractor = "own-it"  # was kwelder
    loaded = store.load_register(changed, as_of=AS_OF)
    assert not writes.whole
    assert {label: sorted(ids) for label, ids in writes.ids.items()} == {
        "Contract": ["WL-02"],
        "Lot": ["K02"],
    }
    assert store.read("MATCH (c:Contract {id: 'WL-18'}) RETURN count(c) AS n") == [{"n": 0}]
    assert_as_a_whole_load_leaves_it(store, changed, loaded["loadId"], writes.ids)
    # the same register again: no node written
    writes.clear()
    again = store.load_register(changed, as_of=AS_OF)
    assert writes.ids == {} and not writes.whole and again["sameRegister"]
    assert_as_a_whole_load_leaves_it(store, changed, again["loadId"], {})
    # back to the first register: the nodes that differ, WL-18 created again
    writes.clear()
    back = store.load_register(waterland, as_of=AS_OF)
    assert {label: sorted(ids) for label, ids in writes.ids.items()} == {
        "Contract": ["WL-02", "WL-18"],
        "Lot": ["K02"],
    }
    assert_as_a_whole_load_leaves_it(store, waterland, back["loadId"], writes.ids)


def test_after_a_commit_of_someone_elses_the_whole_register_is_written(
    neo4j_store: Any, waterland: Register, writes: NodeWrites
) -> None:
    store = neo4j_store
    # an edit with Cypher the recorded hashes do not know: WL-05's annual value
    store.write("MATCH (c:Contract {id: 'WL-05'}) SET c.annualValue = 1.0")
    loaded = store.load_register(waterland, as_of=AS_OF)
    assert writes.whole and len(writes.ids["Contract"]) == len(waterland.contracts)
    assert store.read("MATCH (c:Contract {id: 'WL-05'}) RETURN c.annualValue <> 1.0 AS back")[0][
        "back"
    ]
    assert_as_a_whole_load_leaves_it(store, waterland, loaded["loadId"])
    # a relationship added with Cypher that a load keeps: the digest is read back, the next load
    # does not trust the recorded hashes (their sum is not the recorded digest) and writes whole
    store.write(
        "MATCH (c:Contract {id: 'WL-02'}), (o:Organisation {id: 'own-it'}) "
        "CREATE (c)-[:REVIEWED_BY]->(o)"
    )
    try:
        store.load_register(waterland, as_of=AS_OF)
        writes.clear()
        store.load_register(waterland, as_of=AS_OF)
        assert writes.whole
        stored, now = digests_of_the_load(store)
        assert stored == now
    finally:
        store.write("MATCH ()-[r:REVIEWED_BY]->() DELETE r")


def test_changed_rule_data_writes_the_whole_register(
    neo4j_store: Any, waterland: Register, writes: NodeWrites
) -> None:
    store = neo4j_store
    try:
        store.load_register(waterland, as_of=AS_OF, rules_source=FORCED_SLA)
        assert writes.whole
        stored, now = digests_of_the_load(store)
        assert stored == now
    finally:
        store.ensure_schema()


class Statements:
    """Spies on a load's statements: the names of the ontology and R1 statements it ran, with
    R1's scope."""

    ONTOLOGY = {cypher: name for name, cypher in statements("ontology").items()}
    R1 = statements("conclusions")["contract-modes"]

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.ontology: list[str] = []
        self.r1_scopes: list[list[str] | None] = []

        def seen(cypher: str, given: dict[str, Any]) -> None:
            if cypher in self.ONTOLOGY:
                self.ontology.append(self.ONTOLOGY[cypher])
            if cypher == self.R1:
                self.r1_scopes.append(given["contracts"])

        spy_statements(monkeypatch, seen)


def _unmoded(register: Register, supplier: str) -> list[str]:
    """Every contract of ``supplier`` made one whose effective mode only an internal supplier
    gives (no declared mode, no clause): R1 then follows the supplier's ``internal``."""
    mine = sorted(c.id for c in register.contracts.values() if c.supplier == supplier)
    for ident in mine:
        register.contracts[ident].mode = None
        register.contracts[ident].clauses = frozenset()
    return mine


def test_a_supplier_made_internal_changes_the_effective_mode_of_its_unchanged_contracts(
    neo4j_store: Any, waterland: Register, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = neo4j_store
    supplier = next(o.id for o in waterland.organisations.values() if not o.internal)
    before = copy.deepcopy(waterland)
    contracts = _unmoded(before, supplier)
    assert contracts
    store.load_register(before, as_of=AS_OF)
    modes = "MATCH (c:Contract) WHERE c.id IN $ids RETURN DISTINCT c.modeBasis AS basis"
    assert store.read(modes, {"ids": contracts}) == [{"basis": "not_recorded"}]
    spied = Statements(monkeypatch)
    after = copy.deepcopy(before)
    after.organisations[supplier].internal = True
    loaded = store.load_register(after, as_of=AS_OF)
    assert spied.r1_scopes == [contracts]  # only the supplier's contracts derived again
    assert spied.ontology == []  # nothing committed since the last load, the same rule data
    assert store.read(modes, {"ids": contracts}) == [{"basis": "internal_supplier"}]
    assert_as_a_whole_load_leaves_it(store, after, loaded["loadId"], {"Organisation": [supplier]})


def test_the_ontology_is_written_again_only_when_the_graph_may_not_hold_it(
    neo4j_store: Any, waterland: Register, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = neo4j_store
    store.load_register(waterland, as_of=AS_OF)
    spied = Statements(monkeypatch)
    store.load_register(waterland, as_of=AS_OF)
    assert spied.ontology == [] and spied.r1_scopes == [[]]
    # a commit of someone else's: the rule data is written again, R1 derived for every contract
    store.write("MATCH (m:CollaborationMode {key: 'trust'}) SET m.labelEn = 'trust?'")
    loaded = store.load_register(waterland, as_of=AS_OF)
    assert "merge:CollaborationMode" in spied.ontology and spied.r1_scopes[-1] is None
    assert store.read("MATCH (m:CollaborationMode {key: 'trust'}) RETURN m.labelEn AS en") == [
        {"en": "trust"}
    ]
    assert_as_a_whole_load_leaves_it(store, waterland, loaded["loadId"])
    # other rule data: written, whatever was committed since
    spied.ontology.clear()
    try:
        store.load_register(waterland, as_of=AS_OF, rules_source=FORCED_SLA)
        assert "merge:CollaborationMode" in spied.ontology
        stored, now = digests_of_the_load(store)
        assert stored == now
    finally:
        store.ensure_schema()


def test_a_lot_that_loses_or_gains_a_contract_gets_its_mode_again(
    neo4j_store: Any, waterland: Register, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = neo4j_store
    lot = next(
        lot
        for lot in sorted(waterland.lots)
        if sum(c.lot == lot for c in waterland.contracts.values()) >= 2
    )
    first, *rest = sorted(c.id for c in waterland.contracts.values() if c.lot == lot)
    other = next(other for other in sorted(waterland.lots) if other != lot)
    before = copy.deepcopy(waterland)
    for ident in (first, *rest):  # the lot in trust but for its first contract
        before.contracts[ident].clauses = frozenset()
        before.contracts[ident].mode = "trust"
    before.contracts[first].mode = "distrust"
    store.load_register(before, as_of=AS_OF)
    mode = "MATCH (l:Lot {id: $lot}) RETURN l.mode AS mode"
    assert store.read(mode, {"lot": lot}) == [{"mode": "distrust"}]
    spied = Statements(monkeypatch)
    moved = copy.deepcopy(before)
    moved.contracts[first].lot = other  # the lot loses it, the other gains it
    loaded = store.load_register(moved, as_of=AS_OF)
    assert spied.r1_scopes == [[first]]
    assert store.read(mode, {"lot": lot}) == [{"mode": "trust"}]
    assert_as_a_whole_load_leaves_it(store, moved, loaded["loadId"], {"Contract": [first]})
    gone = copy.deepcopy(before)
    del gone.contracts[first]
    store.load_register(before, as_of=AS_OF)
    loaded = store.load_register(gone, as_of=AS_OF)
    assert store.read(mode, {"lot": lot}) == [{"mode": "trust"}]
    assert_as_a_whole_load_leaves_it(store, gone, loaded["loadId"], {})


@pytest.mark.parametrize("label", ["Lot", "Contract", "Function", "Organisation"])
def test_a_register_node_made_without_id_is_gone_after_a_load(
    neo4j_store: Any, waterland: Register, label: str
) -> None:
    # it stayed (NOT null IN $ids is null), with modes a batched load did not give it
    store = neo4j_store
    store.load_register(waterland, as_of=AS_OF)
    store.write(f"CREATE (:{label} {{name: 'nameless'}})")
    loaded = store.load_register(waterland, as_of=AS_OF)
    assert store.read(f"MATCH (n:{label}) WHERE n.id IS NULL RETURN count(n) AS n") == [{"n": 0}]
    assert_as_a_whole_load_leaves_it(store, waterland, loaded["loadId"])
