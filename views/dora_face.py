"""The DORA face of the report and the view: a DORA package without an overlay leads with D1-D5
and the supervisor's checks, and says that collaboration modes need an overlay.

A DORA Register of Information records no collaboration modes. Read without an overlay, every
contract's mode is unknown, so the mode rules (R3, R4, R6, R7, R10-R13, R15) would list every
critical function (R4 ``mode_not_recorded``) and every contract (R13): a gap in the data, not a
finding. :func:`modes_need_overlay` says when that is so; :func:`without_mode_findings` is the
result the view marks and the report tabulates then; with an overlay (any mode or clause
recorded) the face is the usual one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sourcing_graph.errors import Problem
from sourcing_graph.graph.engine import Result, Row
from sourcing_graph.graph.registry import DORA_ANALYSES
from sourcing_graph.loaders.dora.checks import CHECKS
from sourcing_graph.model import Register
from sourcing_graph.views.locale import N_, Words
from sourcing_graph.views.messages import in_words

MODE_ANALYSES = (
    "mode_mismatches",
    "critical_without_trust",
    "clause_conflicts",
    "mode_fit",
    "cost_selection",
    "unbounded_trust",
    "reliability_without_evaluation",
    "contract_review",
    "posture",
)
"""The parts of the result that rest on collaboration modes (R3, R4, R6, R7, R10-R13, R15)."""

OVERLAY_NOTE = N_(
    "This DORA package records no collaboration modes, so every contract's mode is unknown: that "
    "is a gap in the data, not a finding. The mode rules (R3, R4, R6, R7, R10-R13, R15) are "
    "therefore not shown and no critical function is marked red for it. Give the modes and "
    "clauses in an overlay (docs/dora.md, \u201cThe overlay\u201d) to see them."
)
CHECK_COLUMNS = (
    N_("severity"),
    N_("template"),
    N_("row key"),
    N_("column"),
    N_("check"),
    N_("message"),
    N_("value"),
    N_("expected"),
    N_("EBA rule"),
)
SEVERITY_WORDS = {"error": N_("error"), "warning": N_("warning")}


def modes_need_overlay(register: Register, result: Result) -> bool:
    """Whether the register is a DORA package (the result has D1-D5) with no mode or clause
    recorded for any contract: read without an overlay."""
    return "supply_chains" in result and not any(
        c.mode is not None or c.clauses for c in register.contracts.values()
    )


def modes_unrecorded(
    register: Register | None, result: Result, effective_modes: Callable[[], list[Row]]
) -> bool:
    """:func:`modes_need_overlay`, also for a register known by its engine alone (``analyze
    --loaded``, ``register`` None): a DORA result whose contracts (the rows of R1,
    ``effective_modes()``) have no declared mode and no clause forcing one."""
    if register is not None:
        return modes_need_overlay(register, result)
    return "supply_chains" in result and not any(
        r.get("declared_mode") not in (None, "unknown") or r.get("forcing_clauses")
        for r in effective_modes()
    )


def dora_first(result: Result) -> Result:
    """What the table and Markdown of ``analyze`` show of a package without an overlay: D1-D5
    first, then the analyses that do not rest on modes; the mode rules left out
    (:func:`without_mode_findings`). JSON and CSV keep the whole result."""
    kept = without_mode_findings(result)
    lead = {k: v for k, v in kept.items() if k in DORA_ANALYSES}
    return {**lead, **{k: v for k, v in kept.items() if k not in lead}}


def lead_lines(register: Register | None, result: Result, words: Words) -> list[str]:
    """The lines that open ``analyze``'s table and Markdown of a package without an overlay:
    D1-D5 in figures and the supervisor's checks (:func:`summary`; the checks when the register
    was read), then, once, that the modes need an overlay (:data:`OVERLAY_NOTE`)."""
    return [summary(register, result, words), words.gettext(OVERLAY_NOTE)]


def without_mode_findings(result: Result) -> Result:
    """The result without the parts that rest on collaboration modes (:data:`MODE_ANALYSES`)."""
    return {k: v for k, v in result.items() if k not in MODE_ANALYSES}


def checks(register: Register) -> list[Problem]:
    """The supervisor's checks the reader made of the package: its problems that name a template
    or a check (errors first), not the general notes (such as the count of contracts without a
    mode)."""
    found = [p for p in register.warnings if p.template is not None or p.check is not None]
    return sorted(found, key=lambda p: p.severity != "error")


def dora_figures(result: Result, words: Words) -> list[tuple[str, int, str]]:
    """D1-D5 in figures: (analysis key, value, label)."""
    _ = words.gettext
    groups = sum(1 for r in result.get("parent_concentration", []) if r.get("critical_functions"))
    depth = max((r["depth"] for r in result.get("supply_chains", [])), default=0)
    hidden = sum(
        1
        for r in result.get("indirect_concentration", [])
        if r["level"] == "provider" and not r["direct_functions"]
    )
    return [
        ("parent_concentration", groups, _("D1 groups with critical functions")),
        ("supply_chains", depth, _("D2 deepest supply chain of a critical function")),
        (
            "indirect_concentration",
            hidden,
            _("D3 providers behind critical functions only in a chain"),
        ),
        (
            "shared_subcontractors",
            len(result.get("shared_subcontractors", [])),
            _("D4 shared subcontractors"),
        ),
        (
            "exit_risks",
            len(result.get("exit_risks", [])),
            _("D5 critical functions without a way out"),
        ),
    ]


def summary(register: Register | None, result: Result, words: Words) -> str:
    """One line for the top of the view: D1-D5 in figures and the checks' counts (none when
    the register is known by its engine alone)."""
    parts = [f"{label}: {words.number(value)}" for _, value, label in dora_figures(result, words)]
    if register is None:
        return "DORA · " + " · ".join(parts)
    found = checks(register)
    errors = sum(1 for p in found if p.severity == "error")
    parts.append(
        words.gettext("supervisor's checks: {errors} errors, {warnings} warnings").format(
            errors=words.number(errors), warnings=words.number(len(found) - errors)
        )
    )
    return "DORA · " + " · ".join(parts)


def checks_table(register: Register, words: Words) -> dict[str, Any]:
    """The supervisor's checks as a report table (the shape of the report's analysis tables)."""
    _ = words.gettext
    rows = []
    for p in checks(register):
        check = CHECKS.get(p.check or "")
        name = (check.nl if words.lang == "nl" else check.en) if check is not None else p.check
        texts = [
            _(SEVERITY_WORDS.get(p.severity, p.severity)),
            p.template,
            p.key,
            p.code,
            name,
            in_words(p.message, words),
            p.value,
            in_words(p.expected, words),
            p.rule,
        ]
        rows.append(
            {
                "cells": [
                    {"text": t if t else "—", "value": None, "num": False, "mode": None}
                    for t in texts
                ],
                "mark": p.severity,
            }
        )
    return {
        "key": "checks",
        "title": _("The supervisor's checks"),
        "count": words.ngettext("{n} finding", "{n} findings", len(rows)),
        "columns": [_(c) for c in CHECK_COLUMNS],
        "rows": rows,
        "note": _(
            "The checks the supervisor makes before accepting a filing (docs/dora.md): errors "
            "reject it, warnings are data-quality feedback."
        ),
    }
