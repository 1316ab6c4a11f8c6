"""Every analysis on Neo4j: the live query beside the read of what the load stored, in one run.

``python -m bench.stored --contracts 100000 [--repeat 3] [--load] [--store-cost] [--out FILE]``

On the register the server holds (``NEO4J_URI``; with ``--load`` the generated register, seed 42,
is loaded first at 2026-06-01 and the load timed), each analysis of the result (R3-R15, and
D1-D5 when the register has supply-chain data) is run warm (planned once, untimed) two ways:
"live", its named query (``Neo4jEngine(store, stored=False).run(key)``: what every analysis but
R10-R14 ran before), and "stored", as the product runs it now (``Neo4jEngine(store).run(key)``:
the rows the load stored whole, ``engine:stored-rows``); their rows are checked equal. The same
with one filter (a sample supplier, the prime contractor ``own-it``, ``min_severity=high``) for
each analysis that takes one. Then the whole result read from the stored conclusions as before
(``Neo4jEngine.stored_result_by_fields``: the named query ``stored-result``, field by field) and
now (``stored_result``: ``engine:stored-all``, one decode), checked equal too.

``--store-cost``: the load's cost of storing the rows whole, as two ``refresh`` runs at the same
date (its conclusion statements are the load's): one storing as before (only R10-R14's rows
whole, nothing on the meta node) and one as now, the size of what is stored more, and the time
to encode it in Python. Medians of ``--repeat`` runs. With ``--out``, the table goes into that
Markdown file between this module's markers.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

from bench.generate import generate
from bench.machine import load_average
from bench.rdf import write_section

START = "<!-- bench.stored: start -->"
END = "<!-- bench.stored: end -->"
AS_OF = date(2026, 6, 1)
GOAL = 0.5
BEFORE_COMPACT = frozenset({"R10", "R11", "R12", "R13", "R14"})
"""The rules whose findings kept their rows whole before every analysis read them."""
EXTRA_SIZE = """
MATCH (f:Finding) WHERE NOT f.rule IN $rules
WITH sum(size(f.rowJson)) AS findings, count(f) AS n
MATCH (m:SourcingGraphMeta {key: 'register'})
RETURN n, findings,
       reduce(t = 0, s IN m.coordinationRows + m.concentrationRows | t + size(s)) AS meta
"""


def median_of(repeat: int, run: Callable[[], Any]) -> tuple[float, Any]:
    """Median wall seconds of ``repeat`` runs, and the last run's value."""
    times: list[float] = []
    value: Any = None
    for _ in range(repeat):
        start = time.perf_counter()
        value = run()
        times.append(time.perf_counter() - start)
    return statistics.median(times), value


def as_json(value: object) -> str:
    """Strict comparison: key order, int versus float versus Decimal, list order all count."""
    return json.dumps(value, ensure_ascii=False, default=lambda d: f"Decimal({d!s})")


@contextmanager
def stored_as_before() -> Iterator[None]:
    """The conclusion stage as it was before: only R10-R14's findings keep their rows whole,
    nothing is stored on the meta node."""
    from sourcing_graph.graph.neo4j import conclusions

    finding_rows, rows = conclusions.finding_rows, conclusions.row_properties

    def old_finding_rows(*args: Any) -> Any:
        return [
            found if found.spec.rule in BEFORE_COMPACT else found._replace(order=None)
            for found in finding_rows(*args)
        ]

    conclusions.finding_rows = old_finding_rows  # type: ignore[assignment]
    conclusions.row_properties = lambda result: {}  # type: ignore[assignment]
    try:
        yield
    finally:
        conclusions.finding_rows, conclusions.row_properties = finding_rows, rows  # type: ignore[assignment]


def store_cost(store: Any, repeat: int) -> dict[str, Any]:
    """Refresh as before and as now (alternating, now last, so the rows are stored afterwards):
    median seconds of each, what is stored more, and the Python encode time of it."""
    from sourcing_graph.graph.conclusions import row_json
    from sourcing_graph.graph.neo4j.engine import Neo4jEngine

    before: list[float] = []
    after: list[float] = []
    for _ in range(repeat):
        with stored_as_before():
            start = time.perf_counter()
            store.refresh(as_of=AS_OF)
            before.append(time.perf_counter() - start)
        start = time.perf_counter()
        store.refresh(as_of=AS_OF)
        after.append(time.perf_counter() - start)
    size = store.read(EXTRA_SIZE, {"rules": sorted(BEFORE_COMPACT)})[0]
    result = Neo4jEngine(store, as_of=AS_OF).stored_result()
    rows = [
        row
        for key, value in result.items()
        if isinstance(value, list) and key not in BEFORE_KEYS
        for row in value
    ]
    start = time.perf_counter()
    for row in rows:
        row_json(row)
    encode = time.perf_counter() - start
    return {
        "before": statistics.median(before),
        "after": statistics.median(after),
        "rows": len(rows),
        "findings": size["n"],
        "chars": size["findings"] + size["meta"],
        "encode": encode,
    }


BEFORE_KEYS = frozenset(
    {
        "cost_selection",
        "unbounded_trust",
        "reliability_without_evaluation",
        "contract_review",
        "renegotiation_windows",
    }
)


def measure(store: Any, repeat: int) -> list[tuple[str, str, str, float, float, str]]:
    """(analysis, filter, rows, live seconds, stored seconds, equal) per analysis and filter,
    and the whole result (field by field before, whole rows now)."""
    from bench.analyses import SAMPLE_IDS
    from sourcing_graph.graph.neo4j.engine import Neo4jEngine
    from sourcing_graph.graph.registry import ANALYSES, DORA_ANALYSES

    engine = Neo4jEngine(store, as_of=AS_OF)
    live = Neo4jEngine(store, as_of=AS_OF, stored=False)
    supplier = store.read(SAMPLE_IDS)[0]["supplier"]
    values = {"supplier": supplier, "prime_contractor": "own-it", "min_severity": "high"}
    chosen = {**ANALYSES, **(DORA_ANALYSES if live.has_supply_chain_data() else {})}
    out = []
    for key, analysis in chosen.items():
        for name in (None, *analysis.filters):
            given = {name: values[name]} if name else {}
            live.run(key, **given)  # planned once, untimed
            engine.run(key, **given)
            slow, derived = median_of(repeat, lambda k=key, g=given: live.run(k, **g))
            fast, found = median_of(repeat, lambda k=key, g=given: engine.run(k, **g))
            same = "yes" if as_json(found) == as_json(derived) else "NO"
            shown = f"{name}={values[name]}" if name else "-"
            rows = "1" if analysis.single else f"{len(derived):,}"
            out.append((analysis.query_name, shown, rows, slow, fast, same))
            print(out[-1], file=sys.stderr, flush=True)
    engine.stored_result_by_fields()
    engine.stored_result()
    slow, old = median_of(repeat, engine.stored_result_by_fields)
    fast, new = median_of(repeat, engine.stored_result)
    same = "yes" if as_json(old) == as_json(new) else "NO"
    out.append(("the whole stored result (`analyze`)", "-", "-", slow, fast, same))
    return out


def milliseconds(seconds: float) -> str:
    return f"{seconds * 1000:,.0f} ms"


def table(measured: list[tuple[str, str, str, float, float, str]], size: int) -> list[str]:
    lines = [
        f"| analysis ({size:,} contracts) | filter | rows | live query (before) | "
        f"stored rows (after) | goal < {GOAL} s | same rows |",
        "|---|---|---:|---:|---:|---|---|",
    ]
    for name, shown, rows, slow, fast, same in measured:
        mark = "✔" if fast < GOAL else "✘"
        lines.append(
            f"| `{name}` | {shown} | {rows} | {milliseconds(slow)} | {milliseconds(fast)} | "
            f"{mark} | {same} |"
        )
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contracts", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--load", action="store_true", help="load the generated register first")
    parser.add_argument("--store-cost", action="store_true", help="time refresh before and now")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    if not os.environ.get("NEO4J_URI"):
        parser.error("NEO4J_URI is not set")
    from sourcing_graph.graph.neo4j import Neo4jSettings, Neo4jStore  # only with a server

    settings = Neo4jSettings(uri=os.environ["NEO4J_URI"], password=os.environ["NEO4J_PASSWORD"])
    store = Neo4jStore.connect(settings)
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    lines = [f"Started {started}; load average at the start {load_average()}."]
    try:
        if args.load:
            register = generate(args.contracts, seed=42)
            start = time.perf_counter()
            store.load_register(register, as_of=AS_OF)
            lines.append(
                f"Load of {args.contracts:,} contracts: {time.perf_counter() - start:.1f} s."
            )
            print(lines[-1], file=sys.stderr, flush=True)
        size = store.read("MATCH (c:Contract) RETURN count(c) AS n")[0]["n"]
        if args.store_cost:
            cost = store_cost(store, max(1, args.repeat // 2))
            lines.append(
                f"Storing the rows whole: `refresh` as before {cost['before']:.1f} s, as now "
                f"{cost['after']:.1f} s (+{cost['after'] - cost['before']:.1f} s); "
                f"{cost['findings']:,} findings and R5's and R9's rows more, "
                f"{cost['chars'] / 1e6:.1f} M characters of JSON; encoding the "
                f"{cost['rows']:,} rows in Python {cost['encode'] * 1000:,.0f} ms."
            )
            print(lines[-1], file=sys.stderr, flush=True)
        measured = measure(store, args.repeat)
    finally:
        store.close()
    lines += ["", *table(measured, size), ""]
    lines.append(f"Load average at the end {load_average()}.")
    text = "\n".join(lines)
    print(text)
    if args.out:
        write_section(args.out, f"{START}\n{text}\n{END}", START, END)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
