"""The node hashes of a large load plan, computed in a second Python process.

A load hashes every register node it plans (:func:`~.load_plan.planned_node_hashes`: the
register diff compares them, their sum is the register digest), about 8-12 s of one core at
100,000 contracts, while drawing the conclusions in memory takes as long again on the same
interpreter (one lock: Python threads do not compute side by side). For a plan of at least
:data:`WORKER_ROWS` rows the hashes are computed by ``python -m`` this module in a child
process, fed the plan's rows through a pipe (pickled: between this process and its own child
only), so both run on their own core; a smaller plan, or a child that cannot be started or
fails, is hashed here (the same function: the result is the same either way).
"""

from __future__ import annotations

import pickle
import subprocess
import sys
from collections.abc import Mapping
from typing import Any

from sourcing_graph.graph.neo4j.load_plan import NodeKey, Stage, planned_node_hashes

__all__ = ["WORKER_ROWS", "node_hashes"]

WORKER_ROWS = 20_000
"""The plan size (rows of all stages) from which the hashes are computed in a child process:
below it, starting one (about half a second) costs more than it saves."""

WORKER_TIMEOUT = 900.0
"""Seconds the child may take before the hashes are computed here instead."""


def node_hashes(
    plan: list[Stage],
    ontology: Mapping[str, list[dict[str, Any]]],
    *,
    worker_rows: int = WORKER_ROWS,
) -> dict[NodeKey, int]:
    """:func:`~.load_plan.planned_node_hashes` of ``plan``: in a child process when the plan
    has at least ``worker_rows`` rows and the child succeeds, else here."""
    if sum(len(stage.rows) for stage in plan) >= worker_rows:
        try:
            return _in_child(plan, ontology)
        except (OSError, subprocess.SubprocessError, pickle.UnpicklingError, EOFError):
            pass  # no child (a frozen application, no fork): the same hashes here
    return planned_node_hashes(plan, ontology)


def _in_child(
    plan: list[Stage], ontology: Mapping[str, list[dict[str, Any]]]
) -> dict[NodeKey, int]:
    payload = pickle.dumps(
        ([(stage.name, stage.rows) for stage in plan], dict(ontology)),
        protocol=pickle.HIGHEST_PROTOCOL,
    )
    done = subprocess.run(
        [sys.executable, "-m", __name__],
        input=payload,
        capture_output=True,
        timeout=WORKER_TIMEOUT,
        check=True,
    )
    hashes = pickle.loads(done.stdout)  # noqa: S301 - our own child's answer, through a pipe
    if not isinstance(hashes, dict):
        raise EOFError("the hashing process answered no hashes")
    return hashes


def _child() -> None:
    """The child's side: the plan's rows from stdin, their hashes to stdout."""
    stages, ontology = pickle.loads(sys.stdin.buffer.read())  # noqa: S301 - from our parent
    plan = [Stage(name, "", rows) for name, rows in stages]
    sys.stdout.buffer.write(
        pickle.dumps(planned_node_hashes(plan, ontology), protocol=pickle.HIGHEST_PROTOCOL)
    )


if __name__ == "__main__":
    _child()
