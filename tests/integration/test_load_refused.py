"""A load the server cannot complete: one clear line, nothing committed, the previous register kept.

The server here is private and caps one transaction's memory (``NEO4J_TX_MEMORY``, Neo4j's
``db.memory.transaction.max``), so a large load fails on the server side the way one that runs out
of memory does (a ``Neo4jError`` in the middle of the transaction, not a lost connection). Before,
that reached the user as a driver traceback. A memory cap fails the same load on a fast machine and
a slow one; a transaction timeout did not (a fast CI machine finished the load inside it).
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.generate import generate, write_register
from sourcing_graph.errors import LoadError
from sourcing_graph.graph.neo4j import Neo4jSettings
from sourcing_graph.graph.neo4j.diagnosis import load_failed as _load_failed
from tests.support import EXAMPLES
from tests.support.conclusions import state
from tests.support.private_neo4j import PrivateNeo4j, running

pytestmark = [pytest.mark.neo4j, pytest.mark.slow]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PrivateNeo4j]:
    yield from running(tmp_path_factory.mktemp("neo4j-tx-memory"), NEO4J_TX_MEMORY="16m")


def test_a_load_the_server_cannot_complete_is_one_clear_line(
    server: PrivateNeo4j, tmp_path: Path
) -> None:
    with server.connect() as store:
        store.load_register(_small())
        before = state(store)
        assert before[1]["findings"] and not store.conclusions_stale()
    big = write_register(generate(20_000, seed=7), tmp_path / "big")  # well over 16 MB in Neo4j
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "sourcing_graph",
            "load",
            str(big),
            "--no-progress",
            "--single-transaction",
        ],
        capture_output=True,
        text=True,
        env=server.cli_env(),
        timeout=600,
    )
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    assert "could not complete the load" in lines[0]
    assert "previously loaded register is intact" in lines[0]
    assert "MemoryPoolOutOfMemory" in lines[0] and "20,000 contracts" in lines[0]  # the cause
    assert "raise db.memory.transaction.max" in lines[0]  # the limit the server named, the fix
    assert server.password not in result.stderr + result.stdout
    with server.connect() as store:
        assert state(store) == before  # the previous register with its previous conclusions
        assert not store.conclusions_stale()


def test_a_memory_failure_names_the_fix() -> None:
    from neo4j.exceptions import DatabaseError, Neo4jError

    settings = Neo4jSettings(uri="bolt://127.0.0.1:7687", password="unused-" + "x" * 8)
    error = Neo4jError._hydrate_neo4j(  # what the driver makes of the server's failure
        code="Neo.DatabaseError.Database.Unknown", message="Unable to complete transaction."
    )
    assert isinstance(error, DatabaseError)
    failed = _load_failed(settings, error, 100_000)
    assert isinstance(failed, LoadError)
    text = str(failed)
    assert "Unable to complete transaction" in text
    assert "server.memory.heap.max_size" in text and "100,000 contracts" in text
    assert _load_failed(settings, ValueError("not from Neo4j"), 1) is None


def _small():  # type: ignore[no-untyped-def]
    from sourcing_graph.loaders import read_any

    return read_any(EXAMPLES / "acme-retail")
