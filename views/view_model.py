"""The data of a network view: which nodes and edges, their look, tooltips, findings and positions.

:func:`make_view_graph` turns a register, the rules, an analysis result and the modes into a
:class:`~sourcing_graph.views.view_graph.ViewGraph`: plain Python data, no HTML.
:mod:`sourcing_graph.views.network` renders it. The parts, one module each:

- :mod:`~sourcing_graph.views.legend`: kinds, modes and findings with their labels and colours
  (the colour of a contract is its effective mode (R1), of a lot its mode (R2));
- :mod:`~sourcing_graph.views.index`: the register, its modes and findings, read once;
- :mod:`~sourcing_graph.views.focus`: the neighbourhood of one node, ``depth`` steps away;
- :mod:`~sourcing_graph.views.nodes` and :mod:`~sourcing_graph.views.edges`: what is drawn;
- :mod:`~sourcing_graph.views.aggregate`: above ``max_nodes`` the view is aggregated (suppliers
  and lots, edges weighted by the number of contracts);
- :mod:`~sourcing_graph.views.dora_face`: a DORA package without an overlay leads with D1-D5
  and the checks, and marks nothing that rests on collaboration modes;
- :mod:`~sourcing_graph.views.layout`: above ``physics_threshold`` nodes (or three times as many
  edges) the positions are computed here and the browser's physics is off.
"""

from __future__ import annotations

from datetime import date

from sourcing_graph.errors import ViewError
from sourcing_graph.graph.engine import Result
from sourcing_graph.model import OWN_IT, Register
from sourcing_graph.ontology.rules import Rules
from sourcing_graph.views.aggregate import aggregate
from sourcing_graph.views.dora_face import (
    OVERLAY_NOTE,
    modes_need_overlay,
    summary,
    without_mode_findings,
)
from sourcing_graph.views.edges import full_edges
from sourcing_graph.views.findings import finding_counts
from sourcing_graph.views.focus import neighbourhood, resolve_focus
from sourcing_graph.views.index import Index, Modes, describe, make_index
from sourcing_graph.views.layout import layout
from sourcing_graph.views.locale import N_, Words
from sourcing_graph.views.nodes import MAKERS
from sourcing_graph.views.view_graph import NodeKey, ViewEdge, ViewGraph, ViewNode, view_id

AGGREGATED = N_(
    "Aggregated overview: {keys} nodes are more than {max_nodes}, so suppliers and lots are "
    "drawn with one edge per supplier and lot (its width is the number of contracts); contracts "
    "and functions are left out. For the details, make a focus view (focus lot:ID, supplier:ID "
    "or function:ID)."
)
EMPTY = N_("The register is empty: it has no lots, contracts or functions to draw.")
_ORDER = {"organisation": 0, "lot": 1, "function": 2, "contract": 3}


def _selection(ix: Index, focus: str | None, depth: int) -> tuple[set[NodeKey], NodeKey | None]:
    """The nodes of the view and its focus: a neighbourhood, or the whole register (``own-it``
    only when it has a link)."""
    if focus is not None and focus.strip():
        focus_key = resolve_focus(ix, focus)
        return neighbourhood(ix, focus_key, depth), focus_key
    keys = set(ix.entities)
    if not ix.used(("organisation", OWN_IT)):
        keys.discard(("organisation", OWN_IT))
    return keys, None


def _full(ix: Index, keys: set[NodeKey]) -> tuple[list[ViewNode], list[ViewEdge]]:
    """Every node of ``keys`` (organisations, lots, functions, contracts) and the links between."""
    ordered = sorted(keys, key=lambda k: (_ORDER[k[0]], k[1]))
    return [MAKERS[k[0]](ix, k[1], keys) for k in ordered], full_edges(ix, keys)


def make_view_graph(
    register: Register,
    rules: Rules,
    result: Result,
    modes: Modes,
    *,
    focus: str | None = None,
    depth: int = 2,
    max_nodes: int = 2500,
    physics_threshold: int = 800,
    words: Words | None = None,
    as_of: date | None = None,
) -> ViewGraph:
    """The nodes and edges of a view of ``register`` (see the module docstring).

    ``result`` is the analysis result whose findings the view marks, ``modes`` the rows of
    ``effective_modes`` and ``lot_modes`` it colours with; ``rules`` rank the modes; ``words``
    the language (default: the register's), ``as_of`` the reference date (default today).
    """
    if depth < 0:
        raise ViewError(f"depth must be 0 or more, got {depth}")
    if max_nodes < 1:
        raise ViewError(f"max_nodes must be 1 or more, got {max_nodes}")
    notes: list[tuple[str, str]] = []
    if modes_need_overlay(register, result):
        shown_words = words or Words.of(register)
        notes.append(("dora", summary(register, result, shown_words)))
        notes.append(("overlay", shown_words.gettext(OVERLAY_NOTE)))
        result = without_mode_findings(result)
    ix = make_index(register, rules, result, modes, words, as_of)
    _ = ix.words.gettext
    keys, focus_key = _selection(ix, focus, depth)
    aggregated = len(keys) > max_nodes
    if aggregated:
        nodes, edges = aggregate(ix, keys)
        text = _(AGGREGATED).format(
            keys=ix.words.number(len(keys)), max_nodes=ix.words.number(max_nodes)
        )
        notes.append(("aggregate", text))
    else:
        nodes, edges = _full(ix, keys)
    if not nodes:
        notes.append(("empty", _(EMPTY)))
    if focus_key is not None:
        fid = view_id(*focus_key)
        for n in nodes:
            if n.id == fid:
                n.focus = True
    # physics in the browser is quick for a few hundred nodes, but every edge is a spring
    positioned = len(nodes) > physics_threshold or len(edges) > 3 * physics_threshold
    if positioned:
        layout(nodes, edges)
    load = result.get("coordination_load", [])
    return ViewGraph(
        nodes=nodes,
        edges=edges,
        aggregated=aggregated,
        positioned=positioned,
        focus=view_id(*focus_key) if focus_key is not None else None,
        depth=depth,
        totals=describe(ix),
        finding_counts=finding_counts(result),
        top_prime=dict(load[0]) if load else None,
        notes=notes,
        words=ix.words,
        names=ix.names,
        as_of=ix.as_of,
    )
