"""A one-file HTML report: a heading block, key figures, the modes of lots (R2) and contracts (R1),
the review of running contracts (the sourcing posture, R15, and the R13 worklist by R14 window),
the network view and one sortable table per analysis, in Dutch or English; it prints on A4.

A DORA package read without an overlay (:mod:`sourcing_graph.views.dora_face`) leads instead with
D1-D5, the note that modes need an overlay and the supervisor's checks, and leaves out what rests
on collaboration modes.

The report follows the view's rules (see :mod:`sourcing_graph.views.network`): it loads nothing from
the network, every register value is escaped (the tables by the template's autoescaping, the
network through the JSON data block), and a Content-Security-Policy allows only its own scripts.
Its words come from the catalogs and the ontology (:mod:`sourcing_graph.views.locale`); the
reference date ``as_of`` (default: today) decides which contracts are marked ended or ending.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from sourcing_graph.graph.engine import Engine, Result
from sourcing_graph.graph.registry import DORA_ANALYSES
from sourcing_graph.model import Register
from sourcing_graph.ontology.rules import Rules, load_rules
from sourcing_graph.views.dora_face import (
    MODE_ANALYSES,
    OVERLAY_NOTE,
    checks_table,
    dora_figures,
    modes_need_overlay,
    without_mode_findings,
)
from sourcing_graph.views.index import Modes
from sourcing_graph.views.locale import Words
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
from sourcing_graph.views.report_tables import analysis_tables, contract_table, lot_table
from sourcing_graph.views.review import posture_block, review_table


def _figure(key: str, value: int, label: str, alert: bool = False) -> dict[str, Any]:
    return {"key": key, "value": value, "label": label, "alert": alert}


def _figures(view: View, result: Result, words: Words) -> list[dict[str, Any]]:
    """The register's key figures: what it holds, and the heaviest coordination load (R5)."""
    totals = view.graph.totals
    _ = words.gettext
    figures = [
        _figure("lots", totals["lots"], _("lots")),
        _figure("suppliers", totals["suppliers"], _("suppliers")),
        _figure("contracts", totals["contracts"], _("contracts")),
        _figure("functions", totals["functions"], _("functions")),
        _figure("dependencies", totals["dependencies"], _("dependencies")),
        _figure("prime_contractors", totals["prime_contractors"], _("prime contractors")),
    ]
    top = view.graph.top_prime
    if top is not None:
        who = view.names.show("organisation", str(top["prime_contractor"]))
        label = (
            _("top coordination load (R5): {who}, external")
            if top.get("external")
            else _("top coordination load (R5): {who}")
        )
        figures.append(
            _figure("top_prime", top["score"], label.format(who=who), bool(top.get("external")))
        )
    return figures


def _finding_figures(view: View, result: Result, words: Words, face: bool) -> list[dict[str, Any]]:
    """How many findings each rule has (R9: external suppliers holding critical functions); in
    the DORA face (``face``) only the rules that need no collaboration mode, and D1-D5 apart."""
    counts = view.graph.finding_counts
    _ = words.gettext
    high = sum(1 for r in result.get("mode_mismatches", []) if r.get("severity") == "high")
    findings = [
        ("mode_mismatches", _("R3 mode mismatches ({high} high)").format(high=high)),
        ("critical_without_trust", _("R4 critical functions without trust")),
        ("external_prime", _("R5 external prime contractors")),
        ("clause_conflicts", _("R6 clause conflicts")),
        ("mode_fit", _("R7 lots below their recommended mode")),
        ("retained_functions", _("R8 retained functions outsourced")),
    ]
    out = [_figure(key, counts[key], label, counts[key] > 0) for key, label in findings]
    review = [
        ("cost_selection", _("R10 contracts selected on cost where collaboration matters")),
        ("unbounded_trust", _("R11 contracts in trust without agreed bounds")),
        ("reliability_without_evaluation", _("R12 contracts in reliability without evaluation")),
        ("contract_review", _("R13 running contracts to review")),
        ("renegotiation_windows", _("R14 contracts in or past their renegotiation window")),
    ]
    for key, label in review:
        n = len(result.get(key, []))
        out.append(_figure(key, n, label, n > 0))
    critical = sum(1 for r in result.get("concentration", []) if r.get("critical_functions"))
    out.append(
        _figure("concentration", critical, _("R9 external suppliers with critical functions"))
    )
    if face:
        return [f for f in out if f["key"] not in MODE_ANALYSES]
    return out + _dora_figures(result, words)


def _dora_figures(result: Result, words: Words) -> list[dict[str, Any]]:
    """D1-D5 in figures, when the result has them (a register with DORA supply-chain data)."""
    if "supply_chains" not in result:
        return []
    alerts = {"shared_subcontractors", "exit_risks"}
    return [
        _figure(key, value, label, key in alerts and value > 0)
        for key, value, label in dora_figures(result, words)
    ]


def _dora_block(
    register: Register, result: Result, tables: list[dict[str, Any]], words: Words
) -> dict[str, Any]:
    """The DORA face's first section: D1-D5 in figures, the note that modes need an overlay,
    the supervisor's checks and the D1-D5 tables."""
    return {
        "figures": _dora_figures(result, words),
        "note": words.gettext(OVERLAY_NOTE),
        "checks": checks_table(register, words),
        "tables": [t for t in tables if t["key"] in DORA_ANALYSES],
    }


def _heading(
    register: Register, view: View, words: Words, made: date, as_of: date
) -> dict[str, Any]:
    """The heading block: the register's name, when the report was made, its reference date."""
    totals = view.graph.totals
    counts = ", ".join(
        [
            words.ngettext("{n} lot", "{n} lots", totals["lots"]),
            words.ngettext("{n} supplier", "{n} suppliers", totals["suppliers"]),
            words.ngettext("{n} contract", "{n} contracts", totals["contracts"]),
            words.ngettext("{n} function", "{n} functions", totals["functions"]),
            words.ngettext("{n} dependency", "{n} dependencies", totals["dependencies"]),
        ]
    )
    return {
        "title": words.gettext("Sourcing report: {name}").format(name=view.title),
        "facts": [
            (words.gettext("Register"), Path(register.source).name or view.title),
            (words.gettext("Made on"), words.date(made)),
            (words.gettext("Reference date"), words.date(as_of)),
            (words.gettext("Contents"), counts),
        ],
    }


def build_report(
    register: Register,
    rules: Rules | None = None,
    result: Result | None = None,
    *,
    modes: Modes | None = None,
    title: str | None = None,
    lang: str | None = None,
    as_of: date | None = None,
    made: date | None = None,
    max_nodes: int = MAX_NODES,
    physics_threshold: int = PHYSICS_THRESHOLD,
) -> str:
    """The report as one self-contained HTML document.

    ``result`` is the analysis result and ``modes`` the rows of ``effective_modes`` and
    ``lot_modes`` the network and the R1/R2 tables show (default for either: the embedded engine's
    on ``register``); pass the Neo4j engine's result to report that. ``lang``: ``nl`` or ``en``
    (default: the register's language); ``as_of``: the reference date (default today); ``made``:
    the date the report states it was made (default today).
    """
    rules = rules if rules is not None else load_rules()
    today = date.today()
    as_of = as_of or today
    result, modes = with_defaults(register, rules, result, modes, as_of)
    view = build_view(
        register,
        rules,
        result,
        modes=modes,
        max_nodes=max_nodes,
        physics_threshold=physics_threshold,
        title=title,
        lang=lang,
        as_of=as_of,
    )
    words, names = view.words, view.names
    face = modes_need_overlay(register, result)
    shown = without_mode_findings(result) if face else result
    tables = analysis_tables(shown, words, names)
    dora = _dora_block(register, result, tables, words) if face else None
    if dora is not None:
        tables = [t for t in tables if t["key"] not in (*DORA_ANALYSES, *MODE_ANALYSES)]
    scripts = page_scripts(asset_text("report.js"))
    return render_template(
        "report.html.j2",
        words,
        csp=content_security_policy(scripts),
        title=words.gettext("{name} — sourcing report").format(name=view.title),
        version=version(),
        css=asset_text("style.css"),
        report=_heading(register, view, words, made or today, as_of),
        source=register.source or view.title,
        figures=_figures(view, result, words),
        finding_figures=_finding_figures(view, shown, words, face),
        dora=dora,
        lot_table=lot_table(modes.lots, words, names),
        contract_table=contract_table(modes.contracts, register, words, names, as_of),
        tables=tables,
        posture=posture_block(result, words, names),
        review=review_table(result, words, names, as_of, rules.window_days),
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
    lang: str | None = None,
    as_of: date | None = None,
) -> Path:
    """The body of ``sourcing-graph report``: read the register, analyse it, write the report.

    The findings come from ``engine`` (default: the embedded engine on the register), for example
    a ``Neo4jEngine`` whose store holds the register; ``modes``, ``lang`` and ``as_of`` as for
    :func:`build_report`.
    """
    reg, rules = load_register(register, rules, mapping_file)
    result = engine.analyze() if engine is not None else None
    return save_report(reg, out, rules, result, modes=modes, lang=lang, as_of=as_of)
