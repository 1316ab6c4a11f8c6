"""The findings a view shows: which nodes each finding of the analysis result marks, and counts."""

from __future__ import annotations

from collections import defaultdict

from sourcing_graph.graph.engine import Result
from sourcing_graph.views.legend import FINDINGS
from sourcing_graph.views.view_graph import NodeKey


def findings_by_node(
    result: Result, coordinated: dict[str, list[str]]
) -> dict[NodeKey, list[tuple[str, str]]]:
    """The findings of the result on each node they mark: node -> [(finding key, text)].

    ``coordinated``: each prime contractor's lots (R5 marks the lots of an external one too).
    """
    add: dict[NodeKey, list[tuple[str, str]]] = defaultdict(list)
    for row in result.get("mode_mismatches", []):
        a, b = row["lot"], row["depends_on"]
        text = (
            f"R3 {row['severity']}: {a} ({row['lot_mode']}) depends on {b} "
            f"({row['depends_on_mode']}), {row['direction'].replace('_', ' ')}"
        )
        add[("lot", a)].append(("mode_mismatches", text))
        add[("lot", b)].append(("mode_mismatches", text))
    for row in result.get("critical_without_trust", []):
        pairs = ", ".join(
            f"{c}: {r}" for c, r in zip(row["contracts"], row["reasons"], strict=True)
        )
        text = f"R4: {row['supplier']} delivers critical {row['function']} without trust ({pairs})"
        add[("organisation", row["supplier"])].append(("critical_without_trust", text))
        add[("function", row["function"])].append(("critical_without_trust", text))
        for c in row["contracts"]:
            add[("contract", c)].append(("critical_without_trust", text))
    for row in result.get("coordination_load", []):
        if row.get("external"):
            p = row["prime_contractor"]
            text = f"R5: {p} is an external prime contractor (score {row['score']})"
            add[("organisation", p)].append(("external_prime", text))
            for lot in coordinated.get(p, []):
                add[("lot", lot)].append(("external_prime", text))
    for row in result.get("clause_conflicts", []):
        text = (
            f"R6: {row['contract']} declares {row['declared_mode']} but is "
            f"{row['effective_mode']} by {', '.join(row['clauses'])}"
        )
        for key in (
            ("contract", row["contract"]),
            ("lot", row["lot"]),
            ("organisation", row["supplier"]),
        ):
            add[key].append(("clause_conflicts", text))
    for row in result.get("mode_fit", []):
        text = f"R7: {row['lot']} runs in {row['mode']}, needs at least {row['recommended']}"
        add[("lot", row["lot"])].append(("mode_fit", text))
    for row in result.get("retained_functions", []):
        text = (
            f"R8: retained function {row['function']} given to {row['supplier']} "
            f"({', '.join(row['contracts'])})"
        )
        add[("function", row["function"])].append(("retained_functions", text))
        add[("organisation", row["supplier"])].append(("retained_functions", text))
        for c in row["contracts"]:
            add[("contract", c)].append(("retained_functions", text))
    return add


def finding_counts(result: Result) -> dict[str, int]:
    """Findings per view finding key (R5 counts the external prime contractors)."""
    counts = {key: len(result.get(key, [])) for key in FINDINGS if key != "external_prime"}
    counts["external_prime"] = sum(
        1 for r in result.get("coordination_load", []) if r.get("external")
    )
    return {key: counts[key] for key in FINDINGS}
