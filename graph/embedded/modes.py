"""The mode rules on the embedded engine: R3 (mismatches), R6 (clause conflicts), R7 (mode fit)."""

from __future__ import annotations

from sourcing_graph.graph.embedded.context import BY_CLAUSE, Context, on_graph
from sourcing_graph.graph.registry import Row, check_severity


def all_mismatches(ctx: Context) -> list[Row]:
    """All R3 findings, unfiltered (computed once per context: R5 needs them too)."""
    found = ctx.memo.get("mismatches")
    if found is not None:
        return found
    rows = []
    for a, b in ctx.dependencies:  # already sorted by lot, depends_on
        mode_a, mode_b = ctx.lot_mode.get(a), ctx.lot_mode.get(b)
        if mode_a is None or mode_b is None or mode_a == mode_b:
            continue
        rows.append(
            {
                "lot": a,
                "depends_on": b,
                "lot_mode": mode_a,
                "depends_on_mode": mode_b,
                "severity": ctx.rules.severity.get(frozenset((mode_a, mode_b))),
                "direction": "weaker_dependency"
                if ctx.rank(mode_b) < ctx.rank(mode_a)
                else "weaker_dependent",
            }
        )
    ctx.memo["mismatches"] = rows
    return rows


def _at_least(severity: str | None, min_severity: str | None, rank: dict[str, int]) -> bool:
    """Whether an R3 severity passes the ``min_severity`` filter (None lets everything pass).

    ``rank`` is the rules' ``severity_rank`` (higher is more severe); a row whose severity has no
    rank never passes a filter.
    """
    if min_severity is None:
        return True
    check_severity(min_severity, rank)
    return severity in rank and rank[severity] >= rank[min_severity]


@on_graph
def mode_mismatches(
    ctx: Context, *, min_severity: str | None = None, prime_contractor: str | None = None
) -> list[Row]:
    """R3: dependencies between lots whose modes are known and differ (by lot, then depends_on)."""
    rank = ctx.rules.severity_rank
    check_severity(min_severity, rank)  # reject an unknown level even when nothing mismatches
    return [
        dict(row)
        for row in all_mismatches(ctx)
        if _at_least(row["severity"], min_severity, rank)
        and (
            prime_contractor is None
            or prime_contractor in (ctx.prime(row["lot"]), ctx.prime(row["depends_on"]))
        )
    ]


@on_graph
def clause_conflicts(ctx: Context, *, supplier: str | None = None) -> list[Row]:
    """R6: contracts a clause forced below their declared mode (by contract)."""
    return [
        {
            "contract": c.id,
            "lot": c.lot,
            "supplier": c.supplier,
            "declared_mode": c.declared,
            "effective_mode": c.effective,
            "clauses": list(c.forcing),
        }
        for c in ctx.contracts
        if c.reason == BY_CLAUSE
        and c.declared is not None
        and c.effective is not None
        and ctx.rank(c.effective) < ctx.rank(c.declared)
        and (supplier is None or c.supplier == supplier)
    ]


@on_graph
def mode_fit(ctx: Context) -> list[Row]:
    """R7: lots whose known mode ranks below the recommended minimum (by lot)."""
    rows = []
    for lot_id in sorted(ctx.lots):
        mode = ctx.lot_mode[lot_id]
        if mode is None:
            continue
        recommended = ctx.recommended(lot_id)
        if ctx.rank(mode) < ctx.rank(recommended):
            rows.append({"lot": lot_id, "mode": mode, "recommended": recommended})
    return rows
