"""The batched load (issue 19) on the test server: the same register, conclusions and analyses as
the single-transaction load; readers see one whole register while it runs; a process killed while
it stages or cleans up leaves a consistent database, and the next load cleans up.

The heavy variant (a server capping a transaction at 64 MB, 30,000 contracts) is
``test_batched_capped.py``.
"""

from __future__ import annotations

import os
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from bench.generate import generate, write_register
from sourcing_graph.errors import QueryError
from sourcing_graph.graph.neo4j import Neo4jStore, ensure_constraints
from sourcing_graph.graph.neo4j.batched import unversioned_labels, versioned
from sourcing_graph.graph.neo4j.engine import Neo4jEngine
from sourcing_graph.graph.neo4j.whatif import before_and_after
from sourcing_graph.loaders.csv_reader import read_register
from sourcing_graph.model import Change
from sourcing_graph.queries import list_queries
from sourcing_graph.queries.statements import statements
from tests.support import ROOT
from tests.support.batched import Readers, cli_load, contract_nodes, kill_when, marks, view
from tests.support.conclusions import stored_conclusions
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


def test_every_read_statement_can_be_kept_to_one_version() -> None:
    """Each named query and each statement the store reads with names its register labels only
    in node patterns that :func:`versioned` keeps to one version."""
    texts = {query.name: query.text for query in list_queries()}
    for group in ("engine", "conclusions", "digest", "whatif", "query", "store", "load"):
        texts.update({f"{group}:{name}": text for name, text in statements(group).items()})
    left = {name: found for name, text in texts.items() if (found := unversioned_labels(text))}
    assert left == {}
    assert "loadId: $sgLoad" in versioned(texts["lot-modes"])


def test_a_batched_load_gives_what_the_single_transaction_load_gives(
    neo4j_store: Neo4jStore, example: Any
) -> None:
    store = neo4j_store
    big = generate(1500, seed=11)
    results = {}
    for name, register in (("big", big), ("example", example)):
        store.load_register(register, as_of=AS_OF, batched=False)
        results[name] = (stored_conclusions(store), _engine_result(store))
    for name, register in (("big", big), ("example", example), ("big", big)):
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


def test_readers_see_the_old_register_or_the_new_one_never_a_mix(
    neo4j_store: Neo4jStore, example: Any
) -> None:
    store = neo4j_store
    big = generate(3000, seed=12)
    store.load_register(example, as_of=AS_OF, batched=False)
    old = view(store)
    settings = neo4j_settings()
    with Readers(lambda: Neo4jStore.connect(settings)) as readers:
        store.load_register(big, as_of=AS_OF, batched=True)
    new = view(store)
    assert not readers.errors, readers.errors
    assert old != new
    assert set(readers.seen) <= {old, new}, set(readers.seen) - {old, new}
    assert readers.seen[0] == old and readers.seen[-1] == new
    # the database did hold both versions at once (what unguarded Cypher saw), the readers not
    assert max(readers.raw_contracts) > len(big.contracts)
    _settled(store, big)


@pytest.mark.slow
@pytest.mark.parametrize("step", ["stage", "cleanup"])
def test_a_load_killed_while_it_stages_or_cleans_up_leaves_one_whole_register(
    neo4j_store: Neo4jStore, example: Any, tmp_path: Path, step: str
) -> None:
    """SIGKILL the loading process while it writes the staged version (readers then see the old
    register) or while it removes the old one (readers see the new one); the next load cleans up."""
    store = neo4j_store
    big = generate(3000, seed=13)
    big_path = write_register(big, tmp_path / "big")
    env = dict(os.environ)
    if step == "stage":
        store.load_register(example, as_of=AS_OF, batched=False)
        before = (view(store), stored_conclusions(store))
        load = cli_load(big_path, env, "--batched", "--as-of", AS_OF.isoformat())
        staged = "MATCH (c:Contract) RETURN count(c) AS n"

        def ready() -> bool:
            found = marks(store)
            return found["staging"] is not None and contract_nodes(store) > 1000

        assert kill_when(load, ready), load.communicate()
        assert marks(store)["staging"] is not None  # the abandoned stage is still there
        assert (view(store), stored_conclusions(store)) == before  # the old register, whole
        assert store.read(staged)[0]["n"] == len(example.contracts)
        rerun, expected = big, big
    else:
        store.load_register(big, as_of=AS_OF, batched=True)
        load = cli_load(EXAMPLE, env, "--batched", "--as-of", AS_OF.isoformat())
        assert kill_when(load, lambda: marks(store)["retiring"] is not None), load.communicate()
        found = marks(store)
        assert found["retiring"] is not None and found["staging"] is None
        assert contract_nodes(store) > len(example.contracts)  # the old version partly there
        store.load_register(example, as_of=AS_OF, batched=False)  # only to know the answer
        after = (view(store), stored_conclusions(store))
        # killed again at the same step, then read: the new register whole
        store.load_register(big, as_of=AS_OF, batched=True)
        load = cli_load(EXAMPLE, env, "--batched", "--as-of", AS_OF.isoformat())
        assert kill_when(load, lambda: marks(store)["retiring"] is not None), load.communicate()
        assert (view(store), stored_conclusions(store)) == after
        rerun, expected = example, example
    store.load_register(rerun, as_of=AS_OF, batched=True)
    _settled(store, expected)


@pytest.mark.parametrize("batched", [False, True])
def test_a_load_started_while_a_batched_one_stages_stops_it_cleanly(
    neo4j_store: Neo4jStore, example: Any, batched: bool
) -> None:
    """A second load (single-transaction or batched) finds a stage being written: it stops that
    stage (the first load then fails with a clear error, writing nothing more), removes it and
    loads its own register; nothing of the first stays."""
    store = neo4j_store
    big = generate(3000, seed=14)
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


class _Interrupt(Exception):
    """Stops a batched load in the middle of its stage (as a kill would, minus the process)."""


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
        store.load_register(generate(2000, seed=15), interrupt, as_of=AS_OF, batched=True)
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
