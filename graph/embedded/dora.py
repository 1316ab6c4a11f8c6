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
    return [{"dora": has_supply_chain_data(ctx.graph)}]


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
