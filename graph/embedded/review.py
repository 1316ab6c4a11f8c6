"""The running-contract rules on the embedded engine: R10 (selected on cost), R11 (trust without
bounds), R12 (reliability without evaluation), R13 (the review worklist), R14 (renegotiation
windows). Each looks at the external contracts only."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, timedelta
from operator import attrgetter

from sourcing_graph.graph.embedded.context import (
    DISTRUST,
    TRUST,
    Context,
    ContractInfo,
    on_graph,
    or_unknown,
)
from sourcing_graph.graph.registry import Row

__all__ = [
    "contract_review",
    "cost_selection",
    "reliability_without_evaluation",
    "renegotiation_windows",
    "target_mode",
    "unbounded_trust",
]

RELIABILITY = "reliability"
COST = "cost"
FREEDOM_OF_MOVEMENT = "freedom_of_movement"
JOINT_EVALUATION = "joint_evaluation"
EXPIRED, ENDING = "expired", "ending"


def _external(ctx: Context, supplier: str | None) -> Iterator[ContractInfo]:
    """The external contracts (of ``supplier``, when given), by contract id."""
    for c in ctx.contracts:
        if c.external and (supplier is None or c.supplier == supplier):
            yield c


def _named(c: ContractInfo) -> Row:
    return {"contract": c.id, "lot": c.lot, "supplier": c.supplier}


@on_graph
def cost_selection(ctx: Context, *, supplier: str | None = None) -> list[Row]:
    """R10: external contracts selected on cost in a lot whose R7 recommendation ranks above
    distrust (by contract)."""
    rows = []
    for c in _external(ctx, supplier):
        recommended = ctx.recommended(c.lot)
        if c.selection_basis == COST and ctx.rank(recommended) > ctx.rank(DISTRUST):
            rows.append(
                {**_named(c), "recommended": recommended, "effective_mode": or_unknown(c.effective)}
            )
    return rows


@on_graph
def unbounded_trust(ctx: Context, *, supplier: str | None = None) -> list[Row]:
    """R11: external contracts in trust without a freedom-of-movement clause (by contract)."""
    return [
        _named(c)
        for c in _external(ctx, supplier)
        if c.effective == TRUST and FREEDOM_OF_MOVEMENT not in c.clauses
    ]


@on_graph
def reliability_without_evaluation(ctx: Context, *, supplier: str | None = None) -> list[Row]:
    """R12: external contracts in reliability without a joint-evaluation clause (by contract)."""
    return [
        _named(c)
        for c in _external(ctx, supplier)
        if c.effective == RELIABILITY and JOINT_EVALUATION not in c.clauses
    ]


def target_mode(ctx: Context, c: ContractInfo) -> str:
    """R13: the higher-ranked of the contract's declared mode and its lot's recommendation."""
    recommended = ctx.recommended(c.lot)
    if c.declared is not None and ctx.rank(c.declared) > ctx.rank(recommended):
        return c.declared
    return recommended


def _under_target(ctx: Context) -> Callable[[ContractInfo], str | None]:
    """R13's test: a contract's target mode when its effective mode is unknown or ranks below it,
    else None (the targets worked out once per lot and declared mode)."""
    rank = ctx.rules.mode_rank
    targets: dict[tuple[str, str | None], str] = {}

    def target_if_under(c: ContractInfo) -> str | None:
        key = (c.lot, c.declared)
        target = targets.get(key)
        if target is None:
            target = targets[key] = target_mode(ctx, c)
        if c.effective is not None and rank[c.effective] >= rank[target]:
            return None
        return target

    return target_if_under


def _review_rows(ctx: Context) -> list[Row]:
    """All R13 rows, unfiltered (computed once per context)."""
    found = ctx.memo.get("review")
    if found is not None:
        return found
    rank = ctx.rules.mode_rank
    blocking = {m: ctx.rules.blocking.get(m, frozenset()) for m in rank}
    enabling = {m: ctx.rules.enabling.get(m, frozenset()) for m in rank}
    under = _under_target(ctx)
    rows = []
    for c in _external(ctx, None):
        target = under(c)
        if target is None:
            continue
        blocked = c.clauses & blocking[target]
        missing = enabling[target] - c.clauses
        rows.append(
            {
                "contract": c.id,
                "lot": c.lot,
                "supplier": c.supplier,
                "effective_mode": or_unknown(c.effective),
                "target_mode": target,
                "blocking": sorted(blocked) if blocked else [],
                "missing": sorted(missing) if missing else [],
            }
        )
    ctx.memo["review"] = rows
    return rows


@on_graph
def contract_review(ctx: Context, *, supplier: str | None = None) -> list[Row]:
    """R13: external contracts whose effective mode is unknown or below their target, with the
    clauses that block the target and the enabling ones they lack (by contract)."""
    return [
        dict(row) for row in _review_rows(ctx) if supplier is None or row["supplier"] == supplier
    ]


@on_graph
def renegotiation_windows(ctx: Context, *, as_of: date, supplier: str | None = None) -> list[Row]:
    """R14: external contracts ending on or before ``as_of`` + the window (ended ones too), by
    end date, then contract."""
    last = as_of + timedelta(days=ctx.rules.window_days)
    under = _under_target(ctx)  # in R13's worklist (the same test, without its rows)
    ending = [c for c in _external(ctx, supplier) if c.end_date is not None and c.end_date <= last]
    ending.sort(key=attrgetter("end_date"))  # stable: contracts stay in id order
    dated: dict[date, tuple[str, int, str]] = {}  # end date -> its text, days left and status
    for end in {c.end_date for c in ending if c.end_date is not None}:
        dated[end] = (end.isoformat(), (end - as_of).days, EXPIRED if end < as_of else ENDING)
    rows = []
    for c in ending:
        text, days_left, status = dated[c.end_date]  # type: ignore[index]  # never None here
        rows.append(
            {
                "contract": c.id,
                "lot": c.lot,
                "supplier": c.supplier,
                "end_date": text,
                "days_left": days_left,
                "status": status,
                "in_review": under(c) is not None,
            }
        )
    return rows
