"""The supplier rules on the embedded engine: R4 (critical without trust), R8 (retained functions),
R9 (concentration), and the sums D1 shares with R9."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal

from sourcing_graph.graph.embedded.context import (
    BY_CLAUSE,
    TRUST,
    Context,
    ContractInfo,
    on_graph,
)
from sourcing_graph.graph.registry import Row
from sourcing_graph.model import money

ZERO = money(0)
"""The sum of no amounts, to the cent."""


def _outsourced(
    ctx: Context, supplier: str | None, flag: str
) -> Iterator[tuple[ContractInfo, str]]:
    """(contract, function) for each function with ``flag`` (``critical``, ``retained``) that a
    contract of an external supplier (``supplier``, when given) delivers; by contract id."""
    flagged = flagged_functions(ctx, flag)
    for c in ctx.contracts:
        if not c.external or (supplier is not None and c.supplier != supplier):
            continue
        for f in c.functions:
            if f in flagged:
                yield c, f


def flagged_functions(ctx: Context, flag: str) -> frozenset[str]:
    """The functions with ``flag`` (``critical``, ``retained``) set (computed once per context)."""
    key = f"functions:{flag}"
    found: frozenset[str] | None = ctx.memo.get(key)
    if found is None:
        found = frozenset(f for f, data in ctx.functions.items() if data.get(flag))
        ctx.memo[key] = found
    return found


@on_graph
def critical_without_trust(ctx: Context, *, supplier: str | None = None) -> list[Row]:
    """R4: external supplier and critical function with no contract in trust (by supplier, function)."""
    delivered: dict[tuple[str, str], list[ContractInfo]] = defaultdict(list)
    for c, f in _outsourced(ctx, supplier, "critical"):  # by contract id: each list is sorted
        delivered[(c.supplier, f)].append(c)
    rows = []
    for (s, f), members in sorted(delivered.items()):
        if any(c.effective == TRUST for c in members):
            continue
        rows.append(
            {
                "supplier": s,
                "function": f,
                "contracts": [c.id for c in members],
                "reasons": [_r4_reason(c) for c in members],
            }
        )
    return rows


def _r4_reason(c: ContractInfo) -> str:
    if c.reason == BY_CLAUSE:
        return "penalty_or_bonus"
    if c.declared is not None:
        return f"declared_{c.declared}"
    return "mode_not_recorded"


@on_graph
def retained_functions(ctx: Context, *, supplier: str | None = None) -> list[Row]:
    """R8: retained functions delivered by external suppliers (by function, then supplier)."""
    delivered: dict[tuple[str, str], list[str]] = defaultdict(list)
    for c, f in _outsourced(ctx, supplier, "retained"):
        delivered[(f, c.supplier)].append(c.id)
    return [
        {"function": f, "supplier": s, "contracts": ids}
        for (f, s), ids in sorted(delivered.items())
    ]


def total_value(members: list[ContractInfo]) -> Decimal:
    """The contracts' annual values added up exactly (a contract without one adds 0)."""
    return sum((c.annual_value for c in members if c.annual_value is not None), ZERO)


def critical_functions(ctx: Context, members: list[ContractInfo]) -> list[str]:
    """The critical functions the contracts deliver, sorted."""
    critical = flagged_functions(ctx, "critical")
    return sorted({f for c in members for f in c.functions if f in critical})


@on_graph
def concentration(ctx: Context, *, supplier: str | None = None) -> list[Row]:
    """R9: per external supplier with a contract: critical functions, lots, contracts, annual value.

    Sorted by the number of critical functions (desc), annual value (desc), then supplier. The
    annual value is an exact decimal sum (the Cypher query sums integer cents), so equal sums tie
    and go by supplier on both engines.
    """
    by_supplier: dict[str, list[ContractInfo]] = defaultdict(list)
    for c in ctx.contracts:
        if c.external and (supplier is None or c.supplier == supplier):
            by_supplier[c.supplier].append(c)
    rows: list[Row] = []
    for s, members in by_supplier.items():
        rows.append(
            {
                "supplier": s,
                "critical_functions": critical_functions(ctx, members),
                "lots": sorted({c.lot for c in members}),
                "contracts": [c.id for c in members],
                "annual_value": total_value(members),
            }
        )
    return by_weight(rows, "supplier")


def by_weight(rows: list[Row], name: str) -> list[Row]:
    """R9 and D1's order: critical functions (desc), annual value (desc), then ``name``."""
    rows.sort(key=lambda r: r[name])
    rows.sort(key=lambda r: (len(r["critical_functions"]), r["annual_value"]), reverse=True)
    return rows
