"""D5's test case: a register of three DORA contracts whose B_07.01 codes D5 reads, and a stricter
policy (ontology Turtle) that changes what counts; used by the embedded and the Neo4j test."""

from __future__ import annotations

from sourcing_graph.model import Contract, Function, Lot, Organisation, Register, Subcontracting

STRICTER = """@prefix sg: <https://w3id.org/sourcing-graph/ontology#> .
sg:ReasonNotSubstitutable sg:exitRiskCode "eba_ZZ:x960" .
"""
"""A stricter policy: 'substitutable with difficulties' (x960) counts as not substitutable."""


def exit_register() -> Register:
    extras = {
        "C1": {"substitutability_code": "eba_ZZ:x960"},
        "C2": {"substitutability_code": "eba_ZZ:x959", "exit_plan_code": "eba_BT:x28 | eba_BT:x29"},
        "C3": {"alternative_providers_code": "eba_BT:x29", "exit_plan_code": "No"},
    }
    contracts = {
        cid: Contract(cid, supplier, "K", functions=frozenset({"F-PAY"}), extra=extras[cid])
        for cid, supplier in (("C1", "a"), ("C2", "b"), ("C3", "c"))
    }
    return Register(
        organisations={o: Organisation(o, f"Provider {o.upper()}") for o in "abc"},
        lots={"K": Lot("K")},
        functions={"F-PAY": Function("F-PAY", "Payments", critical=True)},
        contracts=contracts,
        subcontracting={Subcontracting("C1", "a", 1)},
    )
