"""The report's review of running contracts: the sourcing posture (R15) in plain words, and the
worklist of R13 (blocking and missing clauses per contract) ordered by renegotiation window (R14).

The article asks of every running contract what must change before the client dares to trust the
supplier; the window (R14) is the moment to change it at the table rather than in a running
contract, so the worklist puts the contracts whose window is open (or whose end has passed) first,
soonest end first, then the others by contract.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sourcing_graph.graph.engine import Result
from sourcing_graph.views.columns import count_text, header
from sourcing_graph.views.locale import Words
from sourcing_graph.views.naming import Names
from sourcing_graph.views.report_tables import Table, cell

__all__ = ["OPTIONS", "posture_block", "review_table"]

OPTIONS = ("A", "B", "C")
"""The article's three sound sourcing options (R15's verdicts besides ``other``)."""

WINDOW_MARKS = {"expired": "expired", "ending": "window"}
"""R14 status -> the worklist row's mark (a CSS class ``sg-<mark>``)."""


def posture_block(result: Result, words: Words, names: Names) -> dict[str, Any] | None:
    """R15 for the report: the option in plain words, why not one of the three, the external
    value per mode and the external prime contractors (None when the result has no posture)."""
    posture = result.get("posture")
    if not isinstance(posture, dict):
        return None
    _ = words.gettext
    verdict = posture["verdict"]
    if verdict in OPTIONS:
        sentence = _("The sourcing follows {option}.").format(option=words.term("verdict", verdict))
    else:
        reasons = "; ".join(words.term("reason", r) for r in posture["reasons"])
        sentence = _("The sourcing follows none of the three sound options: {reasons}.").format(
            reasons=reasons or _("no reason recorded")
        )
    basis = posture.get("basis")
    basis_text = (
        _("Most external annual value runs on {mode}.").format(mode=words.mode(basis))
        if basis
        else _("No known collaboration mode carries external annual value.")
    )
    values = [
        (words.mode(mode), words.money(amount))
        for mode, amount in posture["external_value_by_mode"].items()
    ]
    primes = [names.show("organisation", p) for p in posture["external_prime_contractors"]]
    return {
        "verdict": verdict,
        "sentence": sentence,
        "basis": basis_text,
        "options": [(key, words.term("verdict", key)) for key in OPTIONS],
        "values": values,
        "primes": ", ".join(primes) or _("none"),
    }


WORKLIST_COLUMNS = (
    "contract",
    "supplier",
    "lot",
    "effective_mode",
    "target_mode",
    "blocking",
    "missing",
    "end_date",
    "days_left",
    "status",
)


def review_table(
    result: Result, words: Words, names: Names, as_of: date, window_days: int
) -> Table:
    """R13's contracts ordered by R14: those with a renegotiation window (open or passed) by end
    date, then the others by contract; a row is marked ``window`` or ``expired``. ``window_days``
    is R14's window (the rule data's)."""
    windows = {row["contract"]: row for row in result.get("renegotiation_windows", [])}
    review = result.get("contract_review", [])
    in_window = sorted(
        (r for r in review if r["contract"] in windows),
        key=lambda r: (windows[r["contract"]]["end_date"], r["contract"]),
    )
    rest = [r for r in review if r["contract"] not in windows]
    rows = []
    for row in [*in_window, *rest]:
        window = windows.get(row["contract"], {})
        values = {**row, **{k: window.get(k) for k in ("end_date", "days_left", "status")}}
        status = window.get("status")
        cells = [cell(c, values.get(c), words, names) for c in WORKLIST_COLUMNS]
        rows.append({"cells": cells, "mark": WINDOW_MARKS.get(status or "")})
    _ = words.gettext
    return {
        "key": "review_worklist",
        "title": _("R13 Running contracts to review, by renegotiation window (R14)"),
        "count": count_text("contract_review", len(rows), words),
        "columns": [header(c, words) for c in WORKLIST_COLUMNS],
        "rows": rows,
        "note": _(
            "Blocking: the clauses that point to a weaker mode than the target; missing: the "
            "clauses the target needs. Window: the contract ends within {days} days of {date}."
        ).format(days=words.number(window_days), date=words.date(as_of)),
    }
