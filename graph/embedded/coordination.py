"""The coordination rule on the embedded engine: R5, the coordination load of each prime contractor."""

from __future__ import annotations

from collections import defaultdict

from sourcing_graph.graph.embedded.context import DISTRUST, Context, on_graph
from sourcing_graph.graph.embedded.modes import all_mismatches
from sourcing_graph.graph.registry import Row
from sourcing_graph.ontology.rules import COORDINATION_MEASURES

MEASURES = COORDINATION_MEASURES
"""The R5 measures, in the order of the JSON result; the weights are keyed by these names."""


def _weighted(weights: dict[str, float], values: dict[str, int]) -> int | float:
    """The R5 score: an int when every weight is a whole number, else a float.

    Summed left to right in :data:`MEASURES` order, as the Cypher query does, so floats agree.
    """
    score: int | float = 0
    for measure in MEASURES:
        score = score + weights.get(measure, 0) * values[measure]
    if all(float(w).is_integer() for w in weights.values()):
        return int(score)
    return float(score)


@on_graph
def coordination_load(ctx: Context, *, prime_contractor: str | None = None) -> list[Row]:
    """R5: the coordination load of every prime contractor (by score desc, then prime contractor)."""
    touching: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for a, b in ctx.dependencies:
        touching[ctx.prime(a)].add((a, b))
        touching[ctx.prime(b)].add((a, b))
    mismatched: dict[str, int] = defaultdict(int)
    for row in all_mismatches(ctx):
        for p in {ctx.prime(row["lot"]), ctx.prime(row["depends_on"])}:
            mismatched[p] += 1
    rows = []
    for p, lot_ids in sorted(ctx.coordinated.items()):
        if prime_contractor is not None and p != prime_contractor:
            continue
        members = [c for lot_id in lot_ids for c in ctx.lot_contracts.get(lot_id, [])]
        values = {
            "lots": len(lot_ids),
            "suppliers": len({c.supplier for c in members if c.external}),
            "interfaces": sum(
                1 for a, b in touching.get(p, ()) if ctx.lot_external[a] != ctx.lot_external[b]
            ),
            "distrust_lots": sum(1 for lot_id in lot_ids if ctx.lot_mode[lot_id] == DISTRUST),
            "mismatches": mismatched.get(p, 0),
            "penalty_bonus_clauses": sum(len(c.forcing) for c in members),
        }
        rows.append(
            {
                "prime_contractor": p,
                **values,
                "score": _weighted(ctx.rules.coordination_weights, values),
                "external": not ctx.internal.get(p, False),
            }
        )
    rows.sort(key=lambda r: r["prime_contractor"])
    rows.sort(key=lambda r: r["score"], reverse=True)
    return rows
