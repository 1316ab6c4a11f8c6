"""The batched load beside the single-transaction load, side by side on one server (issue 19).

Run from the repository root, with ``NEO4J_URI`` (and the password) of a scratch server whose
database this may wipe::

    python -m bench.batched --contracts 100000 --wipe

It generates two registers (``bench.generate``, seeds 42 and 43), wipes the database and loads, in
this order: A single-transaction (fresh), B single-transaction (a replace), A batched (a replace
of a single-transaction load), B batched
(a replace of a batched load); ``--steps 3`` stops after the third. Per load: the wall time, and the peak
of the server's estimate of one transaction's heap (``SHOW TRANSACTIONS``
``estimatedUsedHeapMemory``, polled every 0.1 s from another connection: a lower bound, a short
peak between two polls is missed). It prints a Markdown table.
"""

from __future__ import annotations

import argparse
import os
import threading
import time
from typing import Any

from bench.generate import generate
from sourcing_graph.graph.neo4j import Neo4jSettings, Neo4jStore

PEAK = (
    "SHOW TRANSACTIONS YIELD currentQuery, estimatedUsedHeapMemory AS heap "
    "WHERE NOT currentQuery STARTS WITH 'SHOW TRANSACTIONS' RETURN max(heap) AS heap"
)


class PeakHeap:
    """Polls the largest transaction heap estimate of the server while running."""

    def __init__(self, store: Neo4jStore) -> None:
        self.store = store
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        with self.store.driver.session(database=self.store.database) as session:
            while not self._stop.is_set():
                heap = session.run(PEAK).single()
                if heap is not None and heap["heap"] is not None:
                    self.peak = max(self.peak, int(heap["heap"]))
                time.sleep(0.1)

    def __enter__(self) -> PeakHeap:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=30)


def measure(store: Neo4jStore, register: Any, batched: bool) -> tuple[float, int]:
    """Seconds and peak transaction heap (bytes) of one load."""
    with PeakHeap(store) as peak:
        started = time.monotonic()
        store.load_register(register, batched=batched)
        seconds = time.monotonic() - started
    return seconds, peak.peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contracts", type=int, default=100_000)
    parser.add_argument("--wipe", action="store_true", help="wipe the database first (required)")
    parser.add_argument(
        "--steps",
        type=int,
        default=4,
        choices=range(1, 5),
        help="run only the first STEPS loads (3: up to A batched, which the goal compares with "
        "B one transaction: both replace one register by another)",
    )
    args = parser.parse_args()
    if not args.wipe:
        parser.error("--wipe is required: the benchmark replaces whatever the database holds")
    settings = Neo4jSettings(
        uri=os.environ["NEO4J_URI"],
        user=os.environ.get("NEO4J_USER", "neo4j"),
        password=os.environ["NEO4J_PASSWORD"],
        database=os.environ.get("NEO4J_DATABASE") or None,
    )
    registers = {"A": generate(args.contracts, seed=42), "B": generate(args.contracts, seed=43)}
    steps = [
        ("A", False, "fresh"),
        ("B", False, "replace"),
        ("A", True, "replace (of a single-transaction load)"),
        ("B", True, "replace (of a batched load)"),
    ][: args.steps]
    print(f"load average before: {os.getloadavg()[0]:.2f}")
    print("| load | mode | what | seconds | peak transaction heap (MiB) |")
    print("|---|---|---|---:|---:|")
    with Neo4jStore.connect(settings) as store:
        with store.driver.session(database=store.database) as session:
            session.run(
                "MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS"
            ).consume()
        for name, batched, what in steps:
            seconds, peak = measure(store, registers[name], batched)
            mode = "batched" if batched else "one transaction"
            print(f"| {name} | {mode} | {what} | {seconds:.1f} | {peak / 2**20:.0f} |", flush=True)
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
