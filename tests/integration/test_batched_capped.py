"""The batched load on a server that caps a transaction's memory (issue 19): a private Neo4j with
``NEO4J_TX_MEMORY=64m`` (``db.memory.transaction.max``), where the single-transaction load of
30,000 contracts cannot commit (it holds about 10 KiB per contract).

The loader picks the batched mode by itself there; readers see the old register or the new one,
never a mix; a loading process SIGKILLed while it stages, or while it removes the old version,
leaves one whole register to readers, and the next load cleans up. Heavy (30,000 contracts):
``flock /work/notes/heavy.lock`` when run by hand.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from bench.generate import generate, write_register
from sourcing_graph.loaders.csv_reader import read_register
from tests.support import ROOT
from tests.support.batched import Readers, cli_load, contract_nodes, kill_when, marks, view
from tests.support.conclusions import stored_conclusions
from tests.support.private_neo4j import PrivateNeo4j, expected_counts, running

pytestmark = [pytest.mark.neo4j, pytest.mark.slow]

AS_OF = date(2026, 6, 1)
EXAMPLE = ROOT / "examples" / "gemeente-waterland"
CONTRACTS = 30_000


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PrivateNeo4j]:
    yield from running(tmp_path_factory.mktemp("neo4j-capped"), NEO4J_TX_MEMORY="64m")


@pytest.fixture(scope="module")
def registers(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("registers")
    return {
        "big": write_register(generate(CONTRACTS, seed=21), folder / "big"),
        "other": write_register(generate(CONTRACTS, seed=22), folder / "other"),
    }


def test_the_loader_batches_by_itself_and_readers_never_see_a_mix(
    server: PrivateNeo4j, registers: dict[str, Path]
) -> None:
    example = read_register(EXAMPLE)
    big = read_register(registers["big"])
    with server.connect() as store:
        counts = store.load_register(example, as_of=AS_OF)  # no mode asked: the cap decides
        assert counts["batched"]
        old = view(store)
    with Readers(server.connect) as readers:
        load = cli_load(registers["big"], server.cli_env(), "--as-of", AS_OF.isoformat())
        out, err = load.communicate(timeout=3600)
    assert load.returncode == 0, err
    assert "(batched)" in out
    assert not readers.errors, readers.errors
    with server.connect() as store:
        new = view(store)
        assert set(readers.seen) <= {old, new}, set(readers.seen) - {old, new}
        assert readers.seen[0] == old and readers.seen[-1] == new
        assert max(readers.raw_contracts) > CONTRACTS  # two versions were in the database
        assert store.register_counts() == expected_counts(big)
        assert contract_nodes(store) == CONTRACTS and not store.conclusions_stale()


def test_killed_while_staging_the_old_register_stays_whole_and_a_rerun_cleans_up(
    server: PrivateNeo4j, registers: dict[str, Path]
) -> None:
    with server.connect() as store:
        if store.register_counts()["contracts"] != CONTRACTS:
            store.load_register(read_register(registers["big"]), as_of=AS_OF)
        before = (view(store), stored_conclusions(store))
        load = cli_load(registers["other"], server.cli_env(), "--as-of", AS_OF.isoformat())

        def ready() -> bool:  # a third of the new contracts staged
            return marks(store)["staging"] is not None and contract_nodes(store) > 40_000

        assert kill_when(load, ready), load.communicate()
        assert marks(store)["staging"] is not None
        assert (view(store), stored_conclusions(store)) == before
        other = read_register(registers["other"])
        store.load_register(other, as_of=AS_OF)
        found = marks(store)
        assert found["staging"] is None and found["retiring"] is None
        assert store.register_counts() == expected_counts(other)
        assert contract_nodes(store) == CONTRACTS and not store.conclusions_stale()


def test_killed_while_cleaning_up_the_new_register_is_whole_and_a_rerun_cleans_up(
    server: PrivateNeo4j, registers: dict[str, Path]
) -> None:
    example = read_register(EXAMPLE)
    with server.connect() as store:
        store.load_register(example, as_of=AS_OF)
        after = (view(store), stored_conclusions(store))
        store.load_register(read_register(registers["big"]), as_of=AS_OF)
        load = cli_load(EXAMPLE, server.cli_env(), "--as-of", AS_OF.isoformat())
        assert kill_when(load, lambda: marks(store)["retiring"] is not None), load.communicate()
        assert contract_nodes(store) > len(example.contracts)  # the old version partly there
        assert (view(store), stored_conclusions(store)) == after  # the new register, whole
        store.load_register(example, as_of=AS_OF)
        found = marks(store)
        assert found["staging"] is None and found["retiring"] is None
        assert contract_nodes(store) == len(example.contracts)
        assert (view(store), stored_conclusions(store)) == after
