"""A load killed in the middle leaves the previous register intact, with its previous conclusions;
the rerun gives exact counts.

The test starts a private Neo4j (``scripts/neo4j`` with its own data folder and port), so killing
it with SIGKILL disturbs no other test.
"""

from __future__ import annotations

import threading
from datetime import date

import pytest

from bench.generate import generate
from sourcing_graph.errors import Neo4jUnavailableError
from sourcing_graph.loaders.csv_reader import read_register
from sourcing_graph.model import Register
from tests.support import ROOT
from tests.support.conclusions import state
from tests.support.private_neo4j import PrivateNeo4j, expected_counts

pytestmark = [pytest.mark.neo4j, pytest.mark.slow]


@pytest.fixture(scope="module")
def private_server(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    server = PrivateNeo4j(tmp_path_factory.mktemp("neo4j-kill"))
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def big() -> Register:
    """The register whose load is killed: 10k contracts, a load of several seconds after the
    kill on any machine (the kill lands within milliseconds of the progress it waits for)."""
    return generate(BIG, seed=5)


BIG = 10_000


@pytest.mark.parametrize("when", ["register", "conclusions"])
def test_killed_load_leaves_previous_register_and_rerun_succeeds(
    private_server, big, when: str
) -> None:  # type: ignore[no-untyped-def]
    """Killed a third into the register writes, or as the conclusions stage starts (after every
    register write): either way the previous register and its conclusions, never a mix."""
    server = private_server
    example = read_register(ROOT / "examples" / "gemeente-waterland")

    store = server.connect()
    store.load_register(example, as_of=date(2026, 6, 1))
    assert store.register_counts() == expected_counts(example)
    before = state(store)
    assert len(before[1]["findings"]) == 27 + 51  # R3-R8, and R10-R14 at that date

    failure = load_and_kill(server, store, big, when)
    store.close()
    assert failure, "the load should have failed when the server was killed"
    assert isinstance(failure[0], Neo4jUnavailableError), repr(failure[0])
    assert "previously loaded register is intact" in str(failure[0])

    server.start()
    store = server.connect()
    try:
        assert state(store) == before
        assert not store.conclusions_stale()
        counts = store.load_register(big)
        assert store.register_counts() == expected_counts(big)
        assert counts["contracts"] == BIG
    finally:
        store.close()


def load_and_kill(server, store, register, when: str) -> list[BaseException]:  # type: ignore[no-untyped-def]
    """Load ``register`` in a thread and kill the server once a third of it has been sent
    (``when="register"``) or when the load starts concluding; what the load raised."""
    third = threading.Event()
    failure: list[BaseException] = []

    def progress(stage: str, done: int, total: int) -> None:
        if (when == "register" and done >= total // 3) or stage == "conclusions":
            third.set()

    def run() -> None:
        try:
            store.load_register(register, progress=progress)
        except BaseException as exc:  # noqa: BLE001 - recorded for the caller's assertions
            failure.append(exc)
        finally:
            third.set()

    loader = threading.Thread(target=run)
    loader.start()
    assert third.wait(timeout=600)
    server.kill()
    loader.join(timeout=300)
    return failure
