"""A load killed in the middle leaves the previous register intact; the rerun gives exact counts.

The test starts a private Neo4j (``scripts/neo4j`` with its own data folder and port), so killing
it with SIGKILL disturbs no other test.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import threading
from pathlib import Path

import pytest
from conftest import ROOT

from bench.generate import generate
from sourcing_graph.errors import Neo4jUnavailableError
from sourcing_graph.graph.neo4j_store import Neo4jSettings, Neo4jStore
from sourcing_graph.loaders.csv_reader import read_register

pytestmark = [pytest.mark.neo4j, pytest.mark.slow]

SCRIPT = ROOT / "scripts" / "neo4j"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def private_server(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    home = tmp_path_factory.mktemp("neo4j-kill")
    env = dict(
        os.environ,
        NEO4J_HOME_DIR=str(home),
        NEO4J_BOLT_PORT=str(free_port()),
        NEO4J_HTTP_PORT="0",
        NEO4J_HEAP="1g",
        NEO4J_PAGECACHE="256m",
    )
    subprocess.run([str(SCRIPT), "start"], env=env, check=True, timeout=600)
    yield env, home
    subprocess.run([str(SCRIPT), "stop"], env=env, timeout=120)


def connect(env: dict[str, str], home: Path) -> Neo4jStore:
    return Neo4jStore.connect(
        Neo4jSettings(
            uri=f"bolt://127.0.0.1:{env['NEO4J_BOLT_PORT']}",
            password=(home / "password").read_text().strip(),
        )
    )


def snapshot(store: Neo4jStore) -> tuple[object, ...]:
    counts = store.register_counts()
    rels = store.read("MATCH (:Contract)-[r]->() RETURN type(r) AS t, count(*) AS n ORDER BY t")
    ids = store.read("MATCH (c:Contract) RETURN c.id AS id, c.annualValue AS v ORDER BY id")
    return counts, rels, ids


def test_killed_load_leaves_previous_register_and_rerun_succeeds(private_server) -> None:  # type: ignore[no-untyped-def]
    env, home = private_server
    example = read_register(ROOT / "examples" / "gemeente-waterland")
    big = generate(30000, seed=5)

    store = connect(env, home)
    store.load_register(example)
    before = snapshot(store)
    assert before[0]["contracts"] == len(example.contracts)

    # Kill the server once a third of the big load has been sent.
    third = threading.Event()
    failure: list[BaseException] = []

    def progress(stage: str, done: int, total: int) -> None:
        if done >= total // 3:
            third.set()

    def run() -> None:
        try:
            store.load_register(big, progress=progress)
        except BaseException as exc:  # noqa: BLE001 - recorded for the assertion below
            failure.append(exc)
        finally:
            third.set()

    loader = threading.Thread(target=run)
    loader.start()
    assert third.wait(timeout=600)
    pid = int((home / "neo4j.pid").read_text().strip())
    os.kill(pid, signal.SIGKILL)
    loader.join(timeout=300)
    store.close()
    assert failure, "the load should have failed when the server was killed"
    assert isinstance(failure[0], Neo4jUnavailableError), repr(failure[0])
    assert "previously loaded register is intact" in str(failure[0])

    subprocess.run([str(SCRIPT), "start"], env=env, check=True, timeout=600)
    store = connect(env, home)
    try:
        assert snapshot(store) == before
        counts = store.load_register(big)
        after = store.register_counts()
        expected = big.counts()
        assert after == {k: expected[k] for k in after}
        assert counts["contracts"] == 30000
    finally:
        store.close()
