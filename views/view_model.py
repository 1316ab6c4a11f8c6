"""The data of a network view: which nodes and edges, their look, tooltips, findings and positions.

:func:`make_view_graph` turns a register, the rules and an analysis result into a
:class:`ViewGraph`: plain Python data, no HTML. :mod:`sourcing_graph.views.network` renders it.

- Kinds: suppliers, prime contractors (an organisation that coordinates a lot), lots, contracts and
  functions, each with its own shape.
- Colours: the effective mode of a contract (R1) and the mode of a lot (R2); organisations and
  functions have no mode and are drawn neutral.
- Findings: R3 mismatches colour the dependency edge by severity; R4 and R8 mark the function, R5 an
  external prime contractor, R6 the contract (dashed border), R7 the lot.
- Focus: the neighbourhood of one node, ``depth`` steps away. A prime contractor reached on the way
  is not expanded to all its lots (it would pull in everything); focus on it to see its lots.
- Scale: above ``max_nodes`` the view is aggregated (suppliers and lots, edges weighted by the
  number of contracts); above ``physics_threshold`` nodes (or three times as many edges) the
  positions are computed here (a fast shelf-and-barycentre layout, linear in the size of the
  graph) and the browser's physics is off.
"""

from __future__ import annotations

import difflib
import math
import zlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from sourcing_graph.errors import ViewError
from sourcing_graph.graph import embedded
from sourcing_graph.model import OWN_IT, Register
from sourcing_graph.ontology.rules import Rules

NodeKey = tuple[str, str]  # (graph kind, register id), as in networkx_builder

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

FOCUS_KINDS = {
    "supplier": "organisation",
    "leverancier": "organisation",
    "organisation": "organisation",
    "org": "organisation",
    "prime": "organisation",
    "prime_contractor": "organisation",
    "prime-contractor": "organisation",
    "hoofdaannemer": "organisation",
    "lot": "lot",
    "kavel": "lot",
    "function": "function",
    "functie": "function",
    "contract": "contract",
}

LABEL_MAX = 32
TIP_LIST_MAX = 12


@dataclass(slots=True)
class ViewNode:
    """One node of a view. ``id`` is unique in the view (``"lot:K03"``); ``ref`` the register id."""

    id: str
    kind: str
    ref: str
    label: str
    name: str
    mode: str | None = None  # None: the kind has no mode (organisations, functions)
    size: int = 12
    value: float | None = None  # aggregated views: sizes scale with this
    tip_title: str = ""
    tip: list[tuple[str, str]] = field(default_factory=list)
    findings: list[str] = field(default_factory=list)
    suppliers: list[str] = field(default_factory=list)  # for the supplier filter
    focus: bool = False
    x: float | None = None
    y: float | None = None


@dataclass(slots=True)
class ViewEdge:
    """One edge of a view: ``type`` is the graph's relationship (or ``CONTRACTS`` when aggregated)."""

    id: str
    source: str
    target: str
    type: str
    mode: str | None = None
    severity: str | None = None
    weight: int = 1
    tip_title: str = ""
    tip: list[tuple[str, str]] = field(default_factory=list)
    findings: list[str] = field(default_factory=list)


@dataclass
class ViewGraph:
    """Everything a page needs to draw one view (the renderer adds the look and the HTML)."""

    nodes: list[ViewNode]
    edges: list[ViewEdge]
    aggregated: bool
    positioned: bool  # positions computed here; physics off in the browser
    focus: str | None  # the focus node's view id
    depth: int
    totals: dict[str, int]  # the whole register: lots, suppliers, contracts, functions
    finding_counts: dict[str, int]  # per finding key, over the whole register
    top_prime: dict[str, Any] | None  # the first row of coordination_load
    notes: list[tuple[str, str]] = field(default_factory=list)  # (kind, text): aggregate, empty

    def counts(self) -> dict[str, int]:
        """Nodes per view kind, and edges."""
        out = dict.fromkeys(VIEW_KINDS, 0)
        for n in self.nodes:
            out[n.kind] += 1
        out["edges"] = len(self.edges)
        return out


# -- helpers ---------------------------------------------------------------------------------------


def view_id(kind: str, ref: str) -> str:
    """The id of a register entity in a view: ``"lot:K03"`` (organisations: ``"org:acme"``)."""
    return f"{'org' if kind == 'organisation' else kind}:{ref}"


def shorten(text: str, limit: int = LABEL_MAX) -> str:
    """A label for the canvas: one line, at most ``limit`` characters."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _some(items: Iterable[str], limit: int = TIP_LIST_MAX) -> str:
    items = list(items)
    head = ", ".join(items[:limit])
    return head + (f" … (+{len(items) - limit} more)" if len(items) > limit else "")


def _money(value: float) -> str:
    return f"{value:,.0f}".replace(",", "\u202f")


def _hash_unit(text: str, salt: int = 0) -> float:
    """A deterministic number in [0, 1) for a text (not Python's salted ``hash``)."""
    return (zlib.crc32(text.encode("utf-8"), salt) & 0xFFFFFFFF) / 2**32


# -- the register, read once -----------------------------------------------------------------------


@dataclass
class _Index:
    graph: nx.MultiDiGraph
    ctx: embedded.Context
    result: dict[str, list[dict[str, Any]]]
    contract: dict[str, embedded.ContractInfo]
    org_contracts: dict[str, list[str]]
    function_contracts: dict[str, list[str]]
    deps_out: dict[str, list[str]]
    deps_in: dict[str, list[str]]
    coordinated: dict[str, list[str]]
    findings: dict[NodeKey, list[tuple[str, str]]]  # node -> (finding key, text)
    mismatch: dict[tuple[str, str], dict[str, Any]]
    load: dict[str, dict[str, Any]]
    concentration: dict[str, dict[str, Any]]

    def name(self, key: NodeKey) -> str:
        data = self.graph.nodes[key]
        return data.get("name") or key[1]

    def is_prime(self, org: str) -> bool:
        return bool(self.coordinated.get(org))


def _index(
    register: Register, rules: Rules, result: dict[str, list[dict[str, Any]]] | None
) -> _Index:
    from sourcing_graph.graph.analyses import ANALYSES, run_analysis
    from sourcing_graph.graph.networkx_builder import to_networkx

    graph = to_networkx(register)
    ctx = embedded.prepare(graph, rules)
    if result is None:
        result = {key: run_analysis(key, None, None, "embedded", context=ctx) for key in ANALYSES}
    contract = {c.id: c for c in ctx.contracts}
    org_contracts: dict[str, list[str]] = defaultdict(list)
    function_contracts: dict[str, list[str]] = defaultdict(list)
    for c in ctx.contracts:
        org_contracts[c.supplier].append(c.id)
        for f in sorted(c.functions):
            function_contracts[f].append(c.id)
    deps_out: dict[str, list[str]] = defaultdict(list)
    deps_in: dict[str, list[str]] = defaultdict(list)
    for a, b in ctx.dependencies:
        deps_out[a].append(b)
        deps_in[b].append(a)
    index = _Index(
        graph=graph,
        ctx=ctx,
        result=result,
        contract=contract,
        org_contracts=dict(org_contracts),
        function_contracts=dict(function_contracts),
        deps_out=dict(deps_out),
        deps_in=dict(deps_in),
        coordinated=dict(ctx.coordinated),
        findings=defaultdict(list),
        mismatch={},
        load={row["prime_contractor"]: row for row in result.get("coordination_load", [])},
        concentration={row["supplier"]: row for row in result.get("concentration", [])},
    )
    _index_findings(index)
    return index


def _index_findings(ix: _Index) -> None:
    add = ix.findings
    for row in ix.result.get("mode_mismatches", []):
        a, b = row["lot"], row["depends_on"]
        ix.mismatch[(a, b)] = row
        text = (
            f"R3 {row['severity']}: {a} ({row['lot_mode']}) depends on {b} "
            f"({row['depends_on_mode']}), {row['direction'].replace('_', ' ')}"
        )
        add[("lot", a)].append(("mode_mismatches", text))
        add[("lot", b)].append(("mode_mismatches", text))
    for row in ix.result.get("critical_without_trust", []):
        pairs = ", ".join(
            f"{c}: {r}" for c, r in zip(row["contracts"], row["reasons"], strict=True)
        )
        text = f"R4: {row['supplier']} delivers critical {row['function']} without trust ({pairs})"
        add[("organisation", row["supplier"])].append(("critical_without_trust", text))
        add[("function", row["function"])].append(("critical_without_trust", text))
        for c in row["contracts"]:
            add[("contract", c)].append(("critical_without_trust", text))
    for row in ix.result.get("coordination_load", []):
        if row.get("external"):
            p = row["prime_contractor"]
            text = f"R5: {p} is an external prime contractor (score {row['score']})"
            add[("organisation", p)].append(("external_prime", text))
            for lot in ix.coordinated.get(p, []):
                add[("lot", lot)].append(("external_prime", text))
    for row in ix.result.get("clause_conflicts", []):
        text = (
            f"R6: {row['contract']} declares {row['declared_mode']} but is "
            f"{row['effective_mode']} by {', '.join(row['clauses'])}"
        )
        for key in (
            ("contract", row["contract"]),
            ("lot", row["lot"]),
            ("organisation", row["supplier"]),
        ):
            add[key].append(("clause_conflicts", text))
    for row in ix.result.get("mode_fit", []):
        text = f"R7: {row['lot']} runs in {row['mode']}, needs at least {row['recommended']}"
        add[("lot", row["lot"])].append(("mode_fit", text))
    for row in ix.result.get("retained_functions", []):
        text = (
            f"R8: retained function {row['function']} given to {row['supplier']} "
            f"({', '.join(row['contracts'])})"
        )
        add[("function", row["function"])].append(("retained_functions", text))
        add[("organisation", row["supplier"])].append(("retained_functions", text))
        for c in row["contracts"]:
            add[("contract", c)].append(("retained_functions", text))


def finding_counts(result: dict[str, list[dict[str, Any]]]) -> dict[str, int]:
    """Findings per view finding key (R5 counts the external prime contractors)."""
    counts = {key: len(result.get(key, [])) for key in FINDINGS if key != "external_prime"}
    counts["external_prime"] = sum(
        1 for r in result.get("coordination_load", []) if r.get("external")
    )
    return {key: counts[key] for key in FINDINGS}


# -- focus -----------------------------------------------------------------------------------------


def _display(ix: _Index, key: NodeKey) -> str:
    kind, ref = key
    if kind == "organisation":
        return f"{'supplier' if ref in ix.org_contracts else 'prime'}:{ref}"
    return f"{kind}:{ref}"


def resolve_focus(graph: nx.MultiDiGraph, focus: str, *, _ix: _Index | None = None) -> NodeKey:
    """The node a focus names: ``kind:id`` (``lot:K03``, ``supplier:acme``), a plain id, or a name.

    Raises :class:`ViewError` naming the candidates when the focus is ambiguous or unknown.
    """
    text = focus.strip()
    kind, sep, rest = text.partition(":")
    if sep and kind.strip().lower() in FOCUS_KINDS:
        key = (FOCUS_KINDS[kind.strip().lower()], rest.strip())
        if key in graph:
            return key
    ids = [(k, text) for k in ("organisation", "lot", "function", "contract") if (k, text) in graph]
    if len(ids) == 1:
        return ids[0]

    def show(key: NodeKey) -> str:
        return _display(_ix, key) if _ix is not None else view_id(*key)

    if len(ids) > 1:
        names = ", ".join(show(k) for k in ids)
        raise ViewError(f"focus {focus!r} is ambiguous: it could be {names}; write one of these")
    folded = text.casefold()
    by_name = [
        k for k, data in graph.nodes(data=True) if (data.get("name") or "").casefold() == folded
    ]
    if len(by_name) == 1:
        return by_name[0]
    if len(by_name) > 1:
        names = ", ".join(show(k) for k in sorted(by_name))
        raise ViewError(f"focus {focus!r} names several nodes: {names}; write one of these")
    by_ref: dict[str, list[NodeKey]] = defaultdict(list)
    for key in graph.nodes:
        by_ref[key[1]].append(key)
    close = difflib.get_close_matches(
        rest.strip() if sep else text, sorted(by_ref), n=5, cutoff=0.6
    )
    suggestions = [show(key) for ref in close for key in sorted(by_ref[ref])]
    hint = f"; did you mean {', '.join(suggestions)}?" if suggestions else ""
    raise ViewError(
        f"unknown focus {focus!r}: no supplier, prime contractor, lot, function or contract has "
        f"that id or name (write kind:id, e.g. lot:K03){hint}"
    )


def _neighbours(ix: _Index, key: NodeKey, is_focus: bool) -> Iterable[NodeKey]:
    kind, ref = key
    if kind == "contract":
        c = ix.contract.get(ref)
        if c is not None:
            yield ("organisation", c.supplier)
            yield ("lot", c.lot)
            for f in sorted(c.functions):
                yield ("function", f)
    elif kind == "lot":
        for c in ix.ctx.lot_contracts.get(ref, []):
            yield ("contract", c.id)
        for other in ix.deps_out.get(ref, []) + ix.deps_in.get(ref, []):
            yield ("lot", other)
        yield ("organisation", ix.ctx.lots.get(ref, {}).get("prime_contractor") or OWN_IT)
    elif kind == "organisation":
        for cid in ix.org_contracts.get(ref, []):
            yield ("contract", cid)
        if is_focus:
            for lot in ix.coordinated.get(ref, []):
                yield ("lot", lot)
    elif kind == "function":
        for cid in ix.function_contracts.get(ref, []):
            yield ("contract", cid)


def neighbourhood(ix: _Index, start: NodeKey, depth: int) -> set[NodeKey]:
    """The nodes at most ``depth`` steps from ``start`` (see the module docstring)."""
    seen = {start}
    frontier = [start]
    for _ in range(depth):
        nxt = []
        for key in frontier:
            for other in _neighbours(ix, key, key == start):
                if other not in seen and other in ix.graph:
                    seen.add(other)
                    nxt.append(other)
        frontier = nxt
    return seen


# -- building the nodes and edges --------------------------------------------------------------------


def _yes(value: Any) -> str:
    return "yes" if value else "no"


def _finding_rows(ix: _Index, key: NodeKey) -> tuple[list[str], list[tuple[str, str]]]:
    found = ix.findings.get(key, [])
    keys = sorted({k for k, _ in found}, key=list(FINDINGS).index)
    texts = list(dict.fromkeys(t for _, t in found))
    rows = [("finding", t) for t in texts[:8]]
    if len(texts) > 8:
        rows.append(("finding", f"… and {len(texts) - 8} more"))
    return keys, rows


def _org_node(ix: _Index, ref: str, in_view: set[NodeKey]) -> ViewNode:
    key = ("organisation", ref)
    data = ix.graph.nodes[key]
    name = ix.name(key)
    internal = ix.ctx.internal.get(ref, False)
    prime = ix.is_prime(ref)
    kind = "prime" if prime else "supplier"
    contracts = ix.org_contracts.get(ref, [])
    tip: list[tuple[str, str]] = [
        ("id", ref),
        ("organisation", "internal" if internal else "external"),
    ]
    if contracts:
        lots = sorted({ix.contract[c].lot for c in contracts})
        tip += [("contracts", str(len(contracts))), ("lots", _some(lots))]
    conc = ix.concentration.get(ref)
    if conc is not None:
        tip += [
            ("critical functions", _some(conc["critical_functions"]) or "none"),
            ("annual value", _money(conc["annual_value"])),
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
    keys, rows = _finding_rows(ix, key)
    title = (
        "Prime contractor (hoofdaannemer)" if prime else "Supplier (leverancier)"
    ) + f": {name}"
    if data.get("extra"):
        tip += [(str(k), str(v)) for k, v in sorted(data["extra"].items())]
    return ViewNode(
        id=view_id("organisation", ref),
        kind=kind,
        ref=ref,
        label=shorten(name),
        name=name,
        size=SIZES[kind],
        tip_title=title,
        tip=tip + rows,
        findings=keys,
        suppliers=[ref] if contracts else [],
    )


def _lot_node(ix: _Index, ref: str, in_view: set[NodeKey]) -> ViewNode:
    key = ("lot", ref)
    data = ix.graph.nodes[key]
    name = ix.name(key)
    mode = ix.ctx.lot_mode.get(ref) or "unknown"
    members = ix.ctx.lot_contracts.get(ref, [])
    prime = data.get("prime_contractor") or OWN_IT
    recommended = ix.ctx.rules.recommend(
        data.get("complexity") or "low", data.get("dynamics") or "low", bool(data.get("commodity"))
    )
    tip = [
        ("id", ref),
        ("mode (R2)", MODE_LABELS[mode]),
        ("recommended at least (R7)", MODE_LABELS[recommended]),
        ("prime contractor", prime),
        (
            "complexity / dynamics",
            f"{data.get('complexity') or 'low'} / {data.get('dynamics') or 'low'}",
        ),
        ("commodity", _yes(data.get("commodity"))),
        ("contracts", str(len(members))),
        ("suppliers", _some(sorted({c.supplier for c in members}))),
    ]
    if ix.deps_out.get(ref):
        tip.append(("depends on", _some(ix.deps_out[ref])))
    if ix.deps_in.get(ref):
        tip.append(("needed by", _some(ix.deps_in[ref])))
    tip += [(str(k), str(v)) for k, v in sorted((data.get("extra") or {}).items())]
    keys, rows = _finding_rows(ix, key)
    return ViewNode(
        id=view_id("lot", ref),
        kind="lot",
        ref=ref,
        label=shorten(name),
        name=name,
        mode=mode,
        size=SIZES["lot"],
        tip_title=f"Lot (kavel): {name}",
        tip=tip + rows,
        findings=keys,
        suppliers=sorted({c.supplier for c in members if ("contract", c.id) in in_view}),
    )


_REASONS = {
    embedded.BY_CLAUSE: "forced by clause",
    embedded.BY_DECLARATION: "declared",
    embedded.BY_INTERNAL_SUPPLIER: "internal supplier",
    embedded.NOT_RECORDED: "not recorded",
}


def _contract_node(ix: _Index, ref: str, in_view: set[NodeKey]) -> ViewNode:
    key = ("contract", ref)
    data = ix.graph.nodes[key]
    c = ix.contract[ref]
    mode = c.effective or "unknown"
    tip = [
        ("supplier", c.supplier),
        ("lot", c.lot),
        ("declared mode", MODE_LABELS[c.declared or "unknown"]),
        ("effective mode (R1)", f"{MODE_LABELS[mode]}: {_REASONS.get(c.reason, c.reason)}"),
        ("clauses", ", ".join(sorted(data.get("clauses") or ())) or "none"),
        ("functions", _some(sorted(c.functions)) or "none"),
    ]
    if c.annual_value is not None:
        tip.append(("annual value", _money(c.annual_value)))
    if data.get("start_date") or data.get("end_date"):
        tip.append(("period", f"{data.get('start_date') or '?'} – {data.get('end_date') or '?'}"))
    if data.get("selection_basis"):
        tip.append(("selected on", str(data["selection_basis"])))
    tip += [(str(k), str(v)) for k, v in sorted((data.get("extra") or {}).items())]
    keys, rows = _finding_rows(ix, key)
    return ViewNode(
        id=view_id("contract", ref),
        kind="contract",
        ref=ref,
        label=shorten(ref, 20),
        name=ref,
        mode=mode,
        size=SIZES["contract"],
        tip_title=f"Contract: {ref}",
        tip=tip + rows,
        findings=keys,
        suppliers=[c.supplier],
    )


def _function_node(ix: _Index, ref: str, in_view: set[NodeKey]) -> ViewNode:
    key = ("function", ref)
    data = ix.graph.nodes[key]
    name = ix.name(key)
    contracts = ix.function_contracts.get(ref, [])
    suppliers = sorted({ix.contract[c].supplier for c in contracts})
    tip = [
        ("id", ref),
        ("critical", _yes(data.get("critical"))),
        ("retained (keep in-house)", _yes(data.get("retained"))),
        ("delivered by", _some(suppliers) or "nobody"),
        ("contracts", str(len(contracts))),
    ]
    tip += [(str(k), str(v)) for k, v in sorted((data.get("extra") or {}).items())]
    keys, rows = _finding_rows(ix, key)
    return ViewNode(
        id=view_id("function", ref),
        kind="function",
        ref=ref,
        label=shorten(name),
        name=name,
        size=SIZES["function"],
        tip_title=f"Function (functie): {name}",
        tip=tip + rows,
        findings=keys,
        suppliers=sorted(
            {ix.contract[c].supplier for c in contracts if ("contract", c) in in_view}
        ),
    )


_MAKERS = {
    "organisation": _org_node,
    "lot": _lot_node,
    "contract": _contract_node,
    "function": _function_node,
}


def _full(ix: _Index, keys: set[NodeKey]) -> tuple[list[ViewNode], list[ViewEdge]]:
    order = {"organisation": 0, "lot": 1, "function": 2, "contract": 3}
    ordered = sorted(keys, key=lambda k: (order[k[0]], k[1]))
    nodes = [_MAKERS[k[0]](ix, k[1], keys) for k in ordered]
    edges: list[ViewEdge] = []
    for u, v, data in ix.graph.edges(data=True):
        if u not in keys or v not in keys or u == v:
            continue
        etype = data["type"]
        edge = ViewEdge(f"e{len(edges)}", view_id(*u), view_id(*v), etype)
        if etype == "SUPPLY_CHAIN":
            edge.tip_title = f"Supply chain of {u[1]}: {v[1]} at rank {data['rank']}"
            if data.get("recipient") is not None:
                edge.tip.append(("subcontracted by", str(data["recipient"])))
            if data.get("service_type") is not None:
                edge.tip.append(("ICT service", str(data["service_type"])))
        elif etype == "DEPENDS_ON":
            row = ix.mismatch.get((u[1], v[1]))
            edge.tip_title = f"Dependency: {u[1]} depends on {v[1]}"
            if row is not None:
                edge.severity = row["severity"]
                edge.findings = ["mode_mismatches"]
                edge.tip = [
                    ("modes", f"{row['lot_mode']} → {row['depends_on_mode']}"),
                    ("severity (R3)", str(row["severity"])),
                    ("direction", row["direction"].replace("_", " ")),
                ]
        elif etype == "PART_OF" or etype == "SUPPLIED_BY":
            edge.mode = ix.contract[u[1]].effective or "unknown"
        edges.append(edge)
    return nodes, edges


def _aggregate(ix: _Index, keys: set[NodeKey]) -> tuple[list[ViewNode], list[ViewEdge]]:
    """Suppliers, prime contractors and lots; one edge per supplier and lot, weighted by contracts."""
    lots = sorted(ref for kind, ref in keys if kind == "lot")
    contracts = [ix.contract[ref] for kind, ref in keys if kind == "contract"]
    pairs: dict[tuple[str, str], list[embedded.ContractInfo]] = defaultdict(list)
    for c in contracts:
        pairs[(c.supplier, c.lot)].append(c)
    lot_set = set(lots)
    orgs = sorted(
        {s for s, _ in pairs}
        | {ref for kind, ref in keys if kind == "organisation" and ix.is_prime(ref)}
    )
    # the aggregated nodes' own "in view" set: a contract counts when it is in the selection
    nodes = [_org_node(ix, ref, keys) for ref in orgs]
    per_org: dict[str, int] = defaultdict(int)
    per_lot: dict[str, int] = defaultdict(int)
    for (s, lot), members in pairs.items():
        per_org[s] += len(members)
        per_lot[lot] += len(members)
    for n in nodes:
        n.value = float(per_org.get(n.ref, 0))
        n.findings = sorted(
            {k for k, _ in ix.findings.get(("organisation", n.ref), [])}, key=list(FINDINGS).index
        )
    for ref in lots:
        lot_node = _lot_node(ix, ref, keys)
        lot_node.value = float(per_lot.get(ref, 0))
        nodes.append(lot_node)
    edges: list[ViewEdge] = []
    org_ids = set(orgs)
    for (s, lot), members in sorted(pairs.items()):
        if lot not in lot_set:
            continue
        mode = ix.ctx.lowest({c.effective for c in members if c.effective}) or "unknown"
        conflicts = [c.id for c in members if ix.findings.get(("contract", c.id))]
        tip = [
            ("contracts", _some([c.id for c in members])),
            ("lowest effective mode", MODE_LABELS[mode]),
        ]
        if conflicts:
            tip.append(("contracts with findings", _some(conflicts)))
        edges.append(
            ViewEdge(
                f"e{len(edges)}",
                view_id("organisation", s),
                view_id("lot", lot),
                "CONTRACTS",
                mode=mode,
                weight=len(members),
                tip_title=f"{len(members)} contract(s) of {s} in lot {lot}",
                tip=tip,
            )
        )
    for a, b in ix.ctx.dependencies:
        if a in lot_set and b in lot_set:
            row = ix.mismatch.get((a, b))
            edge = ViewEdge(
                f"e{len(edges)}",
                view_id("lot", a),
                view_id("lot", b),
                "DEPENDS_ON",
                tip_title=f"Dependency: {a} depends on {b}",
            )
            if row is not None:
                edge.severity = row["severity"]
                edge.findings = ["mode_mismatches"]
                edge.tip = [
                    ("modes", f"{row['lot_mode']} → {row['depends_on_mode']}"),
                    ("severity (R3)", str(row["severity"])),
                ]
            edges.append(edge)
    for ref in lots:
        prime = ix.ctx.lots.get(ref, {}).get("prime_contractor") or OWN_IT
        if prime in org_ids:
            edges.append(
                ViewEdge(
                    f"e{len(edges)}",
                    view_id("lot", ref),
                    view_id("organisation", prime),
                    "COORDINATED_BY",
                )
            )
    return nodes, edges


# -- layout ------------------------------------------------------------------------------------------


def _shelf(radii: list[float], gap: float) -> list[tuple[float, float]]:
    """Centres for discs of the given radii, packed row by row into a roughly 16:9 area."""
    if not radii:
        return []
    area = sum((2 * r + gap) ** 2 for r in radii)
    width = max(math.sqrt(area * 16 / 9), max(2 * r + gap for r in radii))
    centres = []
    x = y = row_height = 0.0
    for r in radii:
        d = 2 * r + gap
        if x > 0 and x + d > width:
            x, y, row_height = 0.0, y + row_height, 0.0
        centres.append((x + d / 2, y + d / 2))
        x += d
        row_height = max(row_height, d)
    return centres


def _around(points: list[tuple[float, float]], ref: str, base: float) -> tuple[float, float]:
    """A spot near the barycentre of ``points``, spread by how scattered they are, fixed per ref."""
    cx = sum(p[0] for p in points) / len(points)
    cy = sum(p[1] for p in points) / len(points)
    spread = math.sqrt(sum((p[0] - cx) ** 2 + (p[1] - cy) ** 2 for p in points) / len(points))
    angle = 2 * math.pi * _hash_unit(ref, 1)
    dist = base + math.sqrt(_hash_unit(ref, 2)) * spread * 0.6
    return cx + dist * math.cos(angle), cy + dist * math.sin(angle)


GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))


def layout(nodes: list[ViewNode], edges: list[ViewEdge]) -> None:
    """Give every node a position, in time linear in the size of the view.

    Lots are packed on shelves (grouped by prime contractor); each lot's contracts sit on a
    sunflower disc around it; suppliers, functions and prime contractors near the barycentre of
    what they are linked to; anything left on a row underneath.
    """
    by_id = {n.id: n for n in nodes}
    links: dict[str, list[str]] = defaultdict(list)
    for e in edges:
        links[e.source].append(e.target)
        links[e.target].append(e.source)
    lots = [n for n in nodes if n.kind == "lot"]
    prime_of = {n.id: next((t for t in links[n.id] if by_id[t].kind == "prime"), "") for n in lots}
    lots.sort(key=lambda n: (prime_of[n.id], n.ref))
    members: dict[str, list[ViewNode]] = {
        n.id: sorted(
            (by_id[t] for t in links[n.id] if by_id[t].kind == "contract"), key=lambda m: m.ref
        )
        for n in lots
    }
    step, core = 16.0, 34.0
    radii = [core + step * math.sqrt(len(members[n.id]) + 1) for n in lots]
    for lot, (x, y) in zip(lots, _shelf(radii, 90.0), strict=True):
        lot.x, lot.y = x, y
        for j, c in enumerate(members[lot.id]):
            r = core + step * math.sqrt(j + 0.5)
            c.x, c.y = x + r * math.cos(j * GOLDEN_ANGLE), y + r * math.sin(j * GOLDEN_ANGLE)
    # contracts without a lot in view: near their supplier, later
    for kind, base in (("function", 26.0), ("supplier", 34.0), ("prime", 60.0), ("contract", 20.0)):
        for n in nodes:
            if n.kind != kind or n.x is not None:
                continue
            points = [(by_id[t].x, by_id[t].y) for t in links[n.id] if by_id[t].x is not None]
            if points:
                n.x, n.y = _around(points, n.ref, base)  # type: ignore[arg-type]
    placed = [n for n in nodes if n.x is not None]
    bottom = max((n.y for n in placed if n.y is not None), default=0.0) + 120
    for i, n in enumerate(n for n in nodes if n.x is None):
        n.x, n.y = 80.0 * (i % 40), bottom + 80.0 * (i // 40)
    for n in nodes:
        n.x, n.y = round(n.x or 0.0, 1), round(n.y or 0.0, 1)


# -- the whole view ----------------------------------------------------------------------------------


def make_view_graph(
    register: Register,
    rules: Rules,
    result: dict[str, list[dict[str, Any]]] | None = None,
    *,
    focus: str | None = None,
    depth: int = 2,
    max_nodes: int = 2500,
    physics_threshold: int = 800,
) -> ViewGraph:
    """The nodes and edges of a view of ``register`` (see the module docstring)."""
    if depth < 0:
        raise ViewError(f"depth must be 0 or more, got {depth}")
    if max_nodes < 1:
        raise ViewError(f"max_nodes must be 1 or more, got {max_nodes}")
    ix = _index(register, rules, result)
    notes: list[tuple[str, str]] = []
    focus_key: NodeKey | None = None
    if focus is not None and focus.strip():
        focus_key = resolve_focus(ix.graph, focus, _ix=ix)
        keys = neighbourhood(ix, focus_key, depth)
    else:
        keys = set(ix.graph.nodes)
        if ix.graph.degree(("organisation", OWN_IT)) == 0:
            keys.discard(("organisation", OWN_IT))
    aggregated = len(keys) > max_nodes
    if aggregated:
        nodes, edges = _aggregate(ix, keys)
        notes.append(
            (
                "aggregate",
                f"Aggregated overview (overzicht): {len(keys)} nodes are more than {max_nodes}, so "
                "suppliers and lots are drawn with one edge per supplier and lot (its width is the "
                "number of contracts); contracts and functions are left out. For the details, make a "
                "focus view: sourcing-graph view REGISTER --focus lot:ID (or supplier:ID, function:ID).",
            )
        )
    else:
        nodes, edges = _full(ix, keys)
    if not nodes:
        notes.append(
            (
                "empty",
                "The register is empty (leeg): it has no lots, contracts or functions to draw.",
            )
        )
    if focus_key is not None:
        fid = view_id(*focus_key)
        for n in nodes:
            if n.id == fid:
                n.focus = True
    # physics in the browser is quick for a few hundred nodes, but every edge is a spring
    positioned = len(nodes) > physics_threshold or len(edges) > 3 * physics_threshold
    if positioned:
        layout(nodes, edges)
    graph = ix.graph
    result_rows = ix.result
    totals = {
        "lots": sum(1 for k in graph.nodes if k[0] == "lot"),
        "suppliers": len(ix.org_contracts),
        "contracts": len(ix.contract),
        "functions": sum(1 for k in graph.nodes if k[0] == "function"),
        "prime_contractors": len(ix.coordinated),
        "dependencies": len(ix.ctx.dependencies),
    }
    load = result_rows.get("coordination_load", [])
    return ViewGraph(
        nodes=nodes,
        edges=edges,
        aggregated=aggregated,
        positioned=positioned,
        focus=view_id(*focus_key) if focus_key is not None else None,
        depth=depth,
        totals=totals,
        finding_counts=finding_counts(result_rows),
        top_prime=dict(load[0]) if load else None,
        notes=notes,
    )
