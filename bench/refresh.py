"""``refresh`` after an edit made with Cypher, two sides' code on one loaded register, one server.

    python -m bench.refresh --size 100000 --base-rev main

The register (:mod:`bench.generate`, seed 42) is loaded once, by this side's code
(``Neo4jStore.load_register(register, as_of=2026-06-01)``, into an emptied register; with
``--batched``, ``batched=True``: a load in bounded transactions, for a smaller heap). Then each
side in turn, in a subprocess with its code first on the module path (``--base-rev`` taken with
``git archive``, as :mod:`bench.conclusions` does), edits the graph with Cypher (the first
contract by id gets ``note``, a new value each time: a commit of someone else's) and times
``store.refresh(as_of=2026-06-01)``, with the time from each statement's ``run`` to the next
one's (or to the end of the refresh: the server's work, reading its rows and what Python does
with them before the next statement) by statement. This side also times the read-back alone
(:func:`~sourcing_graph.graph.neo4j.read_back.read_back` in a read transaction: fetching the
rows, then making the register). The sides alternate (``--repeat``); ``--this-rev`` takes this
side's code from a revision as well. Needs ``NEO4J_URI`` and
``NEO4J_PASSWORD`` of a scratch server (its register is replaced). A side that fails is
reported and the run goes on.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.conclusions import base_checkout

ROOT = Path(__file__).resolve().parents[1]

LOAD = r"""
import json, os, sys, time
from datetime import date
from bench.generate import generate
from sourcing_graph.graph.neo4j import Neo4jSettings, Neo4jStore
settings = Neo4jSettings(uri=os.environ["NEO4J_URI"], password=os.environ["NEO4J_PASSWORD"])
store = Neo4jStore.connect(settings)
with store.driver.session(database=store.database) as session:
    session.run("MATCH (n) WHERE n:Contract OR n:Lot OR n:Function OR n:Organisation OR n:Finding "
                "CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS").consume()
register = generate(int(sys.argv[1]), seed=42)
started = time.perf_counter()
batched = True if sys.argv[2] == "1" else None
counts = store.load_register(register, as_of=date(2026, 6, 1), batched=batched)
print(json.dumps({"load": time.perf_counter() - started, "findings": counts["findings"]}))
"""

REFRESH = r"""
import json, os, sys, time
from datetime import date
from neo4j._sync.work.transaction import TransactionBase
from sourcing_graph.graph.neo4j import Neo4jSettings, Neo4jStore
side, rep = sys.argv[1], sys.argv[2]
settings = Neo4jSettings(uri=os.environ["NEO4J_URI"], password=os.environ["NEO4J_PASSWORD"])
store = Neo4jStore.connect(settings)
out, marks = {}, []
if side == "this":
    from sourcing_graph.graph.neo4j.ontology import ontology_writer
    from sourcing_graph.graph.neo4j import read_back as rb
    ontology = ontology_writer(None)
    def alone(tx):
        fetched = {}
        def run(cypher, params):
            started = time.perf_counter(); rows = list(tx.run(cypher, params))
            fetched[cypher] = time.perf_counter() - started
            return rows
        started = time.perf_counter()
        back = rb.read_back(run, ontology.nodes, ontology.rules.selection_basis_words.values())
        out["read_back"] = time.perf_counter() - started
        out["read_back_fetch"] = sum(fetched.values())
        started = time.perf_counter(); back.digest(); out["read_back_digest"] = time.perf_counter() - started
        return back is not None
    with store.driver.session(database=store.database) as session:
        out["read_back_expressible"] = session.execute_read(alone)
store.write("MATCH (c:Contract) WITH c ORDER BY c.id LIMIT 1 SET c.note = $note",
            {"note": f"checked {side} {rep}"})
original = TransactionBase.run
def run(self, query, parameters=None, **kwargs):
    marks.append((time.perf_counter(), " ".join(str(query).split())[:90]))
    return original(self, query, parameters, **kwargs)
TransactionBase.run = run
started = time.perf_counter()
result = store.refresh(as_of=date(2026, 6, 1))
ended = time.perf_counter()
TransactionBase.run = original
out["refresh"] = ended - started
out["findings"], out["added"], out["removed"] = result["findings"], len(result["added"]), len(result["removed"])
steps = {}
for (at, text), (after, _) in zip(marks, marks[1:] + [(ended, "")]):
    steps[text] = steps.get(text, 0.0) + after - at
out["before_first_statement"] = marks[0][0] - started if marks else None
out["statements"] = sorted(([round(s, 3), t] for t, s in steps.items()), reverse=True)
print(json.dumps(out))
"""


def child(code: str, args: list[str], path: str) -> dict[str, object]:
    """One subprocess run of ``code`` with ``path`` first on the module path."""
    proc = subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        env=dict(os.environ, PYTHONPATH=path),
        cwd=tempfile.gettempdir(),
        timeout=7200,
    )
    if proc.returncode:
        raise SystemExit(proc.stderr[-3000:])
    return dict(json.loads(proc.stdout.strip().splitlines()[-1]))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=20000)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--base-rev", default="main", help="the code before the change")
    parser.add_argument("--batched", action="store_true", help="load batched (a smaller heap)")
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
        print(
            f"{args.size} load (this side): {child(LOAD, [str(args.size), str(int(args.batched))], paths['this'])}"
        )
        for rep in range(args.repeat):
            for side in ("this", "base") if rep % 2 == 0 else ("base", "this"):
                try:
                    found = child(REFRESH, [side, str(rep)], paths[side])
                except SystemExit as failed:  # a side that fails (a heap too small): said, and on
                    print(f"{args.size} rep {rep + 1} {side} failed: {failed}", flush=True)
                    continue
                print(
                    f"{args.size} rep {rep + 1} {side}: load average "
                    f"{os.getloadavg()[0]:.2f}: {json.dumps(found)}",
                    flush=True,
                )


if __name__ == "__main__":
    main()
