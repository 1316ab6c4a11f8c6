"""The named queries before and after tuning: side by side, on one server, on the same register.

    python -m bench.tuned --base-rev main --repeat 5

Reads every named analysis and helper query twice: as committed at ``--base-rev`` (``git show``)
and as in this checkout. On the register loaded in the server (``NEO4J_URI``,
``NEO4J_PASSWORD``; load one first, e.g. ``sourcing-graph load`` of ``python -m bench.generate
100000 DIR``), each query runs unfiltered and once per optional filter (a sample identifier from
the register), the two versions alternating, their order turning from one repetition to the next.
Both versions must give the same rows (the run stops otherwise). Prints a Markdown table: the
median wall time of each version and its database hits (``PROFILE``, summed over the plan).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from bench.analyses import sample_ids
from sourcing_graph.graph.neo4j import Neo4jSettings, Neo4jStore
from sourcing_graph.queries import get_query, list_queries

ROOT = Path(__file__).resolve().parents[1]
FILTER_IDS = {"supplier": "supplier", "primeContractor": "prime_contractor"}
"""The optional filters the benchmark sets, and the sample identifier each one takes."""
SAMPLE_PRIME = (
    "MATCH (:Lot)-[:COORDINATED_BY]->(o:Organisation) WHERE o.id <> 'own-it' "
    "RETURN o.id AS prime_contractor ORDER BY o.id LIMIT 1"
)
"""A prime contractor other than own-it (which coordinates most lots of a generated register)."""


def base_text(rev: str, name: str) -> str:
    """The query file ``name`` as committed at ``rev``."""
    done = subprocess.run(
        ["git", "-C", str(ROOT), "show", f"{rev}:queries/{name}.cypher"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return done.stdout


def cases(ids: dict[str, str]) -> list[tuple[str, str, dict[str, Any]]]:
    """(query name, filter shown, parameters): every analysis, helper and stored query, unfiltered and
    with each optional filter it has."""
    found = []
    for query in list_queries():
        if query.kind not in ("analysis", "helper", "stored"):
            continue
        unfiltered = {p.name: None for p in query.params}
        found.append((query.name, "-", unfiltered))
        for p in query.params:
            if p.name in FILTER_IDS and FILTER_IDS[p.name] in ids:
                value = ids[FILTER_IDS[p.name]]
                found.append((query.name, f"{p.name}={value}", {**unfiltered, p.name: value}))
    return found


def db_hits(plan: Any) -> int:
    """The database hits of a profiled plan and its children."""
    return int(plan.get("dbHits", 0)) + sum(db_hits(c) for c in plan.get("children", []))


def profiled(session: Any, text: str, params: dict[str, Any]) -> int:
    """The database hits of one profiled run (its records read first, as the server asks)."""
    result = session.run("PROFILE " + text, params)
    list(result)
    return db_hits(result.consume().profile)


def measure(session: Any, text: str, params: dict[str, Any]) -> tuple[float, list[Any]]:
    """Wall time of one run (all records fetched) and its rows."""
    started = time.perf_counter()
    rows = [tuple(r.values()) for r in session.run(text, params)]
    return time.perf_counter() - started, rows


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--base-rev", default="main")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--only", default="", help="comma-separated query names (default: all)")
    args = parser.parse_args(argv)
    settings = Neo4jSettings(uri=os.environ["NEO4J_URI"], password=os.environ["NEO4J_PASSWORD"])
    store = Neo4jStore.connect(settings)
    ids = sample_ids(SimpleNamespace(store=store))  # type: ignore[arg-type]
    for row in store.read(SAMPLE_PRIME):
        ids.update(row)
    contracts = store.read("MATCH (c:Contract) RETURN count(c) AS n")[0]["n"]
    print(f"{contracts} contracts; base {args.base_rev}; median of {args.repeat} warm runs\n")
    print("| query | filter | rows | before (ms) | after (ms) | db hits before | db hits after |")
    print("|---|---|---:|---:|---:|---:|---:|")
    with store.driver.session(database=store.database) as session:
        for name, shown, params in cases(ids):
            if args.only and name not in args.only.split(","):
                continue
            texts = {"before": base_text(args.base_rev, name), "after": get_query(name).text}
            rows = {side: measure(session, text, params)[1] for side, text in texts.items()}
            if rows["before"] != rows["after"]:
                raise SystemExit(f"{name} ({shown}): the rows differ before and after")
            times: dict[str, list[float]] = {"before": [], "after": []}
            for i in range(args.repeat):
                for side in ("before", "after") if i % 2 == 0 else ("after", "before"):
                    times[side].append(measure(session, texts[side], params)[0])
            hits = {side: profiled(session, text, params) for side, text in texts.items()}
            ms = {side: statistics.median(t) * 1000 for side, t in times.items()}
            print(
                f"| `{name}` | {shown} | {len(rows['after'])} | {ms['before']:.0f} | "
                f"{ms['after']:.0f} | {hits['before']:,} | {hits['after']:,} |",
                flush=True,
            )
    store.close()


if __name__ == "__main__":
    main()
