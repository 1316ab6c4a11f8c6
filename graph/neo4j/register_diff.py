"""A replacing load that writes only the register nodes that changed: the register diff.

Every single-transaction load records, on the ``SourcingGraphMeta`` node, the hash each register
node adds to the register digest (:func:`~.load_plan.planned_node_hashes`: the node with its
properties and outgoing relationships, in the digest's canonical form) and the load id they are
of (``registerHashes``, ``registerHashesOf``). The next load compares its own with them and, for
a node whose hash is unchanged, writes nothing (its ``loadId`` stays that of the load that wrote
it: a batched load first gives every node the visible version's); a changed or new node
is written as before (its properties replaced, its outgoing register relationships removed and
created afresh), a node the register no longer has removed. Its incoming relationships stay: a
relationship belongs to its start node's hash, so a node whose relationships change (one whose end
is removed, say) is a changed node.

The recorded hashes are used only when they describe the graph as it is (:func:`loaded_hashes`):
nothing was committed since our own last load or refresh (the caller's cheap check), they are of
the load id that load committed, the rule data stays (a contract's mode and clause relationships
end at ontology nodes), and their sum is the recorded register digest (which equals the graph's
as read back: ``docs/schema.md``). Otherwise the load writes the whole register, as before. The
graph the diff leaves is the one the whole write leaves, so the digest the load records is the
planned one either way.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import Future
from typing import Any, NamedTuple

from sourcing_graph.graph.neo4j.batched import with_version
from sourcing_graph.graph.neo4j.digest import sum_digest
from sourcing_graph.graph.neo4j.guard import PreviousLoad
from sourcing_graph.graph.neo4j.load_plan import (
    BATCH_SIZE,
    NodeKey,
    Stage,
    relationship_removals,
    stale_removals,
)
from sourcing_graph.model import Register
from sourcing_graph.queries.statements import statements

__all__ = [
    "RegisterWrite",
    "LABEL_CODES",
    "changed_plan",
    "decode",
    "encode",
    "loaded_hashes",
    "record_hashes",
    "Scope",
    "lots_of",
    "modes_scope",
    "removals_of",
    "write_register",
]

Progress = Callable[[str, int, int], None]
"""A progress callback: ``(stage, done, total)``."""

LABEL_CODES = {"Contract": "C", "Lot": "L", "Function": "F", "Organisation": "O"}
"""One letter per register label in a recorded hash (``<32 hex digits><letter><id>``)."""
_LABELS = {code: label for label, code in LABEL_CODES.items()}

_START = {
    "organisations": ("Organisation", lambda row: row["id"]),
    "groups": ("Organisation", lambda row: row[0]),
    "functions": ("Function", lambda row: row["id"]),
    "lots": ("Lot", lambda row: row["id"]),
    "dependencies": ("Lot", lambda row: row[0]),
    "contracts": ("Contract", lambda row: row["id"]),
    "supply chains": ("Contract", lambda row: row["contract"]),
    "subcontracting": ("Organisation", lambda row: row["provider"]),
}
"""Per load stage: the register node whose hash a row belongs to (the node it writes, or the
start node of the relationship it writes)."""


def encode(hashes: Mapping[NodeKey, int]) -> list[str]:
    """The ``registerHashes`` list of ``hashes``."""
    return [f"{value:032x}{LABEL_CODES[label]}{ident}" for (label, ident), value in hashes.items()]


def decode(recorded: list[str]) -> dict[NodeKey, int]:
    """The hashes of a ``registerHashes`` list."""
    return {(_LABELS[text[32]], text[33:]): int(text[:32], 16) for text in recorded}


def loaded_hashes(
    tx: Any, key: str, previous: PreviousLoad, rules: str, trusted: bool
) -> dict[NodeKey, int] | None:
    """The recorded node hashes, when they describe the graph (see the module): ``trusted``,
    nothing was committed since our own last load or refresh (the caller checked); they are of
    the ``previous`` load's id, the rule data digest recorded is ``rules`` (the one this load
    writes) and their sum is the recorded register digest. None otherwise."""
    if not trusted or previous.load_id is None:
        return None
    row = tx.run(statements("load")["loaded-hashes"], {"key": key}).single()
    if row is None or row["hashes"] is None:
        return None
    if row["hashesOf"] != previous.load_id or row["rulesDigest"] != rules:
        return None
    hashes = decode(row["hashes"])
    return hashes if sum_digest(hashes.values()) == row["registerDigest"] else None


def changed_plan(
    plan: list[Stage], planned: Mapping[NodeKey, int], loaded: Mapping[NodeKey, int]
) -> tuple[list[Stage], dict[str, list[Any]]]:
    """``plan`` kept to the rows of the nodes whose planned hash is not the loaded one (new nodes
    too), and those nodes' ids per label."""
    changed = {node for node, value in planned.items() if loaded.get(node) != value}
    kept = [
        Stage(
            stage.name, stage.cypher, [row for row in stage.rows if _of(stage.name, row) in changed]
        )
        for stage in plan
    ]
    ids: dict[str, list[Any]] = {label: [] for label in LABEL_CODES}
    for label, ident in changed:
        ids[label].append(ident)
    return kept, ids


def _of(stage: str, row: Any) -> NodeKey:
    label, start = _START[stage]
    return label, start(row)


def removals_of(changed: Mapping[str, list[Any]]) -> Iterator[tuple[str, dict[str, Any]]]:
    """(statement, parameters) that remove the outgoing register relationships of the ``changed``
    nodes (they are written afresh)."""
    cypher = statements("load")
    for label in ("Contract", "Lot", "Organisation"):
        if changed.get(label):
            yield cypher[f"remove-relationships-of:{label}"], {"ids": changed[label]}


def record_hashes(tx: Any, key: str, hashes: Mapping[NodeKey, int], load_id: str) -> None:
    """Record the node hashes of the register a load writes (of its ``load_id``) in ``tx``."""
    params = {"key": key, "hashes": encode(hashes), "loadId": load_id}
    tx.run(statements("load")["record-hashes"], params).consume()


def write_register(
    tx: Any,
    register: Register,
    plan: list[Stage],
    progress: Progress | None,
    load_id: str,
    loaded: Mapping[NodeKey, int] | None = None,
    planned: Callable[[], Mapping[NodeKey, int]] | None = None,
) -> Scope | None:
    """Replace the register in ``tx``: write the plan in batches of
    :data:`~.load_plan.BATCH_SIZE` rows, then remove the nodes it no longer has, each node with the load id ``load_id`` as
    its version (telling ``progress``, then that the conclusions follow). With the ``loaded``
    register's node hashes (:func:`loaded_hashes`) and the plan's (``planned()``), only the
    nodes whose hash changed are written (their outgoing relationships removed first), the
    others not touched; without, every register relationship is removed and every node
    written. Returns what the conclusions must derive again of R1 and R2 (:func:`modes_scope`);
    None (everything) without the hashes."""
    changed, old_lots = None, None
    if loaded is not None and planned is not None:
        plan, changed = changed_plan(plan, planned(), loaded)
        old_lots = lots_of(tx, changed["Contract"], loaded, register)
    total = sum(len(stage.rows) for stage in plan)
    if progress:
        progress("removing what the new register no longer has", 0, total)
    for cypher, params in relationship_removals(whole=changed is None):
        tx.run(cypher, params).consume()
    if changed is not None:
        for cypher, params in removals_of(changed):
            tx.run(cypher, params).consume()
    done = 0
    for stage in plan:
        for start in range(0, len(stage.rows), BATCH_SIZE):
            batch = stage.rows[start : start + BATCH_SIZE]
            tx.run(stage.cypher, {"rows": [with_version(row, load_id) for row in batch]}).consume()
            done += len(batch)
            if progress:
                progress(stage.name, done, total)
    for cypher, params in stale_removals(register):  # last (see stale_removals)
        tx.run(cypher, params).consume()
    if progress:
        progress("conclusions", total, total)
    if changed is None or old_lots is None:
        return None
    return modes_scope(register, changed, old_lots)


class Scope(NamedTuple):
    """The contracts whose effective mode (R1) and the lots whose modes (R2, R7) a diffed load
    may have changed: the rest keep the ones stored."""

    contracts: list[str]
    lots: list[str]


def lots_of(
    tx: Any, changed: list[Any], loaded: Mapping[NodeKey, int], register: Register
) -> list[str]:
    """The lots the ``changed`` contracts, and the ``loaded`` ones ``register`` no longer has,
    are part of in the graph before the load writes (a lot that loses a contract may change
    its mode)."""
    gone = [
        ident for label, ident in loaded if label == "Contract" and ident not in register.contracts
    ]
    found = tx.run(statements("load")["lots-of-contracts"], {"ids": [*changed, *gone]}).single()
    return list(found["lots"]) if found else []


def modes_scope(register: Register, changed: Mapping[str, list[Any]], old_lots: list[str]) -> Scope:
    """What a diffed load may have changed of R1 and R2/R7 (see :class:`Scope`). R1 reads a
    contract's own clauses and declared mode (its node hash) and whether its supplier is internal
    (the supplier's hash); R2 the effective modes of a lot's contracts, R7 the lot's own levels;
    the rule data is unchanged (else there is no diff: :func:`loaded_hashes`). ``old_lots``:
    the lots the changed and removed contracts were part of (:func:`lots_of`)."""
    suppliers = set(changed.get("Organisation", ()))
    contracts = set(changed.get("Contract", ()))
    contracts.update(c.id for c in register.contracts.values() if c.supplier in suppliers)
    lots = set(changed.get("Lot", ())) | set(old_lots)
    lots.update(register.contracts[c].lot for c in contracts if c in register.contracts)
    return Scope(sorted(contracts), sorted(lots))


class RegisterWrite(NamedTuple):
    """What a single-transaction load writes: its register and plan, the ontology, the plan's
    node hashes (computed in the background), the load id and the meta node's key."""

    register: Register
    plan: list[Any]
    ontology: Any
    hashing: Future[dict[NodeKey, int]]
    load_id: str
    key: str

    def write(
        self, tx: Any, previous: PreviousLoad, trusted: bool, progress: Progress | None
    ) -> Scope | None:
        """The ontology (unless the graph holds it already: nothing committed since our own
        last load or refresh, which recorded this rule data) and the register, only what
        changed when the recorded node hashes allow (see the module); returns what of R1 and
        R2 may have changed (None: everything)."""
        rules = self.ontology.digest
        loaded = loaded_hashes(tx, self.key, previous, rules, trusted)
        if not trusted or previous.rules != rules:
            self.ontology.write(tx)
        return write_register(
            tx, self.register, self.plan, progress, self.load_id, loaded, self.hashing.result
        )
