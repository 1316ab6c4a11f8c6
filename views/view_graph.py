"""The data of one view: its nodes and edges with their look, tooltips, findings and positions.

Plain Python data, no HTML: :func:`sourcing_graph.views.view_model.make_view_graph` makes a
:class:`ViewGraph`, :mod:`sourcing_graph.views.vis` turns it into vis-network data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sourcing_graph.views.legend import LABEL_MAX, VIEW_KINDS
from sourcing_graph.views.locale import Words
from sourcing_graph.views.naming import Names

NodeKey = tuple[str, str]
"""A register entity: (``organisation``, ``lot``, ``function`` or ``contract``; its id)."""


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
    finding_texts: list[tuple[str, str]] = field(default_factory=list)  # (key, sentence)
    suppliers: list[str] = field(default_factory=list)  # for the supplier filter
    focus: bool = False
    critical: bool = False  # a critical function
    status: str | None = None  # a contract's: "ended" or "ending" at the reference date
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
    words: Words = field(default_factory=lambda: Words("en"))  # the language it is drawn in
    names: Names = field(default_factory=Names)
    as_of: date = field(default_factory=date.today)  # the reference date (ended contracts)

    def counts(self) -> dict[str, int]:
        """Nodes per view kind, and edges."""
        out = dict.fromkeys(VIEW_KINDS, 0)
        for n in self.nodes:
            out[n.kind] += 1
        out["edges"] = len(self.edges)
        return out


# -- ids and labels ------------------------------------------------------------------------------


def view_id(kind: str, ref: str) -> str:
    """The id of a register entity in a view: ``"lot:K03"`` (organisations: ``"org:acme"``)."""
    return f"{'org' if kind == 'organisation' else kind}:{ref}"


def shorten(text: str, limit: int = LABEL_MAX) -> str:
    """A label for the canvas: one line, at most ``limit`` characters."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
