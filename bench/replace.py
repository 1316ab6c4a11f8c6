"""A replace with 1 % of the contracts changed (the monthly re-export), two sides' code, one server.

    python -m bench.replace --size 100000 --repeat 3 --base-rev main

The register (:mod:`bench.generate`, seed 42) is loaded once by this side's code into an emptied
register (untimed). Then the sides take turns (this, base, base, this, this, base, ...), each in
a subprocess with its code first on the module path (``--base-rev`` taken with ``git archive``,
as :mod:`bench.refresh` does), and time ``Neo4jStore.load_register(..., as_of=2026-06-01)`` of
the register with every hundredth contract's annual value one euro more, or of the register
itself when that is what is loaded: either way a replace of a loaded register by one that
differs in 1 % of its contracts, single transaction, conclusions included. Needs ``NEO4J_URI``
and ``NEO4J_PASSWORD`` of a scratch server (its register is replaced).
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from bench.conclusions import base_checkout
from bench.plan_hashes import timed_turn, turns
from bench.refresh import LOAD, child

ROOT = Path(__file__).resolve().parents[1]

REPLACE = r"""
import copy, json, os, sys, time
from datetime import date
from decimal import Decimal
from bench.generate import generate
from sourcing_graph.graph.neo4j import Neo4jSettings, Neo4jStore
register = generate(int(sys.argv[1]), seed=42)
if sys.argv[2] == "changed":
    for ident in sorted(register.contracts)[::100]:
        contract = register.contracts[ident]
        contract.annual_value = (contract.annual_value or Decimal(0)) + 1
settings = Neo4jSettings(uri=os.environ["NEO4J_URI"], password=os.environ["NEO4J_PASSWORD"])
store = Neo4jStore.connect(settings)
started = time.perf_counter()
counts = store.load_register(register, as_of=date(2026, 6, 1))
print(json.dumps({"replace": round(time.perf_counter() - started, 3), "loaded": sys.argv[2],
                  "sameRegister": counts.get("sameRegister")}))
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
        print(
            f"{args.size} fresh load (this side): {child(LOAD, [str(args.size), '0'], paths['this'])}"
        )
        for turn, (rep, side) in enumerate(turns(args.repeat, "this")):
            target = ["changed", "original"][turn % 2]  # each a replace of the other
            run = [str(args.size), target]
            timed_turn(f"{args.size} rep {rep + 1} {side}", REPLACE, run, paths[side])


if __name__ == "__main__":
    main()
