"""The embedded engine: the analyses R1-R15, D1 and D2 over the networkx graph of a register.

Every analysis function takes the graph made by :func:`to_networkx` and the
:class:`~sourcing_graph.ontology.rules.Rules` read from the ontology, and returns a list of plain
dicts: the rows of the documented analysis result (domain spec, section 4), in its order. The
rules' parameters (which clause types force which mode, the mode ranks, the severities, the
weights, the recommendations) are data; nothing here knows that ``penalty`` forces ``distrust``.

To run several analyses on one graph, make a :class:`Context` once with :func:`prepare` and pass it
as ``context=``, or use :class:`EmbeddedEngine`, which does that: the effective modes, lot modes
and supplier sets are then computed once.

The modules, one concept each: :mod:`.networkx_builder` (the register as a graph),
:mod:`.context` (R1 and R2, read once), :mod:`.modes` (R3, R6, R7), :mod:`.suppliers` (R4, R8,
R9), :mod:`.coordination` (R5), :mod:`.review` (R10-R14), :mod:`.posture` (R15), :mod:`.dora`
(D1, D2), :mod:`.engine` (the engine), :mod:`.annotate` (the conclusions as node attributes, for
notebooks), :mod:`.collector` (the garbage collector paused while a graph is built or read).

The engine reads the contract attributes ``supplier``, ``lot``, ``mode``, ``clauses``,
``functions``, ``annual_value``, ``selection_basis`` and ``end_date``, the lot attributes ``prime_contractor``, ``complexity``,
``dynamics`` and ``commodity``, the function attributes ``critical`` and ``retained``, the
organisation attributes ``internal`` and ``parent``, and the ``DEPENDS_ON`` and ``SUPPLY_CHAIN``
edges.

>>> from sourcing_graph.model import Contract, Register
>>> from sourcing_graph.ontology.rules import load_rules
>>> register = Register(contracts={"C1": Contract("C1", "acme", "K1", "trust", frozenset({"bonus"}))})
>>> clause_conflicts(to_networkx(register), load_rules())[0]["effective_mode"]
'distrust'
"""

from sourcing_graph.graph.embedded.annotate import annotate
from sourcing_graph.graph.embedded.context import (
    BY_CLAUSE,
    BY_DECLARATION,
    BY_INTERNAL_SUPPLIER,
    DISTRUST,
    NOT_RECORDED,
    TRUST,
    UNKNOWN,
    Context,
    ContractInfo,
    effective_modes,
    lot_modes,
    prepare,
)
from sourcing_graph.graph.embedded.coordination import MEASURES, coordination_load
from sourcing_graph.graph.embedded.dora import (
    exit_risks,
    has_supply_chain_data,
    indirect_concentration,
    parent_concentration,
    shared_subcontractors,
    supply_chain_data,
    supply_chains,
)
from sourcing_graph.graph.embedded.engine import FUNCTIONS, EmbeddedEngine
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
from sourcing_graph.graph.registry import check_severity

__all__ = [
    "BY_CLAUSE",
    "BY_DECLARATION",
    "BY_INTERNAL_SUPPLIER",
    "DISTRUST",
    "FUNCTIONS",
    "MEASURES",
    "NOT_RECORDED",
    "TRUST",
    "UNKNOWN",
    "Context",
    "ContractInfo",
    "EmbeddedEngine",
    "annotate",
    "check_severity",
    "clause_conflicts",
    "concentration",
    "contract_review",
    "coordination_load",
    "cost_selection",
    "critical_without_trust",
    "effective_modes",
    "exit_risks",
    "has_supply_chain_data",
    "indirect_concentration",
    "lot_modes",
    "mode_fit",
    "mode_mismatches",
    "parent_concentration",
    "posture",
    "prepare",
    "reliability_without_evaluation",
    "renegotiation_windows",
    "retained_functions",
    "shared_subcontractors",
    "supply_chain_data",
    "supply_chains",
    "to_networkx",
    "unbounded_trust",
]
