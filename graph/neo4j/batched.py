"""The batched load: a register loaded in bounded transactions, readers still seeing one whole one.

For a server that caps the memory of a transaction (Aura; ``db.memory.transaction.max``,
``db.memory.transaction.total.max``), where the single-transaction load cannot commit a large
register. The design is in ``docs/architecture.md`` (*Batched loads*). In short:

1. **recover**: what an earlier batched load left (a stage or a removal it did not finish, marked
   on the ``SourcingGraphMeta`` node) is removed, in batches;
2. **adopt**: the visible version's nodes get its load id (``loadId``), in batches (nodes the
   single-transaction load wrote carry none);
3. **begin** (one small transaction, under the load lock): the meta node marks the new load id
   as ``stagingLoad``; from then on the store's reads keep to the visible version
   (:func:`versioned`);
4. **stage**: the new register written as nodes carrying the new load id, in transactions of
   :data:`STAGE_ROWS` rows, then its conclusions (R1, R2, R7 scoped per batch, the analyses
   drawn in memory, the findings written per batch), none visible to a reader;
5. **switch** (one small transaction, under the load lock): the meta node's ``loadId`` becomes the
   new one, the old one is marked ``retiringLoad``, the digests and counts are recorded;
6. **clean up**: every register node and finding not of the visible version removed, in batches;
   then the mark is cleared (under the load lock).

A kill at any point leaves the meta node's marks, under which readers see the visible version
whole; the next load (batched or not) first recovers.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING, Any

from neo4j import exceptions as nx

from sourcing_graph.errors import (
    LoadError,
    Neo4jUnavailableError,
    QueryError,
    RegisterReplaceRefused,
)
from sourcing_graph.graph.conclusions import entity_conclusions
from sourcing_graph.graph.neo4j.conclusions import (
    changed_rows,
    conclusion_record,
    draw,
    organisation_rows,
)
from sourcing_graph.graph.neo4j.diagnosis import is_auth_error, is_connection_error, unavailable
from sourcing_graph.graph.neo4j.digest import rules_digest
from sourcing_graph.graph.neo4j.freshness import record_transaction
from sourcing_graph.graph.neo4j.guard import PreviousLoad, check_replace
from sourcing_graph.graph.neo4j.load_plan import (
    Stage,
    check_identifiers,
    load_plan,
    planned_names,
    planned_register_digest,
)
from sourcing_graph.graph.neo4j.ontology import ontology_writer
from sourcing_graph.graph.neo4j.schema import VERSION_PROPERTY, VERSIONED_KEYS
from sourcing_graph.graph.neo4j.versions import (
    VERSION_PARAMETER,
    KeptTo,
    Marks,
    kept_to_visible,
    marks,
    reads_register,
    refuse_mixed,
    unversioned_labels,
    versioned,
)
from sourcing_graph.model import Register
from sourcing_graph.queries.statements import statements

if TYPE_CHECKING:
    from sourcing_graph.graph.neo4j.store import Neo4jStore, Progress

__all__ = [
    "STAGE_ROWS",
    "VERSION_PARAMETER",
    "KeptTo",
    "kept_to_visible",
    "refuse_mixed",
    "Marks",
    "clean_up",
    "settle_in",
    "stage_token",
    "unversioned_labels",
    "load_batched",
    "marks",
    "memory_capped",
    "reads_register",
    "recover",
    "versioned",
    "with_version",
]

STAGE_ROWS = 1000
"""Rows per transaction when staging (a contract row writes a node and about ten relationships)."""


def memory_capped(store: Neo4jStore) -> bool:
    """Whether the server reports a cap on transaction memory (False when it does not say, or
    the user may not read its settings)."""
    try:
        # an auto-commit read: no COMMIT of its own before the load's (a load's only COMMIT is
        # its own, which the commit check after a dropped connection relies on)
        rows = _Auto(store).run(statements("batched")["memory-caps"])
    except Exception:  # no right to SHOW SETTINGS (a managed service may refuse it)
        return False
    return any(str(row["value"]).strip().upper() not in ("0", "0B", "") for row in rows)


class _Auto:
    """Runs each statement in its own auto-commit transaction (``CALL ... IN TRANSACTIONS``
    needs one), records materialised."""

    def __init__(self, store: Neo4jStore) -> None:
        self.store = store

    def run(self, cypher: str, params: dict[str, Any] | None = None) -> list[Any]:
        with self.store.driver.session(database=self.store.database) as session:
            return list(session.run(cypher, params or {}))


class _Version:
    """Runs each statement kept to the staged version ``load_id``, in its own write transaction
    that first locks the stage's token (:func:`stage_token`): once another load stopped the
    stage (removed the token), nothing more of it is written. A ``tx``-like object for the
    conclusions' helpers."""

    def __init__(self, store: Neo4jStore, key: str, load_id: str) -> None:
        self.store = store
        self.load_id = load_id
        self.token = stage_token(key, load_id)

    def run(self, cypher: str, params: dict[str, Any] | None = None) -> list[Any]:
        text = versioned(cypher)
        values = {**(params or {}), VERSION_PARAMETER: self.load_id}
        touch = statements("batched")["touch-stage"]

        def work(tx: Any) -> list[Any]:
            # no row: the token was removed; a null count: it was removed while this
            # transaction waited for its lock (the SET found it deleted, checked on 5.26)
            touched = tx.run(touch, {"token": self.token}).data()
            if not touched or touched[0]["batches"] is None:
                raise StageStopped
            return list(tx.run(text, values))

        with self.store.driver.session(database=self.store.database) as session:
            return session.execute_write(work)


class StageStopped(Exception):
    """Another load stopped this load's stage (it found it interrupted, or took over)."""


def stage_token(key: str, load_id: str) -> str:
    """The key of the stage token of the load ``load_id`` (a ``SourcingGraphMeta`` node)."""
    return f"{key}:stage:{load_id}"


def recover(store: Neo4jStore, key: str) -> Marks:
    """Finish what a batched load left, in batches: a stage (interrupted, or still being written
    by a load this one then stops) is abandoned, and every version but the visible one removed.
    Returns the marks found. Cheap when there is nothing to do (one read)."""
    found = marks(_Auto(store).run, key)
    if found.staging is not None:
        _abandon(store, key)
    if found.mixed:
        clean_up(store, key)
    return found


def _abandon(store: Neo4jStore, key: str) -> None:
    """Stop every stage (its token removed) and mark what it wrote for removal, in one small
    transaction under the load lock."""
    cypher = statements("batched")

    def work(tx: Any) -> None:
        tx.run(cypher["abandon"], {"key": key}).consume()
        tx.run(cypher["drop-stage-tokens"], {"prefix": stage_token(key, "")}).consume()

    with store.driver.session(database=store.database) as session:
        session.execute_write(work)


def clean_up(store: Neo4jStore, key: str) -> None:
    """While a removal is marked: remove every register node and finding not of the visible
    version, in batches, then clear the mark. The versions to remove are read under the load
    lock while the mark holds, so a stage begun later (only possible once it is cleared) is
    never among them."""
    cypher = statements("batched")

    def versions(tx: Any) -> list[str] | None:
        row = tx.run(cypher["retiring"], {"key": key}).single()
        if row is None or not row["retiring"]:
            return None
        keep = row["visible"] or ""
        found = tx.run(cypher["retiring-versions"], {"keep": keep}).single()
        return list(found["versions"]) if found is not None else []

    with store.driver.session(database=store.database) as session:
        drop = session.execute_write(versions)
    if drop is None:
        return
    auto = _Auto(store)
    for label in ("Contract", "Finding", "Lot", "Function", "Organisation"):
        auto.run(cypher[f"remove-others:{label}"], {"drop": drop})
    _locked(store, key, cypher["unmark-retiring"], {})


def settle_in(tx: Any, key: str, keep: str | None) -> None:
    """In a single-transaction load's ``tx`` (holding the load lock; ``keep`` the load id it
    replaces): when a batched load left marks (one began after :func:`recover`), stop its stage
    and remove every other version in this transaction, then clear the marks."""
    cypher = statements("batched")
    row = tx.run(cypher["settle"], {"key": key}).single()
    if row is None or not row["mixed"]:
        return
    tx.run(cypher["drop-stage-tokens"], {"prefix": stage_token(key, "")}).consume()
    for label in VERSIONED_KEYS:
        tx.run(cypher[f"settle:{label}"], {"keep": keep or ""}).consume()
    tx.run(cypher["clear-marks"], {"key": key}).consume()


def _locked(store: Neo4jStore, key: str, cypher: str, params: dict[str, Any]) -> list[Any]:
    """One small write transaction on the meta node (which takes the load lock)."""
    with store.driver.session(database=store.database) as session:
        return session.execute_write(
            lambda tx: [dict(r) for r in tx.run(cypher, {"key": key, **params})]
        )


def _batches(rows: list[Any], size: int) -> Iterable[list[Any]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def load_batched(
    store: Neo4jStore,
    register: Register,
    key: str,
    progress: Progress | None = None,
    rules_source: Any = None,
    *,
    replace: bool = True,
    as_of: date | None = None,
) -> dict[str, Any]:
    """Load ``register`` in bounded transactions (see the module); returns what
    ``Neo4jStore.load_register`` returns, with ``batched`` True.

    A failure before the switch leaves the previously loaded register visible and whole (what
    was staged is removed by the next load); after it, the new register is loaded and the next
    load finishes removing the old one. Either way one clear error says so.
    """
    check_identifiers(register)
    planned = ontology_writer(rules_source)  # bad rule data: nothing written
    store._ensure_constraints()
    switched: list[bool] = []
    try:
        return _load(store, register, key, progress, planned, replace, as_of, switched)
    except (RegisterReplaceRefused, QueryError):
        raise
    except Exception as exc:
        raise _failed(store, exc, len(register.contracts), bool(switched)) from None


def _failed(store: Neo4jStore, exc: Exception, contracts: int, switched: bool) -> Exception:
    """The error that says what a failed batched load left behind."""
    uri = store.settings.uri
    if is_auth_error(exc):
        return unavailable(store.settings, exc)
    left = (
        "the new register is loaded and complete; removing the previous one did not finish, "
        "the next load finishes it"
        if switched
        else "nothing of this load is visible and the previously loaded register is intact; "
        "the next load removes what it wrote"
    )
    if is_connection_error(exc):
        return Neo4jUnavailableError(
            f"lost the connection to Neo4j at {uri} during a batched load; {left}"
        )
    if isinstance(exc, nx.Neo4jError):
        code = exc.code or type(exc).__name__
        message = (exc.message or "").splitlines()[0][:300] if exc.message else ""
        return LoadError(
            f"Neo4j at {uri} could not complete the batched load of {contracts:,} contracts "
            f"({code}: {message}); {left}"
        )
    return exc


def _load(
    store: Neo4jStore,
    register: Register,
    key: str,
    progress: Progress | None,
    planned: Any,
    replace: bool,
    as_of: date | None,
    switched: list[bool],
) -> dict[str, Any]:
    """The steps of :func:`load_batched`; ``switched`` gets an item once the switch committed."""
    cypher = statements("batched")
    started = time.monotonic()
    changed = not replace and store.conclusions_stale()
    found = recover(store, key)
    if found.visible is not None:
        for label in VERSIONED_KEYS:
            _Auto(store).run(cypher[f"adopt:{label}"], {"loadId": found.visible})
    if not replace:  # another register: refused before anything is written, rule data included
        _refuse_early(store, register, key, planned, found.visible, changed)
    load_id = uuid.uuid4().hex
    begun = _locked(
        store,
        key,
        cypher["begin"],
        {"loadId": load_id, "expected": found.visible, "token": stage_token(key, load_id)},
    )
    if not begun or not begun[0]["free"]:
        raise _taken_over(store)
    if rules_digest(_Auto(store).run) != planned.digest:
        # the rule data is shared by both versions: written now (see docs/architecture.md)
        with store.driver.session(database=store.database) as session:
            session.execute_write(planned.write)
    counts: dict[str, Any] = dict(register.counts())
    concluded = _stage_and_conclude(store, register, key, load_id, as_of, progress, planned)
    previous = _previous(store, key, found.visible)
    digest = concluded["registerDigest"]
    kept = _kept(store, key, previous, digest, replace=replace, changed=changed, rules=planned)
    if kept:
        _abandon(store, key)
    else:
        _switch(store, key, load_id, concluded["record"], counts)
        switched.append(True)
        if progress:
            progress("removing the previous register", 0, 1)
    clean_up(store, key)
    counts.update(findings=concluded["findings"], kept=kept, batched=True)
    counts["seconds"] = round(time.monotonic() - started, 3)
    counts["loadId"] = previous.load_id if kept else load_id
    counts["replaced"] = previous.contracts
    counts["sameRegister"] = previous.loaded and previous.digest == digest and not changed
    return counts


def _stage_and_conclude(
    store: Neo4jStore,
    register: Register,
    key: str,
    load_id: str,
    as_of: date | None,
    progress: Progress | None,
    planned: Any,
) -> dict[str, Any]:
    """:func:`_stage`, then :func:`_conclude` (``planned``: the ontology writer); when another load stopped the stage meanwhile,
    the error that says so (also for a statement that failed because of it)."""
    plan = list(load_plan(register))
    try:
        _stage(store, plan, key, load_id, progress)
        when = as_of or date.today()
        return _conclude(store, register, plan, key, load_id, when, progress, planned)
    except StageStopped:
        raise _taken_over(store) from None
    except nx.Neo4jError:
        # a statement that failed as another load stopped this stage (removed what it wrote)
        if marks(_Auto(store).run, key).staging != load_id:
            raise _taken_over(store) from None
        raise


def _refuse_early(
    store: Neo4jStore,
    register: Register,
    key: str,
    planned: Any,
    visible: str | None,
    changed: bool,
) -> None:
    """A load that may not replace: refused (:func:`check_replace`) before it writes anything,
    the rule data included, when the register digest of its plan is not the loaded one's."""
    early = planned_register_digest(list(load_plan(register)), planned.nodes)
    previous = _previous(store, key, visible)
    check_replace(previous, early, uri=store.settings.uri, replace=False, changed=changed)


def _kept(
    store: Neo4jStore,
    key: str,
    previous: PreviousLoad,
    digest: str,
    *,
    replace: bool,
    changed: bool,
    rules: Any,
) -> bool:
    """:func:`check_replace` of the staged version (its register ``digest``, the rule data of
    the ontology writer ``rules``); refused, what was staged is removed with its mark first."""
    try:
        uri = store.settings.uri
        return check_replace(
            previous, digest, uri=uri, replace=replace, changed=changed, rules=rules.digest
        )
    except RegisterReplaceRefused:
        _abandon(store, key)
        clean_up(store, key)
        raise


def _previous(store: Neo4jStore, key: str, load_id: str | None) -> PreviousLoad:
    """The visible load (``load_id``): its contract count and register digest."""
    rows = _Auto(store).run(statements("store")["previous-load"], {"key": key})
    if not rows or load_id is None:
        return PreviousLoad()
    row = rows[0]
    return PreviousLoad(row["contracts"], row["registerDigest"], load_id, row["rulesDigest"])


def _taken_over(store: Neo4jStore) -> Exception:
    return QueryError(
        f"another load into Neo4j at {store.settings.uri} started meanwhile; "
        "this batched load stopped without changing the loaded register; run it again"
    )


def _stage(
    store: Neo4jStore, plan: list[Stage], key: str, load_id: str, progress: Progress | None
) -> None:
    """Write the register's ``plan`` as the version ``load_id``, :data:`STAGE_ROWS` rows a
    transaction."""
    total = sum(len(stage.rows) for stage in plan)
    version = _Version(store, key, load_id)
    done = 0
    for stage in plan:
        for batch in _batches(stage.rows, STAGE_ROWS):
            rows = [with_version(row, load_id) for row in batch]
            version.run(stage.cypher, {"rows": rows})
            done += len(batch)
            if progress:
                progress(stage.name, done, total)


def with_version(row: Any, load_id: str) -> Any:
    """A node row's property map with the load id (``SET n = row.props`` replaces them all);
    both loads write it, so every node a load writes is under the key constraint
    ``(id, loadId)`` (Neo4j skips a node that lacks a property of a composite constraint)."""
    if isinstance(row, dict) and isinstance(row.get("props"), dict):
        return {**row, "props": {**row["props"], VERSION_PROPERTY: load_id}}
    return row


def _conclude(
    store: Neo4jStore,
    register: Register,
    plan: list[Stage],
    key: str,
    load_id: str,
    as_of: date,
    progress: Progress | None,
    planned: Any,
) -> dict[str, Any]:
    """The conclusions of the staged version, each write a bounded transaction (the statements
    of :mod:`.conclusions`, kept to the version). The analyses, names and findings are drawn
    from the register in memory (:func:`~.conclusions.draw`: the staged version is what the
    plan wrote), so no transaction reads the whole version back. Returns ``findings``,
    ``registerDigest`` and ``record`` (the parameters of the meta node's record, written at the
    switch)."""
    cypher = statements("conclusions")
    version = _Version(store, key, load_id)
    if progress:
        progress("conclusions", 0, 1)
    for batch in _batches(sorted(register.contracts), STAGE_ROWS):
        version.run(cypher["contract-modes"], {"contracts": batch})
    for batch in _batches(sorted(register.lots), STAGE_ROWS):
        version.run(cypher["lot-modes"], {"lots": batch})
    drawn = draw(
        register, planned.rules, as_of, planned_names(plan), planned.digest, sentences=True
    )
    create = cypher["create-findings"] + "\n" + cypher["relate-findings"]
    for batch in _batches(changed_rows(drawn, {}), STAGE_ROWS):
        version.run(create, {"rows": [with_version(row, load_id) for row in batch]})
    organisations = entity_conclusions(drawn.result, (), ())[2]
    for batch in _batches(organisation_rows(organisations), STAGE_ROWS):
        version.run(cypher["set-organisations"], {"rows": batch})
    digest = planned_register_digest(plan, planned.nodes)
    record = conclusion_record(drawn.result, digest, planned.digest, as_of)
    return {"findings": len(drawn.rows), "registerDigest": digest, "record": record}


def _switch(
    store: Neo4jStore, key: str, load_id: str, record: dict[str, Any], counts: dict[str, Any]
) -> None:
    """The one small transaction that makes the staged version the visible one."""
    conclusions = statements("conclusions")
    store_cypher = statements("store")
    cypher = statements("batched")

    def work(tx: Any) -> bool:
        switched = tx.run(cypher["switch"], {"key": key, "loadId": load_id}).data()
        if not switched:
            return False
        tx.run(cypher["drop-stage-tokens"], {"prefix": stage_token(key, load_id)}).consume()
        tx.run(conclusions["record"], {"key": key, **record}).consume()
        tx.run(store_cypher["finish-load"], {"key": key, "counts": counts}).consume()
        return True

    with store.driver.session(database=store.database) as session:
        if not session.execute_write(work):
            raise _taken_over(store)
        bookmarks = session.last_bookmarks()
    record_transaction(store.driver, store.database, key, bookmarks)
