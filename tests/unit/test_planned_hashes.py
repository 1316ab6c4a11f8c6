"""A load's node hashes are put together from canonical pieces made once (a relationship's head
per end, its properties' text per node): the same hashes as the generic canonical JSON of every
node's digest row (``item_hash``, the form the digest read back from the graph takes), on the
examples, a generated register and random registers with provenance, words as written, texts that
JSON escapes, and references the load's ``MATCH`` drops. (The read-back tests compare them with
the graph itself.)"""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench.generate import generate, write_register
from sourcing_graph.graph.neo4j.digest import canonical, item_hash, relationship_head, texts_hash
from sourcing_graph.graph.neo4j.load_plan import load_plan, planned_node_hashes, planned_rows
from sourcing_graph.graph.neo4j.ontology import ontology_writer
from sourcing_graph.loaders.csv_reader import read_register
from sourcing_graph.model import Register
from tests.support import EXAMPLES
from tests.support.random_registers import registers

ONTOLOGY = ontology_writer().nodes

TEXT = st.text(alphabet=['"', "\\", "\n", "\x01", "é", "😀", "a", ":", "{", "]"], max_size=6)
"""Texts the JSON encoder escapes (a quote, a backslash, control characters) or not."""


def generic_hashes(register: Register) -> dict[Any, int]:
    """Every node's hash as ``item_hash`` gives it from the node's digest row."""
    return {
        node: item_hash(row["labels"], row["props"], row["rels"])
        for node, row in planned_rows(list(load_plan(register)), ONTOLOGY)
    }


def assert_same_hashes(register: Register) -> None:
    hashes = planned_node_hashes(list(load_plan(register)), ONTOLOGY)
    assert hashes == generic_hashes(register)
    assert len(hashes) == sum(
        register.counts()[k] for k in ("organisations", "lots", "functions", "contracts")
    )


@pytest.mark.parametrize("name", ["gemeente-waterland", "acme-retail"])
def test_the_examples_hash_as_their_digest_rows(name: str) -> None:
    assert_same_hashes(read_register(EXAMPLES / name))


def test_a_generated_register_read_from_its_files_hashes_as_its_digest_rows(tmp_path) -> None:
    write_register(generate(500, seed=3), tmp_path)
    register = read_register(tmp_path)  # sources, words as written, extra columns, empty cells
    assert any(c.clause_words for c in register.contracts.values())
    assert_same_hashes(register)


@st.composite
def written_registers(draw: st.DrawFn) -> Register:
    """A random register with what a reader adds (sources, words as written, extra columns),
    escaped texts, and now and then a contract whose supplier, lot or function is not in it."""
    register = draw(registers())
    for entity in [
        *register.organisations.values(),
        *register.lots.values(),
        *register.functions.values(),
    ]:
        entity.source = draw(st.none() | TEXT)
    contracts = {}
    for ident, contract in register.contracts.items():
        words = {key: tuple(draw(st.lists(TEXT, max_size=2))) for key in contract.clauses}
        contracts[ident] = dataclasses.replace(
            contract,
            supplier=draw(st.sampled_from([contract.supplier, contract.supplier, "gone"])),
            lot=draw(st.sampled_from([contract.lot, contract.lot, "gone"])),
            functions=contract.functions | draw(st.sampled_from([set(), {"gone"}])),
            source=draw(st.none() | TEXT),
            mode_as_written=draw(st.none() | TEXT),
            clause_words={k: w for k, w in words.items() if w},
            extra={**contract.extra, **draw(st.dictionaries(TEXT, TEXT, max_size=2))},
        )
    register.contracts = contracts
    return register


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(register=written_registers())
def test_random_registers_hash_as_their_digest_rows(register: Register) -> None:
    assert_same_hashes(register)


@pytest.mark.parametrize("end", ["K1", 'a"b\\c\n😀', 1, 1.0, True, -0.0, None, ["x", 2], {"k": 1}])
def test_a_relationship_text_is_its_head_and_its_properties(end: Any) -> None:
    props = {"source": 'f.csv:"3"', "asWritten": ["é", "\\"]}
    whole = item_hash(["Contract"], {}, [["DELIVERS", ["B", "A"], end, props]])
    head = relationship_head("DELIVERS", ("B", "A"), end)
    assert item_hash(["Contract"], {}, []) != whole
    assert texts_hash(["Contract"], {}, [head + canonical(props) + "]"]) == whole
