"""A load's conclusions drawn in memory (issue 14), step by step, two sides' code in one run.

    python -m bench.drawing --size 100000 --base-rev main --repeat 2

The register is :mod:`bench.generate`'s (seed 42), its names those the load writes
(``planned_names``), the rule data the shipped one, the reference date 2026-06-01. Each side in
turn, in a subprocess with its code first on the module path (``--base-rev`` taken with
``git archive``, as :mod:`bench.refresh` does; this side the installed package, or
``--this-rev``), times each step of :func:`~sourcing_graph.graph.neo4j.conclusions.draw` alone,
in wall and CPU seconds:

- ``analyze``: ``EmbeddedEngine(...).analyze()``;
- ``finding_rows``: the findings' rows (keys, "about");
- ``hashes``: their ``contentHash`` (``conclusions._hashes``);
- ``sentences``: what ``draw(..., sentences=True)`` adds, every finding's sentences (a
  ``Finding`` each before, a ``FindingWriter``'s ``texts`` now);

then the whole of ``draw`` as a replacing load calls it (no sentences: ``draw_replace``) and as a
fresh load does (``draw_fresh``), and ``create_rows``: ``changed_rows(drawn, {})``, the
``create-findings`` rows of every finding (a fresh load makes them while the server writes the
previous batch). The sides alternate (``--repeat``); the load average is printed with each run.
No server is needed.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
from pathlib import Path

from bench.conclusions import base_checkout
from bench.refresh import ROOT, child

STEPS = r"""
import json, sys, time
from datetime import date
from bench.generate import generate
from sourcing_graph.graph import conclusions as gc
from sourcing_graph.graph.embedded.engine import EmbeddedEngine
from sourcing_graph.graph.neo4j import conclusions as nc
from sourcing_graph.graph.neo4j.load_plan import load_plan, planned_names
from sourcing_graph.graph.neo4j.ontology import ontology_writer
register = generate(int(sys.argv[1]), seed=42)
ontology = ontology_writer(None)
names = planned_names(list(load_plan(register)))
when, wording, out = date(2026, 6, 1), ontology.rules.wording, {}
def timed(step, work):
    wall, cpu = time.perf_counter(), time.process_time()
    value = work()
    out[step] = [round(time.perf_counter() - wall, 2), round(time.process_time() - cpu, 2)]
    return value
result = timed("analyze", lambda: EmbeddedEngine(register, ontology.rules, as_of=when).analyze())
rows = timed("finding_rows", lambda: gc.finding_rows(result, names))
timed("hashes", lambda: nc._hashes(rows, names, ontology.digest))
if hasattr(gc, "FindingWriter"):
    write = gc.FindingWriter(names, wording)
    timed("sentences", lambda: {r.key: write.texts(r) for r in rows})
else:
    timed("sentences", lambda: {r.key: r.finding(names, wording) for r in rows})
args = (register, ontology.rules, when, names, ontology.digest)
timed("draw_replace", lambda: nc.draw(*args))
drawn = timed("draw_fresh", lambda: nc.draw(*args, sentences=True))
timed("create_rows", lambda: nc.changed_rows(drawn, {}))
out["findings"] = len(rows)
print(json.dumps(out))
"""


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=100000)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--base-rev", default="main", help="the code before the change")
    parser.add_argument(
        "--this-rev", help="this side's code from a revision too (default: the installed package)"
    )
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        paths = {"base": str(base_checkout(args.base_rev, Path(folder) / "base")), "this": ""}
        paths["this"] = (
            str(base_checkout(args.this_rev, Path(folder) / "this")) if args.this_rev else str(ROOT)
        )
        for rep in range(args.repeat):
            for side in ("base", "this") if rep % 2 == 0 else ("this", "base"):
                found = child(STEPS, [str(args.size)], paths[side])
                load = " ".join(f"{x:.2f}" for x in os.getloadavg())
                print(f"{args.size} rep {rep + 1} {side} (load {load}): {json.dumps(found)}")


if __name__ == "__main__":
    main()
