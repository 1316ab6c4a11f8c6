"""Whether a register read from its files is the register loaded in Neo4j.

A view, a report or a what-if of the loaded register (``--loaded``) draws the register's files
with the findings and modes stored in Neo4j. :func:`check_drawn` refuses a register that is not
the loaded one (:class:`~sourcing_graph.errors.NotTheLoadedRegister`): its register digest, computed
from its load plan as a load computes it, must equal the one the last load or refresh recorded,
and, when the graph was changed since, the digest of the graph's register part as it stands.
Nothing is written.
"""

from __future__ import annotations

from typing import Any

from sourcing_graph.errors import Mention, NotTheLoadedRegister
from sourcing_graph.graph.neo4j.freshness import current_register_digest
from sourcing_graph.graph.neo4j.guard import PreviousLoad
from sourcing_graph.graph.neo4j.load_plan import load_plan, planned_register_digest
from sourcing_graph.graph.neo4j.ontology import ontology_writer
from sourcing_graph.model import Register

__all__ = ["check_drawn", "check_loaded"]

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
