"""The batched load (issue 19) on the test server: the same register, conclusions and analyses as
the single-transaction load; readers see one whole register while it runs; a process killed while
it stages or cleans up leaves a consistent database, and the next load cleans up.

A server capping a transaction at 64 MB, with readers during a load and SIGKILLs while it stages
and while it cleans up: ``test_batched_capped.py``.
"""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from typing import Any

import neo4j.exceptions
import pytest

from bench.generate import generate
from sourcing_graph.errors import LoadError, QueryError, RegisterReplaceRefused
from sourcing_graph.graph.neo4j import Neo4jStore, ensure_constraints
from sourcing_graph.graph.neo4j import batched as batched_module
from sourcing_graph.graph.neo4j import store as store_module
from sourcing_graph.graph.neo4j.batched import Marks, unversioned_labels, versioned
from sourcing_graph.graph.neo4j.engine import Neo4jEngine
from sourcing_graph.graph.neo4j.whatif import before_and_after
from sourcing_graph.loaders.csv_reader import read_register
from sourcing_graph.model import Change
from sourcing_graph.queries import list_queries
from sourcing_graph.queries.statements import statements
from tests.support import ROOT
from tests.support.batched import contract_nodes, marks, raw, view
from tests.support.conclusions import stored_conclusions
from tests.support.ontology import SG_PREFIX
from tests.support.private_neo4j import expected_counts
from tests.support.server import neo4j_settings

pytestmark = pytest.mark.neo4j

AS_OF = date(2026, 6, 1)
EXAMPLE = ROOT / "examples" / "gemeente-waterland"


@pytest.fixture(scope="module")
def example() -> Any:
    return read_register(EXAMPLE)


def _engine_result(store: Neo4jStore) -> dict[str, Any]:
    return Neo4jEngine(store, as_of=AS_OF).analyze()


def _settled(store: Neo4jStore, register: Any) -> None:
    """One version in the database, no marks, the register's exact counts, fresh conclusions."""
    found = marks(store)
    assert found["staging"] is None and found["retiring"] is None, found
    assert store.register_counts() == expected_counts(register)
    assert contract_nodes(store) == len(register.contracts)  # no other version left
    assert not store.conclusions_stale()


class _Interrupt(Exception):
    """Stops a batched load in the middle of its stage (as a kill would, minus the process)."""


def test_every_read_statement_can_be_kept_to_one_version() -> None:
    """Each named query and each statement the store reads with names its register labels only
    in node patterns that :func:`versioned` keeps to one version."""
    texts = {query.name: query.text for query in list_queries()}
    for group in ("engine", "conclusions", "digest", "whatif", "query", "store", "load"):
        texts.update({f"{group}:{name}": text for name, text in statements(group).items()})
    left = {name: found for name, text in texts.items() if (found := unversioned_labels(text))}
    # run only in a single-transaction load's own transaction, after it removed every other
    # version (settle_in): it counts the register's nodes whatever their version
    assert left.pop("digest:as-written") == ["Contract", "Lot", "Organisation", "Function"]
    assert left == {}
    assert "loadId: $sgLoad" in versioned(texts["lot-modes"])


def test_a_batched_load_gives_what_the_single_transaction_load_gives(
    neo4j_store: Neo4jStore, example: Any
) -> None:
    store = neo4j_store
    big = generate(400, seed=11)
    results = {}
    for name, register in (("big", big), ("example", example)):
        store.load_register(register, as_of=AS_OF, batched=False)
        results[name] = (stored_conclusions(store), _engine_result(store))
    for name, register in (("big", big), ("example", example)):
        counts = store.load_register(register, as_of=AS_OF, batched=True)
        assert counts["batched"] and counts["contracts"] == len(register.contracts)
        _settled(store, register)
        assert (stored_conclusions(store), _engine_result(store)) == results[name]
    # and a single-transaction load after a batched one
    store.load_register(example, as_of=AS_OF, batched=False)
    _settled(store, example)
    assert (stored_conclusions(store), _engine_result(store)) == results["example"]


def test_the_same_register_again_is_kept_without_replace(
    neo4j_store: Neo4jStore, example: Any
) -> None:
    store = neo4j_store
    first = store.load_register(example, as_of=AS_OF, batched=True)
    again = store.load_register(example, as_of=AS_OF, batched=True, replace=False)
    assert again["kept"] and again["loadId"] == first["loadId"] and again["sameRegister"]
    _settled(store, example)


def test_another_register_without_replace_is_refused_before_anything_is_written(
    neo4j_store: Neo4jStore, example: Any, tmp_path: Any
) -> None:
    # the batched load wrote changed rule data before it compared the registers (issue 15)
    store = neo4j_store
    store.load_register(example, as_of=AS_OF, batched=True)
    meta = "MATCH (m:SourcingGraphMeta {key: 'register'}) RETURN properties(m) AS m"
    before = (store.read(meta), store.register_counts())
    rules = tmp_path / "rules.ttl"
    rules.write_text(SG_PREFIX + "sg:SlaClause sg:forcesMode sg:Reliability .\n")
    other = read_register(str(ROOT / "examples" / "acme-retail"))
    with pytest.raises(RegisterReplaceRefused, match="another register is loaded there"):
        store.load_register(other, rules_source=rules, batched=True, replace=False)
    assert (store.read(meta), store.register_counts()) == before
    _settled(store, example)


@pytest.mark.parametrize("batched", [False, True])
def test_a_load_started_while_a_batched_one_stages_stops_it_cleanly(
    neo4j_store: Neo4jStore, example: Any, batched: bool
) -> None:
    """A second load (single-transaction or batched) finds a stage being written: it stops that
    stage (the first load then fails with a clear error, writing nothing more), removes it and
    loads its own register; nothing of the first stays."""
    store = neo4j_store
    big = generate(1500, seed=14)
    store.load_register(example, as_of=AS_OF, batched=False)
    staging = threading.Event()

    def progress(stage: str, done: int, total: int) -> None:
        if done >= total // 3:
            staging.set()

    with ThreadPoolExecutor(1) as pool:
        first = pool.submit(store.load_register, big, progress, as_of=AS_OF, batched=True)
        assert staging.wait(timeout=600)
        assert marks(store)["staging"] is not None
        with Neo4jStore.connect(neo4j_settings()) as second:
            second.load_register(example, as_of=AS_OF, batched=batched)
        failure = first.exception(timeout=600)
    assert isinstance(failure, QueryError) and "started meanwhile" in str(failure), failure
    _settled(store, example)


STAGED = "MATCH (c:Contract {loadId: $loadId}) RETURN count(c) AS n"


def test_a_stage_stopped_while_its_transaction_waits_writes_nothing_more(
    neo4j_store: Neo4jStore, example: Any
) -> None:
    """Another load removes the stage token while the stage's next transaction waits for its
    lock: that transaction finds the token deleted and writes nothing (the clear error, not
    another thousand rows of a stopped stage)."""
    store = neo4j_store
    store.load_register(example, as_of=AS_OF, batched=False)
    cypher = statements("batched")
    held: dict[str, Any] = {}
    batches: list[int] = []

    def progress(stage: str, done: int, total: int) -> None:
        if stage == "contracts":
            batches.append(done)
        if len(batches) != 2 or held:  # after two transactions of 1,000 contracts
            return
        # between two staging transactions: what a second load's first step does (abandon),
        # committed while the next staging transaction waits for the token
        second = Neo4jStore.connect(neo4j_settings())
        session = second.driver.session(database=second.database)
        tx = session.begin_transaction()
        tx.run(cypher["abandon"], {"key": store_module.META_KEY}).consume()
        tx.run(cypher["drop-stage-tokens"], {"prefix": f"{store_module.META_KEY}:stage:"}).consume()
        staging = raw(
            store, "MATCH (m:SourcingGraphMeta {key: 'register'}) RETURN m.stagingLoad AS s"
        )
        held["load"] = staging[0]["s"]

        def commit_later() -> None:
            time.sleep(2)
            held["staged"] = raw_count(store, held["load"])
            tx.commit()
            session.close()
            second.close()

        held["thread"] = threading.Thread(target=commit_later)
        held["thread"].start()

    with pytest.raises(QueryError, match="another load .* started meanwhile"):
        store.load_register(generate(4000, seed=17), progress, as_of=AS_OF, batched=True)
    held["thread"].join()
    assert held["staged"] == 2000  # two transactions of 1,000 contracts, then the stop
    assert raw_count(store, held["load"]) == held["staged"]  # nothing written after it
    assert marks(store)["retiring"] == held["load"]
    store.load_register(example, as_of=AS_OF, batched=True)
    _settled(store, example)


def raw_count(store: Neo4jStore, load_id: str) -> int:
    with store.driver.session(database=store.database) as session:
        return int(session.run(STAGED, {"loadId": load_id}).single()["n"])


@pytest.mark.parametrize("stopped", [True, False])
def test_a_server_error_in_a_stopped_stage_says_another_load_started(
    neo4j_store: Neo4jStore, example: Any, monkeypatch: pytest.MonkeyPatch, stopped: bool
) -> None:
    """A staging statement fails with a server error (here the server's own, a division by zero)
    after another load stopped the stage and removed what it wrote (the token taken before
    that): the load says another load started meanwhile. The same failure in a stage that runs
    on is the error of a failed load, naming the server's code; nothing visible changed."""
    store = neo4j_store
    store.load_register(example, as_of=AS_OF, batched=False)
    before = view(store)
    real = batched_module._Version.run
    calls: list[str] = []

    def fail_in_the_third(self: Any, cypher: str, params: Any = None) -> list[Any]:
        calls.append(cypher)
        if len(calls) < 3:
            return real(self, cypher, params)
        if stopped:  # a second load's first step: stop the stage, remove it
            with Neo4jStore.connect(neo4j_settings()) as second:
                batched_module.recover(second, store_module.META_KEY)
        return real(self, "RETURN 1 / $zero AS n", {"zero": 0})

    monkeypatch.setattr(batched_module._Version, "run", fail_in_the_third)
    wanted = (
        (QueryError, "another load .* started meanwhile")
        if stopped
        else (
            LoadError,
            "could not complete the batched load .*ArithmeticError.*previously loaded register is intact",
        )
    )
    with pytest.raises(wanted[0], match=wanted[1]):
        store.load_register(generate(3000, seed=18), as_of=AS_OF, batched=True)
    monkeypatch.undo()
    assert view(store) == before
    store.load_register(example, as_of=AS_OF, batched=True)
    _settled(store, example)


def test_while_a_stage_is_left_behind_analyses_and_what_if_read_the_loaded_register(
    neo4j_store: Neo4jStore, example: Any
) -> None:
    """With an interrupted stage in the graph: the analyses, a what-if and the counts read the
    loaded register only; a refresh is refused with a clear error (its conclusions would mix
    the two); the next load removes the stage."""
    store = neo4j_store
    store.load_register(example, as_of=AS_OF, batched=False)
    before = (_engine_result(store), view(store))
    change = [Change("set_mode", sorted(example.contracts)[0], "trust")]
    what_if = before_and_after(store, change, as_of=AS_OF)

    def interrupt(stage: str, done: int, total: int) -> None:
        if stage == "contracts":
            raise _Interrupt("stopped in the stage")

    with pytest.raises(_Interrupt, match="stopped in the stage"):
        store.load_register(generate(1200, seed=15), interrupt, as_of=AS_OF, batched=True)
    assert marks(store)["staging"] is not None and contract_nodes(store) > 1000
    assert (_engine_result(store), view(store)) == before
    assert not store.conclusions_stale()  # the digests of the loaded register, the stage apart
    assert before_and_after(store, change, as_of=AS_OF) == what_if
    with pytest.raises(QueryError, match="batched load .* in progress, or was interrupted"):
        store.refresh(as_of=AS_OF)
    store.load_register(example, as_of=AS_OF, batched=False)
    _settled(store, example)
    assert (_engine_result(store), view(store)[:4]) == (before[0], before[1][:4])


def test_the_key_constraints_of_before_become_per_version(neo4j_store: Neo4jStore) -> None:
    """A database made by an earlier version has ``contract_id_unique`` on the id alone, which
    forbids a staged version beside the loaded one: ensuring the schema replaces it with the
    per-version constraint (same name) and an index on the id."""
    store = neo4j_store
    store.write("DROP CONSTRAINT contract_id_unique IF EXISTS")
    store.write("DROP INDEX contract_id_index IF EXISTS")
    store.write("CREATE CONSTRAINT contract_id_unique FOR (n:Contract) REQUIRE n.id IS UNIQUE")
    names = ensure_constraints(store.driver, store.database)
    assert {"contract_id_unique", "contract_id_index", "finding_key_unique"} <= set(names)
    rows = store.read(
        "SHOW CONSTRAINTS YIELD name, properties WHERE name = 'contract_id_unique' "
        "RETURN properties"
    )
    assert rows == [{"properties": ["id", "loadId"]}]
    indexes = store.read(
        "SHOW RANGE INDEXES YIELD name, properties WHERE name = 'contract_id_index' "
        "RETURN properties"
    )
    assert indexes == [{"properties": ["id"]}]


@pytest.mark.parametrize("batched", [False, True])
def test_the_database_refuses_a_second_node_with_a_loaded_id(
    neo4j_store: Neo4jStore, example: Any, batched: bool
) -> None:
    """Both loads give every register node and finding a load id (a batched load that of its
    version; a single-transaction load its own to what it writes, the others keep that of the
    load or refresh that wrote them), so the key constraints (id, loadId) hold for all of them: a
    second contract, lot or finding with the id (key) and version of a loaded one is refused."""
    store = neo4j_store
    store.load_register(example, as_of=AS_OF, batched=batched)
    visible = marks(store)["loadId"]
    for label, key in (
        ("Contract", "id"),
        ("Lot", "id"),
        ("Organisation", "id"),
        ("Finding", "key"),
    ):
        rows = raw(store, f"MATCH (n:{label}) RETURN count(n) AS n, count(n.loadId) AS versioned")
        assert rows[0]["n"] == rows[0]["versioned"] > 0, label  # none without its version
        versions = raw(store, f"MATCH (n:{label}) RETURN collect(DISTINCT n.loadId) AS v")
        assert versions[0]["v"] == [visible] or not batched
        with pytest.raises(neo4j.exceptions.ConstraintError, match="already exists"):
            store.write(
                f"MATCH (n:{label}) WITH n LIMIT 1 CREATE (:{label} {{{key}: n.{key}, loadId: n.loadId}})"
            )
    _settled(store, example)


def test_a_read_that_overlaps_the_start_of_a_batched_load_is_read_again_under_the_lock(
    neo4j_store: Neo4jStore, example: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A read outside the lock checks the marks before and after: when a batched load began
    meanwhile (its stage may have been in what the read saw), it reads again, kept to the
    loaded register. Here a stage is written between the first check and the read."""
    store = neo4j_store
    store.load_register(example, as_of=AS_OF, batched=False)
    real = store_module.marks
    calls: list[Marks] = []

    def interrupt(stage: str, done: int, total: int) -> None:
        if stage == "contracts":
            raise _Interrupt("stopped in the stage")

    def marks_then_a_stage(run: Any, key: str) -> Marks:
        found = real(run, key)
        calls.append(found)
        if len(calls) == 1:  # the check before the read: a batched load begins right after it
            with (
                Neo4jStore.connect(neo4j_settings()) as other,
                pytest.raises(_Interrupt, match="stopped"),
            ):
                other.load_register(generate(1200, seed=16), interrupt, batched=True)
        return found

    monkeypatch.setattr(store_module, "marks", marks_then_a_stage)
    rows = store.read("MATCH (c:Contract) RETURN count(c) AS n")
    monkeypatch.undo()
    assert not calls[0].mixed and calls[1].mixed  # the read overlapped the stage's start
    assert contract_nodes(store) >= 1000 + len(example.contracts)  # the stage is in the graph
    assert rows == [{"n": len(example.contracts)}]  # read again, kept to the loaded register
    store.load_register(example, as_of=AS_OF, batched=False)
    _settled(store, example)
