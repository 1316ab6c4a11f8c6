"""The review analyses (R10-R15) and a what-if of ten changes, side by side in one run.

``python -m bench.review --contracts 100000 [--register DIR] [--repeat 3] [--out FILE]``

Embedded (this process): the register generated (seed 42) or read from ``--register``, the
networkx graph built once, then each R10-R15 function on it: alone (its own ``prepare`` pass
included, as in ``bench.run``), in an engine (the pass made once and shared, as ``analyze`` does)
and alone with the cyclic garbage collector not paused (as before issue 17's tuning); then
``sourcing-graph whatif REGISTER SCENARIO.csv --engine embedded --format json`` (and ``--format
table``) end to end, with a ten-row scenario written from :func:`bench.whatif.ten_changes`, and the
same ``what_if`` in this process. On Neo4j (when ``NEO4J_URI`` is set): each of the six
named queries on the register the server holds (loaded beforehand with ``sourcing-graph load``;
its size is counted and shown), planned once, then timed warm: into Python (the rows sent and
decoded, as the engine reads them) and on the server alone (wrapped in ``CALL () { ... } RETURN
count(*)``: the same rows computed, not sent); and each analysis as the product runs it there
(``Neo4jEngine(store, as_of=2026-06-01).run(key)``: R10-R14 read from their stored findings when
the register was loaded at that date, each finding's row whole as one JSON text, R15 derived), its
rows checked equal to the derived ones (``stored=False``); and, for R10-R14, the stored read as it
was before that compact form (:data:`FIELD_BY_FIELD`: each finding's fields as a list of values,
made dicts and sorted in Python), its rows checked equal too. Medians of ``--repeat`` runs.
With ``--out``, the table goes into that Markdown file between this module's markers.
``--neo4j-only`` measures the Neo4j part alone (no embedded or what-if rows; for a quick check,
not for ``--out``).
"""

from __future__ import annotations

import argparse
import csv
import os
import statistics
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.analyses import bind, sample_ids
from bench.generate import generate, write_register
from bench.machine import load_average
from bench.measure import cli_command, run_measured, timer
from bench.rdf import write_section
from bench.whatif import AS_OF, ten_changes
from sourcing_graph.graph.registry import ANALYSES, REVIEW_KEYS
from sourcing_graph.loaders.csv_reader import read_register
from sourcing_graph.model import CHANGE_TARGETS, Change, Register
from sourcing_graph.ontology.rules import load_rules
from sourcing_graph.queries import get_query

START = "<!-- bench.review: start -->"
END = "<!-- bench.review: end -->"
GOAL_EMBEDDED = 2.0
GOAL_NEO4J = 1.0
GOAL_WHATIF = 10.0

FIELD_BY_FIELD = """
OPTIONAL MATCH (m:SourcingGraphMeta {key: 'register'})
WITH coalesce(toString(m.asOf) = $asOf, false) AS current
RETURN current,
       CASE WHEN current THEN COLLECT {
         MATCH (f:Finding {rule: $rule})
         WHERE $supplier IS NULL OR f.supplier = $supplier
         RETURN [column IN $columns | f[column]]
       } END AS rows
"""
"""The stored read of R10-R14 before their findings kept their rows whole (branch n17-neo4j's
``engine:stored-rows``): one value per field over Bolt. For the side-by-side column only."""


def write_scenario(changes: list[Change], path: Path) -> None:
    """The changes as a scenario file (``target,change,value``), in their order."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["target", "change", "value"])
        for c in changes:
            value = ("yes" if c.value else "no") if isinstance(c.value, bool) else c.value or ""
            out.writerow([f"{CHANGE_TARGETS[c.kind]}:{c.target}", c.kind, value])


def median_of(repeat: int, run: Callable[[], Any]) -> tuple[float, Any]:
    """The median wall time of ``repeat`` runs of ``run``, and what its last run returned."""
    times, last = [], None
    for _ in range(repeat):
        with timer() as t:
            last = run()
        times.append(t[0])
    return statistics.median(times), last


def count(rows: Any) -> str:
    """Rows of a list result; R15 is one object."""
    return str(len(rows)) if isinstance(rows, list) else "1 (object)"


def embedded_rows(register: Register, repeat: int) -> dict[str, Any]:
    """Each R10-R15 embedded function on a graph built once: (median seconds, rows) alone (its own
    R1/R2 pass, ``prepare``, included), in an engine (the pass shared, made once: what
    ``analyze`` does; the analysis' own memo emptied before each run), and alone with the cyclic
    garbage collector left running (``gc.disable`` made a no-op: the code before issue 17's
    tuning paused nothing). Also ``prepare``'s own time, under ``"prepare"``."""
    from unittest import mock

    from sourcing_graph.graph import embedded  # the engine: only for this part of the run

    rules = load_rules()
    graph = embedded.to_networkx(register)
    prepared, context = median_of(repeat, lambda: embedded.prepare(graph, rules))
    out: dict[str, Any] = {"prepare": prepared}
    for key in REVIEW_KEYS:
        dated = {"as_of": AS_OF} if ANALYSES[key].dated else {}
        function = embedded.FUNCTIONS[key]

        def shared(f: Callable[..., Any] = function, d: dict[str, Any] = dated) -> Any:
            context.memo.clear()
            context.recommendations.clear()
            return f(graph, rules, context=context, **d)

        alone, rows = median_of(repeat, lambda f=function, d=dated: f(graph, rules, **d))
        in_engine, _ = median_of(repeat, shared)
        with mock.patch("gc.disable"):
            gc_on, _ = median_of(repeat, lambda f=function, d=dated: f(graph, rules, **d))
        out[key] = {"alone": alone, "engine": in_engine, "gc_on": gc_on, "rows": count(rows)}
    return out


def whatif_rows(register: Register, folder: Path, repeat: int, work: Path) -> dict[str, Any]:
    """The what-if of ten changes: the command end to end (``--format json``: before, after and
    delta; and the default table: the delta), and ``what_if`` in this process."""
    from sourcing_graph.graph.whatif import what_if  # the engine: only for this part of the run

    changes = ten_changes(register)
    scenario = work / "ten-changes.csv"
    write_scenario(changes, scenario)
    out: dict[str, Any] = {"scenario": scenario}
    for fmt in ("json", "table"):
        cmd = [*cli_command(), "whatif", str(folder), str(scenario), "--engine", "embedded"]
        cmd += ["--format", fmt, "--as-of", AS_OF.isoformat()]
        walls, rss = [], []
        for _ in range(repeat):
            proc = run_measured(cmd, env={k: v for k, v in os.environ.items() if k != "NEO4J_URI"})
            if proc.returncode != 0:
                raise SystemExit(f"whatif failed: {proc.last_error_line()}")
            walls.append(proc.seconds)
            rss.append(proc.peak_rss_mb or 0)
        out[fmt] = (statistics.median(walls), statistics.median(rss))
    rules = load_rules()
    out["inproc"], _ = median_of(repeat, lambda: what_if(register, changes, rules, as_of=AS_OF))
    return out


def field_by_field(store: Any, key: str) -> list[dict[str, Any]] | None:
    """R10-R14's rows read as before the compact form (:data:`FIELD_BY_FIELD`), as the engine
    then made them: dicts, amounts exact, rows sorted by code point (in one stable read)."""
    from sourcing_graph.graph.registry import exact_amounts, in_code_point_order

    analysis = ANALYSES[key]
    columns = list(analysis.query().columns)
    params = {
        "rule": analysis.rule,
        "columns": columns,
        "supplier": None,
        "asOf": AS_OF.isoformat(),
    }

    def read() -> list[dict[str, Any]] | None:
        found = store.read(FIELD_BY_FIELD, params)
        if not found or not found[0]["current"]:
            return None
        rows = [dict(zip(columns, values, strict=True)) for values in found[0]["rows"]]
        return in_code_point_order(key, exact_amounts(rows), lists=False)

    return store.stable(read)  # type: ignore[no-any-return]


def neo4j_rows(repeat: int) -> tuple[int, dict[str, tuple[float, str, float, float, float | None]]]:
    """Each R10-R15 named query on the register the server holds, warm: its size and, per query,
    (median seconds into Python, rows, median seconds with the rows counted on the server, median
    seconds of the engine's ``run``: what the product runs, the stored read for R10-R14; and for
    R10-R14 median seconds of the stored read as before the compact form, else None)."""
    from types import SimpleNamespace

    from sourcing_graph.graph.neo4j import Neo4jSettings, Neo4jStore  # only with a server
    from sourcing_graph.graph.neo4j.engine import Neo4jEngine  # as above

    settings = Neo4jSettings(uri=os.environ["NEO4J_URI"], password=os.environ["NEO4J_PASSWORD"])
    store = Neo4jStore.connect(settings)
    try:
        size = store.read("MATCH (c:Contract) RETURN count(c) AS n")[0]["n"]
        ids = sample_ids(SimpleNamespace(store=store))  # type: ignore[arg-type]
        out = {}
        for key in REVIEW_KEYS:
            query = get_query(ANALYSES[key].query_name)
            params = bind(query, ids) or {}
            if "asOf" in params:
                params["asOf"] = AS_OF
            store.read(query.text, params)  # planned once, untimed
            seconds, rows = median_of(repeat, lambda q=query, p=params: store.read(q.text, p))
            counted = f"CALL () {{\n{query.text}\n}} RETURN count(*) AS n"  # rows not sent
            store.read(counted, params)
            server, _ = median_of(repeat, lambda c=counted, p=params: store.read(c, p))
            engine = Neo4jEngine(store, as_of=AS_OF)
            engine.run(key)  # planned once, untimed
            product, found = median_of(repeat, lambda e=engine, k=key: e.run(k))
            derived = Neo4jEngine(store, as_of=AS_OF, stored=False).run(key)
            if found != derived:
                raise SystemExit(f"{key}: the engine's rows are not the derived ones")
            before = None
            if key != "posture":
                field_by_field(store, key)  # planned once, untimed
                before, old = median_of(repeat, lambda k=key: field_by_field(store, k))
                if old != derived:
                    raise SystemExit(f"{key}: the stored rows read as before are not the derived")
            out[key] = (seconds, str(len(rows)), server, product, before)
        return size, out
    finally:
        store.close()


def profile(what: str, source: Path | int, seed: int) -> None:
    """cProfile of one embedded R10-R15 function (graph pre-built) or the in-process what-if: the
    25 entries with the most cumulative time."""
    import cProfile
    import pstats

    from sourcing_graph.graph import embedded  # the engine: only for this part of the run
    from sourcing_graph.graph.whatif import what_if  # as above

    register = generate(source, seed=seed) if isinstance(source, int) else read_register(source)
    rules = load_rules()
    profiler = cProfile.Profile()
    if what == "whatif":
        changes = ten_changes(register)
        profiler.runcall(what_if, register, changes, rules, as_of=AS_OF)
    else:
        graph = embedded.to_networkx(register)
        dated = {"as_of": AS_OF} if ANALYSES[what].dated else {}
        profiler.runcall(embedded.FUNCTIONS[what], graph, rules, **dated)
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)


def verdict(seconds: float, goal: float) -> str:
    """✔/✘ against the goal, and by how much."""
    if seconds < goal:
        return f"✔ {goal / seconds:.1f}× under"
    return f"✘ {seconds / goal:.1f}× over (+{seconds - goal:.2f} s)"


def milliseconds(seconds: float | None) -> str:
    return "-" if seconds is None else f"{seconds * 1000:,.0f} ms"


def table(
    contracts: int, emb: dict | None, neo: tuple[int, dict] | None, wif: dict | None
) -> list[str]:
    """The Markdown table of the run (``emb`` and ``wif`` None: the Neo4j part alone)."""
    neo_size = f"{neo[0]:,}" if neo else "-"
    lines = [
        f"| analysis | query | rows (embedded) | embedded, {contracts:,}: alone | goal < 2 s | "
        f"in an engine | collector not paused (alone) | rows (Neo4j) | Neo4j, {neo_size}: as "
        "the product runs it (R10-R14 stored, rows whole) | "
        "goal < 1 s | Neo4j, R10-R14 stored read as before (field by field) | "
        "Neo4j, named query derived, into Python | rows counted, not sent |",
        "|---|---|---:|---:|---|---:|---:|---:|---:|---|---:|---:|---:|",
    ]
    for key in REVIEW_KEYS:
        a = ANALYSES[key]
        if neo:
            n_s, n_rows, n_server, n_product, n_before = neo[1][key]
            n_cells = (
                f"{n_rows} | {milliseconds(n_product)} | {verdict(n_product, GOAL_NEO4J)} | "
                f"{milliseconds(n_before)} | {milliseconds(n_s)} | {milliseconds(n_server)}"
            )
        else:
            n_cells = "- | not measured | - | - | - | -"
        e_cells = "- | not measured | - | - | -"
        if emb:
            e = emb[key]
            e_cells = (
                f"{e['rows']} | {milliseconds(e['alone'])} | {verdict(e['alone'], GOAL_EMBEDDED)} "
                f"| {milliseconds(e['engine'])} | {milliseconds(e['gc_on'])}"
            )
        lines.append(f"| {a.rule} {key} | `{a.query_name}` | {e_cells} | {n_cells} |")
    if emb is None or wif is None:
        return lines
    lines.append(
        f"| R1/R2 pass (`prepare`), once per engine | | | {emb['prepare'] * 1000:,.0f} ms | | | "
        "| | | | | | |"
    )
    for fmt, shows in (("json", "before, after, delta"), ("table", "the delta")):
        seconds, rss = wif[fmt]
        lines.append(
            f"| what-if of 10 changes | `sourcing-graph whatif ... --engine embedded --format "
            f"{fmt}` ({shows}; end to end, peak RSS {rss:,.0f} MB) | | {seconds:.2f} s | "
            f"{verdict(seconds, GOAL_WHATIF)} (goal < 10 s) | | | | | | | | |"
        )
    lines.append(
        "| what-if of 10 changes | `what_if(...)` in process (both analyses; no graph built "
        "without DORA data) "
        f"| | {wif['inproc']:.2f} s | {verdict(wif['inproc'], GOAL_WHATIF)} | | | | | | | | |"
    )
    return lines


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--contracts", type=int, default=100_000)
    parser.add_argument("--register", type=Path, help="a register folder (default: generated)")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out", type=Path, help="a Markdown file to put the table into")
    parser.add_argument("--profile", choices=[*REVIEW_KEYS, "whatif"], help="profile one, only")
    parser.add_argument(
        "--neo4j-only", action="store_true", help="the Neo4j part alone (a quick check; no --out)"
    )
    args = parser.parse_args(argv)
    if args.profile:
        profile(args.profile, args.register or args.contracts, args.seed)
        return
    if args.neo4j_only:
        if args.out or not os.environ.get("NEO4J_URI"):
            parser.error("--neo4j-only needs NEO4J_URI and takes no --out")
        print(f"load average at the start: {load_average()}", flush=True)
        size, rows = neo4j_rows(args.repeat)
        print("\n".join(table(size, None, (size, rows), None)))
        print(f"load average at the end: {load_average()}")
        return
    print(f"load average at the start: {load_average()}", flush=True)
    with tempfile.TemporaryDirectory(prefix="bench-review-") as tmp:
        work = Path(tmp)
        folder = args.register
        if folder is None:
            folder = work / "register"
            write_register(generate(args.contracts, seed=args.seed), folder)
        register = read_register(folder)
        emb = embedded_rows(register, args.repeat)
        print("embedded done", flush=True)
        wif = whatif_rows(register, folder, args.repeat, work)
        print("what-if done", flush=True)
        neo = neo4j_rows(args.repeat) if os.environ.get("NEO4J_URI") else None
        lines = table(len(register.contracts), emb, neo, wif)
    end_load = load_average()
    print("\n".join(lines))
    print(f"load average at the end: {end_load}")
    if args.out:
        body = [START, *lines, "", f"Load average at the end: {end_load}.", END]
        write_section(args.out, "\n".join(body) + "\n", START, END)


if __name__ == "__main__":
    main(sys.argv[1:])
