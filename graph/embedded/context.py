"""What the embedded analyses share, read from the graph once: R1 (effective modes), R2 (lot modes).

:func:`prepare` reads the graph of :func:`~sourcing_graph.graph.embedded.to_networkx` with the
rules into a :class:`Context`: each contract with its effective mode and why (R1), each lot with
its mode (R2), its external suppliers and its prime contractor. :func:`effective_modes` and
:func:`lot_modes` give R1 and R2 as rows (the helpers ``effective_modes`` and ``lot_modes``).
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from operator import attrgetter
from typing import Any

import networkx as nx

from sourcing_graph.graph.embedded.collector import paused_gc
from sourcing_graph.graph.embedded.networkx_builder import (
    FUNCTION,
    LOT,
    completed,
    node_attributes,
    to_networkx,
)
from sourcing_graph.graph.registry import Row
from sourcing_graph.model import CENT, OWN_IT, Contract, Register, money
from sourcing_graph.ontology.rules import Rules

UNKNOWN = "unknown"
TRUST = "trust"
DISTRUST = "distrust"

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
    annual_value: Decimal | None
    effective: str | None
    reason: str
    forcing: tuple[str, ...]  # the forcing clause types it carries, sorted
    external: bool
    clauses: frozenset[str] = frozenset()
    selection_basis: str | None = None
    end_date: date | None = None


@dataclass
class Context:
    """Everything the analyses share, computed once per graph and rules.

    :attr:`graph` is the register's graph: the one :func:`prepare` read, or (for a context read
    from the register, :func:`register_context`) built from the register when first asked, by
    the analyses that walk it (the DORA supply chains) or by the conclusions."""

    built: nx.MultiDiGraph | None  # the register's graph, once there (see graph)
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
    memo: dict[str, Any] = field(default_factory=dict)  # what an analysis computed for others
    recommendations: dict[str, str] = field(default_factory=dict)  # lot -> R7, once asked
    dora: bool | None = None  # DORA data or not, when known without reading the graph
    register: Register | None = None  # the register to build the graph of, when first asked

    @property
    def graph(self) -> nx.MultiDiGraph:
        """The register's graph (of :func:`~sourcing_graph.graph.embedded.to_networkx`): built
        once, when first asked, for a context read from the register."""
        if self.built is None:
            if self.register is None:
                raise ValueError("a context without its graph or its register")
            self.built = to_networkx(self.register)
            self.register = None
        return self.built

    def rank(self, mode: str) -> int:
        return self.rules.mode_rank[mode]

    def lowest(self, modes: set[str]) -> str | None:
        """The lowest-ranked of ``modes`` (ties by key, for determinism), or None when empty."""
        return min(modes, key=lambda m: (self.rank(m), m)) if modes else None

    def prime(self, lot_id: str) -> str:
        """The prime contractor of a lot."""
        return self.lots[lot_id].get("prime_contractor") or OWN_IT

    def recommended(self, lot_id: str) -> str:
        """R7: the lowest mode the rules recommend for a lot (computed once per lot)."""
        found = self.recommendations.get(lot_id)
        if found is None:
            lot = self.lots[lot_id]
            # a level not recorded (None) reads as low, a commodity not recorded as no (the rules)
            found = self.rules.recommend(
                lot.get("complexity"), lot.get("dynamics"), lot.get("commodity")
            )
            self.recommendations[lot_id] = found
        return found


def _effective(
    rules: Rules, declared: str | None, clauses: frozenset[str], internal: bool
) -> tuple[str | None, str, tuple[str, ...]]:
    """R1: (effective mode or None, reason, forcing clause types sorted)."""
    forcing = tuple(sorted(c for c in clauses if c in rules.clause_forces))
    if forcing:
        forced = {rules.clause_forces[c] for c in forcing}
        mode = min(forced, key=lambda m: (rules.mode_rank[m], m))
        return mode, BY_CLAUSE, forcing
    return _unforced(rules, declared, internal)


def _amount(value: Any) -> Decimal | None:
    """An annual value as money (:func:`~sourcing_graph.model.money`); the model's amounts are
    money already, and are taken as they are."""
    if value is None:
        return None
    if type(value) is Decimal and value.same_quantum(CENT):  # its exponent is a cent's
        return value
    return money(value)


def _contract(rules: Rules, data: dict[str, Any], internal: dict[str, bool]) -> ContractInfo:
    """One contract node with its effective mode (R1)."""
    get = data.get
    return _info(
        rules,
        internal,
        data["id"],
        data["supplier"],
        data["lot"],
        get("mode"),
        get("clauses") or _NONE,
        get("functions") or _NONE,
        get("annual_value"),
        get("selection_basis"),
        get("end_date"),
    )


def _contract_of(rules: Rules, c: Contract, internal: dict[str, bool]) -> ContractInfo:
    """One contract of the register with its effective mode (R1): :func:`_contract` of its node."""
    return _info(
        rules,
        internal,
        c.id,
        c.supplier,
        c.lot,
        c.mode,
        c.clauses or _NONE,
        c.functions or _NONE,
        c.annual_value,
        c.selection_basis,
        c.end_date,
    )


def _info(
    rules: Rules,
    internal: dict[str, bool],
    id: str,
    supplier: str,
    lot: str,
    declared: str | None,
    clauses: frozenset[str],
    functions: frozenset[str],
    annual_value: Any,
    selection_basis: str | None,
    end_date: date | None,
) -> ContractInfo:
    is_internal = internal.get(supplier, False)
    if rules.clause_forces.keys().isdisjoint(clauses):  # most contracts: no clause forces a mode
        effective, reason, forcing = _unforced(rules, declared, is_internal)
    else:
        effective, reason, forcing = _effective(rules, declared, clauses, is_internal)
    return ContractInfo(
        id=id,
        supplier=supplier,
        lot=lot,
        declared=declared,
        functions=functions,
        annual_value=_amount(annual_value),
        effective=effective,
        reason=reason,
        forcing=forcing,
        external=not is_internal,
        clauses=clauses,
        selection_basis=selection_basis,
        end_date=end_date,
    )


_NONE: frozenset[str] = frozenset()


def _unforced(
    rules: Rules, declared: str | None, internal: bool
) -> tuple[str | None, str, tuple[str, ...]]:
    """R1 of a contract no clause forces: :func:`_effective` without the clause step."""
    if declared is not None:
        return declared, BY_DECLARATION, ()
    if internal:
        return rules.internal_supplier_mode, BY_INTERNAL_SUPPLIER, ()
    return None, NOT_RECORDED, ()


def _dependencies(graph: nx.MultiDiGraph, lots: dict[str, Any]) -> list[tuple[str, str]]:
    """The lots' dependencies ``(lot, depends on)``, sorted; a lot's on itself left out."""
    dependencies: set[tuple[str, str]] = set()
    for lot_id in lots:
        for (_, other), keyed in graph.succ[("lot", lot_id)].items():
            if other != lot_id and any(d.get("type") == "DEPENDS_ON" for d in keyed.values()):
                dependencies.add((lot_id, other))
    return sorted(dependencies)


def prepare(graph: nx.MultiDiGraph, rules: Rules) -> Context:
    """Read the graph once: effective modes (R1), lot modes (R2), external suppliers per lot."""
    with paused_gc():  # a hundred thousand new objects: no collection scans the graph meanwhile
        return _prepare(graph, rules)


def _prepare(graph: nx.MultiDiGraph, rules: Rules) -> Context:
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
    contracts = [_contract(rules, d, internal) for d in raw_contracts]
    return _assemble(
        Context(graph, rules, internal, lots, functions, contracts, _dependencies(graph, lots)),
        parents,
    )


def has_dora_data(register: Register) -> bool:
    """Whether ``register`` knows ultimate parents or ICT supply chains: what
    :func:`~sourcing_graph.graph.embedded.dora.has_supply_chain_data` says of its graph."""
    return bool(register.subcontracting) or any(
        o.parent is not None for o in register.organisations.values()
    )


def register_context(
    register: Register,
    rules: Rules,
    *,
    reuse: Context | None = None,
    contracts: Collection[str] = (),
    organisations: Collection[str] = (),
) -> Context:
    """The :class:`Context` :func:`prepare` reads from the graph of ``register``
    (:func:`~sourcing_graph.graph.embedded.to_networkx`), read from the register itself: no
    graph is built. For a register without DORA data only (:func:`has_dora_data`: the DORA
    analyses walk the graph); its ``dora`` is False, so the engine's ``analyze`` runs no DORA
    analysis on it, and its :attr:`~Context.graph` is built from ``register`` only when first
    asked (a DORA analysis run alone, the conclusions).

    With ``reuse`` (the context of a register ``register`` was changed from, by changes to the
    ``contracts`` and the internal flag of the ``organisations`` named), the contracts neither
    names keep what ``reuse`` found for them (R1 of a contract reads only the contract and
    whether its supplier is internal); the rest is read again.
    """
    with paused_gc():
        orgs, lots, functions = completed(register)
        internal = {o.id: bool(o.internal) or o.id == OWN_IT for o in orgs.values()}
        internal.setdefault(OWN_IT, True)
        parents = {o.id: o.parent for o in orgs.values() if o.parent is not None}
        table = register.contracts
        if reuse is None:
            infos = [_contract_of(rules, c, internal) for c in table.values()]
        else:
            redo, moved = set(contracts), set(organisations)
            infos = [
                _contract_of(rules, table[c.id], internal)
                if c.id in redo or c.supplier in moved
                else c
                for c in reuse.contracts
            ]
        dependencies = sorted({(a, b) for a, b in register.dependencies if a != b})
        ctx = Context(
            None,
            rules,
            internal,
            {lot.id: node_attributes(LOT, lot) for lot in lots.values()},
            {f.id: node_attributes(FUNCTION, f) for f in functions.values()},
            infos,
            dependencies,
            dora=False,
            register=register,
        )
        return _assemble(ctx, parents)


def _assemble(ctx: Context, parents: dict[str, str]) -> Context:
    """``ctx`` (its contracts sorted here) with what the analyses derive from them: the
    contracts per lot, the lots' modes (R2) and external suppliers, the lots per prime
    contractor; ``parents``: organisation -> its ultimate parent."""
    contracts = ctx.contracts
    contracts.sort(key=attrgetter("id"))
    lots = ctx.lots
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
        coordinated[ctx.prime(lot_id)].append(lot_id)
    ctx.coordinated = dict(coordinated)
    return ctx


def on_graph(analysis: Callable[..., list[Row]]) -> Callable[..., list[Row]]:
    """An analysis of a :class:`Context` as the public function of a graph and the rules.

    The result is called ``analysis(graph, rules, *, context=None, **filters)``: with ``context``
    (made by :func:`prepare` or :func:`register_context`) the graph is not read again, and may
    be None (the context builds it if the analysis walks it).
    """

    @functools.wraps(analysis)
    def run(
        graph: nx.MultiDiGraph | None,
        rules: Rules,
        *,
        context: Context | None = None,
        **filters: Any,
    ) -> list[Row]:
        with paused_gc():
            if context is None:
                if graph is None:
                    raise ValueError("an analysis needs a graph or a context")
                context = prepare(graph, rules)
            return analysis(context, **filters)

    return run


def or_unknown(mode: str | None) -> str:
    return mode if mode is not None else UNKNOWN


# -- helpers: R1 and R2 as rows ------------------------------------------------------------------


@on_graph
def effective_modes(ctx: Context, *, supplier: str | None = None) -> list[Row]:
    """R1 for every contract (by contract): declared and effective mode, and why."""
    return [
        {
            "contract": c.id,
            "lot": c.lot,
            "supplier": c.supplier,
            "declared_mode": or_unknown(c.declared),
            "effective_mode": or_unknown(c.effective),
            "reason": c.reason,
            "forcing_clauses": list(c.forcing),
        }
        for c in ctx.contracts
        if supplier is None or c.supplier == supplier
    ]


@on_graph
def lot_modes(ctx: Context, *, prime_contractor: str | None = None) -> list[Row]:
    """R2 for every lot (by lot): its mode, prime contractor, contracts and recommendation (R7)."""
    rows = []
    for lot_id in sorted(ctx.lots):
        prime = ctx.prime(lot_id)
        if prime_contractor is not None and prime != prime_contractor:
            continue
        rows.append(
            {
                "lot": lot_id,
                "prime_contractor": prime,
                "mode": or_unknown(ctx.lot_mode[lot_id]),
                "recommended": ctx.recommended(lot_id),
                "contracts": len(ctx.lot_contracts.get(lot_id, [])),
            }
        )
    return rows
