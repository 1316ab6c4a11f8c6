"""The report's tables: the lots' modes (R2), the contracts' modes (R1) with their end, and one
table per analysis, with names beside ids and every word in the report's language."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from sourcing_graph.graph.engine import Result, Row
from sourcing_graph.graph.registry import ANALYSES, DORA_ANALYSES
from sourcing_graph.model import Register
from sourcing_graph.views.columns import (
    analysis_title,
    cell_text,
    count_text,
    header,
    is_number,
    kind_of,
)
from sourcing_graph.views.legend import MODE_COLOURS
from sourcing_graph.views.locale import Words
from sourcing_graph.views.naming import Names
from sourcing_graph.views.status import ENDING_MONTHS, contract_status, status_word

Cell = dict[str, Any]
Table = dict[str, Any]

ID_LISTS = {"contracts", "lots", "critical_functions", "suppliers", "providers"}
"""List columns sorted by their length."""


def cell(column: str, value: Any, words: Words, names: Names) -> Cell:
    """One table cell: its text, a sort value for numbers (and id lists), a colour for modes."""
    out: Cell = {"text": "—", "value": None, "num": False, "mode": None}
    if value is None or value == []:
        if value == [] and column in ID_LISTS:
            out["value"] = "0"
        return out
    out["text"] = cell_text(column, value, words, names)
    if is_number(value):  # the sort value: a plain number (an amount is exact: str, not repr)
        out.update(value=str(value) if isinstance(value, Decimal) else repr(value), num=True)
    elif isinstance(value, (list, tuple)) and column in ID_LISTS:
        out["value"] = str(len(value))
    elif kind_of(column) == "mode":
        out["mode"] = MODE_COLOURS.get(str(value) or "unknown")
    return out


def analysis_tables(result: Result, words: Words, names: Names) -> list[Table]:
    """One table per analysis of the result (R3-R14, and D1, D2 when the result has them); R15's
    object and the reference date are shown in the review section and the heading instead."""
    keys = [*ANALYSES, *(k for k in DORA_ANALYSES if k in result)]
    keys += [k for k in result if k not in keys]  # later rules render too
    tables = []
    for key in keys:
        rows = result.get(key, [])
        if not isinstance(rows, list):
            continue
        columns = list(rows[0]) if rows else []
        rule, title = analysis_title(key, words)
        tables.append(
            {
                "key": key,
                "title": f"{rule} {title}".strip(),
                "count": count_text(key, len(rows), words),
                "columns": [header(c, words) for c in columns],
                "rows": [
                    {"cells": [cell(c, row.get(c), words, names) for c in columns], "mark": None}
                    for row in rows
                ],
            }
        )
    return tables


def lot_table(lot_rows: list[Row], words: Words, names: Names) -> Table:
    """R2: each lot's mode beside the minimum R7 recommends, its prime contractor, its contracts."""
    columns = ["lot", "prime_contractor", "mode", "recommended", "contracts"]
    rows = [
        {
            "cells": [
                cell("lot", row["lot"], words, names),
                cell("prime_contractor", row["prime_contractor"], words, names),
                cell("mode", row.get("mode") or "unknown", words, names),
                cell("recommended", row.get("recommended") or "unknown", words, names),
                cell("count", row.get("contracts", 0), words, names),
            ],
            "mark": None,
        }
        for row in lot_rows
    ]
    return {
        "key": "lot_modes",
        "title": words.gettext("R2 Mode of each lot"),
        "count": count_text("lot_modes", len(rows), words),
        "columns": [header(c, words) for c in columns],
        "rows": rows,
    }


def contract_table(
    contract_rows: list[Row], register: Register, words: Words, names: Names, as_of: date
) -> Table:
    """R1: each contract's declared and effective mode, why (the clause that forced it), its end
    date and whether it ended before ``as_of`` or ends within twelve months of it."""
    columns = [
        "contract",
        "supplier",
        "lot",
        "declared_mode",
        "effective_mode",
        "reason",
        "forcing_clauses",
        "end_date",
        "status",
        "annual_value",
    ]
    rows = []
    for row in contract_rows:
        contract = register.contracts.get(row["contract"])
        end = contract.end_date if contract is not None else None
        status = contract_status(end, as_of)
        value = contract.annual_value if contract is not None else None
        end_cell: Cell = {"text": "—", "value": None, "num": False, "mode": None}
        if end is not None:
            end_cell.update(text=words.date(end), value=end.isoformat())
        rows.append(
            {
                "cells": [
                    cell("contract", row["contract"], words, names),
                    cell("supplier", row["supplier"], words, names),
                    cell("lot", row["lot"], words, names),
                    cell("declared_mode", row.get("declared_mode") or "unknown", words, names),
                    cell("effective_mode", row.get("effective_mode") or "unknown", words, names),
                    cell("reason", row.get("reason"), words, names),
                    cell("forcing_clauses", row.get("forcing_clauses") or None, words, names),
                    end_cell,
                    {
                        "text": status_word(status, words) if status else "",
                        "value": None,
                        "num": False,
                        "mode": None,
                        "status": status,
                    },
                    cell("annual_value", value, words, names),
                ],
                "mark": status,
            }
        )
    return {
        "key": "effective_modes",
        "title": words.gettext("R1 Declared and effective mode of each contract"),
        "count": count_text("effective_modes", len(rows), words),
        "columns": [header(c, words) for c in columns[:7]]
        + [words.gettext("end date"), words.gettext("status"), header("annual_value", words)],
        "rows": rows,
        "note": words.gettext(
            "Ended: the end date is before the reference date; ending: within {months} months of it."
        ).format(months=ENDING_MONTHS),
    }
