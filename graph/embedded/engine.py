"""The embedded engine: the analyses on a networkx graph of one register, in this process."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar

import networkx as nx

from sourcing_graph.errors import QueryError
from sourcing_graph.graph.conclusions import Conclusions, conclude
from sourcing_graph.graph.embedded.annotate import annotate, names
from sourcing_graph.graph.embedded.collector import paused_gc
from sourcing_graph.graph.embedded.context import (
    Context,
    effective_modes,
    has_dora_data,
    lot_modes,
    prepare,
    register_context,
)
from sourcing_graph.graph.embedded.coordination import coordination_load
from sourcing_graph.graph.embedded.dora import (
    exit_risks,
    indirect_concentration,
    parent_concentration,
    shared_subcontractors,
    supply_chain_data,
    supply_chains,
)
from sourcing_graph.graph.embedded.modes import clause_conflicts, mode_fit, mode_mismatches
from sourcing_graph.graph.embedded.networkx_builder import to_networkx
from sourcing_graph.graph.embedded.posture import posture
from sourcing_graph.graph.embedded.review import (
    contract_review,
    cost_selection,
    reliability_without_evaluation,
    renegotiation_windows,
    unbounded_trust,
)
from sourcing_graph.graph.embedded.suppliers import (
    concentration,
    critical_without_trust,
    retained_functions,
)
from sourcing_graph.graph.engine import EngineBase
from sourcing_graph.graph.registry import Analysis, Row
from sourcing_graph.model import Register
from sourcing_graph.ontology.rules import Rules

T = TypeVar("T")

FUNCTIONS: dict[str, Callable[..., list[Row]]] = {
    f.__name__: f
    for f in (
        coordination_load,
        mode_mismatches,
        critical_without_trust,
        clause_conflicts,
        mode_fit,
        retained_functions,
        concentration,
        cost_selection,
        unbounded_trust,
        reliability_without_evaluation,
        contract_review,
        renegotiation_windows,
        posture,
        parent_concentration,
        supply_chains,
        indirect_concentration,
        shared_subcontractors,
        exit_risks,
        effective_modes,
        lot_modes,
        supply_chain_data,
    )
}
"""The embedded function of every analysis and helper of the registry, by its key."""


class EmbeddedEngine(EngineBase):
    """The analyses of one register with the given rules (read from the ontology), via networkx.

    The register (or its graph from :func:`to_networkx`) is read once, when the engine is made
    (:func:`prepare`: R1 and R2); every analysis then reuses what that found. ``as_of`` is the
    reference date of R14 (default: today). A register without DORA data is read without
    building its graph (:func:`~sourcing_graph.graph.embedded.context.register_context`, the same
    context); the context builds the graph when first asked for it: by a DORA analysis (they walk
    it), the conclusions or :meth:`annotated_graph`.

    >>> from sourcing_graph.model import Contract, Register
    >>> from sourcing_graph.ontology.rules import load_rules
    >>> engine = EmbeddedEngine(Register(contracts={"C1": Contract("C1", "a", "K1", "trust")}), load_rules())
    >>> engine.run("lot-modes")[0]["mode"]
    'trust'
    """

    name = "embedded"

    def __init__(
        self,
        register: Register | nx.MultiDiGraph | None,
        rules: Rules | None,
        *,
        as_of: date | None = None,
    ) -> None:
        if register is None or rules is None:
            raise QueryError("the embedded engine needs a register and the rules")
        if isinstance(register, nx.MultiDiGraph):
            self.context = prepare(register, rules)
        elif has_dora_data(register):
            self.context = prepare(to_networkx(register), rules)
        else:  # no graph needed for most analyses: the context builds it when asked
            self.context = register_context(register, rules)
        self.as_of = as_of if as_of is not None else date.today()

    @classmethod
    def of_context(cls, context: Context, *, as_of: date | None = None) -> EmbeddedEngine:
        """The engine of a register read already (:func:`prepare`,
        :func:`~sourcing_graph.graph.embedded.context.register_context`)."""
        engine = cls.__new__(cls)
        engine.context = context
        engine.as_of = as_of if as_of is not None else date.today()
        return engine

    def graph(self) -> nx.MultiDiGraph:
        """The register's graph (of :func:`to_networkx`): the context's (built when first
        asked, for an engine of a register read without it)."""
        return self.context.graph

    def rows(self, analysis: Analysis, filters: dict[str, Any]) -> list[Row]:
        ctx = self.context
        dated = {"as_of": self.as_of} if analysis.dated else {}
        # the context, not its graph: an analysis that walks the graph asks the context for it
        return FUNCTIONS[analysis.key](None, ctx.rules, context=ctx, **filters, **dated)

    def names(self) -> list[dict[str, Any]]:
        """The register's lots, organisations and functions as rows of ``kind``, ``id`` and
        ``name`` (None when it has none), as :meth:`.Neo4jEngine.names` gives them."""
        found = names(self.graph())
        return [
            {"kind": kind, "id": ident, "name": name}
            for label, kind in (
                ("Lot", "lot"),
                ("Organisation", "organisation"),
                ("Function", "function"),
            )
            for ident, name in found.get(label, {}).items()
        ]

    def consistent(self, work: Callable[[], T]) -> T:
        """Run ``work`` (a whole analysis) with the cyclic garbage collector paused."""
        with paused_gc():
            return work()

    def severity_ranks(self) -> dict[str, int]:
        return self.context.rules.severity_rank

    def conclusions(self) -> Conclusions:
        """The conclusions of the register (:mod:`sourcing_graph.graph.conclusions`): findings
        with their sentences in Dutch and English, modes per contract and lot, R5 and R9 per
        organisation (computed once)."""
        found = self.context.memo.get("conclusions")
        if found is None:
            graph, rules = self.graph(), self.context.rules
            found = conclude(
                self.analyze(),
                self.run("effective_modes"),
                self.run("lot_modes"),
                names(graph),
                rules.wording,
            )
            self.context.memo["conclusions"] = found
        return found

    def annotated_graph(self) -> nx.MultiDiGraph:
        """A copy of the register's graph with the conclusions as node attributes
        (:func:`~sourcing_graph.graph.embedded.annotate.annotate`), for notebooks."""
        return annotate(self.graph(), self.conclusions())
