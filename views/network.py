"""Interactive network views of a register: one self-contained, offline, script-safe HTML page.

:func:`build_view` makes a :class:`View` of a register, the findings of an analysis result and the
modes (R1, R2) it is coloured with; :func:`write_view` reads a register and writes the page. The
nodes, edges and options are built with pyvis (:mod:`sourcing_graph.views.vis`), then rendered
through our own template (``views/assets/view.html.j2``; :mod:`sourcing_graph.views.page`):

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

import html
import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sourcing_graph.graph.analyses import open_engine
from sourcing_graph.graph.engine import Engine, Result
from sourcing_graph.loaders import read_any
from sourcing_graph.model import Register
from sourcing_graph.ontology.rules import Rules, load_rules
from sourcing_graph.views.index import Modes
from sourcing_graph.views.legend import (
    CRITICAL_BORDER,
    FINDING_RED,
    FINDINGS,
    KIND_LABELS,
    MODE_COLOURS,
    MODES,
    NEUTRAL,
    REVIEW_MAGENTA,
    SEVERITY_COLOURS,
    VIEW_KINDS,
    WINDOW_TEAL,
)
from sourcing_graph.views.locale import Words
from sourcing_graph.views.naming import Names
from sourcing_graph.views.page import (
    asset_text,
    content_security_policy,
    csp_hash,
    page_scripts,
    render_template,
    script_json,
    version,
)
from sourcing_graph.views.script_words import script_words
from sourcing_graph.views.view_graph import ViewGraph
from sourcing_graph.views.view_model import make_view_graph
from sourcing_graph.views.vis import SEED, SUPPLY_CHAIN, to_pyvis, vis_options

if TYPE_CHECKING:
    from pyvis.network import Network

__all__ = [
    "MAX_NODES",
    "PHYSICS_THRESHOLD",
    "SEED",
    "Modes",
    "View",
    "asset_text",
    "build_view",
    "content_security_policy",
    "csp_hash",
    "load_register",
    "page_scripts",
    "render_template",
    "script_json",
    "to_pyvis",
    "vis_options",
    "with_defaults",
    "write_view",
]

MAX_NODES = 2500
"""Above this many nodes a view is aggregated (suppliers and lots only)."""
PHYSICS_THRESHOLD = 800
"""Above this many nodes the layout is computed in Python and the browser's physics is off."""


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

    @property
    def words(self) -> Words:
        """The language the view is drawn in."""
        return self.graph.words

    @property
    def names(self) -> Names:
        return self.graph.names

    def finding_counts(self) -> dict[str, int]:
        """Findings per finding key that mark something drawn (each finding once, however many
        nodes it marks): what the finding filter's counts say."""
        seen: dict[str, set[str]] = {key: set() for key in FINDINGS}
        for n in self.graph.nodes:
            for key, text in n.finding_texts:
                seen[key].add(text)
        return {key: len(texts) for key, texts in seen.items()}

    def mode_counts(self) -> dict[str, dict[str, int]]:
        """Per mode, the lots and the contracts drawn in it (counted apart)."""
        counts = {m: {"lot": 0, "contract": 0} for m in MODES}
        for n in self.graph.nodes:
            if n.mode in counts and n.kind in ("lot", "contract"):
                counts[n.mode][n.kind] += 1
        return counts

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
        in_view = self.finding_counts()
        w = self.words.gettext
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
            "findings": [[key, w(label), in_view[key]] for key, label in FINDINGS.items()],
            "words": script_words(self.words),
        }

    def template_context(self) -> dict[str, Any]:
        """What ``_view_body.html.j2`` needs (the report reuses it)."""
        vg = self.graph
        words = self.words
        c = vg.counts()
        parts = [
            words.ngettext("{n} lot", "{n} lots", c["lot"]),
            words.ngettext("{n} organisation", "{n} organisations", c["supplier"] + c["prime"]),
        ]
        if vg.aggregated:
            parts.append(words.gettext("aggregated"))
        else:
            parts.append(words.ngettext("{n} contract", "{n} contracts", c["contract"]))
            parts.append(words.ngettext("{n} function", "{n} functions", c["function"]))
        notes = []
        if vg.focus is not None:
            focus = next((n for n in vg.nodes if n.focus), None)
            what = vg.focus
            if focus is not None:
                kind = "organisation" if focus.kind in ("supplier", "prime") else focus.kind
                what = (
                    f"{words.gettext(KIND_LABELS[focus.kind])} {self.names.show(kind, focus.ref)}"
                )
            text = words.ngettext(
                "Focus view: {what}, up to {n} step away. Without a focus the view shows the "
                "whole register.",
                "Focus view: {what}, up to {n} steps away. Without a focus the view shows the "
                "whole register.",
                vg.depth,
                what=what,
            )
            if focus is not None and kind == "organisation" and self._has_supply_chains():
                text += " " + words.gettext(
                    "A focus on an organisation also follows the supply chains it is in."
                )
            notes.append({"kind": "focus", "text": text})
        notes += [{"kind": kind, "text": text} for kind, text in vg.notes]
        counts = self.mode_counts()
        return {
            "heading": self.title,
            "subtitle": " · ".join(parts),
            "modes": [
                {
                    "key": m,
                    "label": words.mode(m),
                    "colour": MODE_COLOURS[m],
                    "lots": words.ngettext("{n} lot", "{n} lots", counts[m]["lot"]),
                    "contracts": words.ngettext(
                        "{n} contract", "{n} contracts", counts[m]["contract"]
                    ),
                }
                for m in MODES
            ],
            "kinds": [
                {
                    "key": k,
                    "label": words.gettext(KIND_LABELS[k]),
                    "colour": "#ffffff",
                    "stroke": "#2d3440",
                }
                for k in VIEW_KINDS
            ],
            "severity": SEVERITY_COLOURS,
            "severity_labels": {
                key: words.gettext("R3 mismatch, {severity}").format(severity=words.severity(key))
                for key in SEVERITY_COLOURS
            },
            "neutral": NEUTRAL,
            "red": FINDING_RED,
            "critical": CRITICAL_BORDER,
            "review_border": REVIEW_MAGENTA,
            "window_border": WINDOW_TEAL,
            "notes": notes,
            "supply_chain": SUPPLY_CHAIN if self._has_supply_chains() else None,
        }

    def _has_supply_chains(self) -> bool:
        """Whether the view draws supply-chain edges (DORA)."""
        return any(e.type in ("SUPPLY_CHAIN", "SUBCONTRACTS_TO") for e in self.graph.edges)

    def to_html(self) -> str:
        """The whole page: one self-contained HTML document."""
        scripts = page_scripts()
        return render_template(
            "view.html.j2",
            self.words,
            csp=content_security_policy(scripts),
            title=f"{self.title} — sourcing-graph",
            version=version(),
            css=asset_text("style.css"),
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


def with_defaults(
    register: Register,
    rules: Rules,
    result: Result | None,
    modes: Modes | None,
    as_of: date | None = None,
) -> tuple[Result, Modes]:
    """``result`` and ``modes``; what is not given is computed on the embedded engine over
    ``register`` (read once for both) at the reference date ``as_of`` (default today)."""
    if result is not None and modes is not None:
        return result, modes
    engine = open_engine("embedded", register=register, rules=rules, as_of=as_of)
    return (result if result is not None else engine.analyze()), modes or Modes.of(engine)


def build_view(
    register: Register,
    rules: Rules | None = None,
    result: Result | None = None,
    *,
    modes: Modes | None = None,
    focus: str | None = None,
    depth: int = 2,
    max_nodes: int = MAX_NODES,
    physics_threshold: int = PHYSICS_THRESHOLD,
    title: str | None = None,
    seed: int = SEED,
    lang: str | None = None,
    as_of: date | None = None,
) -> View:
    """An interactive view of ``register``.

    ``rules``: the rules read from the ontology (default: :func:`load_rules`). ``result``: the
    analysis result to mark findings with; ``modes``: the rows of ``effective_modes`` and
    ``lot_modes`` to colour with (:meth:`Modes.of` an engine). Either defaults to the embedded
    engine's on ``register``; pass the Neo4j engine's result to show that. ``focus``: ``kind:id``
    (``lot:K03``, ``supplier:acme``, ``prime:own-it``, ``function:F-ARCH``, ``contract:C-07``) or
    a plain id or name that names one node; the view then holds the nodes ``depth`` steps from it.
    ``lang``: ``nl`` or ``en`` (default: the register's language); ``as_of``: the reference date
    (default today) before which a contract has ended (drawn faded, marked in its label).
    Raises :class:`~sourcing_graph.errors.ViewError` for an unknown or ambiguous focus.
    """
    rules = rules if rules is not None else load_rules()
    result, modes = with_defaults(register, rules, result, modes, as_of)
    vg = make_view_graph(
        register,
        rules,
        result,
        modes,
        focus=focus,
        depth=depth,
        max_nodes=max_nodes,
        physics_threshold=physics_threshold,
        words=Words.of(register, lang),
        as_of=as_of,
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
    rules = rules if rules is not None else load_rules()
    if isinstance(register, (str, Path)):
        register = read_any(Path(register), mapping_file=mapping_file, rules=rules)
    return register, rules


def write_view(
    register: Register | str | Path,
    out: str | Path,
    *,
    engine: Engine | None = None,
    modes: Modes | None = None,
    focus: str | None = None,
    depth: int = 2,
    rules: Rules | None = None,
    mapping_file: Path | None = None,
    max_nodes: int = MAX_NODES,
    physics_threshold: int = PHYSICS_THRESHOLD,
    lang: str | None = None,
    as_of: date | None = None,
) -> View:
    """The body of ``sourcing-graph view``: read the register, build the view, write ``out``.

    The findings come from ``engine`` (default: the embedded engine on the register), for example
    a ``Neo4jEngine`` whose store holds the register; the network itself is drawn from the
    register, coloured with ``modes`` (default: the embedded engine's on the register).
    """
    reg, rules = load_register(register, rules, mapping_file)
    view = build_view(
        reg,
        rules,
        engine.analyze() if engine is not None else None,
        modes=modes,
        focus=focus,
        depth=depth,
        max_nodes=max_nodes,
        physics_threshold=physics_threshold,
        lang=lang,
        as_of=as_of,
    )
    view.save(out)
    return view
