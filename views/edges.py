"""The edges of a view: the register's links between the nodes it holds, with their look and tips."""

from __future__ import annotations

from sourcing_graph.model import Subcontracting
from sourcing_graph.views.index import Index
from sourcing_graph.views.view_graph import NodeKey, ViewEdge, view_id


def dependency_edge(ix: Index, a: str, b: str, edge_id: str, *, direction: bool) -> ViewEdge:
    """The edge of ``a`` depending on ``b``; an R3 mismatch colours it (``direction``: say which
    side is weaker in the tip)."""
    _, show = ix.words.gettext, ix.names.show
    edge = ViewEdge(
        edge_id,
        view_id("lot", a),
        view_id("lot", b),
        "DEPENDS_ON",
        tip_title=_("Dependency: {a} depends on {b}").format(a=show("lot", a), b=show("lot", b)),
    )
    row = ix.mismatch.get((a, b))
    if row is not None:
        edge.severity = row["severity"]
        edge.findings = ["mode_mismatches"]
        modes = f"{ix.words.mode(row['lot_mode'])} → {ix.words.mode(row['depends_on_mode'])}"
        edge.tip = [
            (_("modes"), modes),
            (_("severity (R3)"), ix.words.severity(str(row["severity"]))),
        ]
        if direction:
            edge.tip.append((_("direction"), ix.words.term("direction", row["direction"])))
    return edge


def _supply_chain_tip(ix: Index, edge: ViewEdge, contract: str, link: Subcontracting) -> None:
    _, show = ix.words.gettext, ix.names.show
    edge.tip_title = _("Supply chain of {contract}: {supplier} at rank {rank}").format(
        contract=contract, supplier=show("organisation", link.supplier), rank=link.rank
    )
    if link.recipient is not None:
        edge.tip.append((_("subcontracted by"), show("organisation", str(link.recipient))))
    if link.service_type is not None:
        edge.tip.append((_("ICT service"), str(link.service_type)))


def _subcontracts_tip(ix: Index, edge: ViewEdge, provider: str, subcontractor: str) -> None:
    _, show = ix.words.gettext, ix.names.show
    edge.tip_title = _("Supply chain: {provider} subcontracts to {subcontractor}").format(
        provider=show("organisation", provider), subcontractor=show("organisation", subcontractor)
    )
    rels = ix.subcontracts.get((provider, subcontractor), [])
    edge.tip.append(
        (
            _("arrangements (rank)"),
            ", ".join(f"{show('contract', r.arrangement)} ({r.rank})" for r in rels),
        )
    )


def full_edges(ix: Index, keys: set[NodeKey]) -> list[ViewEdge]:
    """Every link of the register between two nodes of ``keys``, in the engines' graph order."""
    edges: list[ViewEdge] = []
    for u, v, etype, link in ix.links():
        if u not in keys or v not in keys or u == v:
            continue
        edge_id = f"e{len(edges)}"
        if etype == "DEPENDS_ON":
            edges.append(dependency_edge(ix, u[1], v[1], edge_id, direction=True))
            continue
        edge = ViewEdge(edge_id, view_id(*u), view_id(*v), etype)
        if etype == "SUBCONTRACTS_TO":
            _subcontracts_tip(ix, edge, u[1], v[1])
        elif link is not None:
            _supply_chain_tip(ix, edge, u[1], link)
        elif etype == "PART_OF" or etype == "SUPPLIED_BY":
            edge.mode = ix.effective_mode(u[1]) or "unknown"
        edges.append(edge)
    return edges
