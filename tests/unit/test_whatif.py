"""What-if scenarios on the embedded engine: the scenario reader (forms and errors), the changes,
the delta, the example scenarios' hand-checked deltas, and the central property: ``after`` is
exactly what ``analyze`` gives for the register's CSV files edited by hand in the same way.

Case counts of the property test: with ``CI=true`` a fixed, derandomized number
(:data:`CI_CASES`); locally ``SG_WHATIF_EXAMPLES`` (default 60).
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench.generate import write_register
from sourcing_graph.errors import ScenarioError
from sourcing_graph.graph.analyses import analyze
from sourcing_graph.graph.whatif import apply_changes, delta, what_if
from sourcing_graph.loaders.csv_reader import read_register
from sourcing_graph.loaders.scenario import read_scenario
from sourcing_graph.model import Change
from sourcing_graph.ontology.rules import load_rules
from sourcing_graph.text import json_text
from tests.support import EXAMPLES, IN_CI
from tests.support.random_registers import registers as parity_registers
from tests.support.whatif_cases import AS_OF, FORMS, edit_csv, registers, scenarios, write_scenario

RULES = load_rules()
SCENARIOS = EXAMPLES / "scenarios"
CI_CASES = 200
"""Cases of the property test in CI (derandomized: the same cases on every run)."""
WHATIF_SETTINGS = settings(
    max_examples=CI_CASES if IN_CI else int(os.environ.get("SG_WHATIF_EXAMPLES", "60")),
    derandomize=IN_CI,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def as_json(value: object) -> str:
    return json_text(value, indent=1)  # as the tool writes it (amounts exact decimals)


@pytest.fixture(scope="module")
def waterland():  # type: ignore[no-untyped-def]
    return read_register(EXAMPLES / "gemeente-waterland")


# -- the reader ---------------------------------------------------------------------------------


def test_a_dutch_semicolon_file_with_a_byte_order_mark_and_a_note(
    tmp_path: Path, waterland
) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "s.csv"
    text = (
        "Doel ; WIJZIGING;waarde;toelichting\r\n"
        " kavel : K02 ;Hoofdaannemer-instellen; own-it ;de eigen IT regisseert\r\n"
        ";;;\r\n"  # a blank row
        "leverancier:kwelder;intern instellen;Ja;\r\n"
        "contract:WL-09;vorm instellen;Vertrouwen;\r\n"
        "contract:WL-09;selectiebasis instellen;;\r\n"
        "contract:WL-09;clausule toevoegen;Openheid van zaken;\r\n"
    )
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert read_scenario(path, waterland) == [
        Change("set_prime_contractor", "K02", "own-it"),
        Change("set_internal", "kwelder", True),
        Change("set_mode", "WL-09", "trust"),
        Change("set_selection_basis", "WL-09", None),
        Change("add_clause", "WL-09", "open_book"),
    ]
    assert read_scenario(path, waterland)[2].source == f"{path}:5"


def test_windows_1252_and_tabs(tmp_path: Path) -> None:
    from tests.support.registers import C, make_register

    reg = make_register(contracts=[C("café", "acme", "K1", "trust", ["exit"])])
    path = tmp_path / "s.csv"
    path.write_bytes(
        "target\tchange\tvalue\ncontract:café\tdrop_clause\tbeëindiging\n".encode("cp1252")
    )
    assert read_scenario(path, reg) == [Change("drop_clause", "café", "exit")]


BAD = """target,change,value
contract:WL-99,set_mode,trust
lot:K02,set_mode,trust
contract:WL-01,add_clause,boetes
contract:WL-01,set_mode,partnership
supplier:own-it,set_internal,no
lot:K01,set_prime_contractor,
lot:K01,set_prime_contractor,nobody
thing:1,set_mode,trust
contract:WL-01,frobnicate,x
contract:WL-01,set_selection_basis,goedkoop
"""


def test_bad_rows_are_errors_with_line_and_column_and_nothing_is_read(
    tmp_path: Path, waterland
) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "bad.csv"
    path.write_text(BAD, encoding="utf-8")
    with pytest.raises(ScenarioError, match="the scenario has 10 error") as caught:
        read_scenario(path, waterland)
    where = [(p.line, p.column, p.message) for p in caught.value.problems]
    assert where == [
        (2, 1, "unknown contract 'WL-99'"),
        (3, 2, "set_mode does not apply to a lot"),
        (4, 3, "not a valid value for add_clause"),
        (5, 3, "not a valid value for set_mode"),
        (6, 3, "not a valid value for set_internal"),
        (7, 3, "not a valid value for set_prime_contractor"),
        (8, 3, "not a valid value for set_prime_contractor"),
        (9, 1, "not a target"),
        (10, 2, "not a change"),
        (11, 3, "not a valid value for set_selection_basis"),
    ]
    problems = {p.line: p for p in caught.value.problems}
    assert problems[6].expected is not None and "own-it" in problems[6].expected
    assert problems[7].value == "" and "not empty" in (problems[7].expected or "")
    assert all(p.file == str(path) for p in caught.value.problems)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "the file is empty"),
        ("\n\n", "the file has no header"),
        ("target,change\ncontract:WL-01,set_mode\n", "missing required column value"),
        ("doel,target,change,value\n", "two columns name target"),
    ],
)
def test_bad_files(tmp_path: Path, waterland, text: str, message: str) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "s.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ScenarioError, match=message):
        read_scenario(path, waterland)


# -- changes and delta --------------------------------------------------------------------------


def test_apply_changes_leaves_the_register_alone(waterland) -> None:  # type: ignore[no-untyped-def]
    changed = apply_changes(
        waterland,
        [
            Change("drop_clause", "WL-01", "penalty"),
            Change("drop_clause", "WL-01", "penalty"),  # dropping one it lacks changes nothing
            Change("add_clause", "WL-02", "bonus"),
            Change("set_mode", "WL-02", None),
            Change("set_prime_contractor", "K02", "own-it"),
            Change("set_internal", "kwelder", True),
        ],
    )
    assert "penalty" in waterland.contracts["WL-01"].clauses
    assert changed.contracts["WL-01"].clauses == frozenset({"reporting", "sla"})
    assert changed.contracts["WL-02"].mode is None and "bonus" in changed.contracts["WL-02"].clauses
    assert waterland.lots["K02"].prime_contractor == "kwelder"
    assert changed.lots["K02"].prime_contractor == "own-it"
    assert changed.is_internal("kwelder") and not waterland.is_internal("kwelder")


def test_delta_of_nothing_is_empty(waterland) -> None:  # type: ignore[no-untyped-def]
    out = what_if(waterland, [], RULES, as_of=AS_OF)
    assert out["before"] == out["after"]
    lists = {k: v for k, v in out["delta"].items() if k not in ("score_change", "verdict")}
    assert all(v == {"added": [], "removed": []} for v in lists.values())
    assert all(row["change"] == 0 for row in out["delta"]["score_change"])
    assert out["delta"]["verdict"] == {"before": "other", "after": "other"}
    assert delta(out["before"], out["after"]) == out["delta"]


@pytest.mark.parametrize(
    ("register", "scenario"),
    [("gemeente-waterland", "gemeente-waterland-regie"), ("acme-retail", "acme-retail-trust")],
)
def test_the_example_scenarios_give_their_hand_checked_delta(register: str, scenario: str) -> None:
    reg = read_register(EXAMPLES / register)
    changes = read_scenario(SCENARIOS / f"{scenario}.csv", reg)
    out = what_if(reg, changes, RULES, as_of=AS_OF)
    expected = json.loads((SCENARIOS / f"{scenario}.delta.json").read_text(encoding="utf-8"))
    assert out["delta"] == expected
    assert out["before"] == analyze(reg, RULES, as_of=AS_OF)


# -- the central property -----------------------------------------------------------------------


@WHATIF_SETTINGS
@given(data=st.data(), register=registers(), form=FORMS)
def test_after_is_the_analysis_of_the_csv_files_edited_by_hand(data, register, form) -> None:  # type: ignore[no-untyped-def]
    changes = data.draw(scenarios(register))
    with tempfile.TemporaryDirectory() as tmp:
        folder = write_register(register, Path(tmp) / "register")
        original = read_register(folder)
        path = write_scenario(Path(tmp) / "scenario.csv", changes, form)
        read = read_scenario(path, original)
        assert read == changes
        out = what_if(original, read, RULES, as_of=AS_OF)
        edited = Path(tmp) / "edited"
        shutil.copytree(folder, edited)
        edit_csv(edited, changes)
        expected = analyze(read_register(edited), RULES, as_of=AS_OF)
    assert as_json(out["after"]) == as_json(expected)
    assert as_json(out["before"]) == as_json(analyze(original, RULES, as_of=AS_OF))


@WHATIF_SETTINGS
@given(data=st.data(), register=registers())
def test_changes_to_the_graph_give_the_graph_of_the_changed_register(data, register) -> None:  # type: ignore[no-untyped-def]
    from sourcing_graph.graph.embedded import to_networkx
    from sourcing_graph.graph.whatif import apply_to_graph

    changes = data.draw(scenarios(register))
    graph = to_networkx(register)
    apply_to_graph(graph, changes)
    expected = to_networkx(apply_changes(register, changes))
    assert dict(graph.nodes(data=True)) == dict(expected.nodes(data=True))
    assert sorted(graph.edges(keys=True, data=True), key=repr) == sorted(
        expected.edges(keys=True, data=True), key=repr
    )


ROWS = st.lists(
    st.dictionaries(
        st.sampled_from(["a", "b", "c"]),
        st.none()
        | st.integers(0, 2)
        | st.sampled_from(["x", "y"])
        | st.lists(st.sampled_from(["x", "y"]), max_size=2),
        max_size=3,
    ).map(lambda row: {k: row[k] for k in sorted(row)}),  # an analysis' fields in one order
    max_size=6,
)


@settings(max_examples=300, deadline=None)
@given(old=ROWS, new=ROWS)
def test_the_rows_added_and_removed_are_those_a_plain_search_finds(old, new) -> None:  # type: ignore[no-untyped-def]
    """Whatever the rows (fields missing, lists, None; each row's fields in the order of its
    analysis), the delta's ``added`` and ``removed`` are what ``not in`` gives, in order and as
    the same objects."""
    found = delta({"k": old}, {"k": new})["k"]
    assert [id(r) for r in found["added"]] == [id(r) for r in new if r not in old]
    assert [id(r) for r in found["removed"]] == [id(r) for r in old if r not in new]


LONG_ROWS = st.lists(
    st.builds(
        lambda n, tag: {"n": n, "tags": [tag] if tag else []},
        st.integers(0, 40),
        st.sampled_from(["", "x"]),
    ),
    max_size=700,
)
EDITS = st.lists(
    st.tuples(
        st.sampled_from(["insert", "remove", "replace"]), st.integers(0, 700), st.integers(0, 45)
    ),
    max_size=40,
)


@settings(max_examples=200, deadline=None)
@given(old=LONG_ROWS, edits=EDITS)
def test_the_rows_added_and_removed_of_long_results_a_few_edits_apart(old, edits) -> None:  # type: ignore[no-untyped-def]
    """Long results (up to 700 rows, many equal rows, a list in each) a few edits apart, and
    some many edits apart: ``added`` and ``removed`` are what ``not in`` gives, in order and as
    the same objects (whether the lists are walked in step or looked at row by row)."""
    new = list(old)
    for kind, at, n in edits:
        at = at % (len(new) + 1)
        row = {"n": n, "tags": []}
        if kind == "insert":
            new.insert(at, row)
        elif new and at < len(new):
            if kind == "remove":
                del new[at]
            else:
                new[at] = row
    found = delta({"k": old}, {"k": new})["k"]
    assert [id(r) for r in found["added"]] == [id(r) for r in new if r not in old]
    assert [id(r) for r in found["removed"]] == [id(r) for r in old if r not in new]


def _context_parts(ctx):  # type: ignore[no-untyped-def]
    """What a context holds for the analyses (all but the graph, the rules and the memos)."""
    return (
        ctx.internal,
        ctx.lots,
        ctx.functions,
        ctx.contracts,
        ctx.dependencies,
        ctx.lot_contracts,
        ctx.lot_mode,
        ctx.lot_external,
        ctx.coordinated,
        ctx.parent,
    )


@WHATIF_SETTINGS
@given(data=st.data(), register=registers())
def test_the_context_read_from_the_register_is_the_one_read_from_its_graph(data, register) -> None:  # type: ignore[no-untyped-def]
    """What the what-if reads without a graph (before, and after with the untouched contracts
    kept) is what ``prepare`` reads from the graph of the same register."""
    from sourcing_graph.graph.embedded import prepare, to_networkx
    from sourcing_graph.graph.embedded.context import register_context

    changes = data.draw(scenarios(register))
    before = register_context(register, RULES)
    assert _context_parts(before) == _context_parts(prepare(to_networkx(register), RULES))
    changed = apply_changes(register, changes)
    after = register_context(
        changed,
        RULES,
        reuse=before,
        contracts={
            c.target for c in changes if c.kind not in ("set_internal", "set_prime_contractor")
        },
        organisations={c.target for c in changes if c.kind == "set_internal"},
    )
    assert _context_parts(after) == _context_parts(prepare(to_networkx(changed), RULES))
    assert before.dora is False and after.dora is False


@WHATIF_SETTINGS
@given(register=parity_registers())
def test_the_context_of_a_parity_register_is_the_one_read_from_its_graph(register) -> None:  # type: ignore[no-untyped-def]
    """The parity test's registers (DORA data, levels not recorded, extra columns) read both ways."""
    from sourcing_graph.graph.embedded import prepare, to_networkx
    from sourcing_graph.graph.embedded.context import register_context

    expected = prepare(to_networkx(register), RULES)
    assert _context_parts(register_context(register, RULES)) == _context_parts(expected)


@pytest.mark.parametrize("register", ["gemeente-waterland", "acme-retail"])
def test_the_examples_context_read_from_the_register_is_the_one_of_its_graph(register: str) -> None:
    from sourcing_graph.graph.embedded import prepare, to_networkx
    from sourcing_graph.graph.embedded.context import has_dora_data, register_context

    reg = read_register(EXAMPLES / register)
    assert not has_dora_data(reg)
    expected = prepare(to_networkx(reg), RULES)
    assert _context_parts(register_context(reg, RULES)) == _context_parts(expected)


def test_a_register_with_dora_data_gives_the_analysis_of_the_changed_register(waterland) -> None:  # type: ignore[no-untyped-def]
    """With ultimate parents (DORA data) the what-if changes the graph (D1 walks it): "after" is
    still ``analyze`` of the changed register, D1 included."""
    import dataclasses

    from sourcing_graph.graph.embedded import to_networkx
    from sourcing_graph.graph.embedded.context import has_dora_data
    from sourcing_graph.graph.embedded.dora import has_supply_chain_data

    first, second = sorted(o for o in waterland.organisations if o != "own-it")[:2]
    orgs = dict(waterland.organisations)
    orgs[first] = dataclasses.replace(orgs[first], parent=second)
    reg = dataclasses.replace(waterland, organisations=orgs)
    assert has_dora_data(reg) and has_supply_chain_data(to_networkx(reg))
    assert not has_dora_data(waterland) and not has_supply_chain_data(to_networkx(waterland))
    changes = read_scenario(SCENARIOS / "gemeente-waterland-regie.csv", reg)
    out = what_if(reg, changes, RULES, as_of=AS_OF)
    assert "parent_concentration" in out["after"]
    assert as_json(out["after"]) == as_json(
        analyze(apply_changes(reg, changes), RULES, as_of=AS_OF)
    )
    assert as_json(out["before"]) == as_json(analyze(reg, RULES, as_of=AS_OF))


def test_the_readme_shows_the_whatif_output_as_it_is() -> None:
    import re

    from sourcing_graph.views.locale import Words
    from sourcing_graph.views.naming import Names
    from sourcing_graph.views.whatif import render_what_if
    from tests.support import ROOT

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    [block] = re.findall(r"\$ sourcing-graph whatif (.*?)\n(.*?)```", readme, re.DOTALL)
    reg = read_register(EXAMPLES / "acme-retail")
    out = what_if(reg, read_scenario(SCENARIOS / "acme-retail-trust.csv", reg), as_of=AS_OF)
    text = render_what_if(out, "table", rules=RULES, words=Words.of(reg), names=Names.of(reg))
    shown = [line for line in block[1].splitlines() if line.strip() and line != "..."]
    assert shown and all(line in text.splitlines() for line in shown)
