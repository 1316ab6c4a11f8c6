"""A large load plan's node hashes come from a child process: the same hashes as computed here,
and here when no child can run."""

from __future__ import annotations

import sys

import pytest

from bench.generate import generate
from sourcing_graph.graph.neo4j import hashing
from sourcing_graph.graph.neo4j.load_plan import load_plan, planned_node_hashes
from sourcing_graph.graph.neo4j.ontology import ontology_writer


@pytest.fixture(scope="module")
def plan_and_ontology():
    register = generate(300, seed=7)
    return list(load_plan(register)), ontology_writer(None).nodes


def test_the_child_gives_the_hashes_computed_here(plan_and_ontology, monkeypatch) -> None:
    plan, ontology = plan_and_ontology
    children = []
    real = hashing.subprocess.run
    monkeypatch.setattr(
        hashing.subprocess, "run", lambda *a, **k: children.append(a) or real(*a, **k)
    )
    assert hashing.node_hashes(plan, ontology, worker_rows=1) == planned_node_hashes(plan, ontology)
    assert len(children) == 1  # it did run in a child


def test_a_small_plan_is_hashed_here(plan_and_ontology, monkeypatch) -> None:
    plan, ontology = plan_and_ontology
    monkeypatch.setattr(hashing.subprocess, "run", lambda *a, **k: pytest.fail("a child ran"))
    assert hashing.node_hashes(plan, ontology) == planned_node_hashes(plan, ontology)


@pytest.mark.parametrize("executable", ["/nonexistent/python", sys.executable + "-not-there"])
def test_without_a_child_the_hashes_are_computed_here(
    plan_and_ontology, monkeypatch, executable: str
) -> None:
    plan, ontology = plan_and_ontology
    monkeypatch.setattr(hashing.sys, "executable", executable)
    assert hashing.node_hashes(plan, ontology, worker_rows=1) == planned_node_hashes(plan, ontology)


def test_a_child_that_fails_leaves_the_hashes_to_this_process(
    plan_and_ontology, monkeypatch
) -> None:
    plan, ontology = plan_and_ontology
    monkeypatch.setattr(hashing, "__name__", "sourcing_graph.no_such_module")
    assert hashing.node_hashes(plan, ontology, worker_rows=1) == planned_node_hashes(plan, ontology)
