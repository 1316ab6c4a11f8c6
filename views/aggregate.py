"""The aggregated overview of a large view: suppliers, prime contractors and lots, with one edge
per supplier and lot whose width is the number of contracts (contracts and functions left out)."""

from __future__ import annotations

from collections import defaultdict

from sourcing_graph.model import Contract
from sourcing_graph.views.edges import dependency_edge
from sourcing_graph.views.index import Index
from sourcing_graph.views.legend import FINDINGS
from sourcing_graph.views.nodes import lot_node, org_node, some
from sourcing_graph.views.view_graph import NodeKey, ViewEdge, ViewNode, view_id


def _contracts_edge(ix: Index, s: str, lot: str, members: list[Contract], edge_id: str) -> ViewEdge:
    """The edge of supplier ``s`` to ``lot``: its contracts there, coloured by the lowest mode."""
    known = {m for m in (ix.effective_mode(c.id) for c in members) if m}
    mode = ix.lowest(known) or "unknown"
    conflicts = [c.id for c in members if ix.findings.get(("contract", c.id))]
    _ = ix.words.gettext
    tip = [
        (_("contracts"), some(ix, [c.id for c in members])),
        (_("lowest effective mode"), ix.words.mode(mode)),
    ]
    if conflicts:
        tip.append((_("contracts with findings"), some(ix, conflicts)))
    return ViewEdge(
        edge_id,
        view_id("organisation", s),
        view_id("lot", lot),
        "CONTRACTS",
        mode=mode,
        weight=len(members),
        tip_title=ix.words.ngettext(
            "{n} contract of {supplier} in {lot}",
            "{n} contracts of {supplier} in {lot}",
            len(members),
            supplier=ix.names.show("organisation", s),
            lot=ix.names.show("lot", lot),
        ),
        tip=tip,
    )


def _nodes(
    ix: Index, keys: set[NodeKey], lots: list[str], pairs: dict[tuple[str, str], list[Contract]]
) -> list[ViewNode]:
    """The organisations (suppliers in view and prime contractors) and the lots, sized by contracts."""
    orgs = sorted(
        {s for s, _ in pairs}
        | {ref for kind, ref in keys if kind == "organisation" and ix.is_prime(ref)}
    )
    # the aggregated nodes' own "in view" set: a contract counts when it is in the selection
    nodes = [org_node(ix, ref, keys) for ref in orgs]
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
        node = lot_node(ix, ref, keys)
        node.value = float(per_lot.get(ref, 0))
        nodes.append(node)
    return nodes


def aggregate(ix: Index, keys: set[NodeKey]) -> tuple[list[ViewNode], list[ViewEdge]]:
    """Suppliers, prime contractors and lots; one edge per supplier and lot, weighted by contracts."""
    lots = sorted(ref for kind, ref in keys if kind == "lot")
    pairs: dict[tuple[str, str], list[Contract]] = defaultdict(list)
    for ref in sorted(ref for kind, ref in keys if kind == "contract"):
        c = ix.contract[ref]
        pairs[(c.supplier, c.lot)].append(c)
    nodes = _nodes(ix, keys, lots, pairs)
    org_ids = {n.ref for n in nodes if n.kind != "lot"}
    lot_set = set(lots)
    edges: list[ViewEdge] = []
    for (s, lot), members in sorted(pairs.items()):
        if lot in lot_set:
            edges.append(_contracts_edge(ix, s, lot, members, f"e{len(edges)}"))
    for a, b in ix.dependencies:
        if a in lot_set and b in lot_set:
            edges.append(dependency_edge(ix, a, b, f"e{len(edges)}", direction=False))
    for ref in lots:
        prime = ix.prime(ref)
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
