"""D5's codes (not substitutable, no exit plan, no alternative: the B_07.01 code values) are
ontology data read by the embedded engine: changing the Turtle changes D5."""

from __future__ import annotations

from sourcing_graph.graph.analyses import run_analysis
from sourcing_graph.ontology.rules import ExitRiskInfo, load_rules
from tests.support.exit_risks import STRICTER, exit_register


def test_the_packaged_ontology_holds_the_b_07_01_codes() -> None:
    assert load_rules().exit_risks == (
        ExitRiskInfo("not_substitutable", "c0050", "substitutability_code", "eba_ZZ:x959"),
        ExitRiskInfo("no_exit_plan", "c0080", "exit_plan_code", "eba_BT:x29"),
        ExitRiskInfo("no_alternative", "c0110", "alternative_providers_code", "eba_BT:x29"),
    )


def test_d5_reads_its_codes_from_the_ontology() -> None:
    register = exit_register()
    packaged = run_analysis("exit_risks", register, load_rules())
    assert [(r["contract"], r["reasons"]) for r in packaged] == [
        ("C2", ["not_substitutable", "no_exit_plan"]),
        ("C3", ["no_alternative"]),
    ]
    stricter = run_analysis("exit_risks", register, load_rules(STRICTER))
    assert [(r["contract"], r["reasons"]) for r in stricter] == [
        ("C1", ["not_substitutable"]),
        ("C2", ["no_exit_plan"]),
        ("C3", ["no_alternative"]),
    ]
