"""The DORA analyses on the embedded engine: D1 (concentration per ultimate parent) and D2 (ICT
supply chains of critical functions), and whether a register has the data they need."""

from __future__ import annotations

from collections import defaultdict

import networkx as nx

from sourcing_graph.graph.embedded.context import Context, ContractInfo, on_graph
from sourcing_graph.graph.embedded.networkx_builder import CONTRACT as CONTRACT_KIND
from sourcing_graph.graph.embedded.networkx_builder import SUPPLY_CHAIN
from sourcing_graph.graph.embedded.suppliers import by_weight, critical_functions, total_value
from sourcing_graph.graph.registry import Row


def has_supply_chain_data(graph: nx.MultiDiGraph) -> bool:
    """Whether the register knows ultimate parents or ICT supply chains (a DORA register)."""
    for (kind, _), data in graph.nodes(data=True):
        if kind == "organisation" and data.get("parent") is not None:
            return True
    return any(t == SUPPLY_CHAIN for _, _, t in graph.edges(data="type"))


@on_graph
def supply_chain_data(ctx: Context) -> list[Row]:
    """The helper ``supply_chain_data``: one row, ``dora`` saying :func:`has_supply_chain_data`."""
    return [{"dora": ctx.dora if ctx.dora is not None else has_supply_chain_data(ctx.graph)}]


@on_graph
def parent_concentration(ctx: Context, *, supplier: str | None = None) -> list[Row]:
    """D1: R9 per ultimate parent (a supplier without a parent stands for itself).

    One row per parent of the external suppliers with a contract: those suppliers, the critical
    functions their contracts deliver, the contracts and their total annual value. Sorted like R9:
    critical functions (desc), annual value (desc), then parent. ``supplier`` keeps the row of the
    group that supplier belongs to.
    """
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
                "critical_functions": critical_functions(ctx, members),
                "contracts": [c.id for c in members],
                "annual_value": total_value(members),
            }
        )
    return by_weight(rows, "parent")


@on_graph
def supply_chains(ctx: Context, *, supplier: str | None = None) -> list[Row]:
    """D2: for each critical function delivered by a contract, how deep its ICT supply chain runs.

    ``depth`` is the highest rank among the supply-chain links of the contracts that deliver it (1
    when they list no link: only the direct providers); ``providers`` every organisation in those
    chains (the contracts' suppliers, the linked providers and the recipients named by the links).
    Sorted by depth (desc), then function. ``supplier`` keeps the rows it is a provider in.
    """
    delivering: dict[str, list[ContractInfo]] = defaultdict(list)
    for c in ctx.contracts:
        for f in c.functions:
            if ctx.functions.get(f, {}).get("critical"):
                delivering[f].append(c)
    # a contract's supply-chain links are read once, however many critical functions it has
    chains: dict[str, tuple[set[str], int]] = {}
    rows: list[Row] = []
    for function_id, delivered_by in delivering.items():
        providers: set[str] = set()
        depth = 1
        for c in delivered_by:
            if c.id not in chains:
                chains[c.id] = _chain(ctx, c)
            members, deepest = chains[c.id]
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


def _chain(ctx: Context, c: ContractInfo) -> tuple[set[str], int]:
    """A contract's supply chain: its members (supplier, linked providers, recipients) and depth."""
    members, depth = {c.supplier}, 1
    for (kind, other), keyed in ctx.graph.succ[(CONTRACT_KIND, c.id)].items():
        for data in keyed.values():
            if data.get("type") != SUPPLY_CHAIN or kind != "organisation":
                continue
            members.add(other)
            depth = max(depth, data["rank"])
            if data.get("recipient") is not None:
                members.add(data["recipient"])
    return members, depth


def _chains(ctx: Context) -> dict[str, tuple[set[str], int]]:
    """Every contract's supply chain (:func:`_chain`), computed once per context."""
    if "dora_chains" not in ctx.memo:
        ctx.memo["dora_chains"] = {c.id: _chain(ctx, c) for c in ctx.contracts}
    chains: dict[str, tuple[set[str], int]] = ctx.memo["dora_chains"]
    return chains


def _critical(ctx: Context, c: ContractInfo) -> set[str]:
    return {f for f in c.functions if ctx.functions.get(f, {}).get("critical")}


@on_graph
def indirect_concentration(ctx: Context, *, supplier: str | None = None) -> list[Row]:
    """D3: per external provider and per ultimate parent, the critical functions it supports
    directly (as a contract's supplier) or anywhere in a chain (D2's providers).

    A ``provider`` row for each external organisation in D2's providers of a critical function; a
    ``group`` row for each group (parent, or the provider itself) with a member that names a
    parent other than itself: its members and the union of theirs. Sorted by critical functions (desc), level
    (``group`` first), organisation. ``supplier`` keeps the rows it is a member of.
    """
    direct: dict[str, set[str]] = defaultdict(set)
    supports: dict[str, set[str]] = defaultdict(set)
    chains = _chains(ctx)
    for c in ctx.contracts:
        critical = _critical(ctx, c)
        if not critical:
            continue
        direct[c.supplier] |= critical
        for member in chains[c.id][0]:
            supports[member] |= critical
    rows: list[Row] = []
    groups: dict[str, list[str]] = defaultdict(list)
    named: set[str] = set()
    for org in sorted(supports):
        if ctx.internal.get(org, False):
            continue
        rows.append(_d3_row(org, "provider", [org], direct, supports))
        group = ctx.parent.get(org, org)
        groups[group].append(org)
        if group != org:  # names an ultimate parent other than itself
            named.add(group)
    rows += [_d3_row(g, "group", groups[g], direct, supports) for g in sorted(named)]
    if supplier is not None:
        rows = [r for r in rows if supplier in r["members"]]
    rows.sort(key=lambda r: (-len(r["critical_functions"]), r["level"], r["organisation"]))
    return rows


def _d3_row(
    org: str,
    level: str,
    members: list[str],
    direct: dict[str, set[str]],
    supports: dict[str, set[str]],
) -> Row:
    return {
        "organisation": org,
        "level": level,
        "members": members,
        "direct_functions": sorted(set().union(*(direct[m] for m in members))),
        "critical_functions": sorted(set().union(*(supports[m] for m in members))),
    }


@on_graph
def shared_subcontractors(ctx: Context, *, supplier: str | None = None) -> list[Row]:
    """D4: subcontractors (rank 2 or more) behind the contracts of external direct providers of
    two or more groups (ultimate parent, or the provider itself).

    One row per such subcontractor: those direct providers, their groups, the contracts and the
    critical functions they deliver. Sorted by groups (desc), critical functions (desc),
    subcontractor. ``supplier`` keeps the rows it is the subcontractor or a direct provider in.
    """
    behind: dict[str, list[ContractInfo]] = defaultdict(list)
    for c in ctx.contracts:
        if not c.external:
            continue
        subs: set[str] = set()
        for (_, other), keyed in ctx.graph.succ[(CONTRACT_KIND, c.id)].items():
            for data in keyed.values():
                if data.get("type") == SUPPLY_CHAIN and data["rank"] >= 2 and other != c.supplier:
                    subs.add(other)
        for sub in subs:
            behind[sub].append(c)
    rows: list[Row] = []
    for sub, members in behind.items():
        providers = sorted({c.supplier for c in members})
        groups = sorted({ctx.parent.get(p, p) for p in providers})
        if len(groups) < 2 or (supplier is not None and supplier not in (sub, *providers)):
            continue
        rows.append(
            {
                "subcontractor": sub,
                "direct_providers": providers,
                "groups": groups,
                "contracts": sorted(c.id for c in members),
                "critical_functions": critical_functions(ctx, members),
            }
        )
    rows.sort(key=lambda r: (-len(r["groups"]), -len(r["critical_functions"]), r["subcontractor"]))
    return rows


@on_graph
def exit_risks(ctx: Context, *, supplier: str | None = None) -> list[Row]:
    """D5: each critical function with each contract delivering it whose B_07.01 assessment says
    the provider is not substitutable, there is no exit plan, or no alternative is identified.

    The reasons, their B_07.01 columns and codes are ontology data (``sg:exitRiskCode`` on the
    finding reasons; ``Rules.exit_risks``), as in ``queries/exit-risks.cypher``. A contract's
    extra may join several assessments (``a | b``): any of them counts. Sorted by the number of
    reasons (desc), function, contract. ``supplier`` keeps its contracts' rows.
    """
    rows: list[Row] = []
    for c in ctx.contracts:
        if supplier is not None and c.supplier != supplier:
            continue
        extra = ctx.graph.nodes[CONTRACT_KIND, c.id].get("extra") or {}
        reasons = [
            risk.reason
            for risk in ctx.rules.exit_risks
            if risk.code in str(extra.get(risk.property, "")).split(" | ")
        ]
        if not reasons:
            continue
        for f in sorted(_critical(ctx, c)):
            rows.append(
                {"function": f, "contract": c.id, "supplier": c.supplier, "reasons": reasons}
            )
    rows.sort(key=lambda r: (-len(r["reasons"]), r["function"], r["contract"]))
    return rows
