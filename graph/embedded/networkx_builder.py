"""Turn a :class:`~sourcing_graph.model.Register` into a networkx graph shaped like Neo4j's.

Node keys are tuples ``(kind, id)`` with ``kind`` one of ``"organisation"``, ``"lot"``,
``"function"`` and ``"contract"``; every node carries ``kind``, ``id`` and the model's fields
(``extra`` as a dict). Edges carry ``type``, the Neo4j relationship type of ``docs/schema.md``, which
is also the edge key:

- ``("contract", c) -SUPPLIED_BY-> ("organisation", s)``
- ``("contract", c) -PART_OF-> ("lot", l)``
- ``("contract", c) -DELIVERS-> ("function", f)``
- ``("lot", a) -DEPENDS_ON-> ("lot", b)``
- ``("lot", l) -COORDINATED_BY-> ("organisation", p)``
- ``("contract", c) -SUPPLY_CHAIN-> ("organisation", s)`` for each link of the contract's ICT supply
  chain (DORA), with ``rank``, ``recipient`` and ``service_type``; its edge key is the tuple
  ``("SUPPLY_CHAIN", rank, recipient, service_type)``, since one provider can hold several links
- ``("organisation", p) -SUBCONTRACTS_TO-> ("organisation", s)`` for each provider->subcontractor
  relationship derived from those links (:func:`~sourcing_graph.model.subcontracts_to`), with
  ``rank`` and ``arrangement``; its edge key is ``("SUBCONTRACTS_TO", arrangement, rank)``
- ``("organisation", o) -PART_OF_GROUP-> ("organisation", p)`` when ``o``'s ultimate parent ``p``
  is another organisation of the register (:meth:`~sourcing_graph.model.Register.part_of_group`;
  the ``parent`` attribute keeps the id in every case)

The declared mode and the clause types, which Neo4j holds as relationships to ontology nodes, are
contract attributes here: ``mode`` (a mode key or None) and ``clauses`` (a frozenset of clause keys).
An identifier referenced but missing from the register gets a node with default attributes.

Provenance, as in Neo4j: every node carries the model's ``source`` (``contracten.csv:12``, None
when the register did not say it), a contract ``mode_as_written`` and ``clause_words`` (per clause
key, the words as written), a lot ``prime_contractor_defaulted`` and its levels (None: not
recorded). Every edge carries ``source``: a contract's edges its contract row's, ``DEPENDS_ON``
its dependency row's, ``COORDINATED_BY`` its lot row's (with ``defaulted``: whether the register
named no prime contractor), ``SUPPLY_CHAIN`` and ``SUBCONTRACTS_TO`` their link's,
``PART_OF_GROUP`` its organisation's.

>>> from sourcing_graph.model import Contract, Register
>>> g = to_networkx(Register(contracts={"C1": Contract("C1", "acme", "K1", "trust")}))
>>> g.nodes["contract", "C1"]["mode"]
'trust'
>>> [t for _, _, t in g.out_edges(("contract", "C1"), data="type")]
['SUPPLIED_BY', 'PART_OF']
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import fields
from typing import Any

import networkx as nx

from sourcing_graph.graph.embedded.collector import paused_gc
from sourcing_graph.model import (
    OWN_IT,
    Contract,
    Function,
    Lot,
    Organisation,
    Register,
    subcontracting_key,
    subcontracts_to,
)

NodeKey = tuple[str, str]

ORGANISATION, LOT, FUNCTION, CONTRACT = "organisation", "lot", "function", "contract"
SUPPLIED_BY, PART_OF, DELIVERS = "SUPPLIED_BY", "PART_OF", "DELIVERS"
DEPENDS_ON, COORDINATED_BY = "DEPENDS_ON", "COORDINATED_BY"
SUPPLY_CHAIN, SUBCONTRACTS_TO, PART_OF_GROUP = "SUPPLY_CHAIN", "SUBCONTRACTS_TO", "PART_OF_GROUP"


_FIELDS = {
    cls: tuple(f.name for f in fields(cls)) for cls in (Organisation, Lot, Function, Contract)
}


def node_attributes(kind: str, obj: Organisation | Lot | Function | Contract) -> dict[str, Any]:
    """The attributes of ``obj``'s node: the model's fields, ``extra`` (a copy) and ``kind``."""
    attrs: dict[str, Any] = {name: getattr(obj, name) for name in _FIELDS[type(obj)]}
    attrs["extra"] = dict(obj.extra)
    attrs["kind"] = kind
    return attrs


def completed(
    register: Register,
) -> tuple[dict[str, Organisation], dict[str, Lot], dict[str, Function]]:
    """The register's organisations, lots and functions, plus defaults for those only referenced
    (the graph's nodes of these kinds, in its order)."""
    lots = dict(register.lots)
    functions = dict(register.functions)
    for c in register.contracts.values():
        if c.lot not in lots:
            lots[c.lot] = Lot(c.lot, prime_contractor_defaulted=True)
        for f in c.functions:
            if f not in functions:
                functions[f] = Function(f)
    for a, b in register.dependencies:
        for lot_id in (a, b):
            if lot_id not in lots:
                lots[lot_id] = Lot(lot_id, prime_contractor_defaulted=True)
    orgs = dict(register.organisations)
    referenced = [c.supplier for c in register.contracts.values()]
    referenced += [lot.prime_contractor for lot in lots.values()]
    for link in register.subcontracting:
        referenced.append(link.supplier)
        if link.recipient is not None:
            referenced.append(link.recipient)
    for org in referenced:
        if org not in orgs:
            orgs[org] = Organisation(org, None, org == OWN_IT)
    return orgs, lots, functions


def _nodes(
    orgs: dict[str, Organisation],
    lots: dict[str, Lot],
    functions: dict[str, Function],
    contracts: dict[str, Contract],
) -> Iterator[tuple[NodeKey, dict[str, Any]]]:
    for kind, table in (
        (ORGANISATION, orgs),
        (LOT, lots),
        (FUNCTION, functions),
        (CONTRACT, contracts),
    ):
        for key, obj in table.items():
            yield (kind, key), node_attributes(kind, obj)


def _edges(register: Register) -> Iterator[tuple[NodeKey, NodeKey, str, str | None]]:
    """The edges between register nodes (but ``COORDINATED_BY``), each with its source."""
    for c in register.contracts.values():
        node = (CONTRACT, c.id)
        source = c.source
        yield node, (ORGANISATION, c.supplier), SUPPLIED_BY, source
        yield node, (LOT, c.lot), PART_OF, source
        for f in sorted(c.functions):
            yield node, (FUNCTION, f), DELIVERS, source
    sources = register.dependency_sources
    for a, b in sorted(register.dependencies):
        if a != b:  # a lot never depends on itself
            yield (LOT, a), (LOT, b), DEPENDS_ON, sources.get((a, b))


def to_networkx(register: Register) -> nx.MultiDiGraph:
    """The register as a ``networkx.MultiDiGraph`` (see the module docstring for its shape).

    The graph's own attributes hold ``source`` (where the register came from).
    """
    with paused_gc():  # millions of new containers: no collection scans them while they grow
        return _graph(register)


def _graph(register: Register) -> nx.MultiDiGraph:
    graph = nx.MultiDiGraph(source=register.source)
    orgs, lots, functions = completed(register)
    graph.add_nodes_from(_nodes(orgs, lots, functions, register.contracts))
    # add_edge with keyword attributes is about three times faster than add_edges_from here.
    add_edge = graph.add_edge
    for u, v, rel, source in _edges(register):
        add_edge(u, v, rel, type=rel, source=source)
    for lot in lots.values():
        add_edge(
            (LOT, lot.id),
            (ORGANISATION, lot.prime_contractor),
            COORDINATED_BY,
            type=COORDINATED_BY,
            source=lot.source,
            defaulted=lot.prime_contractor_defaulted,
        )
    for link in sorted(register.subcontracting, key=subcontracting_key):
        add_edge(
            (CONTRACT, link.contract),
            (ORGANISATION, link.supplier),
            (SUPPLY_CHAIN, link.rank, link.recipient, link.service_type),
            type=SUPPLY_CHAIN,
            rank=link.rank,
            recipient=link.recipient,
            service_type=link.service_type,
            source=link.source,
        )
    for sub in subcontracts_to(register.subcontracting):
        add_edge(
            (ORGANISATION, sub.provider),
            (ORGANISATION, sub.subcontractor),
            (SUBCONTRACTS_TO, sub.arrangement, sub.rank),
            type=SUBCONTRACTS_TO,
            rank=sub.rank,
            arrangement=sub.arrangement,
            source=sub.source,
        )
    for org, parent in register.part_of_group():
        add_edge(
            (ORGANISATION, org),
            (ORGANISATION, parent),
            PART_OF_GROUP,
            type=PART_OF_GROUP,
            source=register.organisations[org].source,
        )
    return graph
