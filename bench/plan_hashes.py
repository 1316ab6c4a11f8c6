"""A load's plan and node hashes, two sides' code side by side (issue 14): no server needed.

    python -m bench.plan_hashes --size 100000 --repeat 3 --base-rev main

For a generated register (:mod:`bench.generate`, seed 42) each side, in a subprocess with its code
first on the module path (``--base-rev`` taken with ``git archive``, as :mod:`bench.refresh`
does; this side: the installed package), times what a single-transaction load computes before
and while it writes (``Neo4jStore.load_register``):

- ``plan``: ``list(load_plan(register))``;
- ``hashes_here``: ``planned_node_hashes(plan, ontology)`` on this thread, alone;
- ``hashes_as_loaded``: ``hashing.node_hashes(plan, ontology)``, alone (a large plan's in a child
  process on main at the time of writing);
- ``beside_drawing``: the plan made, then the node hashes and the conclusions drawn in memory
  (``conclusions.draw``, no sentences: a trusted replace) started on two threads as
  ``Neo4jStore._in_background`` starts them: ``hashes_ready`` and ``drawn`` are the seconds from
  the start of the plan until each is done (a replace writes its changed nodes once the hashes
  are ready, its conclusions once both are); ``hashes_ready_here`` and ``drawn_here`` the same
  with ``planned_node_hashes`` on the thread instead (no child process).

Each side also prints the register digest of the hashes (their sum), which must be equal. The
sides alternate (``--repeat``), the load average printed with each run.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from bench.conclusions import base_checkout
from bench.refresh import child

ROOT = Path(__file__).resolve().parents[1]

CHILD = r"""
import json, sys, time
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from bench.generate import generate
from sourcing_graph.graph.neo4j import hashing
from sourcing_graph.graph.neo4j.conclusions import draw
from sourcing_graph.graph.neo4j.digest import sum_digest
from sourcing_graph.graph.neo4j.load_plan import load_plan, planned_names, planned_node_hashes
from sourcing_graph.graph.neo4j.ontology import ontology_writer
register = generate(int(sys.argv[1]), seed=42)
ontology = ontology_writer(None)
out = {}
clock = time.perf_counter
started = clock(); plan = list(load_plan(register)); out["plan"] = clock() - started
started = clock(); here = planned_node_hashes(plan, ontology.nodes)
out["hashes_here"] = clock() - started
del plan
plan = list(load_plan(register))
started = clock(); as_loaded = hashing.node_hashes(plan, ontology.nodes)
out["hashes_as_loaded"] = clock() - started
del plan
for how, hasher in [("", hashing.node_hashes), ("_here", planned_node_hashes)]:
    with ThreadPoolExecutor(max_workers=2) as pool:
        started = clock()
        plan = list(load_plan(register))
        hashes = pool.submit(hasher, plan, ontology.nodes)
        names = planned_names(plan)
        when = date(2026, 6, 1)
        drawn = pool.submit(draw, register, ontology.rules, when, names, ontology.digest)
        hashes.result(); out["hashes_ready" + how] = clock() - started
        drawn.result(); out["drawn" + how] = clock() - started
    assert here == as_loaded == hashes.result()
    del plan, hashes, drawn
out["digest"] = sum_digest(here.values())
print(json.dumps({k: round(v, 3) if isinstance(v, float) else v for k, v in out.items()}))
"""


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=20000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--base-rev", default="main", help="the code before the change")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        paths = {
            "base": str(base_checkout(args.base_rev, Path(folder) / "base")),
            "this": str(ROOT),
        }
        for rep, side in turns(args.repeat, "base"):
            timed_turn(f"{args.size} rep {rep + 1} {side}", CHILD, [str(args.size)], paths[side])


def turns(repeat: int, first: str) -> Iterator[tuple[int, str]]:
    """``(repetition, side)`` in turn, ``first`` first, the order turning each repetition:
    ``first``, the other, the other, ``first``, ..."""
    other = "base" if first == "this" else "this"
    for rep in range(repeat):
        yield from ((rep, side) for side in ((first, other) if rep % 2 == 0 else (other, first)))


def timed_turn(title: str, code: str, args: list[str], path: str) -> None:
    """Run ``code`` with ``args`` in a subprocess with ``path`` first on the module path
    (:func:`bench.refresh.child`); print ``title``, the load average before and after and what
    it found."""
    before = os.getloadavg()[0]
    found = child(code, args, path)
    print(
        f"{title}: load average {before:.2f}-{os.getloadavg()[0]:.2f}: {json.dumps(found)}",
        flush=True,
    )


if __name__ == "__main__":
    main()
