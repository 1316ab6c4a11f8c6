"""The conclusions as node attributes of the embedded (networkx) graph, for notebooks.

:func:`names` reads the names lookup of :mod:`sourcing_graph.graph.conclusions` from a graph of
:func:`~sourcing_graph.graph.embedded.to_networkx`; :func:`annotate` copies the graph and puts the
conclusions on its nodes, with the names Neo4j uses for them:

- contracts: ``effectiveMode``, ``modeBasis`` (R1);
- lots: ``mode`` (R2), ``recommendedMode`` (R7);
- organisations: the R5 properties (``coordinationScore``...) on each prime contractor and the R9
  ones (``concentrationAnnualValue``...) on each external supplier with a contract;
- every node a finding is about: ``findings``, the keys of those findings (in finding order).

``EmbeddedEngine.annotated_graph()`` does both.

>>> from sourcing_graph.graph.embedded import EmbeddedEngine
>>> from sourcing_graph.model import Contract, Register
>>> from sourcing_graph.ontology.rules import load_rules
>>> register = Register(contracts={"C1": Contract("C1", "acme", "K1", "trust", frozenset({"bonus"}))})
>>> graph = EmbeddedEngine(register, load_rules()).annotated_graph()
>>> graph.nodes["contract", "C1"]["effectiveMode"], graph.nodes["contract", "C1"]["modeBasis"]
('distrust', 'forced_by_clause')
>>> graph.nodes["contract", "C1"]["findings"]
['R6|C1', 'R13|C1']
>>> graph.nodes["lot", "K1"]["mode"], graph.nodes["lot", "K1"]["recommendedMode"]
('distrust', 'reliability')
"""

from __future__ import annotations

import networkx as nx

from sourcing_graph.graph.conclusions import Conclusions, Names
from sourcing_graph.graph.embedded.networkx_builder import CONTRACT, FUNCTION, LOT, ORGANISATION

LABELS = {
    ORGANISATION: "Organisation",
    LOT: "Lot",
    FUNCTION: "Function",
    CONTRACT: "Contract",
}
"""networkx node kind -> the label the conclusions (and Neo4j) use."""
_KINDS = {label: kind for kind, label in LABELS.items()}


def names(graph: nx.MultiDiGraph) -> Names:
    """``{label: {id: name or None}}`` of every register node of ``graph``."""
    found: dict[str, dict[str, str | None]] = {label: {} for label in LABELS.values()}
    for (kind, ident), data in graph.nodes(data=True):
        label = LABELS.get(kind)
        if label is not None:
            found[label][ident] = data.get("name")
    return found


def annotate(graph: nx.MultiDiGraph, conclusions: Conclusions) -> nx.MultiDiGraph:
    """A copy of ``graph`` with the conclusions as node attributes (see the module)."""
    annotated = graph.copy()
    nodes = annotated.nodes
    for kind, table in (
        (CONTRACT, conclusions.contracts),
        (LOT, conclusions.lots),
        (ORGANISATION, conclusions.organisations),
    ):
        for ident, props in table.items():
            if (kind, ident) in nodes:
                nodes[kind, ident].update(props)
    for (label, ident), keys in conclusions.finding_keys().items():
        node = (_KINDS[label], ident)
        if node in nodes:
            nodes[node]["findings"] = list(keys)
    return annotated
