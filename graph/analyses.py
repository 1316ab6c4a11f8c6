"""The registry of analyses (one name, a Cypher query, an embedded function each) and ``analyze``.

Each analysis has one name in three spellings: the key of the JSON result (``mode_mismatches``),
the named query (``queries/mode-mismatches.cypher``) and the embedded function
(:func:`sourcing_graph.graph.embedded.mode_mismatches`). :func:`analyze` runs all seven on one engine
and returns the analysis result exactly as documented (keys in the documented order).

The filters are Python keywords here and ``$camelCase`` parameters in Cypher:
``prime_contractor`` (R3, R5), ``min_severity`` (R3) and ``supplier`` (R4, R6, R8, R9).

``min_severity`` must be an R3 severity the rule data ranks (``sg:severityRank``): the embedded
engine takes the order from ``Rules.severity_rank``, Neo4j from the ``rank`` of the
``MismatchSeverity`` nodes (and checks the value against them before running the query).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

import networkx as nx

from sourcing_graph.errors import QueryError
from sourcing_graph.graph import embedded
from sourcing_graph.model import Register
from sourcing_graph.ontology.rules import Rules
from sourcing_graph.queries import QueryInfo, get_query

Row = dict[str, Any]
FILTERS = ("prime_contractor", "min_severity", "supplier")

_SEVERITY_RANKS = """
MATCH (s:MismatchSeverity)
WHERE s.rank IS NOT NULL
RETURN s.severity AS severity, min(s.rank) AS rank
ORDER BY rank, severity
"""
"""The R3 severities and their ranks as the ontology nodes in Neo4j hold them."""


class Store(Protocol):
    """What the Neo4j engine needs of a store (``Neo4jStore`` has it)."""

    def read(self, cypher: str, params: dict[str, Any] | None = ...) -> list[dict[str, Any]]: ...


@dataclass(frozen=True)
class Analysis:
    """One analysis: its names, its rule, how to present it, and its two engines."""

    key: str  # the key in the JSON result and the embedded function's name
    rule: str
    title: str
    dutch: str
    noun: tuple[str, str]  # what one row is, singular and plural ("finding", "findings")
    function: Callable[..., list[Row]]
    filters: tuple[str, ...]
    in_result: bool = True

    @property
    def query_name(self) -> str:
        return self.key.replace("_", "-")

    def query(self) -> QueryInfo:
        return get_query(self.query_name)


_FINDING = ("finding", "findings")

ANALYSES: dict[str, Analysis] = {
    a.key: a
    for a in (
        Analysis(
            "coordination_load",
            "R5",
            "Coordination load per prime contractor",
            "regielast per hoofdaannemer",
            ("prime contractor", "prime contractors"),
            embedded.coordination_load,
            ("prime_contractor",),
        ),
        Analysis(
            "mode_mismatches",
            "R3",
            "Mode mismatches between interdependent lots",
            "verschil in samenwerkingsvorm tussen afhankelijke kavels",
            _FINDING,
            embedded.mode_mismatches,
            ("min_severity", "prime_contractor"),
        ),
        Analysis(
            "critical_without_trust",
            "R4",
            "Critical functions without a trust basis",
            "kritieke functie zonder vertrouwen",
            _FINDING,
            embedded.critical_without_trust,
            ("supplier",),
        ),
        Analysis(
            "clause_conflicts",
            "R6",
            "Clauses that force a contract below its declared mode",
            "clausules die de samenwerkingsvorm ondermijnen",
            _FINDING,
            embedded.clause_conflicts,
            ("supplier",),
        ),
        Analysis(
            "mode_fit",
            "R7",
            "Lots run in a weaker mode than they need",
            "passende samenwerkingsvorm per kavel",
            _FINDING,
            embedded.mode_fit,
            (),
        ),
        Analysis(
            "retained_functions",
            "R8",
            "Retained functions given to external suppliers",
            "uitbestede functies die je zelf hoort te doen",
            _FINDING,
            embedded.retained_functions,
            ("supplier",),
        ),
        Analysis(
            "concentration",
            "R9",
            "Supplier concentration",
            "leveranciersconcentratie",
            ("supplier", "suppliers"),
            embedded.concentration,
            ("supplier",),
        ),
    )
}
"""The seven analyses of the result, in the order of its keys."""

HELPERS: dict[str, Analysis] = {
    a.key: a
    for a in (
        Analysis(
            "effective_modes",
            "R1",
            "Declared and effective mode of each contract",
            "samenwerkingsvorm per contract",
            ("contract", "contracts"),
            embedded.effective_modes,
            ("supplier",),
            in_result=False,
        ),
        Analysis(
            "lot_modes",
            "R2",
            "Mode of each lot",
            "samenwerkingsvorm per kavel",
            ("lot", "lots"),
            embedded.lot_modes,
            ("prime_contractor",),
            in_result=False,
        ),
    )
}
"""Rows the analyses build on (R1, R2): a query and an embedded function each; not in the result."""

DORA_ANALYSES: dict[str, Analysis] = {
    a.key: a
    for a in (
        Analysis(
            "parent_concentration",
            "D1",
            "Concentration per ultimate parent (DORA)",
            "concentratie per uiteindelijke moederonderneming",
            ("group", "groups"),
            embedded.parent_concentration,
            ("supplier",),
        ),
        Analysis(
            "supply_chains",
            "D2",
            "ICT supply chains of critical functions (DORA)",
            "toeleveringsketens van kritieke functies",
            ("function", "functions"),
            embedded.supply_chains,
            ("supplier",),
        ),
    )
}
"""The DORA analyses: part of the result, after the seven, when the register has supply-chain data
(an ultimate parent or a supply-chain link; see :func:`has_supply_chain_data`)."""

_HAS_SUPPLY_CHAIN_DATA = """
RETURN EXISTS { MATCH (o:Organisation) WHERE o.parent IS NOT NULL }
    OR EXISTS { MATCH (:Contract)-[:SUPPLY_CHAIN]->(:Organisation) } AS dora
"""


def has_supply_chain_data(
    register: Register | nx.MultiDiGraph | None, engine: str | Store = "embedded"
) -> bool:
    """Whether the register (embedded) or the loaded one (a store) has DORA supply-chain data."""
    if isinstance(engine, str):
        if register is None:
            return False
        if isinstance(register, Register):
            return bool(register.subcontracting) or any(
                o.parent is not None for o in register.organisations.values()
            )
        return embedded.has_supply_chain_data(register)
    rows = engine.read(_HAS_SUPPLY_CHAIN_DATA)
    return bool(rows and rows[0].get("dora"))


def lookup(name: str) -> Analysis:
    """An analysis or helper by any of its names (``mode_mismatches``, ``mode-mismatches``)."""
    key = name.strip().replace("-", "_")
    found = ANALYSES.get(key) or DORA_ANALYSES.get(key) or HELPERS.get(key)
    if found is None:
        known = ", ".join([*ANALYSES, *DORA_ANALYSES, *HELPERS])
        raise QueryError(f"unknown analysis {name!r}; the analyses are: {known}")
    return found


def camel(name: str) -> str:
    """``prime_contractor`` -> ``primeContractor`` (a filter as a Cypher parameter)."""
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def _check_filters(filters: dict[str, Any]) -> None:
    unknown = sorted(set(filters) - set(FILTERS))
    if unknown:
        raise QueryError(
            f"unknown filter {', '.join(unknown)}; the filters are: {', '.join(FILTERS)}"
        )


def _check_severity(level: Any, engine: str | Store, rules: Rules | None) -> None:
    """Refuse a ``min_severity`` the rule data does not rank (on Neo4j: the ontology nodes)."""
    if level is None:
        return
    if isinstance(engine, str):
        if rules is None:
            return  # the embedded engine refuses to run without rules anyway
        ranks = rules.severity_rank
    else:
        ranks = {row["severity"]: row["rank"] for row in engine.read(_SEVERITY_RANKS)}
    embedded.check_severity(level, ranks)


def _graph(register: Register | nx.MultiDiGraph) -> nx.MultiDiGraph:
    if isinstance(register, nx.MultiDiGraph):
        return register
    from sourcing_graph.graph.networkx_builder import to_networkx

    return to_networkx(register)


def run_analysis(
    name: str,
    register: Register | nx.MultiDiGraph | None,
    rules: Rules | None,
    engine: str | Store = "embedded",
    *,
    context: embedded.Context | None = None,
    **filters: Any,
) -> list[Row]:
    """The rows of one analysis or helper on one engine (see :func:`analyze` for the arguments).

    Filters an analysis does not take are ignored, so one set of filters serves every analysis.
    """
    analysis = lookup(name)
    _check_filters(filters)
    given = {k: v for k, v in filters.items() if k in analysis.filters}
    if "min_severity" in given:
        _check_severity(given["min_severity"], engine, context.rules if context else rules)
    return _run(analysis, register, rules, engine, context, given)


def _run(
    analysis: Analysis,
    register: Register | nx.MultiDiGraph | None,
    rules: Rules | None,
    engine: str | Store,
    context: embedded.Context | None,
    given: dict[str, Any],
) -> list[Row]:
    """One analysis with its (checked) filters on one engine."""
    if isinstance(engine, str):
        if engine != "embedded":
            raise QueryError(f"unknown engine {engine!r}; expected 'embedded' or a Neo4j store")
        if context is None:
            if register is None or rules is None:
                raise QueryError("the embedded engine needs a register and the rules")
            context = embedded.prepare(_graph(register), rules)
        return analysis.function(context.graph, context.rules, context=context, **given)
    query = analysis.query()
    params = query.bind({camel(k): v for k, v in given.items()})
    return in_code_point_order(analysis.key, engine.read(query.text, params))


def _by(*fields: str) -> Callable[[Row], tuple[Any, ...]]:
    """A sort key: ``-name`` descending (numbers and list lengths), else ascending as is."""

    def key(row: Row) -> tuple[Any, ...]:
        out: list[Any] = []
        for f in fields:
            if f.startswith("-"):
                value = row[f[1:]]
                out.append(-(len(value) if isinstance(value, list) else value))
            else:
                out.append(row[f])
        return tuple(out)

    return key


_ROW_ORDER: dict[str, Callable[[Row], tuple[Any, ...]]] = {
    "coordination_load": _by("-score", "prime_contractor"),
    "mode_mismatches": _by("lot", "depends_on"),
    "critical_without_trust": _by("supplier", "function"),
    "clause_conflicts": _by("contract"),
    "mode_fit": _by("lot"),
    "retained_functions": _by("function", "supplier"),
    "concentration": _by("-critical_functions", "-annual_value", "supplier"),
    "parent_concentration": _by("-critical_functions", "-annual_value", "parent"),
    "supply_chains": _by("-depth", "function"),
    "effective_modes": _by("contract"),
    "lot_modes": _by("lot"),
}
_SORTED_LISTS = ("contracts", "lots", "critical_functions", "suppliers", "providers")


def in_code_point_order(key: str, rows: list[Row]) -> list[Row]:
    """Neo4j's rows in the documented order, identifiers compared by code point.

    Neo4j 5 compares stored property values by code point, but strings it computed or got as a
    parameter (which an index seek may hand back in place of the property) by UTF-16 code unit
    (U+1F4A3 before U+FF01), so its ``ORDER BY`` is not guaranteed to follow the domain spec (and
    the embedded engine) for identifiers beyond U+FFFF.
    Rows and the identifier lists in them are sorted again here (stable: ties keep Neo4j's order;
    R4's ``reasons`` stay aligned with their contracts).
    """
    order = _ROW_ORDER.get(key)
    if order is None:
        return rows
    for row in rows:
        if key == "critical_without_trust" and "reasons" in row:
            pairs = sorted(zip(row["contracts"], row["reasons"], strict=True))
            row["contracts"] = [c for c, _ in pairs]
            row["reasons"] = [r for _, r in pairs]
            continue
        for name in _SORTED_LISTS:
            if isinstance(row.get(name), list):
                row[name] = sorted(row[name])
    rows.sort(key=order)
    return rows


def analyze(
    register: Register | nx.MultiDiGraph | None,
    rules: Rules | None,
    engine: str | Store = "embedded",
    **filters: Any,
) -> dict[str, list[Row]]:
    """Run the seven analyses and return the analysis result (JSON keys in the documented order).

    When the register has DORA supply-chain data (ultimate parents or supply-chain links), the
    result also holds ``parent_concentration`` and ``supply_chains`` (:data:`DORA_ANALYSES`), after
    the seven.

    ``engine`` is ``"embedded"`` (networkx; ``register`` is a Register or its graph from
    ``to_networkx``, ``rules`` the rules read from the ontology) or a store with a ``read(cypher,
    params)`` method such as ``Neo4jStore``: the queries then run on the register the store holds
    (load it first with ``store.load_register``) and the rules come from the ontology nodes there, so
    ``register`` and ``rules`` may be None. ``filters``: ``prime_contractor``, ``min_severity``,
    ``supplier`` (None or absent means no filter).
    """
    _check_filters(filters)
    context = None
    if isinstance(engine, str) and engine == "embedded":
        if register is None or rules is None:
            raise QueryError("the embedded engine needs a register and the rules")
        context = embedded.prepare(_graph(register), rules)

    def run_all() -> dict[str, list[Row]]:
        _check_severity(filters.get("min_severity"), engine, rules)
        chosen = dict(ANALYSES)
        if has_supply_chain_data(context.graph if context else register, engine):
            chosen.update(DORA_ANALYSES)
        return {
            key: _run(
                analysis,
                register,
                rules,
                engine,
                context,
                {k: v for k, v in filters.items() if k in analysis.filters},
            )
            for key, analysis in chosen.items()
        }

    # A store that can (Neo4jStore.stable) makes all the queries see one and the same register,
    # even while other loads commit.
    stable = getattr(engine, "stable", None)
    return stable(run_all) if callable(stable) else run_all()
