"""Interactive network views of a register: one self-contained, offline, script-safe HTML page.

The nodes, edges and options are built with pyvis's :class:`~pyvis.network.Network`, then rendered
through our own template (``views/assets/view.html.j2``) instead of pyvis's, which loads
vis-network and Bootstrap from CDNs and turns tooltips into HTML. Here:

- vis-network (vendored in ``views/assets``, see its README) is inlined: the page loads nothing;
- the data goes in as JSON in a ``<script type="application/json">`` block with ``<``, ``>``,
  ``&``, U+2028 and U+2029 escaped, read with ``JSON.parse``; tooltips and search results are built
  with ``textContent``; labels are drawn on the canvas as text;
- a Content-Security-Policy allows only our own inline scripts (by their SHA-256), so even markup
  that slipped through could not run.

>>> from sourcing_graph.model import Contract, Register
>>> from sourcing_graph.ontology.rules import load_rules
>>> view = build_view(Register(contracts={"C1": Contract("C1", "acme", "K1", "trust")}), load_rules())
>>> view.counts()["contract"], view.counts()["lot"]
(1, 1)
>>> "<script src" in view.to_html()
False
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import math
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2

from sourcing_graph.views.view_model import (
    FINDING_ORANGE,
    FINDING_RED,
    FINDINGS,
    KIND_LABELS,
    MODE_COLOURS,
    MODE_LABELS,
    MODES,
    NEUTRAL,
    SEVERITY_COLOURS,
    SEVERITY_WIDTHS,
    SHAPES,
    VIEW_KINDS,
    ViewEdge,
    ViewGraph,
    ViewNode,
    make_view_graph,
)

if TYPE_CHECKING:
    from pyvis.network import Network

    from sourcing_graph.graph.analyses import Store
    from sourcing_graph.model import Register
    from sourcing_graph.ontology.rules import Rules

MAX_NODES = 2500
"""Above this many nodes a view is aggregated (suppliers and lots only)."""
PHYSICS_THRESHOLD = 800
"""Above this many nodes the layout is computed in Python and the browser's physics is off."""
SEED = 7
"""The layout seed: the same register gives the same picture."""

FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif'
EDGE_GREY = "#c3c9d2"


# -- assets and page helpers (shared with the report) --------------------------------------------


def asset_text(name: str) -> str:
    """The text of a file in ``views/assets``."""
    return _asset(name)


@cache
def _asset(name: str) -> str:
    return (resources.files("sourcing_graph.views") / "assets" / name).read_text(encoding="utf-8")


@cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FunctionLoader(_asset),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )


def render_template(name: str, **context: Any) -> str:
    """Render one of our templates (autoescaped: every ``{{ value }}`` is HTML-escaped)."""
    return _environment().get_template(name).render(**context)


_JSON_ESCAPES = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}


def script_json(value: Any) -> str:
    """JSON that is safe inside ``<script type="application/json">``: no ``<``, ``>``, ``&``,
    U+2028 or U+2029 appears raw, so no ``</script>`` or ``<!--`` can end or change the block."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    for raw, escaped in _JSON_ESCAPES.items():
        text = text.replace(raw, escaped)
    return text


def csp_hash(script: str) -> str:
    """The CSP source expression allowing one inline script: ``'sha256-…'``."""
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def content_security_policy(scripts: list[str]) -> str:
    """A policy that allows our inline scripts (by hash) and inline styles, and nothing else.

    ``style-src 'unsafe-inline'`` is needed because vis-network injects its stylesheet at run time;
    ``img-src data:`` for the navigation icons inside that stylesheet.
    """
    hashes = " ".join(csp_hash(s) for s in scripts)
    return (
        "default-src 'none'; "
        f"script-src {hashes}; "
        "style-src 'unsafe-inline'; "
        "img-src data:; "
        "base-uri 'none'; "
        "form-action 'none'"
    )


def page_scripts(*extra: str) -> list[str]:
    """The inline scripts of a page with a view: vis-network, the view, then ``extra``."""
    return [_asset("vis-network.min.js"), _asset("view.js"), *extra]


def _version() -> str:
    from sourcing_graph import __version__

    return __version__


# -- from the view graph to vis-network data (through pyvis) ---------------------------------------


def _darker(colour: str, factor: float = 0.72) -> str:
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return "#{:02x}{:02x}{:02x}".format(*(round(c * factor) for c in (r, g, b)))


def _lighter(colour: str, factor: float = 0.35) -> str:
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return "#{:02x}{:02x}{:02x}".format(*(round(c + (255 - c) * factor) for c in (r, g, b)))


def _node_style(n: ViewNode) -> dict[str, Any]:
    fill = MODE_COLOURS[n.mode] if n.mode else NEUTRAL
    border, width, dashes = _darker(fill), 1.5, False
    found = set(n.findings)
    if (
        n.kind == "function"
        and found & {"critical_without_trust", "retained_functions"}
        or n.kind == "prime"
        and "external_prime" in found
    ):
        border, width = FINDING_RED, 4
    elif n.kind == "contract" and "clause_conflicts" in found:
        border, width, dashes = FINDING_RED, 3, True
    elif n.kind == "lot" and "mode_fit" in found:
        border, width = FINDING_ORANGE, 4
    style: dict[str, Any] = {
        "color": {
            "background": fill,
            "border": border,
            "highlight": {"background": _lighter(fill), "border": "#111827"},
            "hover": {"background": _lighter(fill), "border": border},
        },
        "borderWidth": width,
        "borderWidthSelected": max(width, 3) + 1,
    }
    if dashes:
        style["shapeProperties"] = {"borderDashes": [4, 3]}
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
            "color": {"color": "#7c3aed", "highlight": "#4c1d95", "hover": "#7c3aed"},
            "width": 1.5,
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
                "iterations": 500 if len(vg.nodes) <= 300 else 250,
                "updateInterval": 25,
                "fit": True,
            },
        }
    return options


def to_pyvis(vg: ViewGraph, seed: int = SEED) -> Network:
    """The view as a pyvis ``Network``: nodes, edges and options (rendered by our own template)."""
    from pyvis.network import Network

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


# -- the view --------------------------------------------------------------------------------------


@dataclass
class View:
    """An interactive network view, ready to save as one HTML file or to show in Jupyter."""

    graph: ViewGraph
    network: Network
    title: str
    source: str = ""

    def counts(self) -> dict[str, int]:
        """Nodes per kind (supplier, prime, lot, contract, function) and ``edges``."""
        return self.graph.counts()

    @property
    def aggregated(self) -> bool:
        return self.graph.aggregated

    def data(self) -> dict[str, Any]:
        """Everything the page's script reads: nodes, edges, options, filter choices, meta."""
        nodes, edges, _, _, _, options = self.network.get_network_data()
        vg = self.graph
        suppliers = sorted(
            {
                (n.ref, n.name if n.name == n.ref else f"{n.name} ({n.ref})")
                for n in vg.nodes
                if n.suppliers and n.kind in ("supplier", "prime")
            },
            key=lambda s: (s[1].casefold(), s[0]),
        )
        in_view = {key: 0 for key in FINDINGS}
        for n in vg.nodes:
            for f in n.findings:
                in_view[f] += 1
        return {
            "meta": {
                "title": self.title,
                "source": self.source,
                "aggregated": vg.aggregated,
                "positioned": vg.positioned,
                "focus": vg.focus,
                "depth": vg.depth,
                "counts": vg.counts(),
                "totals": vg.totals,
            },
            "nodes": nodes,
            "edges": edges,
            "options": json.loads(options),
            "suppliers": [list(s) for s in suppliers],
            "findings": [[key, label, in_view[key]] for key, label in FINDINGS.items()],
        }

    def template_context(self) -> dict[str, Any]:
        """What ``_view_body.html.j2`` needs (the report reuses it)."""
        vg = self.graph
        c = vg.counts()
        parts = [
            f"{c['lot']} lots",
            f"{c['supplier'] + c['prime']} organisations",
            f"{c['contract']} contracts",
            f"{c['function']} functions",
        ]
        if vg.aggregated:
            parts = [
                f"{c['lot']} lots",
                f"{c['supplier'] + c['prime']} organisations",
                "aggregated",
            ]
        notes = []
        if vg.focus is not None:
            focus = next((n for n in vg.nodes if n.focus), None)
            what = f"{KIND_LABELS[focus.kind]} {focus.name}" if focus else vg.focus
            notes.append(
                {
                    "kind": "focus",
                    "text": f"Focus view (focus): {what}, up to {vg.depth} step(s) away. "
                    "Without --focus the view shows the whole register.",
                }
            )
        notes += [{"kind": kind, "text": text} for kind, text in vg.notes]
        return {
            "heading": self.title,
            "subtitle": " · ".join(parts),
            "modes": [
                {"key": m, "label": MODE_LABELS[m], "colour": MODE_COLOURS[m]} for m in MODES
            ],
            "kinds": [
                {"key": k, "label": KIND_LABELS[k], "colour": "#ffffff", "stroke": "#2d3440"}
                for k in VIEW_KINDS
            ],
            "severity": SEVERITY_COLOURS,
            "neutral": NEUTRAL,
            "red": FINDING_RED,
            "orange": FINDING_ORANGE,
            "notes": notes,
        }

    def to_html(self) -> str:
        """The whole page: one self-contained HTML document."""
        scripts = page_scripts()
        return render_template(
            "view.html.j2",
            csp=content_security_policy(scripts),
            title=f"{self.title} — sourcing-graph",
            version=_version(),
            css=_asset("style.css"),
            data_json=script_json(self.data()),
            scripts=scripts,
            **self.template_context(),
        )

    def save(self, path: str | Path) -> Path:
        """Write the page to ``path`` (UTF-8) and return the path."""
        path = Path(path)
        path.write_text(self.to_html(), encoding="utf-8")
        return path

    def _repr_html_(self) -> str:
        """Jupyter: the page in a sandboxed iframe (``srcdoc``), so its scripts run in isolation."""
        return (
            f'<iframe srcdoc="{html.escape(self.to_html(), quote=True)}" '
            'sandbox="allow-scripts" style="width:100%;height:760px;border:1px solid #d9dee5" '
            f'title="{html.escape(self.title, quote=True)}"></iframe>'
        )


def _title(register: Register, focus: str | None, vg: ViewGraph) -> str:
    name = Path(register.source).name if register.source else "register"
    if vg.focus is not None:
        node = next((n for n in vg.nodes if n.focus), None)
        if node is not None:
            return f"{name}: {node.name}"
    return name or "register"


def build_view(
    register: Register,
    rules: Rules | None = None,
    result: dict[str, list[dict[str, Any]]] | None = None,
    *,
    focus: str | None = None,
    depth: int = 2,
    max_nodes: int = MAX_NODES,
    physics_threshold: int = PHYSICS_THRESHOLD,
    title: str | None = None,
    seed: int = SEED,
) -> View:
    """An interactive view of ``register``.

    ``rules``: the rules read from the ontology (default: :func:`load_rules`). ``result``: the
    analysis result to mark findings with (default: computed embedded; pass the Neo4j engine's
    result to show that). ``focus``: ``kind:id`` (``lot:K03``, ``supplier:acme``,
    ``prime:own-it``, ``function:F-ARCH``, ``contract:C-07``) or a plain id or name that names one
    node; the view then holds the nodes ``depth`` steps from it. Raises
    :class:`~sourcing_graph.errors.ViewError` for an unknown or ambiguous focus.
    """
    if rules is None:
        from sourcing_graph.ontology.rules import load_rules

        rules = load_rules()
    vg = make_view_graph(
        register,
        rules,
        result,
        focus=focus,
        depth=depth,
        max_nodes=max_nodes,
        physics_threshold=physics_threshold,
    )
    return View(
        graph=vg,
        network=to_pyvis(vg, seed),
        title=title or _title(register, focus, vg),
        source=register.source,
    )


def load_register(
    register: Register | str | Path, rules: Rules | None, mapping_file: Path | None = None
) -> tuple[Register, Rules]:
    """A register (read from a path when it is one) and the rules (default: the ontology's)."""
    if rules is None:
        from sourcing_graph.ontology.rules import load_rules

        rules = load_rules()
    if isinstance(register, (str, Path)):
        from sourcing_graph.loaders import read_any

        register = read_any(Path(register), mapping_file=mapping_file, rules=rules)
    return register, rules


def analysis_result(
    register: Register, rules: Rules, engine: str | Store = "embedded"
) -> dict[str, list[dict[str, Any]]] | None:
    """The analysis result on ``engine``: None for embedded (the view computes it from the register
    in one pass), ``analyze(..., engine=store)`` for a Neo4j store that holds the register."""
    if isinstance(engine, str):
        if engine != "embedded":
            from sourcing_graph.errors import ViewError

            raise ViewError(f"unknown engine {engine!r}; expected 'embedded' or a Neo4j store")
        return None
    from sourcing_graph.graph.analyses import analyze

    return analyze(register, rules, engine=engine)


def write_view(
    register: Register | str | Path,
    out: str | Path,
    *,
    engine: str | Store = "embedded",
    focus: str | None = None,
    depth: int = 2,
    rules: Rules | None = None,
    mapping_file: Path | None = None,
    max_nodes: int = MAX_NODES,
    physics_threshold: int = PHYSICS_THRESHOLD,
) -> View:
    """The body of ``sourcing-graph view``: read the register, build the view, write ``out``.

    ``engine`` is ``"embedded"`` or a connected ``Neo4jStore`` that already holds the register
    (the findings then come from Neo4j; the network itself is drawn from the register).
    """
    reg, rules = load_register(register, rules, mapping_file)
    result = analysis_result(reg, rules, engine)
    view = build_view(
        reg,
        rules,
        result,
        focus=focus,
        depth=depth,
        max_nodes=max_nodes,
        physics_threshold=physics_threshold,
    )
    view.save(out)
    return view
