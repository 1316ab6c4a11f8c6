"""A finding's ``contentHash`` (issue 14): the same inputs give the same hash in every process, and
each input a finding is written from changes it; the batch a load uses (one writer, one names
lookup for all rows) gives what the one-row functions give."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from sourcing_graph.graph import conclusions as conclusions_module
from sourcing_graph.graph.conclusions import (
    FindingRule,
    FindingWriter,
    finding_key,
    finding_rows,
    findings,
    named,
    sentence,
    used_names,
)
from sourcing_graph.graph.embedded import EmbeddedEngine
from sourcing_graph.graph.neo4j import conclusions as neo4j_conclusions
from sourcing_graph.graph.neo4j.conclusions import changed_rows, content_hash, draw
from sourcing_graph.graph.neo4j.finding_check import WRITTEN_HASH, row_written_hash
from sourcing_graph.graph.neo4j.load_plan import load_plan, planned_names
from sourcing_graph.loaders.csv_reader import read_register
from sourcing_graph.ontology.rules import load_rules
from tests.support import EXAMPLES

ROW = {"lot": "K7", "depends_on": "K9", "lot_mode": "distrust", "severity": "hoog"}
ABOUT = (("lot", "Lot", "K7"), ("depends_on", "Lot", "K9"))
NAMES = {"Lot": {"K7": "Netwerk", "K9": "Werkplek"}}


def _hash(**changes: Any) -> str:
    given: dict[str, Any] = {
        "rules": "r",
        "rule": "R3",
        "key": "R3|K7|K9",
        "order": 0,
        "fields": ROW,
        "about": ABOUT,
        "names": NAMES,
    }
    given.update(changes)
    return content_hash(**given)


def test_every_input_a_finding_is_written_from_changes_its_hash(monkeypatch) -> None:
    same = _hash()
    assert same == _hash(fields=dict(ROW), names={"Lot": dict(NAMES["Lot"])}) and len(same) == 32
    others = [
        _hash(rules="s"),
        _hash(rule="R4"),
        _hash(key="R3|K7|K8"),
        _hash(order=1),
        _hash(order=None),
        _hash(fields={**ROW, "severity": "laag"}),
        _hash(fields={**ROW, "extra": None}),
        _hash(fields=dict(reversed(ROW.items()))),  # the row's order is part of rowJson
        _hash(about=ABOUT[:1]),
        _hash(about=(("lot", "Lot", "K7"), ("lot", "Lot", "K9"))),
        _hash(names={"Lot": {"K7": "Netwerk B.V.", "K9": "Werkplek"}}),
        _hash(names={"Lot": {"K7": "Netwerk"}}),  # K9's name no longer there
        _hash(names={"Lot": {"K7": "Werkplek", "K9": "Netwerk"}}),
    ]
    assert same not in others and len(set(others)) == len(others)
    monkeypatch.setattr(neo4j_conclusions, "HASH_FORM", "inputs-0")
    assert _hash() not in [same, *others]


def test_names_of_a_list_field_and_amounts_change_the_hash() -> None:
    row = {"supplier": "S1", "function": "F1", "contracts": ["C1", "C2"], "annual_value": None}
    names = {"Contract": {"C1": "Één", "C2": "Twee"}, "Organisation": {"S1": "Acme"}}

    def digest(fields: dict[str, Any] = row, given: dict[str, Any] = names) -> str:
        return content_hash("r", "R4", "R4|S1|F1", 0, fields, (), given)

    plain = digest()
    amounts = [digest({**row, "annual_value": Decimal(v)}) for v in ("1234.50", "1234.51", "0")]
    others = [
        digest(given={**names, "Contract": {"C1": "Één", "C2": "Drie"}}),
        digest({**row, "contracts": ["C2", "C1"]}),
        digest({**row, "contracts": ["C1"]}),
        *amounts,  # an amount marshal cannot write is hashed as JSON text
    ]
    assert plain not in others and len(set(others)) == len(others)
    assert digest({**row, "annual_value": Decimal("1234.50")}) == amounts[0]
    assert used_names(names)(row) == ["Acme", None, "Één", "Twee"]
    assert used_names(names)(row) == [name for _, _, name in named(row, names)]


_IN_A_CHILD = """
import json, sys
from decimal import Decimal
from sourcing_graph.graph.neo4j.conclusions import content_hash
given = json.loads(sys.stdin.read())
for fields in given["rows"]:
    if "annual_value" in fields:
        fields["annual_value"] = Decimal(fields["annual_value"])
    print(content_hash("r", "R3", "R3|" + "".join(["K", "7"]), 0, fields, (), given["names"]))
"""


def test_the_same_inputs_give_the_same_hash_in_another_process() -> None:
    # no object identity or string hashing seed in the bytes hashed: a load compares the hashes
    # an earlier process stored
    rows = [dict(ROW), {"lot": "K7", "contracts": ["C1", "C1"]}, {"annual_value": "12.30"}]
    names = {"Lot": {"K7": "Kavel è 7"}, "Contract": {"C1": None}}
    here = []
    for fields in rows:
        given = {**fields}
        if "annual_value" in given:
            given["annual_value"] = Decimal(given["annual_value"])
        here.append(content_hash("r", "R3", "R3|K7", 0, given, (), names))
    child = subprocess.run(
        [sys.executable, "-c", _IN_A_CHILD],
        input=json.dumps({"rows": rows, "names": names}),
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONHASHSEED": "12345"},
    )
    assert child.stdout.split() == here


@pytest.fixture(scope="module")
def waterland_drawn() -> Any:
    register = read_register(EXAMPLES / "gemeente-waterland")
    rules = load_rules()
    names = planned_names(list(load_plan(register)))
    result = EmbeddedEngine(register, rules, as_of=date(2026, 6, 1)).analyze()
    return register, rules, names, result


def test_a_loads_batch_gives_what_the_one_row_functions_give(waterland_drawn) -> None:
    register, rules, names, result = waterland_drawn
    rows = finding_rows(result, names)
    assert len(rows) > 20
    drawn = draw(register, rules, date(2026, 6, 1), names, "digest", sentences=True)
    assert drawn.rows == rows
    assert drawn.hashes == [
        content_hash("digest", r.spec.rule, r.key, r.order, r.row, r.about, names) for r in rows
    ]
    one_by_one = [r.finding(names, rules.wording) for r in rows]
    assert drawn.texts == {f.key: (f.text_nl, f.text_en) for f in one_by_one}
    # the create-findings rows made without findings are those of the findings' properties
    made = changed_rows(drawn, {rows[0].key: drawn.hashes[0], rows[1].key: "other"}, "v1")
    assert [row["key"] for row in made] == [r.key for r in rows[1:]]
    for row, found, digest in zip(made, one_by_one[1:], drawn.hashes[1:], strict=True):
        about = {"lots": [], "contracts": [], "organisations": [], "functions": []}
        for role, label, ident in found.about:
            about[label.lower() + "s"].append([role, ident])
        props = {**found.properties(), "contentHash": digest}
        expected = {"key": found.key, "rule": found.rule, "props": props, **about}
        props.update({WRITTEN_HASH: row_written_hash(expected), "loadId": "v1"})
        assert row == expected
    assert findings(result, names, rules.wording) == one_by_one
    write = FindingWriter(names, rules.wording)
    for r in rows:
        spec = r.spec
        assert r.key == finding_key(spec.rule, r.row, spec.key_fields)
        for language in ("nl", "en"):
            assert write.sentence(spec.rule, r.row, language) == sentence(
                spec.rule, r.row, names, rules.wording, language
            )


def test_keys_of_one_two_and_three_key_fields_and_a_long_one(monkeypatch) -> None:
    row = {"a": "x|y", "b": "é/1", "c": 3}
    rules = [
        FindingRule("T1", "t1", ("a",), ()),
        FindingRule("T2", "t2", ("a", "b"), ()),
        FindingRule("T3", "t3", ("a", "b", "c"), ()),
    ]
    monkeypatch.setattr(conclusions_module, "FINDING_RULES", tuple(rules))
    long_row = {"a": "K" * 3000, "b": "é" * 400, "c": 0}
    found = finding_rows({spec.result_key: [row, long_row] for spec in rules}, {})
    assert [f.key for f in found] == [
        finding_key(spec.rule, given, spec.key_fields)
        for spec in rules
        for given in (row, long_row)
    ]
    assert found[0].key == "T1|x%7Cy" and found[2].key == "T2|x%7Cy|%C3%A9%2F1"
    assert found[3].key.startswith("T2|#") and found[4].key == "T3|x%7Cy|%C3%A9%2F1|3"


def test_a_finding_is_about_each_entity_once(monkeypatch) -> None:
    names = {"Contract": {"C1": "Één", "C2": None}, "Organisation": {"S": "Acme"}}
    rules = (
        FindingRule(
            "T1", "t1", ("a",), (("a", "contract", "Contract"), ("b", "contract", "Contract"))
        ),
        FindingRule(
            "T2", "t2", ("a",), (("a", "supplier", "Organisation"), ("c", "contract", "Contract"))
        ),
    )
    monkeypatch.setattr(conclusions_module, "FINDING_RULES", rules)
    result = {
        "t1": [{"a": "C1", "b": "C1"}, {"a": "C1", "b": "C3"}, {"a": None, "b": "C2"}],
        "t2": [{"a": "S", "c": ["C1", "C1", None, "C3", "C2"]}, {"a": "X", "c": []}],
    }
    assert [f.about for f in finding_rows(result, names)] == [
        (("contract", "Contract", "C1"),),
        (("contract", "Contract", "C1"),),
        (("contract", "Contract", "C2"),),
        (
            ("supplier", "Organisation", "S"),
            ("contract", "Contract", "C1"),
            ("contract", "Contract", "C2"),
        ),
        (),
    ]
