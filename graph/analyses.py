"""Running the analyses: choose an engine (:func:`open_engine`), get the result (:func:`analyze`).

The registry (:data:`ANALYSES`, :data:`HELPERS`, :data:`DORA_ANALYSES`, :func:`lookup`, the row
order) lives in :mod:`sourcing_graph.graph.registry` and the engine interface in
:mod:`sourcing_graph.graph.engine`; both are re-exported here.

``min_severity`` must be an R3 severity the rule data ranks (``sg:severityRank``): the embedded
engine takes the order from ``Rules.severity_rank``, Neo4j from the ``rank`` of the
``MismatchSeverity`` nodes (and checks the value against them before running the query).

>>> from sourcing_graph.model import Contract, Register
>>> from sourcing_graph.ontology.rules import load_rules
>>> result = analyze(Register(contracts={"C1": Contract("C1", "a", "K1", "trust")}), load_rules())
>>> list(result)[:2], result["mode_fit"]
(['coordination_load', 'mode_mismatches'], [])
>>> from datetime import date
>>> analyze(Register(), load_rules(), as_of=date(2026, 6, 1))["as_of"]
'2026-06-01'
"""

from __future__ import annotations

from datetime import date
from typing import Any

import networkx as nx

from sourcing_graph.errors import QueryError
from sourcing_graph.graph.embedded import EmbeddedEngine
from sourcing_graph.graph.engine import Engine, Result, Row
from sourcing_graph.graph.neo4j.engine import Neo4jEngine, Store
from sourcing_graph.graph.registry import (
    ANALYSES,
    DORA_ANALYSES,
    FILTERS,
    HELPERS,
    Analysis,
    camel,
    check_filters,
    check_severity,
    in_code_point_order,
    lookup,
)
from sourcing_graph.model import Register
from sourcing_graph.ontology.rules import Rules

__all__ = [
    "ANALYSES",
    "DORA_ANALYSES",
    "ENGINES",
    "FILTERS",
    "HELPERS",
    "Analysis",
    "EmbeddedEngine",
    "Engine",
    "Neo4jEngine",
    "Result",
    "Row",
    "Store",
    "analyze",
    "camel",
    "check_severity",
    "in_code_point_order",
    "lookup",
    "open_engine",
    "run_analysis",
]

ENGINES = ("embedded", "neo4j")
"""The kinds of engine :func:`open_engine` makes."""


def open_engine(
    kind: str,
    *,
    register: Register | nx.MultiDiGraph | None = None,
    rules: Rules | None = None,
    store: Store | None = None,
    as_of: date | None = None,
) -> Engine:
    """The engine of one kind: the one place an engine is chosen.

    ``"embedded"`` needs ``register`` (a Register or its graph from ``to_networkx``) and ``rules``
    (read from the ontology); ``"neo4j"`` a ``store`` (a connected ``Neo4jStore``) that holds the
    register and the ontology. ``as_of`` is the reference date of R14 (default: today). Raises
    :class:`QueryError` for an unknown kind or a missing part.
    """
    if kind == "embedded":
        return EmbeddedEngine(register, rules, as_of=as_of)
    if kind == "neo4j":
        if store is None:
            raise QueryError("the Neo4j engine needs a store (a connected Neo4jStore)")
        return Neo4jEngine(store, as_of=as_of)
    raise QueryError(f"unknown engine {kind!r}; expected one of: {', '.join(ENGINES)}")


def analyze(
    register: Register | nx.MultiDiGraph | None,
    rules: Rules | None,
    engine: Engine | None = None,
    *,
    as_of: date | None = None,
    **filters: Any,
) -> Result:
    """Run the analyses and return the analysis result (JSON keys in the documented order):
    R3-R9, ``as_of`` (the reference date, ISO), R10-R15.

    When the register has DORA supply-chain data (ultimate parents or supply-chain links), the
    result also holds ``parent_concentration`` and ``supply_chains`` (:data:`DORA_ANALYSES`), at
    the end.

    Without ``engine`` the analyses run embedded on ``register`` (a Register or its graph from
    ``to_networkx``) with ``rules`` (read from the ontology), at the reference date ``as_of``
    (default: today). With an :class:`Engine` they run on it, at its date, and ``register``,
    ``rules`` and ``as_of`` are not used (may be None): ``Neo4jEngine(store)`` runs the queries on
    the register the store holds, with the rules of the ontology nodes there.
    ``filters``: ``prime_contractor``, ``min_severity``, ``supplier`` (None or absent: no filter).
    """
    check_filters(filters)
    if engine is None:
        engine = EmbeddedEngine(register, rules, as_of=as_of)
    return engine.analyze(**filters)


def run_analysis(
    name: str,
    register: Register | nx.MultiDiGraph | None,
    rules: Rules | None,
    engine: Engine | None = None,
    *,
    as_of: date | None = None,
    **filters: Any,
) -> list[Row]:
    """The rows of one analysis or helper (see :func:`analyze` for the arguments); R15's one
    object as a one-row list.

    Filters an analysis does not take are ignored, so one set of filters serves every analysis.
    """
    lookup(name).given(filters)  # an unknown name or filter fails before the graph is built
    if engine is None:
        engine = EmbeddedEngine(register, rules, as_of=as_of)
    return engine.run(name, **filters)
