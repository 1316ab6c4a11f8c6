"""What-if scenarios in the benchmark: ten changes to a generated register, answered embedded
(in the worker process, both analyses and the graph builds included) and on Neo4j (in one
transaction that is rolled back, on the loaded register)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sourcing_graph.model import OWN_IT, Change, Register

AS_OF = date(2026, 6, 1)
"""The reference date of the benchmark's analyses and what-ifs (fixed, so runs compare)."""


def ten_changes(register: Register) -> list[Change]:
    """Ten changes of every kind, to the first contracts, lots and suppliers by id: the same for
    the same register."""
    contracts = sorted(register.contracts)[:4]
    lots = sorted(register.lots)[:2]
    suppliers = sorted(o for o in register.organisations if o != OWN_IT)[:2]
    changes = [
        Change("set_mode", contracts[0], "trust"),
        Change("add_clause", contracts[0], "freedom_of_movement"),
        Change("drop_clause", contracts[1], "penalty"),
        Change("drop_clause", contracts[1], "bonus"),
        Change("set_selection_basis", contracts[2], "collaboration"),
        Change("add_clause", contracts[3], "joint_evaluation"),
        Change("set_prime_contractor", lots[0], OWN_IT),
        Change("set_prime_contractor", lots[1], OWN_IT),
        Change("set_internal", suppliers[0], True),
        Change("set_internal", suppliers[1], False),
    ]
    return changes


def what_if_embedded(register: Register, rules: Any) -> None:
    """The what-if of :func:`ten_changes`, embedded."""
    # imported here: the worker's ``read`` task measures its peak RSS without the engines
    from sourcing_graph.graph.whatif import what_if

    what_if(register, ten_changes(register), rules, as_of=AS_OF)


def what_if_neo4j(store: Any, register: Register) -> None:
    """The what-if of :func:`ten_changes` on the register ``store`` holds (rolled back)."""
    from sourcing_graph.graph.whatif import what_if  # as above: only when measured

    what_if(register, ten_changes(register), None, store=store, as_of=AS_OF)
