"""The view's vocabulary (its legend): modes, kinds and findings, with labels, colours, shapes, sizes.

- Kinds: suppliers, prime contractors (an organisation that coordinates a lot), lots, contracts and
  functions, each with its own shape.
- Colours: the effective mode of a contract (R1) and the mode of a lot (R2); organisations and
  functions have no mode and are drawn neutral.
- Findings: R3 mismatches colour the dependency edge by severity; R4 and R8 mark the function, R5 an
  external prime contractor, R6 the contract (dashed border), R7 the lot.
"""

from __future__ import annotations

MODES = ("distrust", "reliability", "trust", "unknown")
MODE_LABELS = {
    "distrust": "distrust (wantrouwen)",
    "reliability": "reliability (betrouwbaarheid)",
    "trust": "trust (vertrouwen)",
    "unknown": "unknown (onbekend)",
}
MODE_COLOURS = {
    "distrust": "#c2413b",
    "reliability": "#2f6db5",
    "trust": "#23936a",
    "unknown": "#b3b9c2",
}
NEUTRAL = "#4a5566"
FINDING_RED = "#e3261f"
FINDING_ORANGE = "#ef8a00"
SEVERITY_COLOURS = {"high": FINDING_RED, "medium": FINDING_ORANGE, "low": "#d9b100"}
SEVERITY_WIDTHS = {"high": 5, "medium": 4, "low": 3}

VIEW_KINDS = ("supplier", "prime", "lot", "contract", "function")
KIND_LABELS = {
    "supplier": "supplier (leverancier)",
    "prime": "prime contractor (hoofdaannemer)",
    "lot": "lot (kavel)",
    "contract": "contract",
    "function": "function (functie)",
}
SHAPES = {
    "supplier": "dot",
    "prime": "star",
    "lot": "square",
    "contract": "diamond",
    "function": "triangle",
}
SIZES = {"supplier": 16, "prime": 24, "lot": 20, "contract": 10, "function": 13}

FINDINGS = {
    "mode_mismatches": "R3 mode mismatch between dependent lots",
    "critical_without_trust": "R4 critical function without trust",
    "external_prime": "R5 external prime contractor",
    "clause_conflicts": "R6 clause conflict",
    "mode_fit": "R7 lot below its recommended mode",
    "retained_functions": "R8 retained function outsourced",
}
"""The findings a view marks (key -> label); R9 (concentration) is shown in tooltips only."""

LABEL_MAX = 32
TIP_LIST_MAX = 12
