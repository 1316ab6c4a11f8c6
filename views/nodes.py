"""The nodes of a view: one builder per kind of entity, with its label, mode, tooltip and findings."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from sourcing_graph.model import OWN_IT
from sourcing_graph.views.index import Index
from sourcing_graph.views.legend import FINDINGS, LABEL_MAX, MODE_LABELS, SIZES, TIP_LIST_MAX
from sourcing_graph.views.view_graph import NodeKey, ViewNode, shorten, view_id

Tip = list[tuple[str, str]]


def some(items: Iterable[str], limit: int = TIP_LIST_MAX) -> str:
    """At most ``limit`` items joined with commas, and how many more there are."""
    items = list(items)
    head = ", ".join(items[:limit])
    return head + (f" … (+{len(items) - limit} more)" if len(items) > limit else "")


def money(value: float) -> str:
    return f"{value:,.0f}".replace(",", "\u202f")


NOT_RECORDED = "not recorded (niet vastgelegd)"
"""What a tooltip shows for a value the register did not record (the rules read a level as low)."""


_DEFAULTED = " — the default: " + NOT_RECORDED
"""After a prime contractor the register did not name (own-it stands in)."""


def _yes(value: Any) -> str:
    return "yes" if value else "no"


def _recorded(value: str | bool | None) -> str:
    """A level or yes/no value as recorded, or :data:`NOT_RECORDED`."""
    if value is None:
        return NOT_RECORDED
    return _yes(value) if isinstance(value, bool) else value


def _extra(extra: dict[str, str] | None) -> Tip:
    return [(str(k), str(v)) for k, v in sorted((extra or {}).items())]


def finding_rows(ix: Index, key: NodeKey) -> tuple[list[str], Tip]:
    """The finding keys on a node (in legend order) and its tooltip rows (at most eight)."""
    found = ix.findings.get(key, [])
    keys = sorted({k for k, _ in found}, key=list(FINDINGS).index)
    texts = list(dict.fromkeys(t for _, t in found))
    rows = [("finding", t) for t in texts[:8]]
    if len(texts) > 8:
        rows.append(("finding", f"… and {len(texts) - 8} more"))
    return keys, rows


def _node(
    ix: Index,
    key: NodeKey,
    kind: str,
    name: str,
    title: str,
    tip: Tip,
    suppliers: list[str],
    *,
    mode: str | None = None,
    label_max: int = LABEL_MAX,
) -> ViewNode:
    """A node of kind ``kind`` (its size, label and id follow), its findings added to the tip.

    ``suppliers``: the suppliers the supplier filter shows it for.
    """
    keys, rows = finding_rows(ix, key)
    return ViewNode(
        id=view_id(*key),
        kind=kind,
        ref=key[1],
        label=shorten(name, label_max),
        name=name,
        mode=mode,
        size=SIZES[kind],
        tip_title=title,
        tip=tip + rows,
        findings=keys,
        suppliers=suppliers,
    )


def _load_tip(ix: Index, ref: str) -> Tip:
    """What R9 and R5 say about an organisation."""
    tip: Tip = []
    conc = ix.concentration.get(ref)
    if conc is not None:
        tip += [
            ("critical functions", some(conc["critical_functions"]) or "none"),
            ("annual value", money(conc["annual_value"])),
        ]
    load = ix.load.get(ref)
    if load is not None:
        tip += [
            ("coordinates lots", str(load["lots"])),
            ("coordination score (R5)", str(load["score"])),
            (
                "load",
                f"{load['suppliers']} suppliers, {load['interfaces']} interfaces, "
                f"{load['distrust_lots']} distrust lots, {load['mismatches']} mismatches, "
                f"{load['penalty_bonus_clauses']} penalty/bonus clauses",
            ),
        ]
    return tip


def org_node(ix: Index, ref: str, in_view: set[NodeKey]) -> ViewNode:
    key = ("organisation", ref)
    org = ix.orgs[ref]
    name = ix.name(key)
    internal = org.internal or ref == OWN_IT
    prime = ix.is_prime(ref)
    kind = "prime" if prime else "supplier"
    contracts = ix.org_contracts.get(ref, [])
    tip: Tip = [
        ("id", ref),
        ("organisation", "internal" if internal else "external"),
    ]
    if contracts:
        lots = sorted({ix.contract[c].lot for c in contracts})
        tip += [("contracts", str(len(contracts))), ("lots", some(lots))]
    tip += _load_tip(ix, ref) + _extra(org.extra)
    title = "Prime contractor (hoofdaannemer)" if prime else "Supplier (leverancier)"
    return _node(ix, key, kind, name, f"{title}: {name}", tip, [ref] if contracts else [])


def lot_node(ix: Index, ref: str, in_view: set[NodeKey]) -> ViewNode:
    key = ("lot", ref)
    lot = ix.lots[ref]
    name = ix.name(key)
    modes = ix.lot_mode[ref]
    mode = modes["mode"] or "unknown"
    members = [ix.contract[c] for c in ix.lot_contracts.get(ref, [])]
    tip = [
        ("id", ref),
        ("mode (R2)", MODE_LABELS[mode]),
        ("recommended at least (R7)", MODE_LABELS[modes["recommended"] or "unknown"]),
        (
            "prime contractor",
            ix.prime(ref) + (_DEFAULTED if lot.prime_contractor_defaulted else ""),
        ),
        ("complexity", _recorded(lot.complexity)),
        ("dynamics", _recorded(lot.dynamics)),
        ("commodity", _recorded(lot.commodity)),
        ("contracts", str(len(members))),
        ("suppliers", some(sorted({c.supplier for c in members}))),
    ]
    if ix.deps_out.get(ref):
        tip.append(("depends on", some(ix.deps_out[ref])))
    if ix.deps_in.get(ref):
        tip.append(("needed by", some(ix.deps_in[ref])))
    tip += _extra(lot.extra)
    suppliers = sorted({c.supplier for c in members if ("contract", c.id) in in_view})
    return _node(ix, key, "lot", name, f"Lot (kavel): {name}", tip, suppliers, mode=mode)


REASONS = {
    "clause": "forced by clause",
    "declared": "declared",
    "internal_supplier": "internal supplier",
    "not_recorded": "not recorded",
}
"""How a tooltip says why a contract has its effective mode (the ``reason`` of effective_modes)."""


def contract_node(ix: Index, ref: str, in_view: set[NodeKey]) -> ViewNode:
    key = ("contract", ref)
    c = ix.contract[ref]
    mode = ix.effective_mode(ref) or "unknown"
    reason = ix.effective[ref]["reason"]
    tip = [
        ("supplier", c.supplier),
        ("lot", c.lot),
        ("declared mode", MODE_LABELS[c.mode or "unknown"]),
        ("effective mode (R1)", f"{MODE_LABELS[mode]}: {REASONS.get(reason, reason)}"),
        ("clauses", ", ".join(sorted(c.clauses or ())) or "none"),
        ("functions", some(sorted(c.functions)) or "none"),
    ]
    if c.annual_value is not None:
        tip.append(("annual value", money(c.annual_value)))
    if c.start_date or c.end_date:
        tip.append(("period", f"{c.start_date or '?'} – {c.end_date or '?'}"))
    if c.selection_basis:
        tip.append(("selected on", str(c.selection_basis)))
    tip += _extra(c.extra)
    return _node(
        ix, key, "contract", ref, f"Contract: {ref}", tip, [c.supplier], mode=mode, label_max=20
    )


def function_node(ix: Index, ref: str, in_view: set[NodeKey]) -> ViewNode:
    key = ("function", ref)
    function = ix.functions[ref]
    name = ix.name(key)
    contracts = ix.function_contracts.get(ref, [])
    suppliers = sorted({ix.contract[c].supplier for c in contracts})
    tip = [
        ("id", ref),
        ("critical", _yes(function.critical)),
        ("retained (keep in-house)", _yes(function.retained)),
        ("delivered by", some(suppliers) or "nobody"),
        ("contracts", str(len(contracts))),
    ]
    tip += _extra(function.extra)
    in_view_suppliers = sorted(
        {ix.contract[c].supplier for c in contracts if ("contract", c) in in_view}
    )
    return _node(ix, key, "function", name, f"Function (functie): {name}", tip, in_view_suppliers)


MAKERS: dict[str, Callable[[Index, str, set[NodeKey]], ViewNode]] = {
    "organisation": org_node,
    "lot": lot_node,
    "contract": contract_node,
    "function": function_node,
}
"""The node builder of each kind of entity."""
