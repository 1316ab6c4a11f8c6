"""The sourcing posture on the embedded engine (R15): which of the article's three sound options --
A distrust, B trust (each with the own IT organisation as prime contractor), C everything in-house
-- the register follows, or ``other`` and why.

The annual values are summed exactly, in cents (:mod:`sourcing_graph.graph.money`), so that ties
between modes are real ties and the sums carry no binary noise.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sourcing_graph.graph.embedded.context import DISTRUST, TRUST, UNKNOWN, Context, on_graph
from sourcing_graph.graph.money import amount, cents
from sourcing_graph.graph.registry import Row

__all__ = ["posture", "verdict"]

RELIABILITY = "reliability"


def verdict(
    sums: dict[str, int], modes: Sequence[str], primes: list[str], external_contracts: int
) -> dict[str, Any]:
    """R15's ``basis``, ``verdict`` and ``reasons`` from the cents per mode (``modes``: the known
    modes, lowest rank first), the external prime contractors and the number of external
    contracts."""
    basis = None
    for mode in modes:  # ties go to the lower rank: a later mode must be strictly larger
        if sums.get(mode, 0) > 0 and (basis is None or sums[mode] > sums[basis]):
            basis = mode
    if external_contracts == 0 and not primes:
        option = "C"
    elif not primes and basis == DISTRUST:
        option = "A"
    elif not primes and basis == TRUST:
        option = "B"
    else:
        option = "other"
    reasons = []
    if option == "other":
        if primes:
            reasons.append("external_prime_contractor")
        if basis == RELIABILITY:
            reasons.append("reliability_basis")
        if basis is None:
            reasons.append("no_known_basis")
    return {"basis": basis, "verdict": option, "reasons": sorted(reasons)}


@on_graph
def posture(ctx: Context) -> list[Row]:
    """R15: the sourcing posture, one row (the result holds the row itself, not a list)."""
    modes = sorted(ctx.rules.mode_rank, key=lambda m: (ctx.rank(m), m))
    sums = dict.fromkeys([*modes, UNKNOWN], 0)
    external = 0
    for c in ctx.contracts:
        if c.external:
            external += 1
            key = c.effective or UNKNOWN
            sums[key] = sums.get(key, 0) + cents(c.annual_value)
    primes = sorted({p for p in map(ctx.prime, ctx.lots) if not ctx.internal.get(p, False)})
    return [
        {
            "external_value_by_mode": {mode: amount(total) for mode, total in sums.items()},
            "external_prime_contractors": primes,
            **verdict(sums, modes, primes, external),
        }
    ]
