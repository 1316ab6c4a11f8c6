"""The node hashes of a large load plan, computed in a forked copy of this process.

A load hashes every register node it plans (:func:`~.load_plan.planned_node_hashes`: the
register diff compares them, their sum is the register digest), about 1.5 s of one core at
100,000 contracts, while it draws the conclusions in memory on the same interpreter (one lock:
Python threads do not compute side by side). For a plan of at least :data:`WORKER_ROWS` rows
the hashes are computed in a child made with ``fork``: it has the plan already (nothing is sent
to it, nothing imported), computes the hashes on its own core and sends them back through a pipe
(pickled: between this process and its own child only). Where there is no ``fork`` (Windows),
or the child fails or takes longer than :data:`WORKER_TIMEOUT`, the hashes are computed here
(the same function: the result is the same either way).

The child runs no code but the hashing's (pure Python, every module it needs imported already,
no lock that another thread could hold taken), with the collector off (a collection would touch,
and so copy, every object the parent has), and ends with ``os._exit``: nothing of the parent's
(its connections, its files, its threads) is closed, flushed or run.
"""

from __future__ import annotations

import gc
import os
import pickle
import select
import signal
import sys
import time
from collections.abc import Mapping
from typing import Any

from sourcing_graph.graph.neo4j.load_plan import NodeKey, Stage, planned_node_hashes

__all__ = ["WORKER_ROWS", "node_hashes"]

WORKER_ROWS = 20_000
"""The plan size (rows of all stages) from which the hashes are computed in a child process:
below it, hashing here costs less than a fork."""

WORKER_TIMEOUT = 900.0
"""Seconds the child may take before the hashes are computed here instead."""


def node_hashes(
    plan: list[Stage],
    ontology: Mapping[str, list[dict[str, Any]]],
    *,
    worker_rows: int = WORKER_ROWS,
) -> dict[NodeKey, int]:
    """:func:`~.load_plan.planned_node_hashes` of ``plan``: in a forked child when the plan
    has at least ``worker_rows`` rows and the child succeeds, else here."""
    if sum(len(stage.rows) for stage in plan) >= worker_rows and _can_fork():
        try:
            return _in_child(plan, ontology)
        except (OSError, pickle.UnpicklingError, EOFError, TimeoutError):
            pass  # the child failed or took too long: the same hashes here
    return planned_node_hashes(plan, ontology)


def _can_fork() -> bool:
    """Linux only: elsewhere ``fork`` is missing (Windows) or unsafe beside system libraries that
    keep threads of their own (macOS)."""
    return sys.platform.startswith("linux") and hasattr(os, "fork")


def _in_child(
    plan: list[Stage], ontology: Mapping[str, list[dict[str, Any]]]
) -> dict[NodeKey, int]:
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child (its work is planned_node_hashes, tested here)
        _child(reader, writer, plan, ontology)
    os.close(writer)
    try:
        answer = _read_all(reader, time.monotonic() + WORKER_TIMEOUT)
    except TimeoutError:
        os.kill(pid, signal.SIGKILL)
        raise
    finally:
        os.close(reader)
        _, status = os.waitpid(pid, 0)
    if status != 0:
        raise EOFError(f"the hashing process ended with status {status}")
    hashes = pickle.loads(answer)  # noqa: S301 - our own child's answer, through a pipe
    if not isinstance(hashes, dict):
        raise EOFError("the hashing process answered no hashes")
    return hashes


def _read_all(reader: int, deadline: float) -> bytes:
    """Everything the child writes to ``reader`` until it closes it, by ``deadline``."""
    chunks: list[bytes] = []
    while True:
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([reader], [], [], left)[0]:
            raise TimeoutError("the hashing process took too long")
        chunk = os.read(reader, 1 << 20)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)


def _child(
    reader: int, writer: int, plan: list[Stage], ontology: Mapping[str, list[dict[str, Any]]]
) -> None:  # pragma: no cover - runs in the forked child
    """The child's side: the plan's hashes to ``writer``, then ``os._exit`` (status 1 on any
    failure: the parent then hashes itself)."""
    status = 1
    try:
        gc.disable()
        os.close(reader)
        answer = memoryview(
            pickle.dumps(planned_node_hashes(plan, ontology), protocol=pickle.HIGHEST_PROTOCOL)
        )
        while answer:
            answer = answer[os.write(writer, answer) :]
        status = 0
    finally:
        os._exit(status)
