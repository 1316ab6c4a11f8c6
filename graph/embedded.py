"""The embedded engine: the analyses R1-R9 over the networkx graph of a register, without Neo4j.

Every function takes the graph made by :func:`sourcing_graph.graph.networkx_builder.to_networkx`
and the :class:`~sourcing_graph.ontology.rules.Rules` read from the ontology, and returns a list of
plain dicts: the rows of the documented analysis result (domain spec, section 4), in its order.
The rules' parameters (which clause types force which mode, the mode ranks, the severities, the
weights, the recommendations) are data; nothing here knows that ``penalty`` forces ``distrust``.

To run several analyses on one graph, make a :class:`Context` once with :func:`prepare` and pass it
as ``context=``: the effective modes, lot modes and supplier sets are then computed once.

The engine reads the contract attributes ``supplier``, ``lot``, ``mode``, ``clauses``,
``functions`` and ``annual_value``, the lot attributes ``prime_contractor``, ``complexity``,
``dynamics`` and ``commodity``, the function attributes ``critical`` and ``retained``, the
organisation attribute ``internal``, and the ``DEPENDS_ON`` edges.

>>> from sourcing_graph.model import Contract, Register
>>> from sourcing_graph.graph.networkx_builder import to_networkx
>>> from sourcing_graph.ontology.rules import load_rules
>>> register = Register(contracts={"C1": Contract("C1", "acme", "K1", "trust", frozenset({"bonus"}))})
>>> clause_conflicts(to_networkx(register), load_rules())[0]["effective_mode"]
'distrust'
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from sourcing_graph.errors import QueryError
from sourcing_graph.graph.networkx_builder import CONTRACT as CONTRACT_KIND
from sourcing_graph.graph.networkx_builder import SUPPLY_CHAIN
from sourcing_graph.model import OWN_IT
from sourcing_graph.ontology.rules import COORDINATION_MEASURES, Rules

Row = dict[str, Any]

UNKNOWN = "unknown"
TRUST = "trust"
DISTRUST = "distrust"
MEASURES = COORDINATION_MEASURES
"""The R5 measures, in the order of the JSON result; the weights are keyed by these names."""

# Why a contract has its effective mode (the ``reason`` column of effective-modes).
BY_CLAUSE, BY_DECLARATION, BY_INTERNAL_SUPPLIER, NOT_RECORDED = (
    "clause",
    "declared",
    "internal_supplier",
    "not_recorded",
)


@dataclass(slots=True)
class ContractInfo:
    """One contract with what R1 says about it."""

    id: str
    supplier: str
    lot: str
    declared: str | None
    functions: frozenset[str]
    annual_value: float | None
    effective: str | None
    reason: str
    forcing: tuple[str, ...]  # the forcing clause types it carries, sorted
    external: bool


@dataclass
class Context:
    """Everything the analyses share, computed once per graph and rules."""

    graph: nx.MultiDiGraph
    rules: Rules
    internal: dict[str, bool]
    lots: dict[str, dict[str, Any]]
    functions: dict[str, dict[str, Any]]
    contracts: list[ContractInfo]  # sorted by id
    dependencies: list[tuple[str, str]]  # distinct, sorted
    lot_contracts: dict[str, list[ContractInfo]] = field(default_factory=dict)
    lot_mode: dict[str, str | None] = field(default_factory=dict)
    lot_external: dict[str, frozenset[str]] = field(default_factory=dict)
    coordinated: dict[str, list[str]] = field(default_factory=dict)  # P -> its lots, sorted
    parent: dict[str, str] = field(default_factory=dict)  # organisation -> its ultimate parent
    _mismatches: list[Row] | None = None

    def rank(self, mode: str) -> int:
        return self.rules.mode_rank[mode]

    def lowest(self, modes: set[str]) -> str | None:
        """The lowest-ranked of ``modes`` (ties by key, for determinism), or None when empty."""
        return min(modes, key=lambda m: (self.rank(m), m)) if modes else None

    def mismatches(self) -> list[Row]:
        """All R3 findings, unfiltered (cached: R5 needs them too)."""
        if self._mismatches is None:
            self._mismatches = _all_mismatches(self)
        return self._mismatches


def _effective(
    rules: Rules, declared: str | None, clauses: frozenset[str], internal: bool
) -> tuple[str | None, str, tuple[str, ...]]:
    """R1: (effective mode or None, reason, forcing clause types sorted)."""
    forcing = tuple(sorted(c for c in clauses if c in rules.clause_forces))
    if forcing:
        forced = {rules.clause_forces[c] for c in forcing}
        mode = min(forced, key=lambda m: (rules.mode_rank[m], m))
        return mode, BY_CLAUSE, forcing
    if declared is not None:
        return declared, BY_DECLARATION, forcing
    if internal:
        return rules.internal_supplier_mode, BY_INTERNAL_SUPPLIER, forcing
    return None, NOT_RECORDED, forcing


def prepare(graph: nx.MultiDiGraph, rules: Rules) -> Context:
    """Read the graph once: effective modes (R1), lot modes (R2), external suppliers per lot."""
    internal: dict[str, bool] = {}
    lots: dict[str, dict[str, Any]] = {}
    functions: dict[str, dict[str, Any]] = {}
    raw_contracts: list[dict[str, Any]] = []
    parents: dict[str, str] = {}
    for (kind, _), data in graph.nodes(data=True):
        if kind == "contract":
            raw_contracts.append(data)
        elif kind == "lot":
            lots[data["id"]] = data
        elif kind == "organisation":
            internal[data["id"]] = bool(data.get("internal")) or data["id"] == OWN_IT
            if data.get("parent") is not None:
                parents[data["id"]] = data["parent"]
        elif kind == "function":
            functions[data["id"]] = data
    internal.setdefault(OWN_IT, True)

    contracts: list[ContractInfo] = []
    for data in raw_contracts:
        supplier = data["supplier"]
        is_internal = internal.get(supplier, False)
        effective, reason, forcing = _effective(
            rules, data.get("mode"), data.get("clauses") or frozenset(), is_internal
        )
        contracts.append(
            ContractInfo(
                id=data["id"],
                supplier=supplier,
                lot=data["lot"],
                declared=data.get("mode"),
                functions=data.get("functions") or frozenset(),
                annual_value=data.get("annual_value"),
                effective=effective,
                reason=reason,
                forcing=forcing,
                external=not is_internal,
            )
        )
    contracts.sort(key=lambda c: c.id)

    dependencies: set[tuple[str, str]] = set()
    for lot_id in lots:
        for (_, other), keyed in graph.succ[("lot", lot_id)].items():
            if other != lot_id and any(d.get("type") == "DEPENDS_ON" for d in keyed.values()):
                dependencies.add((lot_id, other))

    ctx = Context(graph, rules, internal, lots, functions, contracts, sorted(dependencies))
    ctx.parent = parents
    lot_contracts: dict[str, list[ContractInfo]] = defaultdict(list)
    for c in contracts:
        lot_contracts[c.lot].append(c)
    ctx.lot_contracts = dict(lot_contracts)
    for lot_id in lots:
        members = lot_contracts.get(lot_id, [])
        ctx.lot_mode[lot_id] = ctx.lowest({c.effective for c in members if c.effective})
        ctx.lot_external[lot_id] = frozenset(c.supplier for c in members if c.external)
    coordinated: dict[str, list[str]] = defaultdict(list)
    for lot_id in sorted(lots):
        coordinated[lots[lot_id].get("prime_contractor") or OWN_IT].append(lot_id)
    ctx.coordinated = dict(coordinated)
    return ctx


def _context(graph: nx.MultiDiGraph, rules: Rules, context: Context | None) -> Context:
    return context if context is not None else prepare(graph, rules)


def _prime(ctx: Context, lot_id: str) -> str:
    return ctx.lots[lot_id].get("prime_contractor") or OWN_IT


def _mode(mode: str | None) -> str:
    return mode if mode is not None else UNKNOWN


# -- helpers: R1 and R2 as rows ------------------------------------------------------------------


def effective_modes(
    graph: nx.MultiDiGraph,
    rules: Rules,
    *,
    supplier: str | None = None,
    context: Context | None = None,
) -> list[Row]:
    """R1 for every contract (by contract): declared and effective mode, and why."""
    ctx = _context(graph, rules, context)
    return [
        {
            "contract": c.id,
            "lot": c.lot,
            "supplier": c.supplier,
            "declared_mode": _mode(c.declared),
            "effective_mode": _mode(c.effective),
            "reason": c.reason,
            "forcing_clauses": list(c.forcing),
        }
        for c in ctx.contracts
        if supplier is None or c.supplier == supplier
    ]


def lot_modes(
    graph: nx.MultiDiGraph,
    rules: Rules,
    *,
    prime_contractor: str | None = None,
    context: Context | None = None,
) -> list[Row]:
    """R2 for every lot (by lot): its mode, prime contractor, contracts and recommendation (R7)."""
    ctx = _context(graph, rules, context)
    rows = []
    for lot_id in sorted(ctx.lots):
        prime = _prime(ctx, lot_id)
        if prime_contractor is not None and prime != prime_contractor:
            continue
        lot = ctx.lots[lot_id]
        rows.append(
            {
                "lot": lot_id,
                "prime_contractor": prime,
                "mode": _mode(ctx.lot_mode[lot_id]),
                "recommended": _recommended(ctx, lot),
                "contracts": len(ctx.lot_contracts.get(lot_id, [])),
            }
        )
    return rows


def _recommended(ctx: Context, lot: dict[str, Any]) -> str:
    return ctx.rules.recommend(
        lot.get("complexity") or "low", lot.get("dynamics") or "low", bool(lot.get("commodity"))
    )


# -- the seven analyses --------------------------------------------------------------------------


def _all_mismatches(ctx: Context) -> list[Row]:
    rows = []
    for a, b in ctx.dependencies:  # already sorted by lot, depends_on
        mode_a, mode_b = ctx.lot_mode.get(a), ctx.lot_mode.get(b)
        if mode_a is None or mode_b is None or mode_a == mode_b:
            continue
        rows.append(
            {
                "lot": a,
                "depends_on": b,
                "lot_mode": mode_a,
                "depends_on_mode": mode_b,
                "severity": ctx.rules.severity.get(frozenset((mode_a, mode_b))),
                "direction": "weaker_dependency"
                if ctx.rank(mode_b) < ctx.rank(mode_a)
                else "weaker_dependent",
            }
        )
    return rows


def check_severity(min_severity: str | None, severity_rank: dict[str, int]) -> None:
    """Raise :class:`QueryError` unless ``min_severity`` is None or a ranked R3 severity."""
    if min_severity is not None and min_severity not in severity_rank:
        accepted = sorted(severity_rank, key=lambda s: (severity_rank[s], s))
        raise QueryError(
            f"unknown severity {min_severity!r}; expected one of "
            f"{', '.join(accepted) or '(none: the rule data ranks no R3 severity)'}"
        )


def _at_least(severity: str | None, min_severity: str | None, rank: dict[str, int]) -> bool:
    """Whether an R3 severity passes the ``min_severity`` filter (None lets everything pass).

    ``rank`` is the rules' ``severity_rank`` (higher is more severe); a row whose severity has no
    rank never passes a filter.
    """
    if min_severity is None:
        return True
    check_severity(min_severity, rank)
    return severity in rank and rank[severity] >= rank[min_severity]


def mode_mismatches(
    graph: nx.MultiDiGraph,
    rules: Rules,
    *,
    min_severity: str | None = None,
    prime_contractor: str | None = None,
    context: Context | None = None,
) -> list[Row]:
    """R3: dependencies between lots whose modes are known and differ (by lot, then depends_on)."""
    ctx = _context(graph, rules, context)
    rank = ctx.rules.severity_rank
    check_severity(min_severity, rank)  # reject an unknown level even when nothing mismatches
    return [
        dict(row)
        for row in ctx.mismatches()
        if _at_least(row["severity"], min_severity, rank)
        and (
            prime_contractor is None
            or prime_contractor in (_prime(ctx, row["lot"]), _prime(ctx, row["depends_on"]))
        )
    ]


def critical_without_trust(
    graph: nx.MultiDiGraph,
    rules: Rules,
    *,
    supplier: str | None = None,
    context: Context | None = None,
) -> list[Row]:
    """R4: external supplier and critical function with no contract in trust (by supplier, function)."""
    ctx = _context(graph, rules, context)
    delivered: dict[tuple[str, str], list[ContractInfo]] = defaultdict(list)
    for c in ctx.contracts:  # sorted by id, so each list is sorted too
        if not c.external or (supplier is not None and c.supplier != supplier):
            continue
        for f in c.functions:
            if ctx.functions.get(f, {}).get("critical"):
                delivered[(c.supplier, f)].append(c)
    rows = []
    for (s, f), members in sorted(delivered.items()):
        if any(c.effective == TRUST for c in members):
            continue
        rows.append(
            {
                "supplier": s,
                "function": f,
                "contracts": [c.id for c in members],
                "reasons": [_r4_reason(c) for c in members],
            }
        )
    return rows


def _r4_reason(c: ContractInfo) -> str:
    if c.reason == BY_CLAUSE:
        return "penalty_or_bonus"
    if c.declared is not None:
        return f"declared_{c.declared}"
    return "mode_not_recorded"


def clause_conflicts(
    graph: nx.MultiDiGraph,
    rules: Rules,
    *,
    supplier: str | None = None,
    context: Context | None = None,
) -> list[Row]:
    """R6: contracts a clause forced below their declared mode (by contract)."""
    ctx = _context(graph, rules, context)
    return [
        {
            "contract": c.id,
            "lot": c.lot,
            "supplier": c.supplier,
            "declared_mode": c.declared,
            "effective_mode": c.effective,
            "clauses": list(c.forcing),
        }
        for c in ctx.contracts
        if c.reason == BY_CLAUSE
        and c.declared is not None
        and c.effective is not None
        and ctx.rank(c.effective) < ctx.rank(c.declared)
        and (supplier is None or c.supplier == supplier)
    ]


def mode_fit(
    graph: nx.MultiDiGraph,
    rules: Rules,
    *,
    context: Context | None = None,
) -> list[Row]:
    """R7: lots whose known mode ranks below the recommended minimum (by lot)."""
    ctx = _context(graph, rules, context)
    rows = []
    for lot_id in sorted(ctx.lots):
        mode = ctx.lot_mode[lot_id]
        if mode is None:
            continue
        recommended = _recommended(ctx, ctx.lots[lot_id])
        if ctx.rank(mode) < ctx.rank(recommended):
            rows.append({"lot": lot_id, "mode": mode, "recommended": recommended})
    return rows


def retained_functions(
    graph: nx.MultiDiGraph,
    rules: Rules,
    *,
    supplier: str | None = None,
    context: Context | None = None,
) -> list[Row]:
    """R8: retained functions delivered by external suppliers (by function, then supplier)."""
    ctx = _context(graph, rules, context)
    delivered: dict[tuple[str, str], list[str]] = defaultdict(list)
    for c in ctx.contracts:
        if not c.external or (supplier is not None and c.supplier != supplier):
            continue
        for f in c.functions:
            if ctx.functions.get(f, {}).get("retained"):
                delivered[(f, c.supplier)].append(c.id)
    return [
        {"function": f, "supplier": s, "contracts": ids}
        for (f, s), ids in sorted(delivered.items())
    ]


def _total_value(members: list[ContractInfo]) -> float:
    """The contracts' annual values added up from 0.0 in contract order, as Cypher's reduce does.

    A plain left-to-right sum: ``sum()`` of floats differs across Python versions.
    """
    total = 0.0
    for c in members:
        if c.annual_value is not None:
            total += c.annual_value
    return total


def _critical_functions(ctx: Context, members: list[ContractInfo]) -> list[str]:
    """The critical functions the contracts deliver, sorted."""
    return sorted(
        {f for c in members for f in c.functions if ctx.functions.get(f, {}).get("critical")}
    )


def concentration(
    graph: nx.MultiDiGraph,
    rules: Rules,
    *,
    supplier: str | None = None,
    context: Context | None = None,
) -> list[Row]:
    """R9: per external supplier with a contract: critical functions, lots, contracts, annual value.

    Sorted by the number of critical functions (desc), annual value (desc), then supplier. The
    annual value is summed in contract order from 0.0 (as the Cypher query does), so both engines
    round alike.
    """
    ctx = _context(graph, rules, context)
    by_supplier: dict[str, list[ContractInfo]] = defaultdict(list)
    for c in ctx.contracts:
        if c.external and (supplier is None or c.supplier == supplier):
            by_supplier[c.supplier].append(c)
    rows: list[Row] = []
    for s, members in by_supplier.items():
        rows.append(
            {
                "supplier": s,
                "critical_functions": _critical_functions(ctx, members),
                "lots": sorted({c.lot for c in members}),
                "contracts": [c.id for c in members],
                "annual_value": _total_value(members),
            }
        )
    rows.sort(key=lambda r: r["supplier"])
    rows.sort(key=lambda r: (len(r["critical_functions"]), r["annual_value"]), reverse=True)
    return rows


def _weighted(weights: dict[str, float], values: dict[str, int]) -> int | float:
    """The R5 score: an int when every weight is a whole number, else a float.

    Summed left to right in :data:`MEASURES` order, as the Cypher query does, so floats agree.
    """
    score: int | float = 0
    for measure in MEASURES:
        score = score + weights.get(measure, 0) * values[measure]
    if all(float(w).is_integer() for w in weights.values()):
        return int(score)
    return float(score)


def coordination_load(
    graph: nx.MultiDiGraph,
    rules: Rules,
    *,
    prime_contractor: str | None = None,
    context: Context | None = None,
) -> list[Row]:
    """R5: the coordination load of every prime contractor (by score desc, then prime contractor)."""
    ctx = _context(graph, rules, context)
    touching: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for a, b in ctx.dependencies:
        touching[_prime(ctx, a)].add((a, b))
        touching[_prime(ctx, b)].add((a, b))
    mismatched: dict[str, int] = defaultdict(int)
    for row in ctx.mismatches():
        for p in {_prime(ctx, row["lot"]), _prime(ctx, row["depends_on"])}:
            mismatched[p] += 1
    rows = []
    for p, lot_ids in sorted(ctx.coordinated.items()):
        if prime_contractor is not None and p != prime_contractor:
            continue
        members = [c for lot_id in lot_ids for c in ctx.lot_contracts.get(lot_id, [])]
        values = {
            "lots": len(lot_ids),
            "suppliers": len({c.supplier for c in members if c.external}),
            "interfaces": sum(
                1 for a, b in touching.get(p, ()) if ctx.lot_external[a] != ctx.lot_external[b]
            ),
            "distrust_lots": sum(1 for lot_id in lot_ids if ctx.lot_mode[lot_id] == DISTRUST),
            "mismatches": mismatched.get(p, 0),
            "penalty_bonus_clauses": sum(len(c.forcing) for c in members),
        }
        rows.append(
            {
                "prime_contractor": p,
                **values,
                "score": _weighted(ctx.rules.coordination_weights, values),
                "external": not ctx.internal.get(p, False),
            }
        )
    rows.sort(key=lambda r: r["prime_contractor"])
    rows.sort(key=lambda r: r["score"], reverse=True)
    return rows


# -- the DORA analyses (in the result only when the register has supply-chain data) -------------


def has_supply_chain_data(graph: nx.MultiDiGraph) -> bool:
    """Whether the register knows ultimate parents or ICT supply chains (a DORA register)."""
    for (kind, _), data in graph.nodes(data=True):
        if kind == "organisation" and data.get("parent") is not None:
            return True
    return any(t == SUPPLY_CHAIN for _, _, t in graph.edges(data="type"))


def parent_concentration(
    graph: nx.MultiDiGraph,
    rules: Rules,
    *,
    supplier: str | None = None,
    context: Context | None = None,
) -> list[Row]:
    """D1: R9 per ultimate parent (a supplier without a parent stands for itself).

    One row per parent of the external suppliers with a contract: those suppliers, the critical
    functions their contracts deliver, the contracts and their total annual value. Sorted like R9:
    critical functions (desc), annual value (desc), then parent. ``supplier`` keeps the row of the
    group that supplier belongs to.
    """
    ctx = _context(graph, rules, context)
    groups: dict[str, list[ContractInfo]] = defaultdict(list)
    for c in ctx.contracts:  # sorted by id, so each group's contracts are sorted too
        if c.external:
            groups[ctx.parent.get(c.supplier, c.supplier)].append(c)
    rows: list[Row] = []
    for parent, members in groups.items():
        suppliers = sorted({c.supplier for c in members})
        if supplier is not None and supplier not in suppliers:
            continue
        rows.append(
            {
                "parent": parent,
                "suppliers": suppliers,
                "critical_functions": _critical_functions(ctx, members),
                "contracts": [c.id for c in members],
                "annual_value": _total_value(members),
            }
        )
    rows.sort(key=lambda r: r["parent"])
    rows.sort(key=lambda r: (len(r["critical_functions"]), r["annual_value"]), reverse=True)
    return rows


def supply_chains(
    graph: nx.MultiDiGraph,
    rules: Rules,
    *,
    supplier: str | None = None,
    context: Context | None = None,
) -> list[Row]:
    """D2: for each critical function delivered by a contract, how deep its ICT supply chain runs.

    ``depth`` is the highest rank among the supply-chain links of the contracts that deliver it (1
    when they list no link: only the direct providers); ``providers`` every organisation in those
    chains (the contracts' suppliers, the linked providers and the recipients named by the links).
    Sorted by depth (desc), then function. ``supplier`` keeps the rows it is a provider in.
    """
    ctx = _context(graph, rules, context)
    delivering: dict[str, list[ContractInfo]] = defaultdict(list)
    for c in ctx.contracts:
        for f in c.functions:
            if ctx.functions.get(f, {}).get("critical"):
                delivering[f].append(c)
    chains: dict[str, tuple[set[str], int]] = {}  # contract -> (its chain's members, depth)

    def chain(c: ContractInfo) -> tuple[set[str], int]:
        """Read a contract's supply-chain links once, however many critical functions it has."""
        found = chains.get(c.id)
        if found is None:
            members, depth = {c.supplier}, 1
            for (kind, other), keyed in ctx.graph.succ[(CONTRACT_KIND, c.id)].items():
                for data in keyed.values():
                    if data.get("type") != SUPPLY_CHAIN or kind != "organisation":
                        continue
                    members.add(other)
                    depth = max(depth, data["rank"])
                    if data.get("recipient") is not None:
                        members.add(data["recipient"])
            found = chains[c.id] = (members, depth)
        return found

    rows: list[Row] = []
    for function_id, delivered_by in delivering.items():
        providers: set[str] = set()
        depth = 1
        for c in delivered_by:
            members, deepest = chain(c)
            providers |= members
            depth = max(depth, deepest)
        if supplier is not None and supplier not in providers:
            continue
        rows.append(
            {
                "function": function_id,
                "depth": depth,
                "providers": sorted(providers),
                "contracts": [c.id for c in delivered_by],
            }
        )
    rows.sort(key=lambda r: r["function"])
    rows.sort(key=lambda r: r["depth"], reverse=True)
    return rows
