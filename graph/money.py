"""Exact money: amounts counted in whole cents, summed as integers, written without binary noise.

The one place an annual value becomes a number that sums exactly (R15 on both engines: the
embedded engine calls :func:`cents`, the Cypher of ``queries/posture.cypher`` does the same
arithmetic, ``toInteger(floor(value * 100 + 0.5))``, step for step in IEEE doubles, so both give
the same cents for every value). An amount of whole cents, the register's own precision for money,
is read exactly; a sub-cent remainder is rounded to the nearest cent (half up). Sums of cents are
exact integers, and :func:`amount` turns them into the float JSON writes with the fewest digits:

>>> amount(cents(0.1) + cents(0.2)), amount(cents(125000.5) + cents(None))
(0.3, 125000.5)
>>> exact_sum([0.1, 0.2, 0.3]) == 0.6
True
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from decimal import ROUND_FLOOR, Decimal

__all__ = ["amount", "cents", "exact_sum"]

_HALF = Decimal("0.5")


def cents(value: float | int | Decimal | None) -> int:
    """An annual value in whole cents (None: 0): ``floor(value * 100 + 0.5)``.

    A float is multiplied and rounded as a double (as Cypher does it); a Decimal (the model's
    amounts once they are decimals) exactly.
    """
    if value is None:
        return 0
    if isinstance(value, Decimal):
        return int((value * 100 + _HALF).to_integral_value(rounding=ROUND_FLOOR))
    return math.floor(float(value) * 100 + 0.5)


def amount(total_cents: int) -> float:
    """A number of cents as the float nearest to the exact amount (``30`` -> ``0.3``)."""
    return float(Decimal(total_cents) / 100)


def exact_sum(values: Iterable[float | int | Decimal | None]) -> float:
    """The exact sum of amounts (to the cent), as :func:`amount` writes it."""
    return amount(sum(cents(v) for v in values))
