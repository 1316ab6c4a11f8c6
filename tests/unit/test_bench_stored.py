"""The stored-rows benchmark's "before": the conclusion stage as it was before every finding kept
its row whole (only R10-R14's did, nothing on the meta node), and back to now afterwards."""

from __future__ import annotations

from typing import Any

from bench.generate import generate
from bench.stored import BEFORE_COMPACT, stored_as_before
from sourcing_graph.graph.conclusions import findings
from sourcing_graph.graph.embedded import EmbeddedEngine
from sourcing_graph.graph.neo4j import conclusions
from sourcing_graph.ontology.data import Wording
from sourcing_graph.ontology.rules import load_rules


def drawn(result: Any, names: Any, wording: Wording) -> list[Any]:
    """The findings the Neo4j conclusion stage draws (its ``finding_rows``, as patched or not)."""
    return [row.finding(names, wording) for row in conclusions.finding_rows(result, names)]


def test_before_keeps_only_r10_to_r14_whole_and_is_undone() -> None:
    result = EmbeddedEngine(generate(300, seed=7), load_rules()).analyze()
    names: dict[str, dict[str, str | None]] = {}
    wording = Wording(labels={}, templates={}, rules={})
    now = drawn(result, names, wording)
    assert now == findings(result, names, wording)
    assert {f.rule for f in now} - BEFORE_COMPACT  # other rules' findings here too
    assert all(f.order is not None and "rowJson" in f.properties() for f in now)
    assert conclusions.row_properties(result)["coordinationRows"]
    with stored_as_before():
        before = drawn(result, names, wording)
        assert conclusions.row_properties(result) == {}
    assert [f.key for f in before] == [f.key for f in now]
    for old, new in zip(before, now, strict=True):
        kept = old.rule in BEFORE_COMPACT
        assert ("rowJson" in old.properties()) == kept, old.key
        if kept:
            assert old.properties() == new.properties(), old.key
        else:
            assert old.order is None, old.key
    assert drawn(result, names, wording) == now  # undone
    assert conclusions.row_properties(result)["coordinationRows"]
