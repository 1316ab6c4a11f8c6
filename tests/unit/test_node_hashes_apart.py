"""A large load plan's node hashes come from a forked child: the same hashes as computed here,
and here when no child can run, the child fails or takes too long."""

from __future__ import annotations

import os
import time

import pytest

from bench.generate import generate
from sourcing_graph.graph.neo4j import hashing
from sourcing_graph.graph.neo4j.load_plan import load_plan, planned_node_hashes
from sourcing_graph.graph.neo4j.ontology import ontology_writer


@pytest.fixture(scope="module")
def plan_and_ontology():
    register = generate(300, seed=7)
    return list(load_plan(register)), ontology_writer(None).nodes


@pytest.fixture
def forks(monkeypatch) -> list[int]:
    """The pids of the children ``node_hashes`` forked."""
    children: list[int] = []
    real = os.fork

    def fork() -> int:
        pid = real()
        if pid:
            children.append(pid)
        return pid

    monkeypatch.setattr(hashing.os, "fork", fork)
    return children


def in_the_child_only(monkeypatch, then) -> None:
    """``planned_node_hashes`` calls ``then`` first in a child (not in this process)."""
    parent, real = os.getpid(), planned_node_hashes

    def hashes(*args):
        if os.getpid() != parent:
            then()
        return real(*args)

    monkeypatch.setattr(hashing, "planned_node_hashes", hashes)


def test_the_child_gives_the_hashes_computed_here(plan_and_ontology, forks) -> None:
    plan, ontology = plan_and_ontology
    assert hashing.node_hashes(plan, ontology, worker_rows=1) == planned_node_hashes(plan, ontology)
    assert len(forks) == 1  # it did run in a child


def test_a_small_plan_is_hashed_here(plan_and_ontology, forks) -> None:
    plan, ontology = plan_and_ontology
    assert hashing.node_hashes(plan, ontology) == planned_node_hashes(plan, ontology)
    assert forks == []


def test_without_fork_the_hashes_are_computed_here(plan_and_ontology, forks, monkeypatch) -> None:
    plan, ontology = plan_and_ontology
    monkeypatch.setattr(hashing.sys, "platform", "win32")
    assert hashing.node_hashes(plan, ontology, worker_rows=1) == planned_node_hashes(plan, ontology)
    assert forks == []


def test_a_child_that_fails_leaves_the_hashes_to_this_process(
    plan_and_ontology, forks, monkeypatch
) -> None:
    plan, ontology = plan_and_ontology
    expected = planned_node_hashes(plan, ontology)

    def fail() -> None:
        raise MemoryError("no room in the child")

    in_the_child_only(monkeypatch, fail)
    assert hashing.node_hashes(plan, ontology, worker_rows=1) == expected
    assert len(forks) == 1


def test_a_child_that_takes_too_long_is_ended(plan_and_ontology, forks, monkeypatch) -> None:
    plan, ontology = plan_and_ontology
    expected = planned_node_hashes(plan, ontology)
    monkeypatch.setattr(hashing, "WORKER_TIMEOUT", 0.5)
    in_the_child_only(monkeypatch, lambda: time.sleep(60))
    started = time.monotonic()
    assert hashing.node_hashes(plan, ontology, worker_rows=1) == expected
    assert time.monotonic() - started < 30
    assert len(forks) == 1
    with pytest.raises(ChildProcessError, match="No child processes"):
        os.waitpid(forks[0], os.WNOHANG)  # ended and reaped: no zombie left
