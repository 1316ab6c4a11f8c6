"""Helpers of the batched-load tests: what a reader sees, the marks of a load in progress, a CLI load
in a process of its own that a test can SIGKILL at a chosen step."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sourcing_graph.graph.neo4j.store import META_KEY, Neo4jStore

SEEN = "MATCH (f:Finding) RETURN count(f) AS findings"
CONTRACT_IDS = "MATCH (c:Contract) RETURN count(c) AS n, sum(size(c.id)) AS idLength"


def view(store: Neo4jStore) -> tuple[Any, ...]:
    """What one guarded read sees of the loaded register: its counts, how many findings, how many
    contracts with their ids' total length, and the stored digest of the register."""

    def work() -> tuple[Any, ...]:
        counts = store.register_counts()
        findings = store.read(SEEN)[0]["findings"]
        contracts = store.read(CONTRACT_IDS)[0]
        digest = store.load_info() or {}
        return (
            tuple(sorted(counts.items())),
            findings,
            contracts["n"],
            contracts["idLength"],
            digest.get("registerDigest"),
        )

    return store.stable(work)


def raw(store: Neo4jStore, cypher: str) -> list[dict[str, Any]]:
    """A read straight through the driver: no load lock, no version kept (what unguarded Cypher
    in Browser sees)."""
    with store.driver.session(database=store.database) as session:
        return [dict(r) for r in session.run(cypher)]


def marks(store: Neo4jStore) -> dict[str, Any]:
    """The meta node's version marks (``loadId``, ``stagingLoad``, ``retiringLoad``)."""
    rows = raw(
        store,
        "OPTIONAL MATCH (m:SourcingGraphMeta {key: '" + META_KEY + "'}) "
        "RETURN m.loadId AS loadId, m.stagingLoad AS staging, m.retiringLoad AS retiring",
    )
    return rows[0]


def contract_nodes(store: Neo4jStore) -> int:
    """Every Contract node in the database, of any version."""
    return int(raw(store, "MATCH (c:Contract) RETURN count(c) AS n")[0]["n"])


class Readers:
    """Threads reading :func:`view` over and over until stopped; what each saw, in order."""

    def __init__(self, store_factory: Callable[[], Neo4jStore], count: int = 2) -> None:
        self.seen: list[tuple[Any, ...]] = []
        self.errors: list[BaseException] = []
        self.raw_contracts: list[int] = []
        self._stop = threading.Event()
        self._threads = [
            threading.Thread(target=self._run, args=(store_factory,)) for _ in range(count)
        ]

    def _run(self, store_factory: Callable[[], Neo4jStore]) -> None:
        store = store_factory()
        try:
            while not self._stop.is_set():
                self.seen.append(view(store))
                self.raw_contracts.append(contract_nodes(store))
                time.sleep(0.05)
        except BaseException as exc:  # noqa: BLE001 - recorded for the test's assertions
            self.errors.append(exc)
        finally:
            store.close()

    def __enter__(self) -> Readers:
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=600)


def cli_load(path: Path, env: dict[str, str], *flags: str) -> subprocess.Popen[str]:
    """``sourcing-graph load PATH --no-progress FLAGS`` in a process of its own."""
    return subprocess.Popen(
        [sys.executable, "-m", "sourcing_graph", "load", str(path), "--no-progress", *flags],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def kill_when(
    process: subprocess.Popen[str], ready: Callable[[], bool], timeout: float = 900
) -> bool:
    """SIGKILL ``process`` as soon as ``ready()`` holds (polled); False when the process ended
    first (the moment was missed)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        if ready():
            os.kill(process.pid, signal.SIGKILL)
            process.wait(timeout=60)
            return True
        time.sleep(0.02)
    process.kill()
    raise AssertionError("the load did not reach the moment to kill it in time")
