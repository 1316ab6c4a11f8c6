"""The load with its conclusions beside the load before them: side by side, on one server.

    python -m bench.conclusions --sizes 10000,100000 --repeat 3 --base-rev c737858

Every measurement runs in a subprocess with one side's code on its path: this checkout, or the
code of ``--base-rev`` (taken with ``git archive`` into a temporary folder and laid out as the
installed package). Both sides generate the same register (:mod:`bench.generate`, seed 42), empty
the database's register and time ``Neo4jStore.load_register`` (a fresh load), then the same again
(replacing it), then a copy with 1 % of its contracts changed (every hundredth contract's annual
value one euro more: the monthly re-export; ``replace_1pct``), then ``refresh()`` right after it,
then an edit with Cypher (one contract gets a property) and ``refresh()`` again
(``refresh_edited``).
With ``--loadcsv`` this side first times the ``LOAD CSV`` baseline of the register alone
(:mod:`bench.loadcsv`: its files in the server's import directory, written untimed, then loaded
into an empty register; ``loadcsv``). With ``BENCH_EXTRAS=1`` in the environment this side
also times the freshness check after them (the cheap check), the
full digests of the register part and the rule data (what a check costs when the cheap one
cannot tell) and an unfiltered analysis from the stored result beside the
analysis queries. The sides alternate, their order turning from one repetition to the next;
medians are printed, with the machine's load average. Needs ``NEO4J_URI`` and
``NEO4J_PASSWORD`` of a scratch server (its register is replaced). ``--this-rev`` takes this
side's code from a revision as well (so the installed package may change while it runs).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10 (tomli is a dependency there)
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]

CHILD = r"""
import copy, json, os, sys, time
from decimal import Decimal
from pathlib import Path
from bench.generate import generate
from sourcing_graph.graph.analyses import Neo4jEngine, analyze
from sourcing_graph.graph.neo4j import Neo4jSettings, Neo4jStore
size, side, loadcsv = int(sys.argv[1]), sys.argv[2], sys.argv[3] == "1"
register = generate(size, seed=42)
changed = copy.deepcopy(register)
for ident in sorted(changed.contracts)[::100]:
    contract = changed.contracts[ident]
    contract.annual_value = (contract.annual_value or Decimal(0)) + 1
settings = Neo4jSettings(uri=os.environ["NEO4J_URI"], password=os.environ["NEO4J_PASSWORD"])
store = Neo4jStore.connect(settings)
def wipe():
    with store.driver.session(database=store.database) as session:
        session.run("MATCH (n) WHERE n:Contract OR n:Lot OR n:Function OR n:Organisation OR n:Finding "
                    "CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS").consume()
out = {}
def clock(name, work):
    started = time.perf_counter(); found = work(); out[name] = time.perf_counter() - started
    return found
if loadcsv:
    from bench.loadcsv import IMPORT_DIR_SETTING, loadcsv_statements, write_loadcsv_files
    folder = Path(store.read(IMPORT_DIR_SETTING)[0]["value"]) / f"bench-conclusions-{os.getpid()}"
    write_loadcsv_files(register, folder)
    wipe()
    def run_loadcsv():
        with store.driver.session(database=store.database) as session:
            for _, cypher, params in loadcsv_statements(folder.name):
                session.run(cypher, params).consume()
    clock("loadcsv", run_loadcsv)
    import shutil; shutil.rmtree(folder, ignore_errors=True)
wipe()
clock("load", lambda: store.load_register(register))
clock("replace", lambda: store.load_register(register))
clock("replace_1pct", lambda: store.load_register(changed))
clock("refresh", store.refresh)
# an architect's edit with Cypher (a commit of someone else's), then the refresh that follows it
store.write("MATCH (c:Contract) WITH c ORDER BY c.id LIMIT 1 SET c.note = 'checked'")
clock("refresh_edited", store.refresh)
if side == "this" and os.environ.get("BENCH_EXTRAS") == "1":
    from sourcing_graph.graph.neo4j.digest import register_digest, rules_digest
    assert clock("stale_check", store.conclusions_stale) is False
    def digests(tx):
        run = lambda cypher, params: tx.run(cypher, params)
        return register_digest(run), rules_digest(run)
    with store.driver.session(database=store.database) as session:
        clock("full_digest", lambda: session.execute_read(digests))
    clock("analyze_stored", lambda: analyze(None, None, Neo4jEngine(store)))
    clock("analyze_queries", lambda: analyze(None, None, Neo4jEngine(store, stored=False)))
store.close()
print(json.dumps(out))
"""


def base_checkout(rev: str, into: Path) -> Path:
    """The code of ``rev`` laid out as the installed package (``sourcing_graph`` and ``bench``)."""
    source = into / "source"
    source.mkdir(parents=True)
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", rev], capture_output=True, check=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(source)], input=archive, check=True)
    config = tomllib.loads((source / "pyproject.toml").read_text(encoding="utf-8"))
    site = into / "site"
    for package, folder in config["tool"]["setuptools"]["package-dir"].items():
        target = site.joinpath(*package.split("."))
        if not target.exists():
            shutil.copytree(source / folder, target)
    shutil.copytree(source / "bench", site / "bench")
    return site


def measure(side: str, size: int, path: str, loadcsv: bool = False) -> dict[str, float]:
    """One subprocess run of ``CHILD`` with ``path`` first on the module path."""
    env = dict(os.environ, PYTHONPATH=path)
    proc = subprocess.run(
        [sys.executable, "-c", CHILD, str(size), side, "1" if loadcsv else "0"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tempfile.gettempdir(),
        timeout=7200,
    )
    if proc.returncode:
        raise SystemExit(f"{side} at {size}: {proc.stderr[-2000:]}")
    return dict(json.loads(proc.stdout.strip().splitlines()[-1]))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--base-rev", default="c737858", help="the code before the conclusions")
    parser.add_argument("--loadcsv", action="store_true", help="also time the LOAD CSV baseline")
    parser.add_argument(
        "--this-rev", help="this side's code from a revision too (default: the installed package)"
    )
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        paths = {
            "base": str(base_checkout(args.base_rev, Path(folder) / "base")),
            "this": str(ROOT),
        }
        if args.this_rev:
            paths["this"] = str(base_checkout(args.this_rev, Path(folder) / "this"))
        for size in (int(s) for s in args.sizes.split(",")):
            runs: dict[str, list[dict[str, float]]] = {"base": [], "this": []}
            for rep in range(args.repeat):
                for side in ("base", "this") if rep % 2 == 0 else ("this", "base"):
                    found = measure(side, size, paths[side], args.loadcsv and side == "this")
                    runs[side].append(found)
                    shown = {k: round(v, 2) for k, v in found.items()}
                    print(f"{size} rep {rep + 1} {side}: {shown}", flush=True)
            for side, rows in runs.items():
                medians = {
                    k: round(statistics.median(r[k] for r in rows if k in r), 2) for k in rows[0]
                }
                print(f"{size} median {side}: {medians}; load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
