"""A view graph as vis-network data, built with pyvis: node and edge styles, the options.

:func:`to_pyvis` gives a pyvis :class:`~pyvis.network.Network` (nodes, edges, options); the page
renders it through our own template, not pyvis's (which loads vis-network and Bootstrap from CDNs
and turns tooltips into HTML).
"""

from __future__ import annotations

import math
from typing import Any

from pyvis.network import Network

from sourcing_graph.views.legend import (
    CRITICAL_BORDER,
    FINDING_RED,
    MODE_COLOURS,
    NEUTRAL,
    REVIEW_MAGENTA,
    SEVERITY_COLOURS,
    SEVERITY_WIDTHS,
    SHAPES,
    WINDOW_TEAL,
)
from sourcing_graph.views.view_graph import ViewEdge, ViewGraph, ViewNode

SEED = 7
"""The layout seed: the same register gives the same picture."""

FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif'
EDGE_GREY = "#c3c9d2"
SUPPLY_CHAIN = "#8d6e63"
ENDED_OPACITY = 0.4
"""A contract that ended before the reference date is drawn faded."""


def _darker(colour: str, factor: float = 0.72) -> str:
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return "#{:02x}{:02x}{:02x}".format(*(round(c * factor) for c in (r, g, b)))


def _lighter(colour: str, factor: float = 0.35) -> str:
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return "#{:02x}{:02x}{:02x}".format(*(round(c + (255 - c) * factor) for c in (r, g, b)))


def _node_style(n: ViewNode) -> dict[str, Any]:
    """A node's look. Every mark stays when the node is selected (a focus view selects its node):
    the highlight keeps the border of a finding or of a critical function."""
    fill = MODE_COLOURS[n.mode] if n.mode else NEUTRAL
    border, width, dashes = _darker(fill), 1.5, False
    found = set(n.findings)
    if (
        n.kind == "function"
        and found & {"critical_without_trust", "retained_functions"}
        or n.kind == "prime"
        and "external_prime" in found
        or n.kind == "lot"
        and "mode_fit" in found
    ):
        border, width = FINDING_RED, 4
    elif n.kind == "contract" and "clause_conflicts" in found:
        border, width, dashes = FINDING_RED, 3, True
    elif n.kind == "contract" and "contract_review" in found:
        border, width = REVIEW_MAGENTA, 3.5
    elif n.kind == "contract" and "renegotiation_windows" in found:
        border, width = WINDOW_TEAL, 3.5
    elif n.critical:
        border, width = CRITICAL_BORDER, 3.5
    # selected: the same border, one pixel wider, and a lighter fill: no colour of a meaning (an
    # unmarked node stays thinner than a critical function's border)
    style: dict[str, Any] = {
        "color": {
            "background": fill,
            "border": border,
            "highlight": {"background": _lighter(fill), "border": border},
            "hover": {"background": _lighter(fill), "border": border},
        },
        "borderWidth": width,
        "borderWidthSelected": width + 1,
    }
    if dashes:
        style["shapeProperties"] = {"borderDashes": [4, 3]}
    if n.status == "ended":
        style["opacity"] = ENDED_OPACITY
    if n.kind == "contract":
        style["font"] = {"size": 12, "color": "#4b5563"}
    elif n.kind in ("lot", "prime"):
        style["font"] = {"size": 18, "color": "#111827"}
    if n.focus:
        style["size"] = round(n.size * 1.7)
        style["font"] = {"size": 22, "color": "#111827"}
    return style


def _edge_style(e: ViewEdge) -> dict[str, Any]:
    if e.type == "DEPENDS_ON":
        if e.severity is not None:
            colour = SEVERITY_COLOURS.get(e.severity, FINDING_RED)
            return {
                "arrows": "to",
                "color": {"color": colour, "highlight": _darker(colour), "hover": colour},
                "width": SEVERITY_WIDTHS.get(e.severity, 4),
            }
        return {
            "arrows": "to",
            "color": {"color": "#6b7480", "highlight": "#111827", "hover": "#6b7480"},
            "width": 2,
        }
    if e.type == "CONTRACTS":
        colour = MODE_COLOURS[e.mode or "unknown"]
        return {
            "arrows": "",
            "color": {"color": colour, "highlight": _darker(colour), "opacity": 0.55},
            "width": round(1 + 1.6 * math.log2(e.weight), 2),
        }
    if e.type == "SUPPLY_CHAIN":
        return {
            "arrows": "to",
            "dashes": [2, 4],
            "color": {
                "color": SUPPLY_CHAIN,
                "highlight": _darker(SUPPLY_CHAIN),
                "hover": SUPPLY_CHAIN,
            },
            "width": 1.5,
        }
    if e.type == "SUBCONTRACTS_TO":
        return {
            "arrows": "to",
            "color": {
                "color": SUPPLY_CHAIN,
                "highlight": _darker(SUPPLY_CHAIN),
                "hover": SUPPLY_CHAIN,
            },
            "width": 2.5,
        }
    if e.type == "COORDINATED_BY":
        return {
            "arrows": "",
            "dashes": [6, 5],
            "color": {"color": "#9aa3af", "highlight": "#111827"},
            "width": 1,
        }
    return {
        "arrows": "",
        "color": {"color": EDGE_GREY, "highlight": "#4b5563", "hover": "#8b95a3"},
        "width": 1,
    }


def _tip(title: str, rows: list[tuple[str, str]]) -> dict[str, Any]:
    return {"t": title, "r": [[k, v] for k, v in rows]}


def vis_options(vg: ViewGraph, seed: int = SEED) -> dict[str, Any]:
    """The vis-network options: physics for small views, fixed positions for large ones."""
    big = len(vg.nodes) > 300 or len(vg.edges) > 1500
    options: dict[str, Any] = {
        "autoResize": True,
        "layout": {
            "randomSeed": seed,
            "improvedLayout": not vg.positioned and len(vg.nodes) <= 300,
        },
        "nodes": {
            "font": {
                "face": FONT,
                "size": 16,
                "color": "#1f2933",
                "strokeWidth": 3,
                "strokeColor": "#ffffff",
            },
            "scaling": {
                "min": 10,
                "max": 42,
                "label": {"enabled": vg.aggregated, "min": 12, "max": 22},
            },
        },
        "edges": {
            "smooth": False if big else {"enabled": True, "type": "continuous", "roundness": 0.3},
            "selectionWidth": 2,
            "hoverWidth": 0.5,
            "arrows": {"to": {"scaleFactor": 0.6}},
        },
        "interaction": {
            "hover": True,
            "tooltipDelay": 120,
            "hideEdgesOnDrag": big,
            "hideEdgesOnZoom": big,
            "keyboard": False,
            "multiselect": False,
            "navigationButtons": False,
        },
    }
    if vg.positioned:
        options["physics"] = {"enabled": False}
    else:
        small = len(vg.nodes) <= 300
        iterations = 500 if small else 250
        options["physics"] = {
            "enabled": True,
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {
                "gravitationalConstant": -130,
                "centralGravity": 0.008,
                "springLength": 105,
                "springConstant": 0.09,
                "damping": 0.5,
                "avoidOverlap": 0.7,
            },
            "maxVelocity": 60,
            "minVelocity": 1,
            "stabilization": {
                "enabled": True,
                "iterations": iterations,
                # a small view settles in one batch, so it is drawn by the time the page has
                # loaded (``chromium --print-to-pdf`` prints then); a larger one shows progress
                "updateInterval": iterations if small else 25,
                "fit": True,
            },
        }
    return options


def to_pyvis(vg: ViewGraph, seed: int = SEED) -> Network:
    """The view as a pyvis ``Network``: nodes, edges and options (rendered by our own template)."""
    net = Network(height="100%", width="100%", directed=True, cdn_resources="remote")
    for n in vg.nodes:
        extra: dict[str, Any] = {
            "kind": n.kind,
            "ref": n.ref,
            "name": n.name,
            "mode": n.mode,
            "findings": n.findings,
            "suppliers": n.suppliers,
            "tip": _tip(n.tip_title, n.tip),
            "size": n.size,
        }
        if n.critical:
            extra["critical"] = True
        if n.status is not None:
            extra["status"] = n.status
        if n.value is not None:
            extra["value"] = n.value
        if n.x is not None and n.y is not None:
            extra["x"], extra["y"] = n.x, n.y
        extra.update(_node_style(n))
        color = extra.pop("color")
        # pyvis: an empty label falls back to the id, so pass the label only when there is one
        net.add_node(n.id, label=n.label or n.ref, shape=SHAPES[n.kind], color=color, **extra)
    for e in vg.edges:
        attrs: dict[str, Any] = {"id": e.id, "type": e.type}
        if e.findings:
            attrs["findings"] = e.findings
        if e.tip_title or e.tip:
            attrs["tip"] = _tip(e.tip_title, e.tip)
        if e.type == "CONTRACTS":
            attrs["weight"] = e.weight
        attrs.update(_edge_style(e))
        net.add_edge(e.source, e.target, **attrs)
    net.options = vis_options(vg, seed)  # a dict: pyvis's set_options would strip the spaces
    return net
