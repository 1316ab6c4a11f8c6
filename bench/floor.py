"""The floor of a load with its conclusions: ``LOAD CSV`` of the register beside its findings alone.

    python -m bench.floor --size 100000

On one server (``NEO4J_URI``, ``NEO4J_PASSWORD``; its register is replaced): the generated
register (:mod:`bench.generate`, seed 42) loaded into an emptied register by the ``LOAD CSV``
baseline (:mod:`bench.loadcsv`), then the findings a load stores for it, their
``create-findings`` rows made beforehand (untimed: no Python in the timing) and written by the
shipped statement in batches in one transaction, as a load writes them, then the same with each
finding's properties cut to its key, rule and load id. Prints the seconds, the entities written
and the ratio of register and findings to ``LOAD CSV`` alone: what no loader of this graph can go
below on that server.
"""

from __future__ import annotations

import argparse
import os
import shutil
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from bench.generate import generate
from bench.loadcsv import IMPORT_DIR_SETTING, loadcsv_statements, write_loadcsv_files
from sourcing_graph.graph.neo4j import Neo4jSettings, Neo4jStore
from sourcing_graph.graph.neo4j.conclusions import changed_rows, draw
from sourcing_graph.graph.neo4j.load_plan import BATCH_SIZE, load_plan, planned_names
from sourcing_graph.graph.neo4j.ontology import ontology_writer
from sourcing_graph.queries.statements import statements

ABOUT = ("lots", "contracts", "organisations", "functions")
WIPE = (
    "MATCH (n) WHERE n:Contract OR n:Lot OR n:Function OR n:Organisation OR n:Finding "
    "CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS"
)
WIPE_FINDINGS = "MATCH (n:Finding) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS"


def _auto(store: Neo4jStore, cypher: str) -> None:
    """``cypher`` in an auto-commit transaction (``IN TRANSACTIONS`` needs one)."""
    with store.driver.session(database=store.database) as session:
        session.run(cypher).consume()


def _timed(name: str, work: Callable[[], None]) -> float:
    started = time.perf_counter()
    work()
    seconds = time.perf_counter() - started
    print(f"{name}: {seconds:.2f} s (load average {os.getloadavg()[0]:.1f})", flush=True)
    return seconds


def _one_transaction(store: Neo4jStore, rows: list[dict[str, Any]]) -> None:
    cypher = statements("conclusions")
    create = cypher["create-findings"] + "\n" + cypher["relate-findings"]
    with (
        store.driver.session(database=store.database) as session,
        session.begin_transaction() as tx,
    ):
        for start in range(0, len(rows), BATCH_SIZE):
            tx.run(create, {"rows": rows[start : start + BATCH_SIZE]}).consume()
        tx.commit()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=100_000)
    args = parser.parse_args(argv)
    register = generate(args.size, seed=42)
    settings = Neo4jSettings(uri=os.environ["NEO4J_URI"], password=os.environ["NEO4J_PASSWORD"])
    store = Neo4jStore.connect(settings)
    store.ensure_schema()
    ontology = ontology_writer(None)
    names = planned_names(list(load_plan(register)))
    drawn = draw(register, ontology.rules, date(2026, 6, 1), names, ontology.digest)
    rows = changed_rows(drawn, {}, "floor")
    minimal = [{**r, "props": {k: r["props"][k] for k in ("key", "rule", "loadId")}} for r in rows]
    about = sum(len(row[field]) for row in rows for field in ABOUT)
    print(f"{len(rows):,} findings, {about:,} ABOUT and {len(rows):,} BY_RULE relationships")
    folder = Path(store.read(IMPORT_DIR_SETTING)[0]["value"]) / "bench-floor"
    write_loadcsv_files(register, folder)
    try:
        _auto(store, WIPE)

        def loadcsv() -> None:
            with store.driver.session(database=store.database) as session:
                for _, cypher, params in loadcsv_statements(folder.name):
                    session.run(cypher, params).consume()

        baseline = _timed("LOAD CSV, the register alone", loadcsv)
        for name, rowset in (("findings as stored", rows), ("findings, key and rule", minimal)):
            seconds = _timed(
                f"{name}, one transaction", lambda r=rowset: _one_transaction(store, r)
            )
            _auto(store, WIPE_FINDINGS)
            print(f"  (LOAD CSV + {name}) / LOAD CSV = {(baseline + seconds) / baseline:.2f}x")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        store.close()


if __name__ == "__main__":
    main()
