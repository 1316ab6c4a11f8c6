"""R10-R15 on the embedded engine, on small hand-made registers: every precise point of section 5
of the domain spec, the rule data that changes them (--rules), and exact money."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from sourcing_graph.errors import OntologyError
from sourcing_graph.graph.analyses import analyze, run_analysis
from sourcing_graph.graph.money import amount, cents, exact_sum
from sourcing_graph.model import Function, Lot, Organisation
from sourcing_graph.ontology.rules import load_rules
from tests.support.registers import C, make_register

AS_OF = date(2026, 6, 1)
SSC = Organisation("ssc", "Shared service centre", internal=True)
RULES = load_rules()


def rows(name: str, reg, rules=RULES, **filters):  # type: ignore[no-untyped-def]
    return run_analysis(name, reg, rules, as_of=AS_OF, **filters)


def contracts_of(name: str, reg, rules=RULES) -> list[str]:  # type: ignore[no-untyped-def]
    return [r["contract"] for r in rows(name, reg, rules)]


# -- R10 ----------------------------------------------------------------------------------------


def test_r10_cost_selection_only_where_the_lot_needs_more_than_distrust() -> None:
    reg = make_register(
        lots=[Lot("K-hi", complexity="high"), Lot("K-com", commodity=True), Lot("K-plain")],
        contracts=[
            C("C1", "acme", "K-hi", "trust"),  # cost, lot recommends trust: a finding
            C("C2", "acme", "K-com", "distrust"),  # cost, commodity lot: fits
            C("C3", "acme", "K-plain"),  # cost, lot recommends reliability: a finding
            C("C4", "ssc", "K-hi"),  # internal supplier
            C("C5", "acme", "K-hi"),  # selected on collaboration
            C("C6", "acme", "K-hi"),  # basis not recorded
        ],
        organisations=[SSC],
    )
    for cid in ("C1", "C2", "C3", "C4"):
        reg.contracts[cid].selection_basis = "cost"
    reg.contracts["C5"].selection_basis = "collaboration"
    found = rows("cost_selection", reg)
    assert found == [
        {"contract": "C1", "lot": "K-hi", "supplier": "acme", "recommended": "trust",
         "effective_mode": "trust"},
        {"contract": "C3", "lot": "K-plain", "supplier": "acme", "recommended": "reliability",
         "effective_mode": "unknown"},
    ]  # fmt: skip


# -- R11, R12 -----------------------------------------------------------------------------------


def test_r11_trust_needs_agreed_bounds_and_r12_reliability_joint_evaluation() -> None:
    reg = make_register(
        contracts=[
            C("T1", "acme", "K1", "trust"),
            C("T2", "acme", "K1", "trust", ["freedom_of_movement"]),
            C("T3", "acme", "K1", "trust", ["bonus"]),  # runs on distrust: not R11
            C("T4", "ssc", "K1"),  # internal, trust by R1: not R11
            C("R1", "acme", "K1", "reliability", ["sla"]),
            C("R2", "acme", "K1", "reliability", ["joint_evaluation"]),
            C("R3", "ssc", "K1", "reliability"),  # internal
        ],
        organisations=[SSC],
    )
    assert contracts_of("unbounded_trust", reg) == ["T1"]
    assert contracts_of("reliability_without_evaluation", reg) == ["R1"]
    assert rows("unbounded_trust", reg, supplier="nobody") == []


# -- R13 ----------------------------------------------------------------------------------------


def test_r13_target_blocking_and_missing() -> None:
    reg = make_register(
        lots=[Lot("K-hi", complexity="high"), Lot("K-com", commodity=True), Lot("K-plain")],
        contracts=[
            # declared reliability, lot recommends trust: the target is trust
            C("C1", "acme", "K-hi", "reliability", ["sla", "penalty", "exit", "open_book"]),
            # declared trust lifts a plain lot's target above its recommendation
            C("C2", "acme", "K-plain", "trust", ["obligation", "joint_evaluation"]),
            # at its target: no row (even without the enabling clauses)
            C("C3", "acme", "K-plain", "reliability"),
            # unknown effective mode on a commodity lot: target distrust, nothing missing
            C("C4", "acme", "K-com"),
            # internal supplier: never on the list
            C("C5", "ssc", "K-hi", "distrust"),
        ],
        organisations=[SSC],
    )
    found = {r["contract"]: r for r in rows("contract_review", reg)}
    assert list(found) == ["C1", "C4"]
    assert found["C1"] == {
        "contract": "C1", "lot": "K-hi", "supplier": "acme", "effective_mode": "distrust",
        "target_mode": "trust", "blocking": ["penalty", "sla"],
        "missing": ["freedom_of_movement", "joint_evaluation"],
    }  # fmt: skip
    assert found["C4"]["target_mode"] == "distrust"
    assert found["C4"]["blocking"] == [] and found["C4"]["missing"] == []
    assert "C2" not in found  # trust declared and run


def test_r13_the_sets_are_rule_data() -> None:
    reg = make_register(contracts=[C("C1", "acme", "K1", "reliability", ["reporting"])])
    # an enabling set changed, and reporting made to block reliability
    changed = load_rules(
        """@prefix sg: <https://w3id.org/sourcing-graph/ontology#> .
sg:EnablingReliability sg:clauseTypes ( sg:ReportingClause sg:ExitClause ) .
sg:BlockingReliability sg:clauseTypes () .
"""
    )
    assert changed.enabling["reliability"] == frozenset({"reporting", "exit"})
    assert changed.blocking["reliability"] == frozenset()
    # with no mode recorded the contract falls short of its lot's reliability: the sets decide
    reg.contracts["C1"].mode = None
    assert rows("contract_review", reg, changed)[0]["missing"] == ["exit"]
    assert rows("contract_review", reg)[0]["missing"] == ["joint_evaluation", "sla"]


def test_bad_clause_sets_are_refused() -> None:
    prefix = "@prefix sg: <https://w3id.org/sourcing-graph/ontology#> .\n"
    with pytest.raises(OntologyError, match="sg:clauseTypes names sg:Trust, which is not a clause"):
        load_rules(prefix + "sg:EnablingTrust sg:clauseTypes ( sg:Trust ) .")
    with pytest.raises(OntologyError, match="must be a list"):
        load_rules(prefix + "sg:EnablingTrust sg:clauseTypes sg:SlaClause .")
    with pytest.raises(OntologyError, match="two R13 sets of blocking clauses"):
        load_rules(prefix + "sg:BlockingDistrust sg:forTarget sg:Trust .")
    with pytest.raises(OntologyError, match="sg:days must be 0 or more"):
        load_rules(prefix + "sg:RenegotiationWindow sg:days -1 .")


# -- R14 ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("offset", "listed", "status"),
    [
        (-3000, True, "expired"),  # ended long ago and still in the register
        (-1, True, "expired"),
        (0, True, "ending"),  # ends on the reference date itself
        (365, True, "ending"),  # the window's last day
        (366, False, None),
    ],
)
def test_r14_window_edges(offset: int, listed: bool, status: str | None) -> None:
    reg = make_register(contracts=[C("C1", "acme", "K1", "trust")])
    reg.contracts["C1"].end_date = AS_OF + timedelta(days=offset)
    found = rows("renegotiation_windows", reg)
    assert bool(found) == listed
    if listed:
        assert found[0]["days_left"] == offset and found[0]["status"] == status
        assert found[0]["end_date"] == (AS_OF + timedelta(days=offset)).isoformat()


def test_r14_order_review_flag_and_window_data() -> None:
    reg = make_register(
        contracts=[
            C("C2", "acme", "K1", "trust", ["freedom_of_movement"]),
            C("C1", "acme", "K1", "distrust"),  # on the review list (K1 recommends reliability)
            C("C0", "acme", "K1"),  # no end date: never listed
            C("C3", "ssc", "K1"),  # internal
        ],
        organisations=[SSC],
    )
    end = AS_OF + timedelta(days=30)
    for cid in ("C1", "C2", "C3"):
        reg.contracts[cid].end_date = end
    reg.contracts["C2"].end_date = AS_OF + timedelta(days=10)
    found = rows("renegotiation_windows", reg)
    assert [(r["contract"], r["in_review"]) for r in found] == [("C2", False), ("C1", True)]
    narrow = load_rules(
        "@prefix sg: <https://w3id.org/sourcing-graph/ontology#> .\n"
        "sg:RenegotiationWindow sg:days 20 ."
    )
    assert [r["contract"] for r in rows("renegotiation_windows", reg, narrow)] == ["C2"]


# -- R15 and money ------------------------------------------------------------------------------


def posture(reg, rules=RULES):  # type: ignore[no-untyped-def]
    return analyze(reg, rules, as_of=AS_OF)["posture"]


def test_r15_the_three_sound_options_and_other() -> None:
    everything_in_house = make_register(
        contracts=[C("C1", "ssc", "K1", "trust", value=10.0)], organisations=[SSC]
    )
    assert posture(everything_in_house) == {
        "external_value_by_mode": {"distrust": 0.0, "reliability": 0.0, "trust": 0.0, "unknown": 0.0},
        "external_prime_contractors": [], "basis": None, "verdict": "C", "reasons": [],
    }  # fmt: skip
    a = make_register(contracts=[C("C1", "acme", "K1", "distrust", value=5.0)])
    assert posture(a)["verdict"] == "A"
    b = make_register(contracts=[C("C1", "acme", "K1", "trust", value=5.0)])
    assert posture(b)["verdict"] == "B"
    rel = make_register(contracts=[C("C1", "acme", "K1", "reliability", value=5.0)])
    assert (posture(rel)["verdict"], posture(rel)["reasons"]) == ("other", ["reliability_basis"])
    zero = make_register(contracts=[C("C1", "acme", "K1", "trust", value=0.0)])
    assert posture(zero)["basis"] is None and posture(zero)["reasons"] == ["no_known_basis"]
    external_prime = make_register(
        lots=[Lot("K1", prime_contractor="acme")],
        contracts=[C("C1", "acme", "K1", "trust", value=5.0)],
    )
    assert posture(external_prime)["external_prime_contractors"] == ["acme"]
    assert posture(external_prime)["reasons"] == ["external_prime_contractor"]
    # an external prime contractor without any contract is not option C
    only_prime = make_register(lots=[Lot("K1", prime_contractor="acme")])
    assert posture(only_prime)["verdict"] == "other"
    assert posture(only_prime)["reasons"] == ["external_prime_contractor", "no_known_basis"]


def test_r15_sums_are_exact_and_ties_go_to_the_lower_rank() -> None:
    # 0.10 + 0.20 is 0.3 exactly: a tie with 0.30, so the lower rank (distrust) is the basis
    reg = make_register(
        contracts=[
            C("C1", "acme", "K1", "trust", value=0.1),
            C("C2", "acme", "K1", "trust", value=0.2),
            C("C3", "beta", "K2", "distrust", value=0.3),
            C("C4", "beta", "K2", value=None),
        ],
        functions=[Function("F")],
    )
    found = posture(reg)
    assert found["external_value_by_mode"] == {
        "distrust": 0.3, "reliability": 0.0, "trust": 0.3, "unknown": 0.0,
    }  # fmt: skip
    assert found["basis"] == "distrust" and found["verdict"] == "A"
    assert 0.1 + 0.2 != 0.3  # the float sum would have broken the tie


def test_money_helper() -> None:
    assert cents(None) == 0 and cents(125000.5) == 12500050 and cents(-0.01) == -1
    assert cents(Decimal("0.10")) == 10 and cents(Decimal("0.005")) == 1
    assert amount(30) == 0.3 and amount(-1) == -0.01 and amount(12500050) == 125000.5
    assert exact_sum([0.1, 0.2]) == 0.3 and exact_sum([]) == 0.0
    assert repr(exact_sum([13962610.21, 0.01])) == "13962610.22"


def test_the_result_has_the_reference_date_before_r10() -> None:
    reg = make_register(contracts=[C("C1", "acme", "K1", "trust")])
    keys = list(analyze(reg, RULES, as_of=AS_OF))
    assert keys[keys.index("concentration") + 1 :] == [
        "as_of", "cost_selection", "unbounded_trust", "reliability_without_evaluation",
        "contract_review", "renegotiation_windows", "posture",
    ]  # fmt: skip
    assert analyze(reg, RULES, as_of=AS_OF)["as_of"] == "2026-06-01"
    assert analyze(reg, RULES)["as_of"] == date.today().isoformat()
