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
import csv
import functools
import gc
import importlib.util
import io
import json
import logging
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import traceback
import warnings
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from bench.generate import generate, write_register

ROOT = Path(__file__).resolve().parent.parent
REGISTER_LABELS = ("Contract", "Lot", "Function", "Organisation")
REGISTER_RELS = (
    "SUPPLIED_BY",
    "PART_OF",
    "DECLARED_MODE",
    "HAS_CLAUSE",
    "DELIVERS",
    "DEPENDS_ON",
    "COORDINATED_BY",
)
RDFLIB_LABEL = "Resource"
SKIPPABLE = ("rdflib", "browser", "loadcsv", "neo4j", "views", "cli")
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
GOAL_SIZE = 100_000


# =============================================================================================
# results
# =============================================================================================


@dataclass
class Results:
    """Samples per (size, key), notes, and facts about each size."""

    sizes: list[int]
    repeat: int
    samples: dict[tuple[int, str], list[float]] = field(default_factory=dict)
    notes: dict[tuple[int, str], str] = field(default_factory=dict)
    facts: dict[int, dict[str, Any]] = field(default_factory=dict)
    checks: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def add(self, size: int, key: str, value: float) -> None:
        self.samples.setdefault((size, key), []).append(value)

    def note(self, size: int, key: str, text: str) -> None:
        self.notes[(size, key)] = text

    def median(self, size: int, key: str) -> float | None:
        values = self.samples.get((size, key))
        return statistics.median(values) if values else None

    def count(self, size: int, key: str) -> int:
        return len(self.samples.get((size, key), []))

    def fact(self, size: int, key: str, value: Any) -> None:
        self.facts.setdefault(size, {})[key] = value


# Units: s (seconds), MB, rate (rows/s), x (a ratio), n (a count), text.
@dataclass(frozen=True)
class Row:
    key: str
    label: str
    unit: str
    derived: Callable[[Results, int], float | None] | None = None


def _ratio(num: str, den: str) -> Callable[[Results, int], float | None]:
    def compute(res: Results, size: int) -> float | None:
        a, b = res.median(size, num), res.median(size, den)
        return a / b if a is not None and b else None

    return compute


def _rate(rows_fact: str, seconds: str) -> Callable[[Results, int], float | None]:
    def compute(res: Results, size: int) -> float | None:
        rows = res.facts.get(size, {}).get(rows_fact)
        t = res.median(size, seconds)
        return rows / t if rows and t else None

    return compute


# =============================================================================================
# measuring
# =============================================================================================


@dataclass
class Proc:
    seconds: float
    peak_rss_mb: float | None  # None: neither GNU time nor psutil is available
    returncode: int
    stdout: str
    stderr: str
    timed_out: bool = False


TIME_BIN = "/usr/bin/time"


def run_measured(
    cmd: Sequence[str], env: dict[str, str] | None = None, timeout: float = 3600
) -> Proc:
    """Run ``cmd``: its wall time, and its peak RSS.

    The peak RSS comes from GNU time (``%M``) when ``/usr/bin/time`` exists: the child is forked
    from that small process. (``ru_maxrss`` of a child forked straight from this benchmark starts
    at the benchmark's own RSS, which the kernel carries over the fork and exec.) Without GNU time,
    the child's RSS is polled with psutil every 5 ms.
    """
    with (
        tempfile.TemporaryFile() as out,
        tempfile.TemporaryFile() as err,
        tempfile.NamedTemporaryFile("r", suffix=".rss") as rss_file,
    ):
        use_time = os.access(TIME_BIN, os.X_OK)
        full = [TIME_BIN, "-f", "%M", "-o", rss_file.name, *cmd] if use_time else list(cmd)
        start = time.perf_counter()
        proc = subprocess.Popen(
            full,
            stdout=out,
            stderr=err,
            stdin=subprocess.DEVNULL,
            env=env,
            start_new_session=True,  # its own process group, so a timeout can stop all of it
        )
        timed_out = False
        peak = 0
        watched = None
        if not use_time:
            with contextlib.suppress(Exception):
                import psutil

                watched = psutil.Process(proc.pid)
        deadline = start + timeout
        while proc.poll() is None:
            if watched is not None:
                with contextlib.suppress(Exception):
                    peak = max(peak, watched.memory_info().rss)
            if time.perf_counter() > deadline:
                timed_out = True
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)  # GNU time and the command under it
                proc.wait()
                break
            time.sleep(0.005)
        seconds = time.perf_counter() - start
        if use_time:
            text = rss_file.read().strip().splitlines()
            with contextlib.suppress(ValueError, IndexError):
                peak = int(text[-1]) * 1024  # KiB
        out.seek(0)
        err.seek(0)
        return Proc(
            seconds,
            peak / 1024 / 1024 if (use_time or watched is not None) and peak else None,
            proc.returncode,
            out.read().decode("utf-8", "replace"),
            err.read().decode("utf-8", "replace"),
            timed_out,
        )


@contextlib.contextmanager
def timer() -> Iterator[list[float]]:
    """``with timer() as t: ...`` then ``t[0]`` is the wall time in seconds (GC collected first)."""
    gc.collect()
    box: list[float] = []
    start = time.perf_counter()
    try:
        yield box
    finally:
        box.append(time.perf_counter() - start)


def _cli() -> list[str]:
    script = Path(sys.executable).with_name("sourcing-graph")
    return [str(script)] if script.exists() else [sys.executable, "-m", "sourcing_graph"]


# =============================================================================================
# the LOAD CSV baseline
# =============================================================================================


def _csv_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    if isinstance(value, float):
        return repr(value)
    return str(value)


def _write_csv(path: Path, header: list[str], rows: Iterator[list[Any]] | list[list[Any]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        for row in rows:
            writer.writerow([_csv_text(v) for v in row])


def _extra_keys(entities: Any) -> list[str]:
    keys: set[str] = set()
    for entity in entities:
        keys.update(entity.extra)
    return sorted(keys)


def write_loadcsv_files(register: Any, folder: Path) -> dict[str, list[str]]:
    """Pre-split node and relationship CSVs, the way a Neo4j expert prepares a ``LOAD CSV`` import.

    Values are already typed text (``true``/``false``, ISO dates, plain floats); an empty cell is
    read as null by ``LOAD CSV``. Returns the extra (user) columns of each node file.
    """
    from sourcing_graph.graph.neo4j_store import instance_uri

    folder.mkdir(parents=True, exist_ok=True)
    orgs = list(register.organisations.values())
    lots = list(register.lots.values())
    funcs = list(register.functions.values())
    contracts = list(register.contracts.values())
    extra = {
        "organisations": _extra_keys(orgs),
        "lots": _extra_keys(lots),
        "functions": _extra_keys(funcs),
        "contracts": _extra_keys(contracts),
    }
    _write_csv(
        folder / "organisations.csv",
        ["id", "uri", "name", "internal", *extra["organisations"]],
        (
            [o.id, instance_uri("org", o.id), o.name, register.is_internal(o.id)]
            + [o.extra.get(k) or None for k in extra["organisations"]]
            for o in orgs
        ),
    )
    _write_csv(
        folder / "functions.csv",
        ["id", "uri", "name", "critical", "retained", *extra["functions"]],
        (
            [f.id, instance_uri("function", f.id), f.name, f.critical, f.retained]
            + [f.extra.get(k) or None for k in extra["functions"]]
            for f in funcs
        ),
    )
    _write_csv(
        folder / "lots.csv",
        ["id", "uri", "name", "complexity", "dynamics", "commodity", *extra["lots"]],
        (
            [lot.id, instance_uri("lot", lot.id), lot.name, lot.complexity, lot.dynamics]
            + [lot.commodity]
            + [lot.extra.get(k) or None for k in extra["lots"]]
            for lot in lots
        ),
    )
    _write_csv(
        folder / "contracts.csv",
        ["id", "uri", "startDate", "endDate", "annualValue", "selectionBasis", *extra["contracts"]],
        (
            [
                c.id,
                instance_uri("contract", c.id),
                c.start_date,
                c.end_date,
                c.annual_value,
                c.selection_basis,
            ]
            + [c.extra.get(k) or None for k in extra["contracts"]]
            for c in contracts
        ),
    )
    _write_csv(
        folder / "coordinated_by.csv",
        ["lot", "organisation"],
        ([lot.id, lot.prime_contractor] for lot in lots),
    )
    _write_csv(folder / "depends_on.csv", ["lot", "depends_on"], sorted(register.dependencies))
    _write_csv(
        folder / "supplied_by.csv",
        ["contract", "organisation"],
        ([c.id, c.supplier] for c in contracts),
    )
    _write_csv(folder / "part_of.csv", ["contract", "lot"], ([c.id, c.lot] for c in contracts))
    _write_csv(
        folder / "declared_mode.csv",
        ["contract", "mode"],
        ([c.id, c.mode] for c in contracts if c.mode is not None),
    )
    _write_csv(
        folder / "has_clause.csv",
        ["contract", "clause"],
        ([c.id, k] for c in contracts for k in sorted(c.clauses)),
    )
    _write_csv(
        folder / "delivers.csv",
        ["contract", "function"],
        ([c.id, f] for c in contracts for f in sorted(c.functions)),
    )
    return extra


def _cypher_name(name: str) -> str:
    return "`" + name.replace("`", "``") + "`"


def loadcsv_statements(prefix: str, extra: dict[str, list[str]]) -> list[tuple[str, str]]:
    """The ``LOAD CSV`` statements, nodes first, then relationships: ``(what, cypher)``.

    ``prefix`` is the ``file:///`` path of the folder inside the server's import directory.
    """

    def load(file: str, body: str) -> str:
        return (
            f"LOAD CSV WITH HEADERS FROM 'file:///{prefix}/{file}' AS row\n"
            f"CALL (row) {{\n{body}\n}} IN TRANSACTIONS OF 10000 ROWS"
        )

    def extras(var: str, kind: str) -> str:
        return "".join(f", {var}.{_cypher_name(k)} = row.{_cypher_name(k)}" for k in extra[kind])

    return [
        (
            "organisations",
            load(
                "organisations.csv",
                "CREATE (o:Organisation {id: row.id, uri: row.uri, "
                "internal: toBoolean(row.internal)})\n"
                "SET o.name = row.name" + extras("o", "organisations"),
            ),
        ),
        (
            "functions",
            load(
                "functions.csv",
                "CREATE (f:Function {id: row.id, uri: row.uri, critical: toBoolean(row.critical), "
                "retained: toBoolean(row.retained)})\n"
                "SET f.name = row.name" + extras("f", "functions"),
            ),
        ),
        (
            "lots",
            load(
                "lots.csv",
                "CREATE (l:Lot {id: row.id, uri: row.uri, complexity: row.complexity, "
                "dynamics: row.dynamics, commodity: toBoolean(row.commodity)})\n"
                "SET l.name = row.name" + extras("l", "lots"),
            ),
        ),
        (
            "contracts",
            load(
                "contracts.csv",
                "CREATE (c:Contract {id: row.id, uri: row.uri})\n"
                "SET c.startDate = date(row.startDate), c.endDate = date(row.endDate), "
                "c.annualValue = toFloat(row.annualValue), c.selectionBasis = row.selectionBasis"
                + extras("c", "contracts"),
            ),
        ),
        (
            "COORDINATED_BY",
            load(
                "coordinated_by.csv",
                "MATCH (l:Lot {id: row.lot}) MATCH (o:Organisation {id: row.organisation})\n"
                "CREATE (l)-[:COORDINATED_BY]->(o)",
            ),
        ),
        (
            "DEPENDS_ON",
            load(
                "depends_on.csv",
                "MATCH (a:Lot {id: row.lot}) MATCH (b:Lot {id: row.depends_on})\n"
                "CREATE (a)-[:DEPENDS_ON]->(b)",
            ),
        ),
        (
            "SUPPLIED_BY",
            load(
                "supplied_by.csv",
                "MATCH (c:Contract {id: row.contract}) MATCH (o:Organisation {id: row.organisation})\n"
                "CREATE (c)-[:SUPPLIED_BY]->(o)",
            ),
        ),
        (
            "PART_OF",
            load(
                "part_of.csv",
                "MATCH (c:Contract {id: row.contract}) MATCH (l:Lot {id: row.lot})\n"
                "CREATE (c)-[:PART_OF]->(l)",
            ),
        ),
        (
            "DECLARED_MODE",
            load(
                "declared_mode.csv",
                "MATCH (c:Contract {id: row.contract}) MATCH (m:CollaborationMode {key: row.mode})\n"
                "CREATE (c)-[:DECLARED_MODE]->(m)",
            ),
        ),
        (
            "HAS_CLAUSE",
            load(
                "has_clause.csv",
                "MATCH (c:Contract {id: row.contract}) MATCH (t:ClauseType {key: row.clause})\n"
                "CREATE (c)-[:HAS_CLAUSE]->(t)",
            ),
        ),
        (
            "DELIVERS",
            load(
                "delivers.csv",
                "MATCH (c:Contract {id: row.contract}) MATCH (f:Function {id: row.function})\n"
                "CREATE (c)-[:DELIVERS]->(f)",
            ),
        ),
    ]


# =============================================================================================
# the view in headless Chromium
# =============================================================================================

# Runs before the page's scripts: catches the vis.Network the page creates (vis-network's UMD
# bundle assigns ``Network`` onto an existing ``window.vis``) and records when it first draws and
# when it stabilises, and when the page's own API (``window.sourcingGraph``, views/assets/view.js)
# says it is ready -- all in the page's clock (performance.now(), from navigation start).
_BROWSER_HOOK = """
(() => {
  const marks = (window.__sgBench = {drawn: null, stabilized: null, ready: null, network: false});
  const now = () => performance.now();
  const watch = (net) => {
    if (!net || net.__sgWatched || typeof net.once !== 'function') return;
    net.__sgWatched = true;
    marks.network = true;
    net.once('afterDrawing', () => { if (marks.drawn === null) marks.drawn = now(); });
    net.once('stabilized', () => { if (marks.stabilized === null) marks.stabilized = now(); });
    net.once('stabilizationIterationsDone', () => {
      if (marks.stabilized === null) marks.stabilized = now();
    });
  };
  let Network;
  const vis = window.vis || {};
  Object.defineProperty(vis, 'Network', {
    configurable: true, enumerable: true,
    get() { return Network; },
    set(Original) {
      Network = function (...args) { const net = new Original(...args); watch(net); return net; };
      Network.prototype = Original.prototype;
      Object.setPrototypeOf(Network, Original);
    },
  });
  window.vis = vis;
  let api;
  Object.defineProperty(window, 'sourcingGraph', {
    configurable: true, enumerable: true,
    get() { return api; },
    set(value) {
      api = value;
      if (!value || typeof value !== 'object') return;
      watch(value.network);
      let ready = value.ready;
      if (ready === true && marks.ready === null) marks.ready = now();
      Object.defineProperty(value, 'ready', {
        configurable: true, enumerable: true,
        get() { return ready; },
        set(v) { ready = v; if (v === true && marks.ready === null) marks.ready = now(); },
      });
    },
  });
})();
"""

_BROWSER_INTERACTIVE = """
() => { const m = window.__sgBench;
        return !!m && (m.drawn !== null || m.stabilized !== null || m.ready !== null); }
"""
_BROWSER_READY = "() => !!window.__sgBench && window.__sgBench.ready !== null"


def browser_time_to_interactive(html: Path, timeout_s: float) -> dict[str, float | None]:
    """Open ``html`` in headless Chromium; milliseconds from navigation start until the network
    first drew or stabilised (interactive), and until ``window.sourcingGraph.ready`` (the page's
    own "laid out and drawn"). ``timeout`` is set when it was not interactive in time."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS[1:]
        )
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            page.add_init_script(_BROWSER_HOOK)
            page.goto(html.resolve().as_uri(), wait_until="commit", timeout=timeout_s * 1000)
            try:
                page.wait_for_function(_BROWSER_INTERACTIVE, timeout=timeout_s * 1000, polling=20)
            except Exception:
                return {"interactive_ms": None, "ready_ms": None, "timeout": timeout_s}
            with contextlib.suppress(Exception):
                page.wait_for_function(_BROWSER_READY, timeout=timeout_s * 1000, polling=50)
            marks = page.evaluate("() => window.__sgBench")
        finally:
            browser.close()
    seen = [marks.get(k) for k in ("drawn", "stabilized", "ready") if marks.get(k) is not None]
    return {
        "interactive_ms": min(seen) if seen else None,
        "ready_ms": marks.get("ready"),
        "timeout": None,
    }


# =============================================================================================
# the benchmark
# =============================================================================================


@dataclass
class Options:
    sizes: list[int]
    repeat: int
    out: Path
    skip: set[str]
    quick: bool
    wipe: bool
    seed: int
    workdir: Path | None
    rdflib_timeout: float
    rdflib_budget: float
    browser_timeout: float
    replace_timeout: float
    import_dir: Path | None
    json_out: Path | None
    argv: list[str]


class Benchmark:
    def __init__(self, opts: Options) -> None:
        self.opts = opts
        self.res = Results(opts.sizes, opts.repeat)
        self.store: Any = None
        self.settings: Any = None
        self.import_dir: Path | None = None
        self.import_sub: Path | None = None
        self.start_state: dict[str, Any] = {}
        self.machine: dict[str, str] = {}
        self.queries: list[Any] = []
        self.rules: Any = None
        self._tmp: tempfile.TemporaryDirectory[str] | None = None
        self.workdir = Path(".")
        self.log_lines = 0

    # -- plumbing --------------------------------------------------------------------------------

    def log(self, message: str) -> None:
        print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)

    def attempt(self, size: int, key: str, what: str, func: Callable[[], Any]) -> Any:
        """Run ``func``; on failure note it under (size, key) and carry on."""
        try:
            return func()
        except Exception as exc:  # a benchmark reports failures, it does not stop at them
            message = f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
            self.res.note(size, key, f"failed ({message[:120]})")
            self.res.problems.append(f"{size:,} contracts, {what}: {message}")
            self.log(f"{what} failed: {message}")
            if os.environ.get("BENCH_DEBUG"):
                traceback.print_exc()
            return None

    def skipped(self, what: str) -> bool:
        return what in self.opts.skip

    def cli_env(self) -> dict[str, str]:
        env = dict(os.environ)
        if self.settings is not None:
            env["NEO4J_URI"] = self.settings.uri
            env["NEO4J_USER"] = self.settings.user
            if self.settings.password is not None:
                env["NEO4J_PASSWORD"] = self.settings.password
            if self.settings.database:
                env["NEO4J_DATABASE"] = self.settings.database
        return env

    # -- set-up and tear-down ----------------------------------------------------------------------

    def setup(self) -> None:
        if self.opts.workdir is None:
            self._tmp = tempfile.TemporaryDirectory(prefix="sourcing-graph-bench-")
            self.workdir = Path(self._tmp.name)
        else:
            self.workdir = self.opts.workdir
            self.workdir.mkdir(parents=True, exist_ok=True)
        from sourcing_graph.ontology.rules import load_rules

        self.rules = load_rules()
        with contextlib.suppress(Exception):
            from sourcing_graph.queries import list_queries

            self.queries = list_queries()
        if self.skipped("neo4j"):
            for name in ("loadcsv", "rdflib"):
                self.opts.skip.add(name)
        else:
            self.connect()
        self.machine = describe_machine(self.store)

    def connect(self) -> None:
        from sourcing_graph.graph.neo4j_store import Neo4jSettings, Neo4jStore

        uri = os.environ.get("NEO4J_URI")
        if not uri:
            self.log("NEO4J_URI is not set: the Neo4j measurements are skipped")
            self.opts.skip.update({"neo4j", "loadcsv", "rdflib"})
            self.res.checks.append("Neo4j: not measured (NEO4J_URI not set)")
            return
        self.settings = Neo4jSettings(
            uri=uri,
            user=os.environ.get("NEO4J_USER", "neo4j"),
            password=os.environ.get("NEO4J_PASSWORD"),
            database=os.environ.get("NEO4J_DATABASE") or None,
        )
        self.store = Neo4jStore.connect(self.settings)
        occupied = self.count(
            "MATCH (n) WHERE n:Contract OR n:Lot OR n:Function OR n:Organisation OR n:Resource "
            "RETURN count(n) AS n"
        )
        if occupied and not self.opts.wipe:
            self.store.close()
            self.store = None
            raise SystemExit(
                f"bench: the database at {uri} already holds {occupied} register or RDF nodes that "
                "this benchmark did not load; use an empty (scratch) database, or --wipe to delete "
                "them"
            )
        if occupied:
            self.log(f"--wipe: deleting {occupied} register/RDF nodes already in the database")
            self.delete_loaded()
        self.start_state = {
            "labels": set(self.column("MATCH (n) UNWIND labels(n) AS l RETURN DISTINCT l AS v")),
            "constraints": set(self.column("SHOW CONSTRAINTS YIELD name RETURN name AS v")),
            "indexes": set(
                self.column("SHOW INDEXES YIELD name, type WHERE type <> 'LOOKUP' RETURN name AS v")
            ),
        }
        self.store.ensure_schema()
        self.find_import_dir()

    def find_import_dir(self) -> None:
        if self.skipped("loadcsv"):
            return
        candidate = self.opts.import_dir
        if candidate is None and os.environ.get("NEO4J_IMPORT_DIR"):
            candidate = Path(os.environ["NEO4J_IMPORT_DIR"])
        if candidate is None:
            with contextlib.suppress(Exception):
                rows = self.store.read(
                    "SHOW SETTINGS YIELD name, value WHERE name = 'server.directories.import' "
                    "RETURN value"
                )
                if rows and rows[0]["value"]:
                    candidate = Path(rows[0]["value"])
        if candidate is None or not candidate.is_dir() or not os.access(candidate, os.W_OK):
            self.log(f"no writable LOAD CSV import directory ({candidate}); baseline skipped")
            self.res.checks.append(
                f"LOAD CSV baseline: not measured (no writable import directory: {candidate})"
            )
            self.opts.skip.add("loadcsv")
            return
        self.import_dir = candidate
        self.import_sub = candidate / f"sourcing-graph-bench-{os.getpid()}"

    def teardown(self) -> None:
        if self.store is not None:
            with contextlib.suppress(Exception):
                self.delete_loaded()
                self.drop_created_schema()
            self.store.close()
        if self.import_sub is not None and self.import_sub.exists():
            shutil.rmtree(self.import_sub, ignore_errors=True)
        if self._tmp is not None:
            self._tmp.cleanup()

    def write(self, cypher: str, params: dict[str, Any] | None = None) -> None:
        """Run one statement in an auto-commit transaction (needed for IN TRANSACTIONS)."""
        with self.store.driver.session(database=self.store.database) as session:
            session.run(cypher, params or {}).consume()

    def column(self, cypher: str) -> list[Any]:
        return [row["v"] for row in self.store.read(cypher)]

    def count(self, cypher: str) -> int:
        return int(self.store.read(cypher)[0]["n"])

    def delete_loaded(self) -> None:
        """Delete the register nodes and the RDF resources (not timed)."""
        for label in (*REGISTER_LABELS, RDFLIB_LABEL):
            self.write(
                f"MATCH (n:{label}) CALL (n) {{ DETACH DELETE n }} IN TRANSACTIONS OF 10000 ROWS"
            )

    def drop_created_schema(self) -> None:
        """Leave the database as found: drop the nodes of new labels, new constraints and indexes."""
        before = self.start_state
        if not before:
            return
        labels = set(self.column("MATCH (n) UNWIND labels(n) AS l RETURN DISTINCT l AS v"))
        for label in sorted(labels - before["labels"]):
            self.write(
                f"MATCH (n:{_cypher_name(label)}) CALL (n) {{ DETACH DELETE n }} "
                "IN TRANSACTIONS OF 10000 ROWS"
            )
        for name in sorted(
            set(self.column("SHOW CONSTRAINTS YIELD name RETURN name AS v")) - before["constraints"]
        ):
            self.write(f"DROP CONSTRAINT {_cypher_name(name)} IF EXISTS")
        for name in sorted(
            set(
                self.column("SHOW INDEXES YIELD name, type WHERE type <> 'LOOKUP' RETURN name AS v")
            )
            - before["indexes"]
        ):
            self.write(f"DROP INDEX {_cypher_name(name)} IF EXISTS")

    # -- graph shape -----------------------------------------------------------------------------

    def shape(self) -> dict[str, Any]:
        """Counts per register label and relationship type, property keys per label."""
        nodes = {
            label: self.count(f"MATCH (n:{label}) RETURN count(n) AS n")
            for label in REGISTER_LABELS
        }
        rels = {
            rel: self.count(f"MATCH ()-[r:{rel}]->() RETURN count(r) AS n") for rel in REGISTER_RELS
        }
        keys = {}
        for label in REGISTER_LABELS:
            rows = self.store.read(
                f"MATCH (n:{label}) UNWIND keys(n) AS k RETURN k, count(*) AS n ORDER BY k"
            )
            keys[label] = {r["k"]: r["n"] for r in rows}
        sample = self.store.read(
            "MATCH (c:Contract) WITH c ORDER BY c.id LIMIT 25 "
            "OPTIONAL MATCH (c)-[r]->(x) WITH c, x, type(r) AS t ORDER BY t, coalesce(x.id, x.key) "
            "RETURN c.id AS id, properties(c) AS props, "
            "collect([t, coalesce(x.id, x.key)]) AS out ORDER BY id"
        )
        return {"nodes": nodes, "rels": rels, "keys": keys, "sample": sample}

    def rows_of(self, shape: dict[str, Any]) -> int:
        return int(sum(shape["nodes"].values()) + sum(shape["rels"].values()))

    # -- one size ----------------------------------------------------------------------------------

    def run(self) -> None:
        for size in self.opts.sizes:
            self.run_size(size)

    def run_size(self, size: int) -> None:
        res = self.res
        self.log(f"== {size:,} contracts")
        folder = self.workdir / f"register-{size}"
        with timer() as t:
            generated = generate(size, self.opts.seed)
            write_register(generated, folder)
        res.add(size, "generate", t[0])
        res.fact(size, "counts", generated.counts())
        res.fact(size, "csv_mb", sum(p.stat().st_size for p in folder.glob("*.csv")) / 1e6)
        del generated

        from sourcing_graph.loaders.csv_reader import read_register

        register = read_register(folder)
        res.fact(size, "warnings", len(register.warnings))

        rdf_triples: list[Any] | None = None
        rdf_prefixes: dict[str, str] = {}
        if not self.skipped("rdflib") and importlib.util.find_spec("rdflib_neo4j") is None:
            res.note(size, "load.rdflib", "not measured (rdflib-neo4j not installed)")
        elif not self.skipped("rdflib") and self.store is not None:
            built = self.attempt(
                size, "rdf.build", "register_to_rdf", lambda: self.build_rdf(size, register)
            )
            if built is not None:
                rdf_triples, rdf_prefixes = built
        if not self.skipped("loadcsv"):
            self.attempt(
                size,
                "load.loadcsv",
                "writing the LOAD CSV files",
                lambda: self.prepare_loadcsv(size, register),
            )

        self.rdflib_spent = 0.0
        for rep in range(self.opts.repeat):
            self.log(f"   repetition {rep + 1}/{self.opts.repeat}")
            self.worker(size, "read", folder)

            if not self.skipped("cli"):
                self.cli(size, "cli.validate", ["validate", str(folder)])
                out = self.workdir / f"analysis-{size}.json"
                self.cli(
                    size,
                    "cli.analyze",
                    [
                        "analyze",
                        str(folder),
                        "--engine",
                        "embedded",
                        "--format",
                        "json",
                        "-o",
                        str(out),
                    ],
                )

            if self.store is not None:
                loaders: list[tuple[str, Callable[[], None]]] = [
                    ("ours", lambda: self.load_ours(size, register))
                ]
                if not self.skipped("loadcsv") and self.res.facts[size].get("loadcsv_ready"):
                    loaders.append(("loadcsv", lambda: self.load_loadcsv(size)))
                if rdf_triples is not None and self.rdflib_allowed(size, rep):
                    loaders.append(
                        (
                            "rdflib",
                            functools.partial(self.load_rdflib, size, rdf_triples, rdf_prefixes),
                        )
                    )
                shift = rep % len(loaders)
                for name, load in loaders[shift:] + loaders[:shift]:
                    self.log(f"      load: {name}")
                    self.attempt(size, f"load.{name}", f"load ({name})", load)
                if not self.skipped("cli"):
                    self.clear()
                    if self.cli(size, "cli.load", ["load", str(folder), "--no-progress"]):
                        self._last_load = "ours"
                        self.replace_loaded(size, folder)
                # the analyses on Neo4j need our register loaded
                loaded = self.attempt(
                    size,
                    "neo.analyze",
                    "re-load for the analyses",
                    lambda: self.ensure_ours(register),
                )
            else:
                loaded = None

            order = ["neo4j", "embedded"] if rep % 2 == 0 else ["embedded", "neo4j"]
            for engine in order:
                if engine == "neo4j" and loaded:
                    self.analyses_neo4j(size, warm_up=rep == 0)
                if engine == "embedded":
                    self.worker(size, "embedded", folder)

            if not self.skipped("views"):
                self.views(size, register, folder, rep)

        if rdf_triples is not None:
            del rdf_triples
        if self.store is not None:
            self.attempt(size, "load.ours", "clean-up", self.clear)
        if self.import_sub is not None and self.import_sub.exists():
            shutil.rmtree(self.import_sub, ignore_errors=True)
        gc.collect()

    # -- pieces ------------------------------------------------------------------------------------

    def cli(self, size: int, key: str, args: list[str]) -> Proc | None:
        proc = run_measured([*_cli(), *args], env=self.cli_env())
        if proc.returncode != 0:
            tail = (proc.stderr.strip().splitlines() or ["(no message)"])[-1]
            self.res.note(size, key, f"failed (exit {proc.returncode}: {tail[:100]})")
            self.res.problems.append(
                f"{size:,} contracts, sourcing-graph {args[0]}: exit {proc.returncode}: {tail}"
            )
            self.log(f"sourcing-graph {args[0]} failed: {tail}")
            return None
        self.res.add(size, key, proc.seconds)
        self._rss(size, key + ".rss", proc)
        return proc

    def clear(self) -> None:
        self.delete_loaded()

    def _rss(self, size: int, key: str, proc: Proc) -> None:
        if proc.peak_rss_mb is None:
            self.res.note(size, key, "not measured (install GNU time or psutil)")
        else:
            self.res.add(size, key, proc.peak_rss_mb)

    def replace_loaded(self, size: int, folder: Path) -> None:
        """``sourcing-graph load`` again, replacing the register it just loaded (one transaction).

        Capped at ``--replace-timeout``; once it ran out at a size, later repetitions skip it.
        """
        key = "cli.replace"
        if self.res.notes.get((size, key), "").startswith("> "):
            return
        cap = self.opts.replace_timeout
        proc = run_measured(
            [*_cli(), "load", str(folder), "--no-progress"], env=self.cli_env(), timeout=cap
        )
        if proc.timed_out:
            self.res.note(size, key, f"> {cap:.0f} s (stopped; not finished)")
            self.log(f"replacing the loaded register: stopped after {cap:.0f} s")
            self._last_load = "unknown"
            self.wait_idle()
            return
        if proc.returncode != 0:
            tail = (proc.stderr.strip().splitlines() or ["(no message)"])[-1]
            self.res.note(size, key, f"failed (exit {proc.returncode}: {tail[:100]})")
            self.res.problems.append(f"{size:,} contracts, replacing load: {tail}")
            return
        self.res.add(size, key, proc.seconds)
        self._rss(size, key + ".rss", proc)

    def wait_idle(self, limit: float = 600) -> None:
        """Wait until no other transaction runs (a stopped load is being rolled back)."""
        deadline = time.perf_counter() + limit
        while time.perf_counter() < deadline:
            rows = self.store.read(
                "SHOW TRANSACTIONS YIELD currentQuery "
                "WHERE NOT currentQuery STARTS WITH 'SHOW TRANSACTIONS' RETURN count(*) AS n"
            )
            if not rows or not rows[0]["n"]:
                return
            time.sleep(1)

    def load_ours(self, size: int, register: Any) -> None:
        self.clear()
        with timer() as t:
            self.store.load_register(register)
        self.res.add(size, "load.ours", t[0])
        self._last_load = "ours"
        shape = self.shape()
        self.res.fact(size, "rows_ours", self.rows_of(shape))
        self.res.fact(size, "shape_ours", shape)
        self.res.fact(size, "loaded", "ours")
        self.compare_shapes(size)

    def ensure_ours(self, register: Any) -> bool:
        """Our register loaded (re-loaded if a baseline ran last), for the Neo4j analyses."""
        current = self.count("MATCH (c:Contract) RETURN count(c) AS n")
        resources = self.count(f"MATCH (r:{RDFLIB_LABEL}) RETURN count(r) AS n")
        if current == len(register.contracts) and not resources and self._last_load == "ours":
            return True
        self.clear()
        self.store.load_register(register)
        self._last_load = "ours"
        return True

    _last_load = ""

    def prepare_loadcsv(self, size: int, register: Any) -> None:
        assert self.import_sub is not None
        folder = self.import_sub / f"n{size}"
        with timer() as t:
            extra = write_loadcsv_files(register, folder)
        self.res.add(size, "loadcsv.files", t[0])
        prefix = f"{self.import_sub.name}/{folder.name}"
        self.res.fact(size, "loadcsv_statements", loadcsv_statements(prefix, extra))
        self.res.fact(size, "loadcsv_ready", True)

    def load_loadcsv(self, size: int) -> None:
        self.clear()
        statements = self.res.facts[size]["loadcsv_statements"]
        with timer() as t:
            for _, cypher in statements:
                self.write(cypher)
        self.res.add(size, "load.loadcsv", t[0])
        self._last_load = "loadcsv"
        shape = self.shape()
        self.res.fact(size, "rows_loadcsv", self.rows_of(shape))
        self.res.fact(size, "shape_loadcsv", shape)
        self.compare_shapes(size)

    def compare_shapes(self, size: int) -> None:
        facts = self.res.facts[size]
        ours, theirs = facts.get("shape_ours"), facts.get("shape_loadcsv")
        if ours is None or theirs is None or facts.get("shape_checked"):
            return
        facts["shape_checked"] = True
        differences = [
            part for part in ("nodes", "rels", "keys", "sample") if ours[part] != theirs[part]
        ]
        if differences:
            detail = "; ".join(
                f"{p}: ours {ours[p]} vs LOAD CSV {theirs[p]}" for p in differences[:2]
            )
            self.res.checks.append(
                f"✘ {size:,} contracts: the LOAD CSV graph differs from ours in {', '.join(differences)} "
                f"({detail[:600]})"
            )
        else:
            labels = ", ".join(f"{k} {v:,}" for k, v in ours["nodes"].items())
            rels = ", ".join(f"{k} {v:,}" for k, v in ours["rels"].items())
            self.res.checks.append(
                f"✔ {size:,} contracts: LOAD CSV wrote the same graph as our loader "
                f"(nodes: {labels}; relationships: {rels}; the same property keys per label; "
                "25 sample contracts identical property by property and edge by edge)"
            )

    # -- rdflib-neo4j --------------------------------------------------------------------------------

    def build_rdf(self, size: int, register: Any) -> tuple[list[Any], dict[str, str]]:
        """The instance triples of the register, grouped by subject (built outside the timing)."""
        from rdflib import RDF, URIRef

        from sourcing_graph.loaders.rdf import register_to_rdf

        with timer() as t:
            graph = register_to_rdf(register)
        self.res.add(size, "rdf.build", t[0])
        triples = sorted(graph, key=lambda spo: str(spo[0]))
        # every namespace used for a predicate or a class needs a prefix (SHORTEN, the default)
        known = {str(ns): prefix for prefix, ns in graph.namespaces()}
        from rdflib_neo4j.config.const import DEFAULT_PREFIXES

        defaults = set(DEFAULT_PREFIXES.values())
        prefixes: dict[str, str] = {}
        used: set[str] = set()
        for _, p, o in triples:
            used.add(_namespace(str(p)))
            if p == RDF.type and isinstance(o, URIRef):
                used.add(_namespace(str(o)))
        taken = set(DEFAULT_PREFIXES)
        for ns in sorted(used - defaults):
            prefix = known.get(ns) or f"ns{len(prefixes)}"
            while prefix in taken or not prefix:
                prefix = f"ns{len(prefixes)}_{len(taken)}"
            taken.add(prefix)
            prefixes[prefix] = ns
        self.res.fact(size, "triples", len(triples))
        del graph
        return triples, prefixes

    def rdflib_allowed(self, size: int, rep: int) -> bool:
        """Always the first repetition; later ones while the size's rdflib budget lasts."""
        if rep == 0:
            return True
        if self.res.notes.get((size, "load.rdflib"), "").startswith("extrapolated"):
            return False
        return self.rdflib_spent < self.opts.rdflib_budget

    def load_rdflib(self, size: int, triples: list[Any], prefixes: dict[str, str]) -> None:
        from rdflib import Graph, Namespace
        from rdflib_neo4j import HANDLE_VOCAB_URI_STRATEGY, Neo4jStore, Neo4jStoreConfig

        self.clear()
        # the constraint rdflib-neo4j's documentation asks for, created before the timing
        self.write(
            "CREATE CONSTRAINT n10s_unique_uri IF NOT EXISTS FOR (r:Resource) REQUIRE r.uri IS UNIQUE"
        )
        config = Neo4jStoreConfig(
            custom_prefixes={p: Namespace(ns) for p, ns in prefixes.items()},
            handle_vocab_uri_strategy=HANDLE_VOCAB_URI_STRATEGY.SHORTEN,
            batching=True,
        )
        driver = _DatabaseDriver(self.store.driver, self.store.database)
        total = len(triples)
        cap = self.opts.rdflib_timeout
        done = 0
        capped = False
        sink = io.StringIO()
        with contextlib.redirect_stdout(sink), timer() as t:
            start = time.perf_counter()
            rdf = Graph(store=Neo4jStore(config=config, neo4j_driver=driver))
            for triple in triples:
                rdf.add(triple)
                done += 1
                if done % 5000 == 0 and time.perf_counter() - start > cap:
                    capped = True
                    break
            rdf.close(True)
        elapsed = t[0]
        self.rdflib_spent += elapsed
        self._last_load = "rdflib"
        nodes = self.count(f"MATCH (r:{RDFLIB_LABEL}) RETURN count(r) AS n")
        rels = self.count(f"MATCH (:{RDFLIB_LABEL})-[r]->(:{RDFLIB_LABEL}) RETURN count(r) AS n")
        if capped:
            fraction = done / total
            estimate = elapsed / fraction
            self.res.add(size, "load.rdflib", estimate)
            self.res.note(
                size,
                "load.rdflib",
                f"extrapolated: stopped after {elapsed:.0f} s at {fraction:.0%} of the triples "
                f"({done:,} of {total:,}); {elapsed:.0f} s / {fraction:.2f}",
            )
            self.res.fact(size, "rows_rdflib", round((nodes + rels) / fraction))
        else:
            self.res.add(size, "load.rdflib", elapsed)
            self.res.fact(size, "rows_rdflib", nodes + rels)
        self.res.fact(size, "rdflib_nodes", nodes)
        self.res.fact(size, "rdflib_rels", rels)
        self.clear()

    # -- analyses ----------------------------------------------------------------------------------

    def analyses_neo4j(self, size: int, warm_up: bool = False) -> None:
        from sourcing_graph.graph.analyses import Neo4jEngine, analyze

        ids = self.sample_ids()
        if warm_up:  # plan every query once (Neo4j caches plans), untimed
            for query in self.queries:
                params = _bind(query, ids)
                if params is not None:
                    with contextlib.suppress(Exception):
                        self.store.read(query.text, params)
        for query in self.queries:
            key = f"neo.{query.name}"
            params = _bind(query, ids)
            if params is None:
                self.res.note(size, key, "not run (needs a parameter the benchmark cannot supply)")
                continue

            def run(q: Any = query, p: dict[str, Any] = params, k: str = key) -> None:
                with timer() as t:
                    self.store.read(q.text, p)
                self.res.add(size, k, t[0])

            self.attempt(size, key, f"query {query.name} on Neo4j", run)

        def all_seven() -> None:
            with timer() as t:
                analyze(None, None, engine=Neo4jEngine(self.store))
            self.res.add(size, "neo.analyze", t[0])

        self.attempt(size, "neo.analyze", "analyze() on Neo4j", all_seven)

    def sample_ids(self) -> dict[str, str]:
        rows = self.store.read(
            "CALL () { MATCH (c:Contract)-[:SUPPLIED_BY]->(s:Organisation) WHERE NOT s.internal "
            "RETURN s.id AS supplier, c.id AS contract ORDER BY c.id LIMIT 1 } "
            "CALL () { MATCH (l:Lot) RETURN l.id AS lot ORDER BY l.id LIMIT 1 } "
            "CALL () { MATCH (f:Function) RETURN f.id AS function ORDER BY f.id LIMIT 1 } "
            "RETURN supplier, contract, lot, function"
        )
        found = dict(rows[0]) if rows else {}
        found["prime_contractor"] = "own-it"
        return {k: v for k, v in found.items() if v is not None}

    def worker(self, size: int, task: str, folder: Path) -> None:
        """Run :func:`worker` in a fresh interpreter (a clean heap, as a user's process has)."""
        key = "read" if task == "read" else "emb.analyze"
        cmd = [
            sys.executable,
            "-c",
            f"from bench.run import worker; worker({task!r}, {str(folder)!r})",
        ]
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
        proc = run_measured(cmd, env=env)
        if proc.returncode != 0:
            tail = (proc.stderr.strip().splitlines() or ["(no message)"])[-1]
            self.res.note(size, key, f"failed ({tail[:120]})")
            self.res.problems.append(f"{size:,} contracts, {task} worker: {tail}")
            self.log(f"{task} worker failed: {tail}")
            return
        result = json.loads(proc.stdout.strip().splitlines()[-1])
        for name, seconds in result.get("seconds", {}).items():
            self.res.add(size, name, seconds)
        for name, text in result.get("failed", {}).items():
            self.res.note(size, name, f"failed ({text[:120]})")
            self.res.problems.append(f"{size:,} contracts, {name}: {text}")
        if task == "read":
            self._rss(size, "read.rss", proc)

    # -- views -------------------------------------------------------------------------------------

    def views(self, size: int, register: Any, folder: Path, rep: int) -> None:
        try:
            from sourcing_graph.views.network import build_view
        except ImportError:
            self.res.note(size, "view.build", "not measured (views/network.py missing)")
            return
        from sourcing_graph.graph.analyses import analyze

        html = self.workdir / f"view-{size}.html"

        def build() -> None:
            result = analyze(register, self.rules)
            with timer() as t:
                build_view(register, self.rules, result).save(html)
            self.res.add(size, "view.build", t[0])
            self.res.fact(size, "view_mb", html.stat().st_size / 1e6)

        self.attempt(size, "view.build", "build_view", build)
        if not self.skipped("cli"):
            # embedded: with NEO4J_URI set, ``view`` would otherwise load the register into Neo4j
            self.cli(
                size,
                "cli.view",
                [
                    "view",
                    str(folder),
                    "--engine",
                    "embedded",
                    "-o",
                    str(self.workdir / f"cli-view-{size}.html"),
                ],
            )
        if self.skipped("browser"):
            self.res.note(size, "view.tti", "not measured (--skip browser)")
            return
        if not Path(CHROMIUM).exists():
            self.res.note(size, "view.tti", "not measured (chromium missing)")
            return
        if importlib.util.find_spec("playwright") is None:
            self.res.note(size, "view.tti", "not measured (playwright missing)")
            return
        if not html.exists():
            return
        if self.res.notes.get((size, "view.tti"), "").startswith("> "):
            return  # timed out once at this size: do not wait again

        def browse() -> None:
            marks = browser_time_to_interactive(html, self.opts.browser_timeout)
            if marks["timeout"] is not None:
                self.res.note(
                    size, "view.tti", f"> {marks['timeout']:.0f} s (not interactive in time)"
                )
                return
            if marks["interactive_ms"] is not None:
                self.res.add(size, "view.tti", marks["interactive_ms"] / 1000)
            if marks["ready_ms"] is not None:
                self.res.add(size, "view.ready", marks["ready_ms"] / 1000)
            else:
                self.res.note(size, "view.ready", "window.sourcingGraph.ready not seen")

        self.attempt(size, "view.tti", "the view in Chromium", browse)


class _DatabaseDriver:
    """A driver whose sessions open on a given database (rdflib-neo4j opens the default one)."""

    def __init__(self, driver: Any, database: str | None) -> None:
        self._driver = driver
        self._database = database

    def session(self, **kwargs: Any) -> Any:
        if self._database:
            kwargs.setdefault("database", self._database)
        return self._driver.session(**kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._driver, name)


def _namespace(iri: str) -> str:
    cut = max(iri.rfind("#"), iri.rfind("/"))
    return iri[: cut + 1]


def _bind(query: Any, ids: dict[str, str]) -> dict[str, Any] | None:
    """Parameters for a named query: optional ones null, required ones a sample identifier."""
    params: dict[str, Any] = {}
    for p in query.params:
        if p.optional:
            params[p.name] = None
            continue
        snake = re.sub(r"(?<!^)(?=[A-Z])", "_", p.name).lower()
        value = ids.get(snake) or ids.get(snake.removesuffix("_id"))
        if value is None:
            return None
        params[p.name] = value
    return params


def worker(task: str, folder: str) -> None:
    """Measurements that run in a fresh interpreter; prints one JSON line.

    ``read``: ``read_register``. ``embedded``: read (not timed), ``to_networkx`` once, ``prepare``,
    every embedded analysis and helper on the pre-built graph, and ``analyze`` (all seven,
    graph build included).
    """
    from sourcing_graph.loaders.csv_reader import read_register

    seconds: dict[str, float] = {}
    failed: dict[str, str] = {}
    if task == "read":
        with timer() as t:
            read_register(folder)
        seconds["read"] = t[0]
    elif task == "embedded":
        from sourcing_graph.graph import embedded
        from sourcing_graph.graph.analyses import ANALYSES, HELPERS, analyze
        from sourcing_graph.graph.embedded import to_networkx
        from sourcing_graph.ontology.rules import load_rules

        rules = load_rules()
        register = read_register(folder)
        with timer() as t:
            graph = to_networkx(register)
        seconds["emb.build"] = t[0]
        with timer() as t:
            embedded.prepare(graph, rules)
        seconds["emb.prepare"] = t[0]
        for analysis in [*ANALYSES.values(), *HELPERS.values()]:
            key = f"emb.{analysis.query_name}"
            try:
                with timer() as t:
                    embedded.FUNCTIONS[analysis.key](graph, rules)
                seconds[key] = t[0]
            except Exception as exc:
                failed[key] = f"{type(exc).__name__}: {exc}"
        del graph
        with timer() as t:
            analyze(register, rules)
        seconds["emb.analyze"] = t[0]
    else:
        raise SystemExit(f"unknown worker task {task!r}")
    print(json.dumps({"seconds": seconds, "failed": failed}))


# =============================================================================================
# the machine
# =============================================================================================


def _first_line(cmd: list[str]) -> str:
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return "not found"
    text = (proc.stdout or "") + (proc.stderr or "")
    return text.strip().splitlines()[0] if text.strip() else "unknown"


def describe_machine(store: Any) -> dict[str, str]:
    cpu = "unknown"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    ram = "unknown"
    with contextlib.suppress(OSError, ValueError, IndexError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                ram = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                break
    os_name = platform.platform()
    with contextlib.suppress(OSError):
        for line in Path("/etc/os-release").read_text().splitlines():
            if line.startswith("PRETTY_NAME="):
                os_name = f"{line.split('=', 1)[1].strip(chr(34))} (kernel {platform.release()})"
    neo4j = "not connected"
    if store is not None:
        with contextlib.suppress(Exception):
            rows = store.read("CALL dbms.components() YIELD name, versions, edition RETURN *")
            neo4j = ", ".join(f"{r['name']} {r['versions'][0]} {r['edition']}" for r in rows)
            settings = store.read(
                "SHOW SETTINGS YIELD name, value WHERE name = 'server.memory.pagecache.size' "
                "RETURN value"
            )
            extra = [f"page cache {settings[0]['value']}"] if settings else []
            with contextlib.suppress(Exception):
                heap = store.read(
                    "CALL dbms.queryJmx('java.lang:type=Memory') YIELD attributes "
                    "RETURN attributes.HeapMemoryUsage.value.properties.max AS max"
                )
                if heap and heap[0]["max"]:
                    extra.append(f"heap {heap[0]['max'] / 2**30:.1f} GiB")
            if extra:
                neo4j += " (" + ", ".join(extra) + ")"
    try:
        from importlib.metadata import version

        libraries = ", ".join(
            f"{name} {version(name)}"
            for name in (
                "neo4j",
                "neo4j-rust-ext",
                "rdflib",
                "rdflib-neo4j",
                "networkx",
                "playwright",
            )
            if _has_dist(name)
        )
    except Exception:
        libraries = "unknown"
    chromium = _first_line([CHROMIUM, "--version"]) if Path(CHROMIUM).exists() else "missing"
    return {
        "CPU": f"{cpu}, {os.cpu_count()} logical cores",
        "RAM": ram,
        "OS": os_name,
        "Python": f"{platform.python_implementation()} {platform.python_version()}",
        "Java": _first_line(["java", "-version"]),
        "Neo4j": neo4j,
        "Libraries": libraries,
        "Chromium": chromium,
        "Date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "Load average at the start": _load_average(),
    }


def _load_average() -> str:
    try:
        one, five, fifteen = os.getloadavg()
    except OSError:
        return "unknown"
    return f"{one:.2f} / {five:.2f} / {fifteen:.2f} (1 / 5 / 15 min)"


def _has_dist(name: str) -> bool:
    from importlib.metadata import PackageNotFoundError, version

    try:
        version(name)
    except PackageNotFoundError:
        return False
    return True


# =============================================================================================
# the report
# =============================================================================================


def _size_name(n: int) -> str:
    if n >= 1000 and n % 1000 == 0:
        return f"{n // 1000}k"
    return f"{n:,}"


def _fmt(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "s":
        if value < 0.01:
            return f"{value * 1000:.2f} ms"
        if value < 1:
            return f"{value * 1000:.0f} ms"
        if value < 100:
            return f"{value:.2f} s"
        return f"{value:.0f} s"
    if unit == "MB":
        return f"{value:,.0f} MB"
    if unit == "rate":
        return f"{value:,.0f}/s"
    if unit == "x":
        return f"{value:.2f}×"
    if unit == "n":
        return f"{value:,.0f}"
    return str(value)


def table_rows(res: Results, queries: list[Any]) -> list[tuple[str, list[Row]]]:
    """The sections of the table, in order."""
    analysis_rows: list[Row] = []
    names: list[str] = []
    with contextlib.suppress(Exception):
        from sourcing_graph.graph.analyses import ANALYSES, HELPERS

        for a in [*ANALYSES.values(), *HELPERS.values()]:
            names.append(a.query_name)
    for q in queries:
        if q.name not in names:
            names.append(q.name)
    rules = {}
    with contextlib.suppress(Exception):
        from sourcing_graph.graph.analyses import lookup

        for name in names:
            with contextlib.suppress(Exception):
                rules[name] = lookup(name).rule
    for name in names:
        tag = f"{rules[name]} " if rules.get(name) else ""
        analysis_rows.append(Row(f"neo.{name}", f"{tag}{name}: Neo4j (named query)", "s"))
        if name in rules:
            analysis_rows.append(
                Row(f"emb.{name}", f"{tag}{name}: embedded (graph pre-built)", "s")
            )

    return [
        (
            "Register",
            [
                Row("facts.contracts", "contracts", "n"),
                Row("facts.lots", "lots / organisations / functions / dependencies", "text"),
                Row("facts.csv_mb", "CSV files", "MB"),
                Row("facts.rows_ours", "Neo4j rows written (nodes + relationships)", "n"),
                Row("facts.triples", "RDF triples (register_to_rdf)", "n"),
                Row("generate", "generate + write the CSV files (not a goal)", "s"),
            ],
        ),
        (
            "Reading and validating",
            [
                Row("read", "`read_register` (fresh process, imports excluded)", "s"),
                Row("read.rss", "`read_register` process: peak RSS", "MB"),
                Row("cli.validate", "`sourcing-graph validate`: wall", "s"),
                Row("cli.validate.rss", "`sourcing-graph validate`: peak RSS", "MB"),
            ],
        ),
        (
            "Loading into Neo4j (from an empty register)",
            [
                Row("load.ours", "ours: `Neo4jStore.load_register`", "s"),
                Row("rate.ours", "ours: rows/s", "rate", _rate("rows_ours", "load.ours")),
                Row("load.loadcsv", "baseline: `LOAD CSV` (Cypher only)", "s"),
                Row(
                    "rate.loadcsv",
                    "baseline `LOAD CSV`: rows/s",
                    "rate",
                    _rate("rows_loadcsv", "load.loadcsv"),
                ),
                Row(
                    "ratio.ours_loadcsv",
                    "ratio ours / `LOAD CSV`",
                    "x",
                    _ratio("load.ours", "load.loadcsv"),
                ),
                Row("load.rdflib", "baseline: rdflib-neo4j (triples → `Resource` nodes)", "s"),
                Row(
                    "rate.rdflib",
                    "rdflib-neo4j: rows/s",
                    "rate",
                    _rate("rows_rdflib", "load.rdflib"),
                ),
                Row(
                    "ratio.rdflib_ours",
                    "ratio rdflib-neo4j / ours",
                    "x",
                    _ratio("load.rdflib", "load.ours"),
                ),
                Row(
                    "ratio.rdflib_loadcsv",
                    "ratio rdflib-neo4j / `LOAD CSV` (context)",
                    "x",
                    _ratio("load.rdflib", "load.loadcsv"),
                ),
                Row("rdf.build", "register_to_rdf (outside the rdflib-neo4j time)", "s"),
                Row("cli.load", "`sourcing-graph load` end to end: wall", "s"),
                Row("cli.load.rss", "`sourcing-graph load`: peak RSS", "MB"),
                Row(
                    "cli.replace",
                    "`sourcing-graph load` again, replacing the loaded register: wall",
                    "s",
                ),
            ],
        ),
        (
            "Analyses",
            [
                Row(
                    "emb.build",
                    "embedded: graph build `to_networkx` (once, not in the rows below)",
                    "s",
                ),
                Row(
                    "emb.prepare",
                    "embedded: `prepare` (R1/R2 context; each row below includes it)",
                    "s",
                ),
                *analysis_rows,
                Row("neo.analyze", "`analyze()` on Neo4j, all seven (in-process)", "s"),
                Row(
                    "emb.analyze",
                    "`analyze()` embedded, all seven incl. graph build (fresh process)",
                    "s",
                ),
                Row(
                    "cli.analyze",
                    "`sourcing-graph analyze --engine embedded --format json`: wall",
                    "s",
                ),
                Row(
                    "cli.analyze.rss", "`sourcing-graph analyze --engine embedded`: peak RSS", "MB"
                ),
            ],
        ),
        (
            "Views",
            [
                Row("view.build", "`build_view(...).save()` (in-process)", "s"),
                Row("facts.view_mb", "HTML file", "MB"),
                Row("cli.view", "`sourcing-graph view --engine embedded`: wall", "s"),
                Row("cli.view.rss", "`sourcing-graph view --engine embedded`: peak RSS", "MB"),
                Row("view.tti", "Chromium: time to interactive (first draw or stabilised)", "s"),
                Row(
                    "view.ready",
                    "Chromium: until `window.sourcingGraph.ready` (laid out, drawn)",
                    "s",
                ),
            ],
        ),
    ]


def _cell(res: Results, row: Row, size: int) -> str:
    facts = res.facts.get(size, {})
    if row.key.startswith("facts."):
        name = row.key.split(".", 1)[1]
        counts = facts.get("counts") or {}
        if name == "contracts":
            return _fmt(counts.get("contracts"), "n")
        if name == "lots":
            if not counts:
                return "—"
            return " / ".join(
                f"{counts.get(k, 0):,}"
                for k in ("lots", "organisations", "functions", "dependencies")
            )
        value = facts.get(name)
        text = _fmt(value, row.unit) if value is not None else "—"
        if name == "triples" and facts.get("rdflib_nodes") is not None:
            text += f" → {facts['rdflib_nodes']:,} nodes, {facts['rdflib_rels']:,} rels"
        return text
    value = row.derived(res, size) if row.derived else res.median(size, row.key)
    text = _fmt(value, row.unit)
    n = res.count(size, row.key) if not row.derived else 0
    if value is not None and n and n < res.repeat and row.unit in ("s", "MB"):
        text += f" (n={n})"
    note = res.notes.get((size, row.key))
    if note is None and row.derived is not None:
        parts = [
            k
            for k in ("load.rdflib",)
            if row.key in ("rate.rdflib", "ratio.rdflib_ours", "ratio.rdflib_loadcsv")
        ]
        for k in parts:
            if res.notes.get((size, k), "").startswith("extrapolated"):
                note = "from the extrapolated rdflib-neo4j time"
    if note:
        text = f"{text} — {note}" if value is not None else note
    return text


def render_table(res: Results, queries: list[Any]) -> str:
    sizes = res.sizes
    header = "| measure | " + " | ".join(f"{_size_name(s)}" for s in sizes) + " |"
    lines = [header, "|---|" + "---:|" * len(sizes)]
    for section, rows in table_rows(res, queries):
        lines.append(f"| **{section}** |" + " |" * len(sizes))
        for row in rows:
            cells = [_cell(res, row, s) for s in sizes]
            if all(c == "—" for c in cells) and not row.key.startswith("facts."):
                continue
            lines.append(f"| {row.label} | " + " | ".join(cells) + " |")
    lines.extend(growth_rows(res))
    return "\n".join(lines)


def _growth_pairs(res: Results) -> list[tuple[int, int]]:
    sizes = sorted(res.sizes)
    return [(a, b) for a, b in zip(sizes, sizes[1:], strict=False) if a > 0]


GROWTH_KEYS = (
    ("read", "read_register"),
    ("cli.validate", "`sourcing-graph validate`"),
    ("load.ours", "our load"),
    ("load.loadcsv", "`LOAD CSV` (reference)"),
)


def growth_rows(res: Results) -> list[str]:
    pairs = _growth_pairs(res)
    if not pairs:
        return []
    width = len(res.sizes)
    lines = ["| **Growth (time at a size / time at the size before)** |" + " |" * width]
    for key, label in GROWTH_KEYS:
        cells = []
        for size in res.sizes:
            pair = next((p for p in pairs if p[1] == size), None)
            if pair is None:
                cells.append("—")
                continue
            a, b = res.median(pair[0], key), res.median(pair[1], key)
            if a and b:
                cells.append(f"{b / a:.1f}× for {pair[1] / pair[0]:.0f}× the size")
            else:
                cells.append("—")
        if any(c != "—" for c in cells):
            lines.append(f"| {label} | " + " | ".join(cells) + " |")
    return lines


@dataclass
class Goal:
    text: str
    ok: bool | None
    detail: str


def _analysis_names() -> tuple[list[str], list[str]]:
    """The seven analyses of the result and the helper queries (R1, R2), by query name."""
    try:
        from sourcing_graph.graph.analyses import ANALYSES, HELPERS
    except ImportError:
        return [], []
    return [a.query_name for a in ANALYSES.values()], [a.query_name for a in HELPERS.values()]


def _per_analysis_goal(
    res: Results, big: int, at: str, engine: str, prefix: str, limit: float
) -> Goal:
    """Each of the seven analyses under ``limit`` seconds; the helpers and other queries are
    reported beside the verdict, not counted in it."""
    text = (
        f"each analysis < {limit:.0f} s {'on Neo4j' if engine == 'Neo4j' else 'embedded'} at 100k"
    )
    analyses, helpers = _analysis_names()
    times: dict[str, float] = {}
    for s, k in res.samples:
        if (
            s == big
            and k.startswith(prefix + ".")
            and k.split(".", 1)[1] not in ("build", "prepare", "analyze")
        ):
            value = res.median(big, k)
            if value is not None:
                times[k.split(".", 1)[1]] = value
    counted = {k: v for k, v in times.items() if k in analyses} if analyses else times
    if not counted:
        return Goal(text, None, f"not measured{at}")
    worst = max(counted, key=lambda k: counted[k])
    slow = sorted(k for k, v in counted.items() if v >= limit)
    detail = f"slowest of the seven: {worst} {_fmt(counted[worst], 's')}"
    if slow:
        detail += f"; over {limit:.0f} s: " + ", ".join(
            f"{k} ({_fmt(counted[k], 's')})" for k in slow
        )
        detail += f" — {counted[worst] / limit:.2f}× over"
    else:
        detail += f" — {limit / counted[worst]:.1f}× under"
    others = {k: v for k, v in times.items() if k not in counted}
    if others:
        detail += (
            "; not counted (R1/R2 helpers and other named queries, per-contract listings): "
            + ", ".join(
                f"{k} {_fmt(v, 's')}" + (" ✘" if v >= limit else "")
                for k, v in sorted(others.items())
            )
        )
    if prefix == "emb":
        detail += f"; graph pre-built (build {_fmt(res.median(big, 'emb.build'), 's')}, once)"
    return Goal(text, not slow, detail + at)


def evaluate_goals(res: Results, queries: list[Any]) -> list[Goal]:
    goals: list[Goal] = []
    big = GOAL_SIZE if GOAL_SIZE in res.sizes else max(res.sizes)
    at = "" if big == GOAL_SIZE else f" (evaluated at {big:,}: the goal is for {GOAL_SIZE:,})"

    def goal(
        text: str,
        value: float | None,
        limit: float,
        fmt: Callable[[float], str],
        unit_note: str = "",
    ) -> None:
        if value is None:
            goals.append(Goal(text, None, f"not measured{at}"))
            return
        ok = value <= limit
        margin = (limit / value) if ok and value else (value / limit)
        how = f"{margin:.2f}× under the limit" if ok else f"{margin:.2f}× over the limit"
        goals.append(Goal(text, ok, f"{fmt(value)} vs ≤ {fmt(limit)}: {how}{unit_note}{at}"))

    ratio = _ratio("load.ours", "load.loadcsv")(res, big)
    goal("our load ≤ 1.5× LOAD CSV at 100k", ratio, 1.5, lambda v: f"{v:.2f}×")

    speed = _ratio("load.rdflib", "load.ours")(res, big)
    if speed is None:
        goals.append(Goal("≥ 10× faster than rdflib-neo4j", None, f"not measured{at}"))
    else:
        ok = speed >= 10
        note = (
            " (rdflib-neo4j time extrapolated)"
            if res.notes.get((big, "load.rdflib"), "").startswith("extrapolated")
            else ""
        )
        others = ", ".join(
            f"{_size_name(s)}: {v:.1f}×"
            for s in res.sizes
            if s != big and (v := _ratio("load.rdflib", "load.ours")(res, s)) is not None
        )
        goals.append(
            Goal(
                "≥ 10× faster than rdflib-neo4j",
                ok,
                f"{speed:.1f}× faster{note}; {'met' if ok else 'missed'}: {speed / 10:.2f}× of the target"
                + (f" (other sizes: {others})" if others else "")
                + (
                    f"; for scale, the hand-written `LOAD CSV` is {context:.1f}× faster than rdflib-neo4j"
                    if (context := _ratio("load.rdflib", "load.loadcsv")(res, big)) is not None
                    else ""
                )
                + at,
            )
        )

    for engine, prefix, limit in (("Neo4j", "neo", 1.0), ("embedded", "emb", 2.0)):
        goals.append(_per_analysis_goal(res, big, at, engine, prefix, limit))

    goal(
        "analyze embedded at 100k < 30 s end to end",
        res.median(big, "cli.analyze"),
        30,
        lambda v: _fmt(v, "s"),
    )
    goal(
        "analyze embedded at 100k: peak RSS < 2 GB",
        res.median(big, "cli.analyze.rss"),
        2048,
        lambda v: _fmt(v, "MB"),
    )

    pairs = _growth_pairs(res)
    pair = next((p for p in pairs if p == (10_000, 100_000)), pairs[-1] if pairs else None)
    for key, label in GROWTH_KEYS[:3]:
        text = f"100k run ≤ 12× the 10k run: {label}"
        if pair is None:
            goals.append(Goal(text, None, "not evaluated (needs two sizes)"))
            continue
        a, b = res.median(pair[0], key), res.median(pair[1], key)
        limit = 1.2 * pair[1] / pair[0]
        where = (
            ""
            if pair == (10_000, 100_000)
            else f" (evaluated {_size_name(pair[1])} / {_size_name(pair[0])}: limit 1.2 × the size ratio)"
        )
        if a is None or b is None or not a:
            goals.append(Goal(text, None, "not measured" + where))
            continue
        growth = b / a
        ok = growth <= limit
        goals.append(
            Goal(
                text,
                ok,
                f"{growth:.1f}× ({_fmt(a, 's')} → {_fmt(b, 's')}) vs ≤ {limit:.0f}×: "
                + (f"{limit / growth:.2f}× under" if ok else f"{growth / limit:.2f}× over")
                + where,
            )
        )
    return goals


def render_report(bench: Benchmark, table: str, goals: list[Goal], elapsed: float) -> str:
    res = bench.res
    mark = {True: "✔", False: "✘", None: "–"}
    lines = [
        "# Benchmarks",
        "",
        "Written by `python -m bench.run` (see `bench/README.md` for what each row means). "
        "Do not edit by hand: run the benchmark again.",
        "",
        "## Machine",
        "",
        *(f"- **{k}**: {v}" for k, v in bench.machine.items()),
        "",
        "## Command",
        "",
        "```",
        "python -m bench.run " + " ".join(bench.opts.argv),
        "```",
        "",
        f"Sizes: {', '.join(f'{s:,}' for s in res.sizes)} contracts (generated, seed "
        f"{bench.opts.seed}); {res.repeat} repetition(s) per size, medians shown (`n=` marks a "
        "cell with fewer samples). In every repetition our load, `LOAD CSV` and rdflib-neo4j run "
        "one after the other in an order that rotates, each from an empty register; the embedded "
        "and Neo4j analyses alternate the same way. Wall time of the whole run: "
        f"{elapsed / 60:.1f} min.",
        "",
        "## Results",
        "",
        table,
        "",
        "## Goals",
        "",
        *(f"- {mark[g.ok]} **{g.text}** — {g.detail}" for g in goals),
        "",
        "## Checks and notes",
        "",
    ]
    checks = list(res.checks)
    for size in res.sizes:
        note = res.notes.get((size, "load.rdflib"))
        if note and note.startswith("extrapolated"):
            checks.append(
                f"rdflib-neo4j at {size:,} contracts was **extrapolated**, not measured to the end: "
                f"{note}. Its MERGE cost grows with the database, so the true time is likely higher."
            )
        runs = res.count(size, "load.rdflib")
        if runs and runs < res.repeat and not (note or "").startswith("extrapolated"):
            checks.append(
                f"rdflib-neo4j at {size:,} contracts ran {runs} time(s) (its time budget per size is "
                f"{bench.opts.rdflib_budget:.0f} s; a later repetition starts only while it lasts)."
            )
    for size in res.sizes:
        note = res.notes.get((size, "cli.replace"), "")
        if note.startswith("> "):
            fresh = res.median(size, "cli.load")
            checks.append(
                f"✘ Replacing a loaded register of {size:,} contracts with `sourcing-graph load` "
                f"did not finish in {bench.opts.replace_timeout:.0f} s"
                + (f" (into an empty register: {_fmt(fresh, 's')})" if fresh else "")
                + ". The old register is deleted and the new one written in one transaction; "
                "after a large delete, every index operation later in that transaction gets "
                "slower in proportion to the nodes deleted, so the replacement grows "
                "quadratically. Not a goal of this benchmark, but a limit users meet."
            )
    checks.append(
        "Peak RSS is the maximum resident set size of each process as GNU time reports it (`%M`), "
        "Python start-up and imports included."
        if os.access(TIME_BIN, os.X_OK)
        else "Peak RSS is polled with psutil every 5 ms (GNU time is not installed): a short peak "
        "can be missed."
    )
    checks.append(
        "Neo4j query times are medians of warm runs (the first run of a query plans it); the "
        "embedded rows call each analysis function on the pre-built networkx graph, so each "
        "includes its own `prepare` (R1/R2) pass."
    )
    lines.extend(f"- {c}" for c in checks)
    if res.problems:
        lines += ["", "## Problems", ""]
        lines.extend(f"- {p}" for p in res.problems)
    return "\n".join(lines) + "\n"


# =============================================================================================
# the command
# =============================================================================================


def parse_args(argv: list[str]) -> Options:
    parser = argparse.ArgumentParser(
        prog="python -m bench.run",
        description="Benchmark sourcing-graph against LOAD CSV and rdflib-neo4j at several sizes.",
    )
    parser.add_argument(
        "--sizes", default=None, help="contract counts, comma-separated (default 1000,10000,100000)"
    )
    parser.add_argument("--repeat", type=int, default=None, help="repetitions per size (default 3)")
    parser.add_argument(
        "--out", type=Path, default=ROOT / "docs" / "benchmarks.md", help="report file"
    )
    parser.add_argument("--skip", default="", help=f"comma-separated: {', '.join(SKIPPABLE)}")
    parser.add_argument(
        "--quick",
        action="store_true",
        help="1 repetition, sizes 1000,10000 unless given; rdflib and the replacing load capped "
        "at 60 s, the browser at 30 s",
    )
    parser.add_argument(
        "--wipe",
        action="store_true",
        help="delete register and RDF nodes already in the database (otherwise it refuses)",
    )
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument(
        "--workdir", type=Path, help="keep generated files here (default: a temp dir)"
    )
    parser.add_argument(
        "--rdflib-timeout",
        type=float,
        default=None,
        help="stop one rdflib-neo4j run after this many seconds and extrapolate (default 900)",
    )
    parser.add_argument(
        "--rdflib-budget",
        type=float,
        default=300,
        help="seconds of rdflib-neo4j per size after which later repetitions skip it (default 300)",
    )
    parser.add_argument(
        "--replace-timeout",
        type=float,
        default=None,
        help="stop a load that replaces a loaded register after this many seconds (default 180)",
    )
    parser.add_argument(
        "--browser-timeout",
        type=float,
        default=None,
        help="seconds to wait for the view to be interactive (default 120)",
    )
    parser.add_argument(
        "--import-dir",
        type=Path,
        help="the server's LOAD CSV import directory (default: asked from the server)",
    )
    parser.add_argument(
        "--json", dest="json_out", type=Path, help="also write the raw samples as JSON"
    )
    args = parser.parse_args(argv)
    skip = {s.strip() for s in args.skip.split(",") if s.strip()}
    unknown = skip - set(SKIPPABLE)
    if unknown:
        parser.error(f"--skip: unknown {', '.join(sorted(unknown))}; known: {', '.join(SKIPPABLE)}")
    sizes_text = args.sizes or ("1000,10000" if args.quick else "1000,10000,100000")
    try:
        sizes = [int(s.replace("_", "")) for s in sizes_text.split(",") if s.strip()]
    except ValueError:
        parser.error(f"--sizes: expected numbers, got {sizes_text!r}")
    if not sizes or min(sizes) < 1:
        parser.error("--sizes: at least one size of 1 or more")
    repeat = args.repeat if args.repeat is not None else (1 if args.quick else 3)
    if repeat < 1:
        parser.error("--repeat: at least 1")
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
    bench.machine["Load average at the end"] = _load_average()
    table = render_table(bench.res, bench.queries)
    goals = evaluate_goals(bench.res, bench.queries)
    report = render_report(bench, table, goals, elapsed)
    print(table)
    print()
    for g in goals:
        print(f"{ {True: '✔', False: '✘', None: '–'}[g.ok] } {g.text}: {g.detail}")
    opts.out.parent.mkdir(parents=True, exist_ok=True)
    opts.out.write_text(report, encoding="utf-8")
    print(f"\nwrote {opts.out}", file=sys.stderr)
    if opts.json_out is not None:
        raw = {
            "sizes": bench.res.sizes,
            "repeat": bench.res.repeat,
            "samples": {f"{s}:{k}": v for (s, k), v in bench.res.samples.items()},
            "notes": {f"{s}:{k}": v for (s, k), v in bench.res.notes.items()},
            "machine": bench.machine,
        }
        opts.json_out.write_text(json.dumps(raw, indent=1, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
