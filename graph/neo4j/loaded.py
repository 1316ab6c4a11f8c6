"""Whether a register read from its files is the register loaded in Neo4j.

A view, a report or a what-if of the loaded register (``--loaded``) draws the register's files
with the findings and modes stored in Neo4j. :func:`check_drawn` refuses a register that is not
the loaded one (:class:`~sourcing_graph.errors.NotTheLoadedRegister`): its register digest, computed
from its load plan as a load computes it, must equal the one the last load or refresh recorded,
and, when the graph was changed since, the digest of the graph's register part as it stands.
Nothing is written.

An analysis of the loaded register writes nothing either (only a load and a refresh write):
:func:`check_rules` compares the rule data it is asked to use with the rule data the loaded
register's conclusions were drawn with, instead of writing it there.
"""

from __future__ import annotations

from typing import Any

from sourcing_graph.errors import Mention, NotTheLoadedRegister, QueryError
from sourcing_graph.graph.neo4j.freshness import current_register_digest
from sourcing_graph.graph.neo4j.guard import PreviousLoad
from sourcing_graph.graph.neo4j.load_plan import load_plan, planned_register_digest
from sourcing_graph.graph.neo4j.ontology import ontology_writer
from sourcing_graph.model import Register

__all__ = ["check_drawn", "check_loaded", "check_rules"]

FIXES = (
    Mention("embedded", "the embedded engine", "flag"),
    Mention("load", "Neo4jStore.load_register", "name"),
)
"""What the refusal offers: the embedded engine, or loading the register first."""


def check_drawn(store: Any, register: Register, rules_source: Any, key: str) -> None:
    """Raise :class:`NotTheLoadedRegister` unless ``register`` is the register loaded in
    ``store`` (a :class:`~sourcing_graph.graph.neo4j.Neo4jStore`; ``key``: its meta node's), with
    the ontology of ``rules_source`` (see the module)."""
    info = store.load_info() or {}
    previous = PreviousLoad(info.get("contracts"), info.get("registerDigest"))
    digest = planned_register_digest(list(load_plan(register)), ontology_writer(rules_source).nodes)
    changed = (
        previous.digest == digest
        and store.conclusions_stale()
        and current_register_digest(store.driver, store.database, key) != digest
    )
    uri = store.settings.uri
    check_loaded(previous, digest, uri=uri, contracts=len(register.contracts), changed=changed)


def check_loaded(
    previous: PreviousLoad, digest: str, *, uri: str, contracts: int, changed: bool
) -> None:
    """Raise :class:`NotTheLoadedRegister` unless a register is loaded (``previous``), its
    register digest is ``digest`` (that of a register of ``contracts`` contracts, read from its
    files) and it was not ``changed`` since (with Cypher, say)."""
    if previous.loaded and previous.digest == digest and not changed:
        return
    if not previous.loaded:
        what = "no register is loaded there"
    elif previous.digest == digest:
        what = "the register loaded there was changed since its load"
    elif previous.contracts == contracts:  # the same size: its digest tells them apart
        what = f"another register is loaded there ({contracts} contracts, as many as this one's)"
    else:
        what = (
            f"another register is loaded there ({previous.contracts} contracts; this one has "
            f"{contracts})"
        )
    said = f"not the register loaded in Neo4j at {uri}: {what}, so its findings and modes are not "
    said += "this register's; nothing was made. Use "
    alone, first = FIXES
    parts = (said, alone, " to read this register alone, or load it first (", first, ")")
    raise NotTheLoadedRegister(*parts, setting="loaded")


def check_rules(store: Any, rules_source: Any) -> None:
    """Before an analysis of the register loaded in ``store``, writing nothing: the rule data
    recorded with it (``rulesDigest``) must be that of ``rules_source`` when given (else a
    :class:`QueryError` saying how to store it); without it, rule data other than the packaged
    one is used as stored, and ``store.notify`` says so. Nothing loaded: nothing to compare."""
    recorded = (store.load_info() or {}).get("rulesDigest")
    if recorded is None or recorded == ontology_writer(rules_source).digest:
        return
    where = f"the rule data stored with the register loaded in Neo4j at {store.settings.uri}"
    if rules_source is not None:
        said = f"{where} is not that of the rules given, and only a load or a refresh changes "
        said += "it; nothing was changed. Store them with "
        store_them = Mention("refresh", "Neo4jStore.refresh(rules_source)", "name")
        parts = (said, store_them, ", or analyse with ", FIXES[0])
        raise QueryError(*parts, setting="rules")
    if store.notify is not None:
        store.notify(
            f"note: {where} is not the packaged rule data (a load or refresh with changed "
            "rules); analysing with it as stored"
        )
