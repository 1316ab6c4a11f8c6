"""What-if scenarios: a register's analysis before and after a list of changes, and what changed.

A scenario (read by :func:`sourcing_graph.loaders.scenario.read_scenario`) is a list of
:class:`~sourcing_graph.model.Change`. :func:`what_if` gives ``{"before": R, "after": R',
"delta": D}``: R is the analysis of the register, R' that of the changed register -- exactly what
``analyze`` gives for the register edited by hand in the same way -- and D, per list-valued key of
the result, the rows ``added`` and ``removed`` (whole-row equality), ``score_change`` per prime
contractor (R5) and the posture ``verdict`` before and after (R15).

Embedded, the changes are applied in memory: to a copy of the register (:func:`apply_changes`),
or to a register's graph (:func:`apply_to_graph`, which gives the graph
:func:`~sourcing_graph.graph.embedded.to_networkx` makes of the changed register). :func:`what_if`
builds no graph for a register without DORA data: it reads the register and its changed copy
directly (:func:`~sourcing_graph.graph.embedded.context.register_context`), the "after" pass
keeping R1 of every contract the changes leave alone; with DORA data (whose analyses walk the
graph) it changes the graph the "before" analysis was made on, once done with it. On Neo4j
(``store``) they run in one transaction that is rolled back
(:func:`sourcing_graph.graph.neo4j.whatif.before_and_after`): nothing on disk or in the database
changes.

>>> from datetime import date
>>> from decimal import Decimal
>>> from sourcing_graph.model import Change, Contract, Register
>>> from sourcing_graph.ontology.rules import load_rules
>>> c1 = Contract("C1", "acme", "K1", "trust", frozenset({"bonus"}), annual_value=Decimal("100.00"))
>>> reg = Register(contracts={"C1": c1})
>>> out = what_if(reg, [Change("drop_clause", "C1", "bonus")], load_rules(), as_of=date(2026, 6, 1))
>>> out["delta"]["clause_conflicts"]["removed"][0]["contract"], out["delta"]["verdict"]
('C1', {'before': 'A', 'after': 'B'})
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from operator import itemgetter
from typing import Any

import networkx as nx

from sourcing_graph.graph.embedded import EmbeddedEngine
from sourcing_graph.graph.embedded.collector import paused_gc
from sourcing_graph.graph.embedded.context import has_dora_data, register_context
from sourcing_graph.graph.embedded.networkx_builder import (
    CONTRACT,
    COORDINATED_BY,
    LOT,
    ORGANISATION,
)
from sourcing_graph.graph.registry import Result
from sourcing_graph.model import CHANGE_TARGETS, Change, Register
from sourcing_graph.ontology.rules import Rules, load_rules

__all__ = ["apply_changes", "apply_to_graph", "delta", "what_if"]


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


def apply_to_graph(graph: nx.MultiDiGraph, changes: Iterable[Change]) -> None:
    """Apply ``changes`` in order to a register's graph (of ``to_networkx``), in place: the graph
    then is the one ``to_networkx`` makes of the register :func:`apply_changes` gives."""
    for change in changes:
        value = change.value
        if change.kind == "set_prime_contractor":
            lot = graph.nodes[LOT, change.target]
            old = lot["prime_contractor"]
            graph.remove_edge((LOT, change.target), (ORGANISATION, old), COORDINATED_BY)
            graph.add_edge(
                (LOT, change.target),
                (ORGANISATION, value),
                COORDINATED_BY,
                type=COORDINATED_BY,
                source=lot.get("source"),
                defaulted=False,
            )
            lot["prime_contractor"] = value
            lot["prime_contractor_defaulted"] = False
        elif change.kind == "set_internal":
            graph.nodes[ORGANISATION, change.target]["internal"] = bool(value)
        else:
            node = graph.nodes[CONTRACT, change.target]
            node.update(_contract_change(node, change))


def _changed_contract(contract: Any, change: Change) -> Any:
    fields = {name: getattr(contract, name) for name in _CONTRACT_FIELDS}
    return dataclasses.replace(contract, **_contract_change(fields, change))


_CONTRACT_FIELDS = ("mode", "clauses", "selection_basis", "mode_as_written", "clause_words")


def _contract_change(fields: dict[str, Any], change: Change) -> dict[str, Any]:
    """The contract fields a change sets (``fields``: the contract's, or its node's)."""
    value = change.value
    if change.kind == "set_mode":
        return {"mode": value, "mode_as_written": None}
    if change.kind == "set_selection_basis":
        return {"selection_basis": value}
    words = {k: v for k, v in (fields["clause_words"] or {}).items() if k != value}
    clauses = fields["clauses"] or frozenset()
    if change.kind == "add_clause":
        return {"clauses": clauses | {value}, "clause_words": words}
    if change.kind == "drop_clause":
        return {"clauses": clauses - {value}, "clause_words": words}
    raise ValueError(f"unknown change {change.kind!r}")


def _key(row: dict[str, Any]) -> tuple[Any, ...]:
    """A row as a hashable value: equal rows (all fields, lists item by item) give equal keys."""
    return tuple(
        (name, tuple(value) if isinstance(value, list) else value) for name, value in row.items()
    )


def _keys(rows: list[Any]) -> tuple[list[tuple[Any, ...]], set[tuple[Any, ...]]]:
    """The :func:`_key` of each row, and their set. Rows without a list are their items; that is
    tried first for the whole list (hashed in C), and each row keyed by :func:`_key` only when a
    row holds a list."""
    keys = [tuple(row.items()) for row in rows]
    try:
        return keys, set(keys)
    except TypeError:  # a row holds a list (or another unhashable value: _key fails as before)
        keys = [_key(row) for row in rows]
        return keys, set(keys)


def _changed_rows(old: list[Any], new: list[Any]) -> dict[str, list[Any]]:
    """The rows of ``new`` not in ``old`` (``added``) and of ``old`` not in ``new`` (``removed``),
    each in its list's order."""
    if old == new:
        return {"added": [], "removed": []}
    found = _by_walk(old, new)
    if found is not None:
        return found
    found = _by_buckets(old, new)
    if found is not None:
        return found
    in_old, in_new = _member(old), _member(new)
    return {
        "added": [r for r in new if not in_old(r)],
        "removed": [r for r in old if not in_new(r)],
    }


_LONE_ROWS = 32
"""At most this many rows left unpaired by :func:`_by_walk` (more: the buckets are cheaper)."""
_LOOK_AHEAD = 16
"""How far :func:`_by_walk` looks ahead in each list for the row it stands at in the other."""


def _by_walk(old: list[Any], new: list[Any]) -> dict[str, list[Any]] | None:
    """:func:`_changed_rows` of two lists that differ in a few rows (a few changes to a sorted
    result): both walked in step, equal runs skipped a block at a time (compared in C); a row
    paired with an equal one of the other list is in both; each row left unpaired is looked
    for in the whole other list (in C). None when more than :data:`_LONE_ROWS` rows are left."""
    lone_old, lone_new = _unpaired(old, new)
    if len(lone_old) + len(lone_new) > _LONE_ROWS:
        return None
    return {
        "added": _not_in([new[k] for k in lone_new], old),
        "removed": _not_in([old[k] for k in lone_old], new),
    }


def _not_in(rows: list[Any], others: list[Any]) -> list[Any]:
    """The ``rows`` not among ``others``, in order. A row whose value of the first string or
    number field (of the first of ``others``) no other row has is not there (equal rows have
    equal fields; the values taken in C); any other row is looked for among all ``others``."""
    if not rows:
        return []
    first = others[0] if others else None
    if type(first) is dict:
        name = next((k for k, v in first.items() if type(v) in (str, int)), None)
        if name is not None:
            try:
                known = set(map(itemgetter(name), others))
                return [r for r in rows if r[name] not in known or r not in others]
            except (KeyError, TypeError):  # not a dict, the field missing, or a list there
                pass
    return [r for r in rows if r not in others]


def _unpaired(old: list[Any], new: list[Any]) -> tuple[list[int], list[int]]:
    """The positions of the rows of ``old`` and ``new`` that walking both in step leaves
    unpaired (stopping once more than :data:`_LONE_ROWS` are)."""
    i = j = 0
    lone_old: list[int] = []
    lone_new: list[int] = []
    while i < len(old) and j < len(new):
        step = 256
        while step:  # the equal run from (i, j), a block at a time
            block = old[i : i + step]
            if block and block == new[j : j + step]:
                i, j = i + len(block), j + len(block)
            else:
                step //= 2
        if i == len(old) or j == len(new) or len(lone_old) + len(lone_new) > _LONE_ROWS:
            break
        ahead_old, ahead_new = _ahead(old, new[j], i + 1), _ahead(new, old[i], j + 1)
        if ahead_old is not None and (ahead_new is None or ahead_old - i <= ahead_new - j):
            lone_old.extend(range(i, ahead_old))  # rows only old has here
            i = ahead_old
        elif ahead_new is not None:
            lone_new.extend(range(j, ahead_new))
            j = ahead_new
        else:
            lone_old.append(i)
            lone_new.append(j)
            i, j = i + 1, j + 1
    lone_old.extend(range(i, len(old)))
    lone_new.extend(range(j, len(new)))
    return lone_old, lone_new


def _ahead(rows: list[Any], row: Any, start: int) -> int | None:
    """The position of ``row`` among the next :data:`_LOOK_AHEAD` of ``rows`` from ``start``."""
    try:
        return rows.index(row, start, start + _LOOK_AHEAD)
    except ValueError:
        return None


def _by_buckets(old: list[Any], new: list[Any]) -> dict[str, list[Any]] | None:
    """:func:`_changed_rows` of two lists of dict rows, each row looked for among the rows of
    the other list that share its string and number fields (those of the first row, taken in C:
    equal rows have equal such values); None when a row does not fit (no dict, a field missing,
    an unhashable value there), for :func:`_member` to do it row by row."""
    first = old[0] if old else new[0]
    if type(first) is not dict:
        return None
    fields = [k for k, v in first.items() if type(v) in (str, int)]
    if not fields:
        return None
    take = itemgetter(*fields)
    try:
        old_values, new_values = list(map(take, old)), list(map(take, new))
        in_old: dict[Any, list[Any]] = {}
        for row, values in zip(old, old_values, strict=True):
            in_old.setdefault(values, []).append(row)
        in_new: dict[Any, list[Any]] = {}
        for row, values in zip(new, new_values, strict=True):
            in_new.setdefault(values, []).append(row)
    except (KeyError, TypeError):  # not a dict, a field missing, or a list where the first has none
        return None
    return {
        "added": [r for r, v in zip(new, new_values, strict=True) if r not in in_old.get(v, ())],
        "removed": [r for r, v in zip(old, old_values, strict=True) if r not in in_new.get(v, ())],
    }


def _member(rows: list[Any]) -> Callable[[Any], bool]:
    """Whether a row equals one of ``rows``. The rows are put in buckets by the values of the
    first row's string and number fields (taken in C, by ``itemgetter``): equal rows have equal
    such values, so a row is looked for only among the few of its bucket, compared whole there
    (a row's lists need no key made of them). Rows that do not fit (not dicts, a field missing or
    holding a list in another row) are keyed by :func:`_keys` instead."""
    first = rows[0] if rows else None
    fields = [k for k, v in first.items() if type(v) in (str, int)] if type(first) is dict else []
    if fields:
        take = itemgetter(*fields)
        buckets: dict[Any, list[Any]] = {}
        try:
            for row, values in zip(rows, map(take, rows), strict=True):
                buckets.setdefault(values, []).append(row)
        except (KeyError, TypeError):  # a field missing, or a list where the first row has none
            pass
        else:

            def found(row: Any) -> bool:
                try:
                    return row in buckets.get(take(row), ())
                except (KeyError, TypeError):  # equal rows have the same fields, of such values
                    return False

            return found
    keys = _keys(rows)[1]
    return lambda row: _keys([row])[0][0] in keys


def delta(before: Result, after: Result) -> dict[str, Any]:
    """What changed from ``before`` to ``after`` (see the module doc). Rows keep the result's
    order; ``score_change`` lists every prime contractor of either result, by id, with its score
    before and after (None where it coordinates no lot) and the change (absent counts as 0)."""
    out: dict[str, Any] = {}
    for key in [*before, *(k for k in after if k not in before)]:
        old, new = before.get(key), after.get(key)
        if not isinstance(old if old is not None else new, list):
            continue
        out[key] = _changed_rows(old or [], new or [])
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
    ``rules`` (default: the packaged rule data); with ``store`` (a ``Neo4jStore`` that holds ``register``) Neo4j analyses the
    register before and after the changes inside one transaction that is rolled back.
    """
    as_of = as_of if as_of is not None else date.today()
    with paused_gc():  # two results of millions of objects: no collection scans them meanwhile
        before, after = _before_and_after(register, changes, rules, store, as_of)
        return {"before": before, "after": after, "delta": delta(before, after)}


def _before_and_after(
    register: Register, changes: Sequence[Change], rules: Rules | None, store: Any, as_of: date
) -> tuple[Result, Result]:
    if store is None:
        rules = rules if rules is not None else load_rules()
        if not has_dora_data(register):
            return _from_register(register, changes, rules, as_of)
        engine = EmbeddedEngine(register, rules, as_of=as_of)
        before = engine.analyze()
        graph = engine.context.graph  # built for this what-if only: changed in place
        del engine
        apply_to_graph(graph, changes)
        after = EmbeddedEngine(graph, rules, as_of=as_of).analyze()
    else:
        # the Neo4j side loads the driver: only when a store is given
        from sourcing_graph.graph.neo4j.whatif import before_and_after

        before, after = before_and_after(store, changes, as_of=as_of)
    return before, after


def _from_register(
    register: Register, changes: Sequence[Change], rules: Rules, as_of: date
) -> tuple[Result, Result]:
    """Before and after, embedded, of a register without DORA data: read from the register and
    its changed copy (:func:`apply_changes`) without building a graph; the "after" pass keeps
    R1 of every contract the changes leave alone (neither changed nor of a supplier made
    internal or external)."""
    before_context = register_context(register, rules)
    before = EmbeddedEngine.of_context(before_context, as_of=as_of).analyze()
    after_context = register_context(
        apply_changes(register, changes),
        rules,
        reuse=before_context,
        contracts={c.target for c in changes if CHANGE_TARGETS[c.kind] == "contract"},
        organisations={c.target for c in changes if CHANGE_TARGETS[c.kind] == "supplier"},
    )
    del before_context
    after = EmbeddedEngine.of_context(after_context, as_of=as_of).analyze()
    return before, after
