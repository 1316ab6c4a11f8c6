"""The view's vocabulary (its legend): modes, kinds and findings, with labels, colours, shapes, sizes.

- Kinds: suppliers, prime contractors (an organisation that coordinates a lot), lots, contracts and
  functions, each with its own shape; a critical function has a thick dark border.
- Colours: the effective mode of a contract (R1) and the mode of a lot (R2); organisations and
  functions have no mode and are drawn neutral. No mode colour is red, orange or yellow: those
  mean a finding, and only that.
- Findings: R3 mismatches colour the dependency edge by severity (red, orange, yellow); R4 and R8
  give the function a red border, R5 the external prime contractor, R6 the contract (dashed), R7
  the lot; a contract on the R13 review list gets a magenta border, one in (or past) its R14
  renegotiation window a teal one (magenta when both). Each colour means one thing.
- Selection: a selected node keeps its border (a finding's, a critical function's or its own)
  and lightens its fill; no selection colour is a meaning's colour.

The labels are English words marked for the catalogs (``N_``): translate them where shown.
"""

from __future__ import annotations

from sourcing_graph.views.locale import N_

MODES = ("distrust", "reliability", "trust", "unknown")
MODE_COLOURS = {
    "distrust": "#7d4ea3",
    "reliability": "#2f6db5",
    "trust": "#23936a",
    "unknown": "#b3b9c2",
}
NEUTRAL = "#4a5566"
CRITICAL_BORDER = "#111827"
"""The border of a critical function (without a finding, whose red border wins)."""
FINDING_RED = "#e3261f"
SEVERITY_COLOURS = {"high": FINDING_RED, "medium": "#f08c00", "low": "#d9b100"}
REVIEW_MAGENTA = "#c81e8c"
"""The border of a contract on the R13 review list (no other meaning has this colour)."""
WINDOW_TEAL = "#0e9aa7"
"""The border of a contract in (or past) its R14 renegotiation window, not on the review list."""
SEVERITY_WIDTHS = {"high": 5, "medium": 4, "low": 3}

VIEW_KINDS = ("supplier", "prime", "lot", "contract", "function")
KIND_LABELS = {
    "supplier": N_("supplier"),
    "prime": N_("prime contractor"),
    "lot": N_("lot"),
    "contract": N_("contract"),
    "function": N_("function"),
}
SHAPES = {
    "supplier": "dot",
    "prime": "star",
    "lot": "square",
    "contract": "diamond",
    "function": "triangle",
}
SIZES = {"supplier": 16, "prime": 24, "lot": 20, "contract": 10, "function": 13}
CRITICAL_SIZE = 16

FINDINGS = {
    "mode_mismatches": N_("R3 mode mismatch between dependent lots"),
    "critical_without_trust": N_("R4 critical function without trust"),
    "external_prime": N_("R5 external prime contractor"),
    "clause_conflicts": N_("R6 clause conflict"),
    "mode_fit": N_("R7 lot below its recommended mode"),
    "retained_functions": N_("R8 retained function outsourced"),
    "contract_review": N_("R13 running contract to review"),
    "renegotiation_windows": N_("R14 contract in its renegotiation window"),
}
"""The findings a view marks (key -> label); R9 (concentration) is shown in tooltips only."""

LABEL_MAX = 32
TIP_LIST_MAX = 12
