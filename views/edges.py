"""The edges of a view: the register's links between the nodes it holds, with their look and tips."""

from __future__ import annotations

from sourcing_graph.model import Subcontracting
from sourcing_graph.views.index import Index
from sourcing_graph.views.view_graph import NodeKey, ViewEdge, view_id


def dependency_edge(ix: Index, a: str, b: str, edge_id: str, *, direction: bool) -> ViewEdge:
    """The edge of ``a`` depending on ``b``; an R3 mismatch colours it (``direction``: say which
    side is weaker in the tip)."""
    edge = ViewEdge(
        edge_id,
        view_id("lot", a),
        view_id("lot", b),
        "DEPENDS_ON",
        tip_title=f"Dependency: {a} depends on {b}",
    )
    row = ix.mismatch.get((a, b))
    if row is not None:
        edge.severity = row["severity"]
        edge.findings = ["mode_mismatches"]
        edge.tip = [
            ("modes", f"{row['lot_mode']} → {row['depends_on_mode']}"),
            ("severity (R3)", str(row["severity"])),
        ]
        if direction:
            edge.tip.append(("direction", row["direction"].replace("_", " ")))
    return edge


def _supply_chain_tip(edge: ViewEdge, contract: str, link: Subcontracting) -> None:
    edge.tip_title = f"Supply chain of {contract}: {link.supplier} at rank {link.rank}"
    if link.recipient is not None:
        edge.tip.append(("subcontracted by", str(link.recipient)))
    if link.service_type is not None:
        edge.tip.append(("ICT service", str(link.service_type)))


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
        if link is not None:
            _supply_chain_tip(edge, u[1], link)
        elif etype == "PART_OF" or etype == "SUPPLIED_BY":
            edge.mode = ix.effective_mode(u[1]) or "unknown"
        edges.append(edge)
    return edges
