"""What-if scenarios: a register's analysis before and after a list of changes, and what changed.

A scenario (read by :func:`sourcing_graph.loaders.scenario.read_scenario`) is a list of
:class:`~sourcing_graph.model.Change`. :func:`what_if` gives ``{"before": R, "after": R',
"delta": D}``: R is the analysis of the register, R' that of the changed register -- exactly what
``analyze`` gives for the register edited by hand in the same way -- and D, per list-valued key of
the result, the rows ``added`` and ``removed`` (whole-row equality), ``score_change`` per prime
contractor (R5) and the posture ``verdict`` before and after (R15).

Embedded, the changes are applied to a copy of the register in memory (:func:`apply_changes`);
on Neo4j (``store``) they run in one transaction that is rolled back
(:func:`sourcing_graph.graph.neo4j.whatif.before_and_after`): nothing on disk or in the database
changes.

>>> from datetime import date
>>> from sourcing_graph.model import Change, Contract, Register
>>> from sourcing_graph.ontology.rules import load_rules
>>> reg = Register(contracts={"C1": Contract("C1", "acme", "K1", "trust", frozenset({"bonus"}))})
>>> out = what_if(reg, [Change("drop_clause", "C1", "bonus")], load_rules(), as_of=date(2026, 6, 1))
>>> out["delta"]["clause_conflicts"]["removed"][0]["contract"], out["delta"]["verdict"]
('C1', {'before': 'other', 'after': 'B'})
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from sourcing_graph.graph.embedded import EmbeddedEngine
from sourcing_graph.graph.registry import Result
from sourcing_graph.model import Change, Register
from sourcing_graph.ontology.rules import Rules

__all__ = ["apply_changes", "delta", "what_if"]


def apply_changes(register: Register, changes: Iterable[Change]) -> Register:
    """A copy of ``register`` with ``changes`` applied in order (``register`` is not changed).

    Dropping a clause a contract lacks changes nothing; ``own-it`` stays internal whatever
    ``set_internal`` says (the scenario reader refuses to make it external).
    """
    contracts = dict(register.contracts)
    lots = dict(register.lots)
    organisations = dict(register.organisations)
    for change in changes:
        value = change.value
        if change.kind == "set_prime_contractor":
            lot = lots[change.target]
            lots[change.target] = dataclasses.replace(
                lot, prime_contractor=str(value), prime_contractor_defaulted=False
            )
        elif change.kind == "set_internal":
            org = organisations[change.target]
            organisations[change.target] = dataclasses.replace(org, internal=bool(value))
        else:
            contracts[change.target] = _changed_contract(contracts[change.target], change)
    return dataclasses.replace(
        register,
        contracts=contracts,
        lots=lots,
        organisations=organisations,
        warnings=list(register.warnings),
    )


def _changed_contract(contract: Any, change: Change) -> Any:
    value = change.value
    if change.kind == "set_mode":
        return dataclasses.replace(contract, mode=value, mode_as_written=None)
    if change.kind == "set_selection_basis":
        return dataclasses.replace(contract, selection_basis=value)
    words = {k: v for k, v in contract.clause_words.items() if k != value}
    if change.kind == "add_clause":
        return dataclasses.replace(contract, clauses=contract.clauses | {value}, clause_words=words)
    if change.kind == "drop_clause":
        return dataclasses.replace(contract, clauses=contract.clauses - {value}, clause_words=words)
    raise ValueError(f"unknown change {change.kind!r}")


def _key(row: Any) -> str:
    return json.dumps(row, sort_keys=True, ensure_ascii=False)


def delta(before: Result, after: Result) -> dict[str, Any]:
    """What changed from ``before`` to ``after`` (see the module doc). Rows keep the result's
    order; ``score_change`` lists every prime contractor of either result, by id, with its score
    before and after (None where it coordinates no lot) and the change (absent counts as 0)."""
    out: dict[str, Any] = {}
    for key in [*before, *(k for k in after if k not in before)]:
        old, new = before.get(key), after.get(key)
        if not isinstance(old if old is not None else new, list):
            continue
        old, new = old or [], new or []
        old_keys, new_keys = {_key(r) for r in old}, {_key(r) for r in new}
        out[key] = {
            "added": [r for r in new if _key(r) not in old_keys],
            "removed": [r for r in old if _key(r) not in new_keys],
        }
    out["score_change"] = _score_change(before, after)
    out["verdict"] = {
        "before": (before.get("posture") or {}).get("verdict"),
        "after": (after.get("posture") or {}).get("verdict"),
    }
    return out


def _score_change(before: Result, after: Result) -> list[dict[str, Any]]:
    scores = [
        {row["prime_contractor"]: row["score"] for row in result.get("coordination_load", [])}
        for result in (before, after)
    ]
    rows = []
    for prime in sorted(set(scores[0]) | set(scores[1])):
        old, new = scores[0].get(prime), scores[1].get(prime)
        rows.append(
            {
                "prime_contractor": prime,
                "before": old,
                "after": new,
                "change": (new or 0) - (old or 0),
            }
        )
    return rows


def what_if(
    register: Register,
    changes: Sequence[Change],
    rules: Rules | None = None,
    *,
    store: Any = None,
    as_of: date | None = None,
) -> dict[str, Any]:
    """``{"before", "after", "delta"}`` of a scenario (see the module doc) at the reference date
    ``as_of`` (default today).

    Without ``store`` the embedded engine analyses ``register`` and its changed copy with
    ``rules``; with ``store`` (a ``Neo4jStore`` that holds ``register``) Neo4j analyses the
    register before and after the changes inside one transaction that is rolled back.
    """
    as_of = as_of if as_of is not None else date.today()
    if store is None:
        before = EmbeddedEngine(register, rules, as_of=as_of).analyze()
        after = EmbeddedEngine(apply_changes(register, changes), rules, as_of=as_of).analyze()
    else:
        # the Neo4j side loads the driver: only when a store is given
        from sourcing_graph.graph.neo4j.whatif import before_and_after

        before, after = before_and_after(store, changes, as_of=as_of)
    return {"before": before, "after": after, "delta": delta(before, after)}
