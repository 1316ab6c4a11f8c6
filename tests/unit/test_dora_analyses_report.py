"""D3-D5 in the report and the tables of the example DORA package (hand-checked in
``tests/data/expected/dora-bank-roi.md``): figures, names beside codes, words in both languages."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest

from sourcing_graph.errors import ViewError
from sourcing_graph.graph.analyses import analyze
from sourcing_graph.loaders import read_any
from sourcing_graph.ontology.rules import load_rules
from sourcing_graph.text import json_text
from sourcing_graph.views.formats import render
from sourcing_graph.views.locale import Words
from sourcing_graph.views.naming import Names, resolve_reference
from sourcing_graph.views.report import build_report
from tests.support import codes_only
from tests.support.dora import OVERLAY, PACKAGE


def figures(html: str) -> dict[str, str]:
    found = re.findall(r'data-figure="([a-z_]+)"><span class="sg-value">([0-9]+)</span>', html)
    return dict(found)


def test_the_report_gives_d1_to_d5_as_figures() -> None:
    register = read_any(PACKAGE, overlay=OVERLAY)
    html = build_report(register, lang="nl")
    got = figures(html)
    # D1: NOVA-GROUP, CORESYS, NETLINE-HOLD, SECUROPS hold critical functions; D2: F01 reaches
    # rank 4; D3: DATAVAULT and FIBRELINK support F01 only in a chain; D4: FIBRELINK; D5: 3 rows
    assert {k: got[k] for k in got if k in {"parent_concentration", "supply_chains"}} == {
        "parent_concentration": "4",
        "supply_chains": "4",
    }
    assert got["indirect_concentration"] == "2"
    assert got["shared_subcontractors"] == "1" and got["exit_risks"] == "3"
    assert "D5 kritieke functies zonder uitweg" in html
    assert "gedeelde onderaannemers achter onafhankelijke dienstverleners" in html.lower()


def test_tables_name_providers_and_words_in_both_languages() -> None:
    rules = load_rules()
    register = read_any(PACKAGE, overlay=OVERLAY, rules=rules)
    result = analyze(register, rules)
    names = Names.of(register)
    for lang, level, reason in (
        ("nl", "concern", "geen exitplan"),
        ("en", "group", "no exit plan"),
    ):
        text = render(result, "markdown", rules=rules, words=Words.of(register, lang), names=names)
        assert "FibreLink Backbone SE \\(LEI-FIBRELINK\\)" in text
        assert f"| {level} |" in text and reason in text


def test_a_provider_name_stands_for_its_code() -> None:
    register = read_any(PACKAGE)
    assert resolve_reference(register, "organisation", "coresys banking software gmbh", "x") == (
        "LEI-CORESYS"
    )
    assert resolve_reference(register, "organisation", "LEI-CORESYS", "x") == "LEI-CORESYS"
    assert resolve_reference(register, "organisation", "Nobody", "x") == "Nobody"
    assert resolve_reference(register, "function", "Payments processing", "x") == "F01"


def test_json_and_csv_put_names_beside_codes_only_when_given_names() -> None:
    rules = load_rules()
    register = read_any(PACKAGE, overlay=OVERLAY, rules=rules)
    result = analyze(register, rules)
    assert render(result, "json") == json_text(result, indent=2)  # the library's own result
    named = json.loads(render(result, "json", names=Names.of(register)))
    assert codes_only(named) == json.loads(render(result, "json"))
    [fibre] = named["shared_subcontractors"]
    assert fibre["subcontractor_name"] == "FibreLink Backbone SE"
    assert fibre["critical_functions_names"] == ["Payments processing"]
    d1 = {r["parent"]: r for r in named["parent_concentration"]}
    assert d1["LEI-NOVA-GROUP"]["parent_name"] == "Nova Cloud Group Holdings Inc."
    assert named["coordination_load"][0]["lots"] == result["coordination_load"][0]["lots"]
    assert "lots_names" not in named["coordination_load"][0]  # a count, not ids
    rows = list(csv.reader(io.StringIO(render(result, "csv", names=Names.of(register)))))
    header = rows[0]
    assert header[header.index("subcontractor") + 1] == "subcontractor_name"
    d4 = next(r for r in rows if r[0] == "shared_subcontractors")
    assert d4[header.index("subcontractor_name")] == "FibreLink Backbone SE"
    assert "subcontractor_name" not in next(csv.reader(io.StringIO(render(result, "csv"))))


def test_names_read_from_rows_resolve_a_provider_by_name() -> None:
    """The names of a register in Neo4j (rows of kind, id, name) resolve as the register does."""
    register = read_any(PACKAGE)
    rows = [
        {"kind": kind, "id": ref, "name": e.name}
        for kind, table in (
            ("organisation", register.organisations),
            ("function", register.functions),
        )
        for ref, e in table.items()
    ]
    names = Names.of_rows(rows)
    for text in ("coresys banking software gmbh", "LEI-CORESYS", "Nobody"):
        assert resolve_reference(names, "organisation", text, "x") == resolve_reference(
            register, "organisation", text, "x"
        )
    assert resolve_reference(names, "function", "Payments processing", "x") == "F01"
    with pytest.raises(ViewError, match="unknown supplier 'Nobody'"):
        resolve_reference(names, "organisation", "Nobody", "supplier", known=True)
    assert resolve_reference(Names(), "organisation", "Nobody", "x", known=True) == "Nobody"
    assert names.show("organisation", "LEI-FIBRELINK") == "FibreLink Backbone SE (LEI-FIBRELINK)"
