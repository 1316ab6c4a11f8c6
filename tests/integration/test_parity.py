"""Both engines give the same result: random registers through Neo4j (Cypher) and networkx (embedded).

Also checks the query folder: every analysis or helper query has a header, declares exactly the
parameters it uses, has an embedded counterpart in the registry and is covered by the parity test.
"""

from __future__ import annotations

import json
import os
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sourcing_graph.graph.analyses import (
    ANALYSES,
    DORA_ANALYSES,
    HELPERS,
    EmbeddedEngine,
    Neo4jEngine,
    analyze,
    camel,
    run_analysis,
)
from sourcing_graph.model import (
    Function,
    Lot,
    Register,
    Subcontracting,
)
from sourcing_graph.ontology.rules import load_rules
from sourcing_graph.queries import get_query, list_queries
from sourcing_graph.text import json_text
from tests.support import DATA, IN_CI, ROOT
from tests.support.conclusions import (
    digests_of_the_load,
    expected_conclusions,
    stored_conclusions,
)
from tests.support.random_registers import (
    AS_OF,
    as_json,
    filters,
    registers,
)

QUERIES_DIR = ROOT / "queries"
PARITY_NAMES = [*ANALYSES, *DORA_ANALYSES, *HELPERS]
"""Every analysis and helper the parity test compares (the folder test checks none is missing)."""

PARITY_SETTINGS = settings(
    max_examples=int(os.environ.get("SG_PARITY_EXAMPLES", "100" if IN_CI else "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

OTHER_AS_OF = date(2027, 3, 15)
"""A reference date other than the load's: R10-R15 then run live."""
STORED_AS_OF = "MATCH (m:SourcingGraphMeta {key: 'register'}) RETURN toString(m.asOf) AS asOf"


# -- the parity test ----------------------------------------------------------------------------


def assert_same_conclusions(store: Any, register: Register) -> None:
    """What the load (at :data:`AS_OF`) stored equals what the embedded engine concludes
    (findings with their sentences and entities, modes, R5 and R9, R10-R14), and the result
    rebuilt from the stored conclusions equals the embedded result: at the load's date (R10-R15
    as stored) and at another one (R10-R15 live at that date). The register digest the load
    computed from its rows is the one read back from the graph."""
    stored, read_back = digests_of_the_load(store)
    assert stored == read_back
    embedded = EmbeddedEngine(register, load_rules(), as_of=AS_OF)
    assert stored_conclusions(store) == expected_conclusions(
        embedded.conclusions(), register.organisations
    )
    assert store.read(STORED_AS_OF) == [{"asOf": AS_OF.isoformat()}]
    assert as_json(Neo4jEngine(store, as_of=AS_OF).stored_result()) == as_json(embedded.analyze())
    later = EmbeddedEngine(register, load_rules(), as_of=OTHER_AS_OF)
    assert as_json(Neo4jEngine(store, as_of=OTHER_AS_OF).stored_result()) == as_json(
        later.analyze()
    )


@pytest.mark.neo4j
@PARITY_SETTINGS
@given(data=st.data(), register=registers())
def test_neo4j_and_embedded_give_the_same_result(neo4j_store, register, data) -> None:
    rules = load_rules()
    neo4j_store.load_register(register, as_of=AS_OF)
    neo4j = Neo4jEngine(neo4j_store, as_of=AS_OF)
    expected = as_json(analyze(register, rules, as_of=AS_OF))
    live = Neo4jEngine(neo4j_store, as_of=AS_OF, stored=False)
    assert as_json(analyze(None, None, live)) == expected
    assert as_json(analyze(None, None, neo4j)) == expected
    assert_same_conclusions(neo4j_store, register)
    embedded = EmbeddedEngine(register, rules, as_of=AS_OF)
    by_kind = lambda rows: sorted((r["kind"], r["id"], r["name"] or "") for r in rows)  # noqa: E731
    assert by_kind(neo4j.names()) == by_kind(embedded.names())
    for name in [*HELPERS, *DORA_ANALYSES]:
        assert as_json(run_analysis(name, None, None, neo4j)) == as_json(
            run_analysis(name, register, rules, as_of=AS_OF)
        ), name
    chosen = data.draw(filters(register))
    assert as_json(analyze(None, None, neo4j, **chosen)) == as_json(
        analyze(register, rules, as_of=AS_OF, **chosen)
    ), chosen
    for name in [*HELPERS, *DORA_ANALYSES]:
        assert as_json(run_analysis(name, None, None, neo4j, **chosen)) == as_json(
            run_analysis(name, register, rules, as_of=AS_OF, **chosen)
        ), (name, chosen)


@pytest.mark.neo4j
def test_code_point_order_in_both_engines(neo4j_store) -> None:
    # Equal rows everywhere, so only the identifiers decide the order. Java's String order (UTF-16)
    # would put the emoji before the full-width letter; the documented order is by code point.
    from tests.support.registers import C, make_register

    ids = ["😀", "Ａ", "é", "a", "B", "a😀", "aＡ"]
    reg = make_register(
        lots=[Lot(i, prime_contractor=i) for i in ids],
        functions=[Function("F", critical=True, retained=True)],
        contracts=[C(f"C{i}", i, i, "distrust", ["penalty"], ["F"], 1.0) for i in ids],
    )
    expected = sorted(ids)
    assert expected == ["B", "a", "aＡ", "a😀", "é", "Ａ", "😀"]
    neo4j_store.load_register(reg, as_of=AS_OF)
    ours = analyze(reg, load_rules(), as_of=AS_OF)
    theirs = analyze(None, None, Neo4jEngine(neo4j_store, as_of=AS_OF))
    assert as_json(theirs) == as_json(ours)
    for key in ("critical_without_trust", "retained_functions", "concentration"):
        assert [r["supplier"] for r in ours[key]] == expected, key
    assert [r["prime_contractor"] for r in ours["coordination_load"]] == expected


@pytest.mark.neo4j
@pytest.mark.parametrize("name", ["gemeente-waterland", "acme-retail"])
def test_hand_checked_examples_on_neo4j(neo4j_store, name: str) -> None:
    from sourcing_graph.loaders.csv_reader import read_register

    root = QUERIES_DIR.parent
    expected = json.loads(
        (root / "tests" / "data" / "expected" / f"{name}.json").read_text(encoding="utf-8")
    )
    register = read_register(str(root / "examples" / name))
    neo4j_store.load_register(register, as_of=AS_OF)
    for engine in (
        Neo4jEngine(neo4j_store, as_of=AS_OF),
        Neo4jEngine(neo4j_store, as_of=AS_OF, stored=False),
    ):
        written = json.loads(json_text(analyze(None, None, engine)))  # the JSON the tool writes
        assert as_json(written) == as_json(expected)
    assert_same_conclusions(neo4j_store, register)
    neo4j_store.load_register(register, as_of=OTHER_AS_OF)  # R10-R15 stored at another date
    written = json.loads(json_text(analyze(None, None, Neo4jEngine(neo4j_store, as_of=AS_OF))))
    assert as_json(written) == as_json(expected)


@pytest.mark.neo4j
def test_the_dora_example_rebuilt_from_the_stored_conclusions(neo4j_store) -> None:
    from sourcing_graph.loaders import read_any

    rules = load_rules()
    register = read_any(
        DATA / "dora" / "bank-roi", overlay=DATA / "dora" / "bank-roi-overlay", rules=rules
    )
    neo4j_store.load_register(register, as_of=AS_OF)
    result = analyze(None, None, Neo4jEngine(neo4j_store, as_of=AS_OF))
    assert result["parent_concentration"] and result["supply_chains"]
    assert result["indirect_concentration"] and result["shared_subcontractors"]
    assert result["exit_risks"]
    assert as_json(result) == as_json(analyze(register, rules, as_of=AS_OF))
    assert_same_conclusions(neo4j_store, register)


# -- the query folder ---------------------------------------------------------------------------


def _cypher_files() -> list[Path]:
    return sorted(QUERIES_DIR.glob("*.cypher"))


def test_the_folder_has_every_analysis() -> None:
    names = {p.stem for p in _cypher_files()}
    missing = [
        a.query_name
        for a in [*ANALYSES.values(), *DORA_ANALYSES.values(), *HELPERS.values()]
        if a.query_name not in names
    ]
    assert not missing, f"no .cypher file for {missing}"
    assert {q.name for q in list_queries()} == names


@pytest.mark.parametrize("path", _cypher_files(), ids=lambda p: p.stem)
def test_query_header(path: Path) -> None:
    query = get_query(path)
    assert query.name == path.stem, "the header's name must be the file name"
    assert query.kind in ("analysis", "helper", "ontology", "stored"), query.kind
    assert query.answers.endswith("?"), "the header must say which question the query answers"
    assert query.columns, "the header must list the columns"
    assert all(p.description and p.type for p in query.params), (
        "every param needs a type and a description"
    )
    declared = {p.name for p in query.params}
    assert query.used_params() == declared, "the declared params must be exactly those used"
    assert not re.search(r"\bapoc\.|\bgds\.|\bn10s\.|\bCALL\s+db\.", query.text), (
        "plain Cypher only"
    )
    if query.kind in ("ontology", "stored"):
        return
    key = path.stem.replace("-", "_")
    registry = {**ANALYSES, **DORA_ANALYSES} if query.kind == "analysis" else HELPERS
    assert key in registry, f"{path.name} has no embedded counterpart in the registry"
    assert key in PARITY_NAMES, f"{path.name} is not covered by the parity test"
    analysis = registry[key]
    assert query.rule == analysis.rule
    assert declared == {camel(f) for f in (*analysis.filters, *analysis.params)}
    assert all(p.optional for p in query.params)


def test_header_columns_are_the_embedded_keys() -> None:
    from tests.support.registers import C, make_register

    reg = make_register(
        lots=[Lot("K1", complexity="high"), Lot("K2")],
        functions=[Function("F", critical=True, retained=True)],
        contracts=[
            C("C1", "acme", "K1", "trust", ["bonus"], ["F"], 1.0),
            C("C2", "beta", "K2", "trust"),
            C("C3", "gamma", "K2", "reliability", ["sla"]),
        ],
        dependencies=[("K1", "K2")],
    )
    # DORA: one subcontractor behind acme and beta (D4), no exit plan for C1 (D5)
    reg.subcontracting = {
        Subcontracting("C1", "sub", 2, "acme"),
        Subcontracting("C2", "sub", 2, "beta"),
    }
    reg.contracts["C1"].extra["exit_plan_code"] = "eba_BT:x29"
    reg.contracts["C3"].selection_basis = "cost"
    reg.contracts["C3"].end_date = AS_OF
    rules = load_rules()
    for name in PARITY_NAMES:
        rows = run_analysis(name, reg, rules, as_of=AS_OF)
        assert rows, f"the sample register gives no row for {name}"
        assert list(rows[0]) == get_query(name).columns, name


@pytest.mark.neo4j
def test_mode_characteristics_in_both_languages(neo4j_store) -> None:
    query = get_query("mode-characteristics")
    english = neo4j_store.read(query.text, query.bind({}))
    dutch = neo4j_store.read(query.text, query.bind({"lang": "nl"}))
    assert len(english) == len(dutch) == 27  # nine characteristics of three modes
    assert english[3] == {"characteristic": "driver", "mode": "distrust", "value": "self-interest"}
    assert dutch[3] == {"characteristic": "drijfveer", "mode": "wantrouwen", "value": "eigenbelang"}


@pytest.mark.neo4j
def test_levels_not_recorded_read_as_low_on_both_engines(neo4j_store) -> None:
    """A level or commodity not recorded (None: an empty cell; absent in Neo4j) is read as low /
    no by R7 on both engines: the same result as the register that writes low / no out."""
    import dataclasses

    from tests.support.registers import C, make_register

    unrecorded = make_register(
        lots=[
            Lot("K1", dynamics="high"),  # complexity, commodity not recorded
            Lot("K2"),  # nothing recorded: low, low, no
            Lot("K3", complexity="high", commodity=None),
            Lot("K4", commodity=True),
        ],
        contracts=[
            C("C1", "acme", "K1", "distrust"),
            C("C2", "acme", "K2", "distrust"),
            C("C3", "beta", "K3", "reliability"),
            C("C4", "beta", "K4", "distrust"),
        ],
        dependencies=[("K1", "K2"), ("K3", "K4")],
    )
    written_out = dataclasses.replace(
        unrecorded,
        lots={
            i: dataclasses.replace(
                lot,
                complexity=lot.complexity or "low",
                dynamics=lot.dynamics or "low",
                commodity=bool(lot.commodity),
            )
            for i, lot in unrecorded.lots.items()
        },
    )
    rules = load_rules()
    expected = analyze(written_out, rules, as_of=AS_OF)
    assert [r["lot"] for r in expected["mode_fit"]] == ["K1", "K2", "K3"]
    assert as_json(analyze(unrecorded, rules, as_of=AS_OF)) == as_json(expected)
    neo4j_store.load_register(unrecorded)
    stored = neo4j_store.read(
        "MATCH (l:Lot) RETURN l.id AS id, l.complexity AS c, l.dynamics AS d, "
        "l.commodity AS m ORDER BY id"
    )
    assert stored[1] == {"id": "K2", "c": None, "d": None, "m": None}  # absent properties
    assert as_json(analyze(None, None, Neo4jEngine(neo4j_store, as_of=AS_OF))) == as_json(expected)
    for name in ("lot_modes", "mode_fit"):
        assert as_json(
            run_analysis(name, None, None, Neo4jEngine(neo4j_store, as_of=AS_OF))
        ) == as_json(run_analysis(name, unrecorded, rules, as_of=AS_OF)), name
