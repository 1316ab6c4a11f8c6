"""A one-file HTML report: key figures, the network view and one sortable table per analysis.

The report follows the view's rules (see :mod:`sourcing_graph.views.network`): it loads nothing from
the network, every register value is escaped (the tables by the template's autoescaping, the
network through the JSON data block), and a Content-Security-Policy allows only its own scripts.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sourcing_graph.graph.engine import Engine, Result
from sourcing_graph.graph.registry import ANALYSES, DORA_ANALYSES
from sourcing_graph.model import Register
from sourcing_graph.ontology.rules import Rules, load_rules
from sourcing_graph.views.index import Modes
from sourcing_graph.views.legend import MODE_COLOURS, MODES
from sourcing_graph.views.network import (
    MAX_NODES,
    PHYSICS_THRESHOLD,
    View,
    build_view,
    load_register,
    with_defaults,
)
from sourcing_graph.views.page import (
    asset_text,
    content_security_policy,
    page_scripts,
    render_template,
    script_json,
    version,
)

MODE_COLUMNS = {
    "lot_mode",
    "depends_on_mode",
    "declared_mode",
    "effective_mode",
    "mode",
    "recommended",
}


def _cell(column: str, value: Any) -> dict[str, Any]:
    """One table cell: its text, a sort value for numbers, a colour for modes."""
    if isinstance(value, bool):
        return {"text": "yes" if value else "no", "value": None, "num": False, "mode": None}
    if isinstance(value, (int, float)):
        text = f"{value:,.2f}" if isinstance(value, float) else f"{value:,}"
        return {
            "text": text.replace(",", "\u202f"),
            "value": repr(value),
            "num": True,
            "mode": None,
        }
    if value is None:
        return {"text": "—", "value": None, "num": False, "mode": None}
    if isinstance(value, (list, tuple)):
        return {
            "text": ", ".join(str(v) for v in value),
            "value": str(len(value))
            if column in ("contracts", "lots", "critical_functions", "suppliers", "providers")
            else None,
            "num": False,
            "mode": None,
        }
    text = str(value)
    mode = MODE_COLOURS.get(text) if column in MODE_COLUMNS and text in MODES else None
    return {"text": text, "value": None, "num": False, "mode": mode}


def _tables(result: Result) -> list[dict[str, Any]]:
    shown = dict(ANALYSES)
    shown.update({k: a for k, a in DORA_ANALYSES.items() if k in result})
    tables = []
    for key, analysis in shown.items():
        rows = result.get(key, [])
        columns = list(rows[0]) if rows else []
        tables.append(
            {
                "key": key,
                "rule": analysis.rule,
                "title": analysis.title,
                "dutch": analysis.dutch,
                "count": len(rows),
                "noun": analysis.noun[0] if len(rows) == 1 else analysis.noun[1],
                "columns": [c.replace("_", " ") for c in columns],
                "rows": [[_cell(c, row.get(c)) for c in columns] for row in rows],
            }
        )
    return tables


def _figures(view: View, result: Result) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    totals = view.graph.totals
    figures = [
        {"key": "lots", "value": totals["lots"], "label": "lots (kavels)"},
        {"key": "suppliers", "value": totals["suppliers"], "label": "suppliers (leveranciers)"},
        {"key": "contracts", "value": totals["contracts"], "label": "contracts (contracten)"},
        {"key": "functions", "value": totals["functions"], "label": "functions (functies)"},
        {
            "key": "dependencies",
            "value": totals["dependencies"],
            "label": "dependencies (afhankelijkheden)",
        },
        {
            "key": "prime_contractors",
            "value": totals["prime_contractors"],
            "label": "prime contractors (hoofdaannemers)",
        },
    ]
    top = view.graph.top_prime
    if top is not None:
        figures.append(
            {
                "key": "top_prime",
                "value": top["score"],
                "label": f"top coordination load (regielast, R5): {top['prime_contractor']}"
                + (", external" if top.get("external") else ""),
                "alert": bool(top.get("external")),
            }
        )
    counts = view.graph.finding_counts
    mismatches = result.get("mode_mismatches", [])
    high = sum(1 for r in mismatches if r.get("severity") == "high")
    findings = [
        ("mode_mismatches", counts["mode_mismatches"], f"R3 mode mismatches ({high} high)"),
        (
            "critical_without_trust",
            counts["critical_without_trust"],
            "R4 critical functions without trust",
        ),
        ("external_prime", counts["external_prime"], "R5 external prime contractors"),
        ("clause_conflicts", counts["clause_conflicts"], "R6 clause conflicts"),
        ("mode_fit", counts["mode_fit"], "R7 lots below their recommended mode"),
        ("retained_functions", counts["retained_functions"], "R8 retained functions outsourced"),
        (
            "concentration",
            sum(1 for r in result.get("concentration", []) if r.get("critical_functions")),
            "R9 external suppliers with critical functions",
        ),
    ]
    finding_figures = [
        {"key": key, "value": value, "label": label, "alert": value > 0 and key != "concentration"}
        for key, value, label in findings
    ]
    for f in figures:
        f.setdefault("alert", False)
    return figures, finding_figures


def build_report(
    register: Register,
    rules: Rules | None = None,
    result: Result | None = None,
    *,
    modes: Modes | None = None,
    title: str | None = None,
    max_nodes: int = MAX_NODES,
    physics_threshold: int = PHYSICS_THRESHOLD,
) -> str:
    """The report as one self-contained HTML document.

    ``result`` is the analysis result and ``modes`` the rows of ``effective_modes`` and
    ``lot_modes`` the network is coloured with (default for either: the embedded engine's on
    ``register``); pass the Neo4j engine's result to report that.
    """
    rules = rules if rules is not None else load_rules()
    result, modes = with_defaults(register, rules, result, modes)
    view = build_view(
        register,
        rules,
        result,
        modes=modes,
        max_nodes=max_nodes,
        physics_threshold=physics_threshold,
        title=title,
    )
    figures, finding_figures = _figures(view, result)
    scripts = page_scripts(asset_text("report.js"))
    name = view.title
    totals = view.graph.totals
    return render_template(
        "report.html.j2",
        csp=content_security_policy(scripts),
        title=f"{name} — sourcing report",
        version=version(),
        css=asset_text("style.css"),
        report_heading=f"Sourcing report (sourcingrapport): {name}",
        report_subtitle=(
            f"{totals['lots']} lots, {totals['suppliers']} suppliers, {totals['contracts']} "
            f"contracts, {totals['functions']} functions. Collaboration modes (samenwerkingsvormen): "
            "distrust (wantrouwen), reliability (betrouwbaarheid), trust (vertrouwen)."
        ),
        source=register.source or "a register",
        figures=figures,
        finding_figures=finding_figures,
        tables=_tables(result),
        data_json=script_json(view.data()),
        scripts=scripts,
        **view.template_context(),
    )


def save_report(
    register: Register,
    out: str | Path,
    rules: Rules | None = None,
    result: Result | None = None,
    **options: Any,
) -> Path:
    """Write :func:`build_report` to ``out`` (UTF-8) and return the path."""
    path = Path(out)
    path.write_text(build_report(register, rules, result, **options), encoding="utf-8")
    return path


def write_report(
    register: Register | str | Path,
    out: str | Path,
    *,
    engine: Engine | None = None,
    modes: Modes | None = None,
    rules: Rules | None = None,
    mapping_file: Path | None = None,
) -> Path:
    """The body of ``sourcing-graph report``: read the register, analyse it, write the report.

    The findings come from ``engine`` (default: the embedded engine on the register), for example
    a ``Neo4jEngine`` whose store holds the register; ``modes`` as for :func:`build_report`.
    """
    reg, rules = load_register(register, rules, mapping_file)
    result = engine.analyze() if engine is not None else None
    return save_report(reg, out, rules, result, modes=modes)
