"""D3-D5 in the report and the tables of the example DORA package (hand-checked in
``tests/data/expected/dora-bank-roi.md``): figures, names beside codes, words in both languages."""

from __future__ import annotations

import re

from sourcing_graph.graph.analyses import analyze
from sourcing_graph.loaders import read_any
from sourcing_graph.ontology.rules import load_rules
from sourcing_graph.views.formats import render
from sourcing_graph.views.locale import Words
from sourcing_graph.views.naming import Names, resolve_reference
from sourcing_graph.views.report import build_report
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
