"""Whether a contract is running, ending soon or ended, at a reference date (the report's and the
view's ``as_of``).

>>> from datetime import date
>>> contract_status(date(2026, 3, 31), date(2026, 6, 1)), contract_status(date(2026, 12, 31), date(2026, 6, 1))
('ended', 'ending')
>>> contract_status(date(2028, 1, 1), date(2026, 6, 1)) is None, contract_status(None, date(2026, 6, 1)) is None
(True, True)
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # only the type: the words are the caller's
    from sourcing_graph.views.locale import Words

ENDING_MONTHS = 12
"""A contract whose end date is this many months after the reference date (or less) is ending."""


def months_later(day: date, months: int) -> date:
    """The same day ``months`` later (the month's last day when it has no such day)."""
    year, month = divmod(day.month - 1 + months, 12)
    year += day.year
    month += 1
    for d in range(day.day, 27, -1):
        try:
            return date(year, month, d)
        except ValueError:
            continue
    return date(year, month, min(day.day, 28))


def contract_status(end: date | None, as_of: date) -> str | None:
    """``ended`` (it ended before ``as_of``), ``ending`` (it ends within :data:`ENDING_MONTHS`
    months of ``as_of``), or None (it runs on, or has no end date)."""
    if end is None:
        return None
    if end < as_of:
        return "ended"
    if end <= months_later(as_of, ENDING_MONTHS):
        return "ending"
    return None


WINDOW_STATUS = {"ended": "expired", "ending": "ending"}
"""A contract's status as the key of the ontology's R14 window status (``sg:WindowStatus``)."""


def status_word(status: str, words: Words) -> str:
    """The word for ``ended`` / ``ending`` in ``words``' language: the ontology's label of the
    R14 window status (``afgelopen`` / ``loopt af``), the same word the R14 table shows."""
    return words.term("window_status", WINDOW_STATUS[status])
