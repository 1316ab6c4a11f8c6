"""The findings a view shows: which nodes each finding of the analysis result marks, with one plain
sentence per finding in the view's language (names beside ids), and counts."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from sourcing_graph.graph.engine import Result
from sourcing_graph.views.legend import FINDINGS
from sourcing_graph.views.locale import Words
from sourcing_graph.views.naming import Names
from sourcing_graph.views.view_graph import NodeKey

Marks = dict[NodeKey, list[tuple[str, str]]]
"""Node -> [(finding key, sentence)]."""


def findings_by_node(
    result: Result, coordinated: dict[str, list[str]], words: Words, names: Names
) -> Marks:
    """The findings of the result on each node they mark: node -> [(finding key, sentence)].

    ``coordinated``: each prime contractor's lots (R5 marks the lots of an external one too).
    """
    add: Marks = defaultdict(list)
    _, show = words.gettext, names.show
    for row in result.get("mode_mismatches", []):
        a, b = row["lot"], row["depends_on"]
        text = _("R3 ({severity}): {a} ({a_mode}) depends on {b} ({b_mode}); {direction}").format(
            severity=words.severity(row["severity"]),
            a=show("lot", a),
            a_mode=words.mode(row["lot_mode"]),
            b=show("lot", b),
            b_mode=words.mode(row["depends_on_mode"]),
            direction=words.term("direction", row["direction"]),
        )
        add[("lot", a)].append(("mode_mismatches", text))
        add[("lot", b)].append(("mode_mismatches", text))
    for row in result.get("critical_without_trust", []):
        pairs = "; ".join(
            f"{c}: {words.term('reason', r)}"
            for c, r in zip(row["contracts"], row["reasons"], strict=True)
        )
        text = _("R4: {supplier} delivers the critical function {function} without trust ({why})")
        text = text.format(
            supplier=show("organisation", row["supplier"]),
            function=show("function", row["function"]),
            why=pairs,
        )
        add[("organisation", row["supplier"])].append(("critical_without_trust", text))
        add[("function", row["function"])].append(("critical_without_trust", text))
        for c in row["contracts"]:
            add[("contract", c)].append(("critical_without_trust", text))
    for row in result.get("coordination_load", []):
        if row.get("external"):
            p = row["prime_contractor"]
            text = _("R5: {prime} is an external prime contractor (score {score})").format(
                prime=show("organisation", p), score=words.number(row["score"])
            )
            add[("organisation", p)].append(("external_prime", text))
            for lot_ref in coordinated.get(p, []):
                add[("lot", lot_ref)].append(("external_prime", text))
    for row in result.get("clause_conflicts", []):
        text = _(
            "R6: {contract} is declared {declared} but runs on {effective} because of {clauses}"
        )
        text = text.format(
            contract=row["contract"],
            declared=words.mode(row["declared_mode"]),
            effective=words.mode(row["effective_mode"]),
            clauses=", ".join(words.term("clause", c) for c in row["clauses"]),
        )
        for key in (
            ("contract", row["contract"]),
            ("lot", row["lot"]),
            ("organisation", row["supplier"]),
        ):
            add[key].append(("clause_conflicts", text))
    for row in result.get("mode_fit", []):
        text = _("R7: {lot} runs on {mode} and needs at least {recommended}").format(
            lot=show("lot", row["lot"]),
            mode=words.mode(row["mode"]),
            recommended=words.mode(row["recommended"]),
        )
        add[("lot", row["lot"])].append(("mode_fit", text))
    _retained_marks(result, add, words, names)
    _review_marks(result, add, words)
    return add


def _retained_marks(result: Result, add: Marks, words: Words, names: Names) -> None:
    """R8 on the function, the supplier and the contracts."""
    _, show = words.gettext, names.show
    for row in result.get("retained_functions", []):
        text = _("R8: the retained function {function} is given to {supplier} ({contracts})")
        text = text.format(
            function=show("function", row["function"]),
            supplier=show("organisation", row["supplier"]),
            contracts=", ".join(row["contracts"]),
        )
        add[("function", row["function"])].append(("retained_functions", text))
        add[("organisation", row["supplier"])].append(("retained_functions", text))
        for c in row["contracts"]:
            add[("contract", c)].append(("retained_functions", text))


def _review_marks(result: Result, add: Marks, words: Words) -> None:
    """R13 and R14 on the contracts they list."""
    _ = words.gettext
    for row in result.get("contract_review", []):
        text = _(
            "R13: {contract} runs on {effective} and should reach {target}; blocking: "
            "{blocking}; missing: {missing}"
        ).format(
            contract=row["contract"],
            effective=words.mode(row["effective_mode"]),
            target=words.mode(row["target_mode"]),
            blocking=", ".join(words.term("clause", c) for c in row["blocking"]) or _("none"),
            missing=", ".join(words.term("clause", c) for c in row["missing"]) or _("none"),
        )
        add[("contract", row["contract"])].append(("contract_review", text))
    for row in result.get("renegotiation_windows", []):
        end = words.date(date.fromisoformat(row["end_date"]))
        days = words.number(abs(row["days_left"]))
        if row["status"] == "expired":
            text = _("R14: {contract} ended on {end}, {days} days ago: renegotiate").format(
                contract=row["contract"], end=end, days=days
            )
        else:
            text = _(
                "R14: {contract} ends on {end}, in {days} days: its renegotiation window"
            ).format(contract=row["contract"], end=end, days=days)
        add[("contract", row["contract"])].append(("renegotiation_windows", text))


def finding_counts(result: Result) -> dict[str, int]:
    """Findings per view finding key (R5 counts the external prime contractors)."""
    counts = {key: len(result.get(key, [])) for key in FINDINGS if key != "external_prime"}
    counts["external_prime"] = sum(
        1 for r in result.get("coordination_load", []) if r.get("external")
    )
    return {key: counts[key] for key in FINDINGS}
