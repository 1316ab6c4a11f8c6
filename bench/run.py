"""The benchmark: loading, analyses and views at several register sizes, beside the alternatives.

    python -m bench.run --sizes 1000,10000,100000 --repeat 3

For every size it generates a register (:mod:`bench.generate`), writes it as CSV, and measures
(medians of ``--repeat`` repetitions; in every repetition our runs and the baselines alternate,
their order rotating from one repetition to the next):

- reading and validating: ``read_register`` in-process, and ``sourcing-graph validate`` as a
  subprocess (wall time and peak RSS, from the kernel's rusage of the child);
- loading into Neo4j: our ``Neo4jStore.load_register``; the hand-written baseline a Neo4j expert
  would use (``LOAD CSV`` from pre-split node and relationship CSVs in the server's import
  directory, ``CALL {...} IN TRANSACTIONS OF 10000 ROWS``); and rdflib-neo4j streaming the triples
  of ``register_to_rdf``. Every load starts from an empty register; the graph our loader writes
  and the one ``LOAD CSV`` writes are compared (labels, relationship types, property keys, and a
  sample of nodes property by property);
- every named query (``queries/*.cypher``) on Neo4j, and every embedded analysis on the networkx
  graph (built once, outside the timing; the build is reported on its own row);
- ``sourcing-graph analyze --engine embedded --format json`` and ``sourcing-graph load`` end to
  end (wall time and peak RSS);
- the view: ``build_view(...).save()``, ``sourcing-graph view``, and the time until the page is
  interactive in headless Chromium.

It prints one table and writes it, with the machine's description, ratios and the goals, to
``--out`` (default ``docs/benchmarks.md``). See ``bench/README.md``.

The benchmark refuses a database that already holds a register or RDF resources it did not load
(``--wipe`` overrides), and removes what it loaded when it ends.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import json
import logging
import os
import signal
import sys
import tempfile
import time
import warnings
from pathlib import Path
from typing import Any

from bench.analyses import time_neo4j_analyses
from bench.database import BenchDatabase, Occupied
from bench.generate import generate, write_register
from bench.goals import MARK, evaluate_goals
from bench.loadcsv import LoadCsvBaseline, import_dir_candidate, writable_dir
from bench.loading import Loads
from bench.machine import describe_machine, load_average
from bench.measure import timer
from bench.rdflib_baseline import RdflibBaseline
from bench.report import render_report
from bench.session import SKIPPABLE, Options, Session
from bench.table import render_table
from bench.views import time_views
from bench.worker import measure_in_worker
from sourcing_graph.graph.neo4j import Neo4jSettings, Neo4jStore
from sourcing_graph.loaders.csv_reader import read_register
from sourcing_graph.ontology.rules import load_rules
from sourcing_graph.queries import list_queries

ROOT = Path(__file__).resolve().parent.parent


class Benchmark:
    """One run: set up (Neo4j, the baselines), every size, tear down."""

    def __init__(self, opts: Options) -> None:
        self.opts = opts
        self.session = Session(opts)
        self.res = self.session.res
        self.db: BenchDatabase | None = None
        self.loads: Loads | None = None
        self.machine: dict[str, str] = {}
        self.queries: list[Any] = []
        self.rules: Any = None
        self._tmp: tempfile.TemporaryDirectory[str] | None = None

    # -- set-up and tear-down ----------------------------------------------------------------------

    def setup(self) -> None:
        if self.opts.workdir is None:
            self._tmp = tempfile.TemporaryDirectory(prefix="sourcing-graph-bench-")
            self.session.workdir = Path(self._tmp.name)
        else:
            self.session.workdir = self.opts.workdir
            self.session.workdir.mkdir(parents=True, exist_ok=True)
        self.rules = load_rules()
        with contextlib.suppress(Exception):
            self.queries = list_queries()
        if self.session.skipped("neo4j"):
            self.opts.skip.update({"loadcsv", "rdflib"})
        else:
            self.connect()
        self.machine = describe_machine(self.db.store if self.db is not None else None)

    def connect(self) -> None:
        """The Neo4j of ``NEO4J_URI``, refused when it holds data the benchmark did not load."""
        uri = os.environ.get("NEO4J_URI")
        if not uri:
            self.session.log("NEO4J_URI is not set: the Neo4j measurements are skipped")
            self.opts.skip.update({"neo4j", "loadcsv", "rdflib"})
            self.res.checks.append("Neo4j: not measured (NEO4J_URI not set)")
            return
        self.session.settings = Neo4jSettings(
            uri=uri,
            user=os.environ.get("NEO4J_USER", "neo4j"),
            password=os.environ.get("NEO4J_PASSWORD"),
            database=os.environ.get("NEO4J_DATABASE") or None,
        )
        store = Neo4jStore.connect(self.session.settings)
        try:
            self.db = BenchDatabase.open(store, self.opts.wipe, self.session.log)
        except Occupied as exc:
            raise SystemExit(
                f"bench: the database at {uri} already holds {exc.count} register or RDF nodes "
                "that this benchmark did not load; use an empty (scratch) database, or --wipe to "
                "delete them"
            ) from None
        loadcsv = None if self.session.skipped("loadcsv") else self.loadcsv_baseline(self.db)
        rdflib = None if self.session.skipped("rdflib") else RdflibBaseline(self.session, self.db)
        self.loads = Loads(self.session, self.db, loadcsv, rdflib)

    def loadcsv_baseline(self, db: BenchDatabase) -> LoadCsvBaseline | None:
        """The ``LOAD CSV`` baseline, when the server's import directory can be written."""
        import_dir = import_dir_candidate(self.opts.import_dir, db)
        if import_dir is None or not writable_dir(import_dir):
            self.session.log(
                f"no writable LOAD CSV import directory ({import_dir}); baseline skipped"
            )
            self.res.checks.append(
                f"LOAD CSV baseline: not measured (no writable import directory: {import_dir})"
            )
            self.opts.skip.add("loadcsv")
            return None
        return LoadCsvBaseline(self.session, db, import_dir)

    def teardown(self) -> None:
        if self.db is not None:
            self.db.close()
        if self.loads is not None and self.loads.loadcsv is not None:
            self.loads.loadcsv.remove_files()
        if self._tmp is not None:
            self._tmp.cleanup()

    # -- the sizes ---------------------------------------------------------------------------------

    def run(self) -> None:
        for size in self.opts.sizes:
            self.run_size(size)

    def run_size(self, size: int) -> None:
        self.session.log(f"== {size:,} contracts")
        folder = self.session.workdir / f"register-{size}"
        self.generate(size, folder)
        register = read_register(folder)
        self.res.fact(size, "warnings", len(register.warnings))
        if self.loads is not None:
            self.loads.prepare(size, register)
        for rep in range(self.opts.repeat):
            self.session.log(f"   repetition {rep + 1}/{self.opts.repeat}")
            self.repetition(size, rep, register, folder)
        if self.loads is not None:
            self.loads.finish(size)
        gc.collect()

    def generate(self, size: int, folder: Path) -> None:
        """The register of ``size`` contracts as CSV files in ``folder`` (timed, not a goal)."""
        with timer() as t:
            generated = generate(size, self.opts.seed)
            write_register(generated, folder)
        self.res.add(size, "generate", t[0])
        self.res.fact(size, "counts", generated.counts())
        self.res.fact(size, "csv_mb", sum(p.stat().st_size for p in folder.glob("*.csv")) / 1e6)

    def repetition(self, size: int, rep: int, register: Any, folder: Path) -> None:
        """Reading, the commands, the loads, the analyses (engines alternating) and the views."""
        session = self.session
        measure_in_worker(session, size, "read", folder)
        if not session.skipped("cli"):
            session.cli(size, "cli.validate", ["validate", str(folder)])
            out = session.workdir / f"analysis-{size}.json"
            analyze = ["analyze", str(folder), "--engine", "embedded", "--format", "json"]
            session.cli(size, "cli.analyze", [*analyze, "-o", str(out)])
        loaded = self.loads.repetition(size, rep, register, folder) if self.loads else None
        order = ["neo4j", "embedded"] if rep % 2 == 0 else ["embedded", "neo4j"]
        for engine in order:
            if engine == "neo4j" and loaded and self.db is not None:
                time_neo4j_analyses(
                    session, self.db, self.queries, size, warm_up=rep == 0, register=register
                )
            if engine == "embedded":
                measure_in_worker(session, size, "embedded", folder)
        if not session.skipped("views"):
            time_views(session, size, register, self.rules, folder)


# -- the command ------------------------------------------------------------------------------------


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m bench.run",
        description="Benchmark sourcing-graph against LOAD CSV and rdflib-neo4j at several sizes.",
    )
    add = p.add_argument
    add(
        "--sizes", default=None, help="contract counts, comma-separated (default 1000,10000,100000)"
    )
    add("--repeat", type=int, default=None, help="repetitions per size (default 3)")
    add("--out", type=Path, default=ROOT / "docs" / "benchmarks.md", help="report file")
    add("--skip", default="", help=f"comma-separated: {', '.join(SKIPPABLE)}")
    add(
        "--quick",
        action="store_true",
        help="1 repetition, sizes 1000,10000 unless given; rdflib and the replacing load capped "
        "at 60 s, the browser at 30 s",
    )
    add(
        "--wipe",
        action="store_true",
        help="delete register and RDF nodes already in the database (otherwise it refuses)",
    )
    add("--seed", type=int, default=42)
    add("--workdir", type=Path, help="keep generated files here (default: a temp dir)")
    add(
        "--rdflib-timeout",
        type=float,
        default=None,
        help="stop one rdflib-neo4j run after this many seconds and extrapolate (default 900)",
    )
    add(
        "--rdflib-budget",
        type=float,
        default=300,
        help="seconds of rdflib-neo4j per size after which later repetitions skip it (default 300)",
    )
    add(
        "--replace-timeout",
        type=float,
        default=None,
        help="stop a load that replaces a loaded register after this many seconds (default 180)",
    )
    add(
        "--browser-timeout",
        type=float,
        default=None,
        help="seconds to wait for the view to be interactive (default 120)",
    )
    add(
        "--import-dir",
        type=Path,
        help="the server's LOAD CSV import directory (default: asked from the server)",
    )
    add("--json", dest="json_out", type=Path, help="also write the raw samples as JSON")
    return p


def parse_args(argv: list[str]) -> Options:
    p = parser()
    args = p.parse_args(argv)
    skip = {s.strip() for s in args.skip.split(",") if s.strip()}
    unknown = skip - set(SKIPPABLE)
    if unknown:
        p.error(f"--skip: unknown {', '.join(sorted(unknown))}; known: {', '.join(SKIPPABLE)}")
    sizes_text = args.sizes or ("1000,10000" if args.quick else "1000,10000,100000")
    try:
        sizes = [int(s.replace("_", "")) for s in sizes_text.split(",") if s.strip()]
    except ValueError:
        p.error(f"--sizes: expected numbers, got {sizes_text!r}")
    if not sizes or min(sizes) < 1:
        p.error("--sizes: at least one size of 1 or more")
    repeat = args.repeat if args.repeat is not None else (1 if args.quick else 3)
    if repeat < 1:
        p.error("--repeat: at least 1")
    return Options(
        sizes=sizes,
        repeat=repeat,
        out=args.out,
        skip=skip,
        quick=args.quick,
        wipe=args.wipe,
        seed=args.seed,
        workdir=args.workdir,
        rdflib_timeout=args.rdflib_timeout or (60 if args.quick else 900),
        rdflib_budget=args.rdflib_budget,
        browser_timeout=args.browser_timeout or (30 if args.quick else 120),
        replace_timeout=args.replace_timeout or (60 if args.quick else 180),
        import_dir=args.import_dir,
        json_out=args.json_out,
        argv=argv,
    )


def _interrupted(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    opts = parse_args(argv)
    # the driver logs a notification for every label not created yet; the report says what matters
    logging.getLogger("neo4j").setLevel(logging.ERROR)
    warnings.filterwarnings("ignore", module=r"neo4j(\.|$)")
    bench = Benchmark(opts)
    started = time.perf_counter()
    signal.signal(signal.SIGTERM, _interrupted)
    try:
        bench.setup()
        bench.run()
    finally:
        bench.teardown()
    elapsed = time.perf_counter() - started
    bench.machine["Load average at the end"] = load_average()
    write_outputs(bench, elapsed)
    return 0


def write_outputs(bench: Benchmark, elapsed: float) -> None:
    """The table and the goals on stdout, the report to ``--out``, the samples to ``--json``."""
    opts, res = bench.opts, bench.res
    table = render_table(res, bench.queries)
    goals = evaluate_goals(res)
    report = render_report(res, opts, bench.machine, table, goals, elapsed)
    print(table)
    print()
    for g in goals:
        print(f"{MARK[g.ok]} {g.text}: {g.detail}")
    opts.out.parent.mkdir(parents=True, exist_ok=True)
    opts.out.write_text(report, encoding="utf-8")
    print(f"\nwrote {opts.out}", file=sys.stderr)
    if opts.json_out is not None:
        raw = {
            "sizes": res.sizes,
            "repeat": res.repeat,
            "samples": {f"{s}:{k}": v for (s, k), v in res.samples.items()},
            "notes": {f"{s}:{k}": v for (s, k), v in res.notes.items()},
            "machine": bench.machine,
        }
        opts.json_out.write_text(json.dumps(raw, indent=1, default=str), encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
