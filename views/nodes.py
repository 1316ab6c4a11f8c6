"""The nodes of a view: one builder per kind of entity, with its label, mode, tooltip and findings,
in the view's language (:class:`~sourcing_graph.views.locale.Words` of the index)."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from sourcing_graph.model import OWN_IT
from sourcing_graph.views.index import Index
from sourcing_graph.views.legend import CRITICAL_SIZE, FINDINGS, LABEL_MAX, SIZES, TIP_LIST_MAX
from sourcing_graph.views.status import contract_status, status_word
from sourcing_graph.views.view_graph import NodeKey, ViewNode, shorten, view_id

Tip = list[tuple[str, str]]


def some(ix: Index, items: Iterable[str], limit: int = TIP_LIST_MAX) -> str:
    """At most ``limit`` items joined with commas, and how many more there are."""
    items = list(items)
    head = ", ".join(items[:limit])
    if len(items) <= limit:
        return head
    more = ix.words.gettext("… (+{n} more)").format(n=ix.words.number(len(items) - limit))
    return f"{head} {more}"


def _extra(extra: dict[str, str] | None) -> Tip:
    return [(str(k), str(v)) for k, v in sorted((extra or {}).items())]


def finding_rows(ix: Index, key: NodeKey) -> tuple[list[str], Tip]:
    """The finding keys on a node (in legend order) and its tooltip rows (at most eight)."""
    found = ix.findings.get(key, [])
    keys = sorted({k for k, _ in found}, key=list(FINDINGS).index)
    texts = list(dict.fromkeys(t for _, t in found))
    label = ix.words.gettext("finding")
    rows = [(label, t) for t in texts[:8]]
    if len(texts) > 8:
        more = ix.words.gettext("… and {n} more").format(n=ix.words.number(len(texts) - 8))
        rows.append((label, more))
    return keys, rows


def _node(
    ix: Index,
    key: NodeKey,
    kind: str,
    label: str,
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
        label=shorten(label, label_max),
        name=ix.name(key),
        mode=mode,
        size=SIZES[kind],
        tip_title=title,
        tip=tip + rows,
        findings=keys,
        finding_texts=list(dict.fromkeys(ix.findings.get(key, []))),
        suppliers=suppliers,
    )


def _load_tip(ix: Index, ref: str) -> Tip:
    """What R9 and R5 say about an organisation."""
    _, n = ix.words.gettext, ix.words.number
    tip: Tip = []
    conc = ix.concentration.get(ref)
    if conc is not None:
        critical = [ix.names.show("function", f) for f in conc["critical_functions"]]
        tip += [
            (_("critical functions"), some(ix, critical) or _("none")),
            (_("annual value"), ix.words.money(conc["annual_value"])),
        ]
    load = ix.load.get(ref)
    if load is not None:
        tip += [
            (_("coordinates lots"), n(load["lots"])),
            (_("coordination score (R5)"), n(load["score"])),
            (
                _("load"),
                _(
                    "{suppliers} suppliers, {interfaces} interfaces, {distrust} distrust lots, "
                    "{mismatches} mismatches, {clauses} penalty/bonus clauses"
                ).format(
                    suppliers=n(load["suppliers"]),
                    interfaces=n(load["interfaces"]),
                    distrust=n(load["distrust_lots"]),
                    mismatches=n(load["mismatches"]),
                    clauses=n(load["penalty_bonus_clauses"]),
                ),
            ),
        ]
    return tip


def org_node(ix: Index, ref: str, in_view: set[NodeKey]) -> ViewNode:
    key = ("organisation", ref)
    _ = ix.words.gettext
    org = ix.orgs[ref]
    internal = org.internal or ref == OWN_IT
    prime = ix.is_prime(ref)
    kind = "prime" if prime else "supplier"
    contracts = ix.org_contracts.get(ref, [])
    tip: Tip = [
        (_("id"), ref),
        (_("organisation"), _("internal") if internal else _("external")),
    ]
    if contracts:
        lots = sorted({ix.contract[c].lot for c in contracts})
        tip += [
            (_("contracts"), ix.words.number(len(contracts))),
            (_("lots"), some(ix, [ix.names.show("lot", lot) for lot in lots])),
        ]
    tip += _load_tip(ix, ref) + _extra(org.extra)
    title = (_("Prime contractor: {name}") if prime else _("Supplier: {name}")).format(
        name=ix.names.show("organisation", ref)
    )
    return _node(ix, key, kind, ix.name(key), title, tip, [ref] if contracts else [])


def _level(ix: Index, value: str | None) -> str:
    """A level (low, high) as the ontology names it; not recorded when the register has none."""
    return ix.words.term("level", value) if value else ix.words.gettext("not recorded")


def _prime(ix: Index, ref: str, defaulted: bool) -> str:
    """A lot's prime contractor; one the register did not name (own-it by default) says so."""
    name = ix.names.show("organisation", ix.prime(ref))
    if not defaulted:
        return name
    return ix.words.gettext("{name} (not recorded: the default)").format(name=name)


def lot_node(ix: Index, ref: str, in_view: set[NodeKey]) -> ViewNode:
    key = ("lot", ref)
    _ = ix.words.gettext
    lot = ix.lots[ref]
    modes = ix.lot_mode[ref]
    mode = modes["mode"] or "unknown"
    members = [ix.contract[c] for c in ix.lot_contracts.get(ref, [])]
    commodity = getattr(lot, "commodity", None)
    tip = [
        (_("id"), ref),
        (_("mode (R2)"), ix.words.mode(mode)),
        (_("recommended at least (R7)"), ix.words.mode(modes["recommended"])),
        (_("prime contractor"), _prime(ix, ref, lot.prime_contractor_defaulted)),
        (_("complexity / dynamics"), f"{_level(ix, lot.complexity)} / {_level(ix, lot.dynamics)}"),
        (
            _("commodity"),
            ix.words.yes_no(commodity) if commodity is not None else _("not recorded"),
        ),
        (_("contracts"), ix.words.number(len(members))),
        (_("suppliers"), some(ix, sorted({c.supplier for c in members}))),
    ]
    if ix.deps_out.get(ref):
        tip.append((_("depends on"), some(ix, [ix.names.show("lot", b) for b in ix.deps_out[ref]])))
    if ix.deps_in.get(ref):
        tip.append((_("needed by"), some(ix, [ix.names.show("lot", a) for a in ix.deps_in[ref]])))
    tip += _extra(lot.extra)
    suppliers = sorted({c.supplier for c in members if ("contract", c.id) in in_view})
    title = _("Lot: {name}").format(name=ix.names.show("lot", ref))
    return _node(ix, key, "lot", ix.name(key), title, tip, suppliers, mode=mode)


def _contract_period(ix: Index, ref: str) -> tuple[Tip, str | None]:
    """The tip rows of a contract's period and its status at the reference date."""
    c = ix.contract[ref]
    _, d = ix.words.gettext, ix.words.date
    tip: Tip = []
    if c.start_date or c.end_date:
        start = d(c.start_date) if c.start_date else "?"
        end = d(c.end_date) if c.end_date else "?"
        tip.append((_("period"), f"{start} – {end}"))
    status = contract_status(c.end_date, ix.as_of)
    if status == "ended":
        tip.append((_("status"), _("ended before {date}").format(date=d(ix.as_of))))
    elif status == "ending":
        tip.append((_("status"), _("ends within 12 months of {date}").format(date=d(ix.as_of))))
    return tip, status


def contract_node(ix: Index, ref: str, in_view: set[NodeKey]) -> ViewNode:
    key = ("contract", ref)
    _ = ix.words.gettext
    c = ix.contract[ref]
    mode = ix.effective_mode(ref) or "unknown"
    basis = ix.words.term("mode_basis", ix.effective[ref]["reason"])
    clauses = [ix.words.term("clause", k) for k in sorted(c.clauses or ())]
    tip = [
        (_("supplier"), ix.names.show("organisation", c.supplier)),
        (_("lot"), ix.names.show("lot", c.lot)),
        (_("declared mode"), ix.words.mode(c.mode)),
        (_("effective mode (R1)"), f"{ix.words.mode(mode)}: {basis}"),
        (_("clauses"), ", ".join(clauses) or _("none")),
        (
            _("functions"),
            some(ix, [ix.names.show("function", f) for f in sorted(c.functions)]) or _("none"),
        ),
    ]
    if c.annual_value is not None:
        tip.append((_("annual value"), ix.words.money(c.annual_value)))
    period, status = _contract_period(ix, ref)
    tip += period
    if c.selection_basis:
        tip.append((_("selected on"), ix.words.term("selection_basis", str(c.selection_basis))))
    tip += _extra(c.extra)
    label = f"{ref} ({status_word(status, ix.words)})" if status else ref
    title = _("Contract: {id}").format(id=ref)
    node = _node(ix, key, "contract", label, title, tip, [c.supplier], mode=mode, label_max=24)
    node.status = status
    return node


def function_node(ix: Index, ref: str, in_view: set[NodeKey]) -> ViewNode:
    key = ("function", ref)
    _ = ix.words.gettext
    function = ix.functions[ref]
    contracts = ix.function_contracts.get(ref, [])
    suppliers = sorted({ix.contract[c].supplier for c in contracts})
    tip = [
        (_("id"), ref),
        (_("critical"), ix.words.yes_no(function.critical)),
        (_("retained (keep in-house)"), ix.words.yes_no(function.retained)),
        (
            _("delivered by"),
            some(ix, [ix.names.show("organisation", s) for s in suppliers]) or _("nobody"),
        ),
        (_("contracts"), ix.words.number(len(contracts))),
    ]
    tip += _extra(function.extra)
    in_view_suppliers = sorted(
        {ix.contract[c].supplier for c in contracts if ("contract", c) in in_view}
    )
    title = _("Function: {name}").format(name=ix.names.show("function", ref))
    node = _node(ix, key, "function", ix.name(key), title, tip, in_view_suppliers)
    if function.critical:
        node.critical = True
        node.size = CRITICAL_SIZE
    return node


MAKERS: dict[str, Callable[[Index, str, set[NodeKey]], ViewNode]] = {
    "organisation": org_node,
    "lot": lot_node,
    "contract": contract_node,
    "function": function_node,
}
"""The node builder of each kind of entity."""
