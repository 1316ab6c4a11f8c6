"""The Neo4j store: a checked connection to one database, guarded reads and atomic register loads."""

from __future__ import annotations

import contextlib
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import date
from typing import Any, TypeVar

import neo4j
from neo4j import exceptions as nx

from sourcing_graph.errors import (
    Mention,
    Neo4jUnavailableError,
    QueryError,
    ReadOnlyViolation,
    RegisterReplaceRefused,
)
from sourcing_graph.graph.neo4j.batched import (
    VERSION_PARAMETER,
    load_batched,
    marks,
    memory_capped,
    reads_register,
    recover,
    refuse_mixed,
    settle_in,
    versioned,
)
from sourcing_graph.graph.neo4j.conclusions import Drawn, conclude_in, conclusions_kept, draw
from sourcing_graph.graph.neo4j.connection import (
    Notify,
    open_driver,
    probe,
    retry_while_unavailable,
)
from sourcing_graph.graph.neo4j.diagnosis import (
    after_failed_load,
    is_auth_error,
    is_connection_error,
    read_only_refusal,
    unavailable,
)
from sourcing_graph.graph.neo4j.digest import rules_digest, sum_digest
from sourcing_graph.graph.neo4j.freshness import (
    conclusions_stale,
    record_transaction,
    untouched_since_record,
)
from sourcing_graph.graph.neo4j.guard import check_replace, previous_load
from sourcing_graph.graph.neo4j.hashing import node_hashes
from sourcing_graph.graph.neo4j.load_plan import (
    check_identifiers,
    load_plan,
    planned_names,
)
from sourcing_graph.graph.neo4j.loaded import check_drawn, check_rules
from sourcing_graph.graph.neo4j.notices import NOTIFICATION_CONFIG
from sourcing_graph.graph.neo4j.ontology import ontology_writer
from sourcing_graph.graph.neo4j.read_back import draw_from_graph
from sourcing_graph.graph.neo4j.register_diff import RegisterWrite, record_hashes
from sourcing_graph.graph.neo4j.running import QueryRun, run_in
from sourcing_graph.graph.neo4j.schema import ensure_constraints
from sourcing_graph.graph.neo4j.settings import Neo4jSettings
from sourcing_graph.model import Register
from sourcing_graph.queries.statements import statements

META_KEY = "register"
"""The key of the one ``SourcingGraphMeta`` node: the load lock and the last load's record."""

LOCK_NOTICE_AFTER = 3.0
"""Seconds a load waits for the load lock before it says that another load holds it."""

Progress = Callable[[str, int, int], None]
"""A progress callback: ``(stage, done, total)`` (:data:`.register_diff.Progress`)."""

T = TypeVar("T")

_STORE = statements("store")

_DIGESTS = ThreadPoolExecutor(max_workers=2, thread_name_prefix="sourcing-graph-digest")
"""Hashes a load's register digest from its rows while the load's statements run on the server
(the driver waits for them without holding the interpreter lock)."""


class Neo4jStore:
    """A connection to one Neo4j database holding the ontology and (at most) one register."""

    def __init__(self, driver: Any, settings: Neo4jSettings, notify: Notify | None = None) -> None:
        self.driver = driver
        self.settings = settings
        self.notify = notify
        self.pinned_load_id: str | None = None
        """When set, :meth:`stable` refuses to read a register other than this load's."""
        self._holding = threading.local()
        """``holding.lock`` is True on a thread inside :meth:`stable` (which holds the load lock)."""

    @property
    def database(self) -> str | None:
        return self.settings.database

    @property
    def bookmark_manager(self) -> Any:
        """The bookmark manager all sessions of this store share (None for a driver without one):
        every read sees what the store's writes before it committed, on a cluster too."""
        return getattr(self.driver, "bookmark_manager", None)

    @classmethod
    def connect(cls, settings: Neo4jSettings, notify: Notify | None = None) -> Neo4jStore:
        """Open a driver and check that the server answers and accepts the credentials.

        While the server is unavailable or not ready yet (connection refused, database starting),
        it retries with a bounded backoff for up to ``settings.wait`` seconds, telling ``notify``
        (if given) that it waits; a refused password or an unknown database fails at once.
        """
        driver = open_driver(settings)
        try:
            retry_while_unavailable(
                settings, lambda: probe(driver, settings.database), settings.wait, notify
            )
        except BaseException:
            driver.close()
            raise
        return cls(driver, settings, notify)

    def close(self) -> None:
        self.driver.close()

    def __enter__(self) -> Neo4jStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- reading -----------------------------------------------------------------------------

    def read(self, cypher: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        """Run a query in a read-only transaction; rows as plain dicts (Neo4j values converted,
        see :mod:`~sourcing_graph.graph.neo4j.values`)."""
        return self.query(cypher, params, notices=False).rows

    def write(self, cypher: str, params: dict[str, Any] | None = None) -> None:
        """Run one write statement in its own transaction (for set-up and tests)."""
        with self.driver.session(database=self.database) as session:
            session.execute_write(lambda tx: tx.run(cypher, params or {}).consume())

    def read_write(
        self, cypher: str, params: dict[str, Any] | None = None
    ) -> tuple[list[dict[str, Any]], dict[str, int]]:
        """Run a query in a write transaction: its rows and what it changed.

        The counters are the server's (``nodes_created``, ``properties_set``...; only those that
        are not zero). Errors as in :meth:`read`.
        """
        run = self.query(cypher, params, write=True, notices=False)
        return run.rows, run.changed

    def query(
        self,
        cypher: str,
        params: dict[str, Any] | None = None,
        *,
        write: bool = False,
        notices: bool = True,
    ) -> QueryRun:
        """Run a person's query: in a read-only transaction (the server refuses any write), or
        with ``write`` in a write transaction. Returns its rows, columns, what it changed and
        (with ``notices``) the server's notifications about it (:class:`QueryRun`).

        Raises :class:`ReadOnlyViolation` for a write in a read-only transaction,
        :class:`QueryError` for a query Neo4j refuses, :class:`Neo4jUnavailableError` when the
        server cannot be reached.
        """
        version = getattr(self._holding, "version", None)
        guarded = version is not None or getattr(self._holding, "lock", False)
        if not guarded and reads_register(cypher):
            again = lambda: self.stable(  # noqa: E731 - under the lock, kept to one version
                lambda: self.query(cypher, params, write=write, notices=notices)
            )
            before = marks(self._run_auto, META_KEY)
            if before.mixed:  # a batched load runs or was interrupted: keep to one version
                return again()
            run = self._run(cypher, params, write=write, notices=notices)
            # a load that began, switched or committed while the query ran may have shown it
            # part of another version: read again under the lock (a write is not repeated)
            if write or marks(self._run_auto, META_KEY).same(before):
                return run
            return again()
        if version is not None and reads_register(cypher):
            cypher, params = versioned(cypher), {**(params or {}), VERSION_PARAMETER: version}
        return self._run(cypher, params, write=write, notices=notices)

    def _run(
        self, cypher: str, params: dict[str, Any] | None, *, write: bool, notices: bool
    ) -> QueryRun:
        """One statement in its own read (or write) transaction; errors as :meth:`query`'s."""
        config = NOTIFICATION_CONFIG if notices else {}
        mode = neo4j.WRITE_ACCESS if write else neo4j.READ_ACCESS
        try:
            with self.driver.session(
                database=self.database, default_access_mode=mode, **config
            ) as session:
                execute = session.execute_write if write else session.execute_read
                return execute(lambda tx: run_in(tx, cypher, params or {}, with_notices=notices))
        except nx.Neo4jError as exc:
            if is_auth_error(exc):
                raise unavailable(self.settings, exc) from None
            code = exc.code or ""
            if not write and ("AccessMode" in code or "ForbiddenOnReadOnlyDatabase" in code):
                raise ReadOnlyViolation(
                    "the query tries to write, but queries run read-only unless asked otherwise (",
                    Mention("write", "Neo4jStore.read_write"),
                    " runs it in a write transaction)",
                    hint="write",
                ) from None
            raise QueryError(f"Neo4j refused the query: {exc.message}") from None
        except (nx.ServiceUnavailable, nx.SessionExpired, OSError) as exc:
            raise unavailable(self.settings, exc) from None

    def _run_auto(self, cypher: str, params: dict[str, Any]) -> list[Any]:
        """One statement in an auto-commit transaction (the marks' reads); refused credentials
        and an unreachable server raise as :meth:`query` says."""
        try:
            with self.driver.session(database=self.database) as session:
                return list(session.run(cypher, params))
        except nx.Neo4jError as exc:
            if is_auth_error(exc):
                raise unavailable(self.settings, exc) from None
            raise
        except (nx.ServiceUnavailable, nx.SessionExpired, OSError) as exc:
            raise unavailable(self.settings, exc) from None

    def register_counts(self) -> dict[str, int]:
        """How many nodes of each register label and relationships the database holds."""
        rows = self.stable(lambda: self.read(_STORE["counts"]))
        return dict(rows[0])

    def load_info(self) -> dict[str, Any] | None:
        """The last committed load: ``loadId``, ``loadedAt`` and its counts; None before any."""
        rows = self.read(_STORE["load-info"], {"key": META_KEY})
        if not rows:
            return None
        return {k: v for k, v in rows[0]["meta"].items() if k != "key"}

    def stable(self, work: Callable[[], T]) -> T:
        """Run ``work`` (reads) so that all of it sees one whole loaded register.

        Neo4j reads at "read committed": a load committing during an analysis would give rows of
        two registers, and a reader can even see a large commit half applied. So a side
        transaction holds the load lock (see :meth:`load_register`) while ``work`` runs: a load in
        progress is waited for first (``notify`` hears about it after a few seconds), and no load
        can commit until ``work`` is done. The side transaction writes nothing (rolled back).
        With :attr:`pinned_load_id` set (the CLI sets it after its own load), a register another
        process loaded meanwhile is refused with a clear error instead of being analysed. A user
        without write rights cannot take the lock; ``work`` then runs unguarded. Within ``work``
        (on the same thread) ``stable`` runs its work at once: the lock is held already (taking
        it again in another transaction would wait for this one for ever).
        """
        if getattr(self._holding, "lock", False):
            return work()
        try:
            with self._load_lock(
                "a load into Neo4j at {uri} is in progress; waiting for it to finish before reading"
            ) as (load_id, mixed):
                if self.pinned_load_id is not None and load_id != self.pinned_load_id:
                    raise QueryError(
                        f"another load replaced the register in Neo4j at {self.settings.uri} "
                        "before the analysis ran; run the command again"
                    )
                self._holding.lock = True
                self._holding.version = load_id if mixed else None  # reads keep to it
                try:
                    return work()
                finally:
                    self._holding.lock = False
                    self._holding.version = None
        except Exception as exc:
            if is_connection_error(exc):
                raise unavailable(self.settings, exc) from None
            raise

    @contextlib.contextmanager
    def _load_lock(self, notice: str) -> Iterator[tuple[str | None, bool]]:
        """Hold the load lock in a side transaction (rolled back at the end); yields the load id
        of the register then loaded (None before any load) and whether a batched load left
        another version beside it (:mod:`.batched`). Driver errors pass unchanged."""
        with (
            self.driver.session(database=self.database) as session,
            open_transaction(session) as tx,
        ):
            try:
                rows = self._with_notice(
                    notice, lambda: tx.run(_STORE["locked-load-id"], {"key": META_KEY}).data()
                )
            except nx.ClientError as exc:
                if not read_only_refusal(exc):
                    raise
                # no write rights (a read-only user or database): read without the guard
                found = marks(self._run_auto, META_KEY)
                yield found.visible, found.mixed
                return
            yield (rows[0]["loadId"], bool(rows[0]["mixed"])) if rows else (None, False)

    def _with_notice(self, notice: str, blocking: Callable[[], T]) -> T:
        """``blocking()``; if it takes longer than :data:`LOCK_NOTICE_AFTER` seconds, ``notice``
        (with ``{uri}``) goes to the ``notify`` callback once."""
        timer = None
        if self.notify is not None:
            notify = self.notify
            message = notice.format(uri=self.settings.uri)
            timer = threading.Timer(LOCK_NOTICE_AFTER, lambda: notify(message))
            timer.daemon = True
            timer.start()
        try:
            return blocking()
        finally:
            if timer is not None:
                timer.cancel()

    # -- loading -----------------------------------------------------------------------------

    def ensure_schema(self, rules_source: Any = None) -> None:
        """Create the constraints and indexes, then make the ontology the one of ``rules_source``.

        ``rules_source`` is changed rule data (a Turtle file, Turtle text or an rdflib Graph) as
        :func:`~sourcing_graph.ontology.rules.load_rules` takes it; None means the packaged
        ontology, so the rules in Neo4j are always the ones the caller analyses with. Under the
        load lock (see :meth:`load_register`), in one transaction: when the graph already holds
        exactly that data nothing is written (the transaction is rolled back); otherwise the
        ontology is written and the conclusions of the loaded register recomputed with it.
        """
        planned = ontology_writer(rules_source)

        def work(tx: Any) -> bool:
            tx.run(_STORE["take-lock"], {"key": META_KEY}).consume()
            if rules_digest(lambda cypher, params: tx.run(cypher, params)) == planned.digest:
                return False
            refuse_mixed(tx, META_KEY, self.settings.uri, "apply the changed rule data")
            planned.write(tx)
            conclude_in(tx, META_KEY)
            return True

        try:
            self._ensure_constraints()
            self._write_transaction(work)
        except Exception as exc:
            if is_connection_error(exc):
                raise unavailable(self.settings, exc) from None
            if not read_only_refusal(exc):
                raise
            self._schema_read_only(rules_source)

    def refresh(self, rules_source: Any = None, *, as_of: date | None = None) -> dict[str, Any]:
        """Recompute the conclusions from the graph as it stands and store them with the new
        digests, in one write transaction under the load lock (the load id stays), at the
        reference date ``as_of`` (default today; stored as ``SourcingGraphMeta.asOf``).

        For after a change made with Cypher (a clause added, a mode changed in Browser): the
        findings, modes and measures then follow it. ``rules_source`` (as :meth:`ensure_schema`
        takes it) first replaces the rule data in the graph; None keeps the rule data there.
        Returns ``findings`` (how many now), ``added`` and ``removed`` (the keys of findings
        that appeared and disappeared, sorted) and ``seconds``.
        """
        given = ontology_writer(rules_source) if rules_source is not None else None
        write = given.write if given is not None else None
        started = time.monotonic()

        def work(tx: Any) -> dict[str, Any]:
            self._with_notice(
                "a load into Neo4j at {uri} is in progress; waiting for it to finish",
                lambda: tx.run(_STORE["take-lock"], {"key": META_KEY}).consume(),
            )
            refuse_mixed(tx, META_KEY, self.settings.uri, "refresh the conclusions")
            # new rule data may remove mode or clause nodes, and with them register relationships
            trusted = write is None and untouched_since_record(self.driver, self.database, META_KEY)
            if write is not None:
                write(tx)
            elif trusted:  # the register and rules they were drawn from: the same date too?
                kept = conclusions_kept(tx, META_KEY, as_of or date.today())
                if kept is not None:
                    return kept
            when = as_of or date.today()
            # in memory unless the graph holds other rule data or what the model cannot express
            ontology = given or ontology_writer(None)  # read once the refresh must draw
            memory = draw_from_graph(tx, ontology, when, _DIGESTS, sentences=not trusted)
            if memory is None:
                return conclude_in(tx, META_KEY, when, trusted=trusted)
            return conclude_in(
                tx, META_KEY, when, trusted=trusted, drawn=memory.drawn, known_digest=memory.digest
            )

        try:
            self._ensure_constraints()
            changed = self._write_transaction(work, always=True)
        except Exception as exc:
            if is_connection_error(exc) or is_auth_error(exc):
                raise unavailable(self.settings, exc) from None
            if read_only_refusal(exc):
                raise QueryError(
                    f"Neo4j at {self.settings.uri} refuses writes (a read-only database, or a "
                    "user without write rights), so the conclusions cannot be refreshed there"
                ) from None
            raise
        changed["seconds"] = round(time.monotonic() - started, 3)
        return changed

    def conclusions_stale(self) -> bool:
        """Whether the conclusions stored with the loaded register no longer fit the graph: the
        register part or the rule data changed since the last load or refresh (with Cypher, say),
        or none are stored. False when no register is loaded. A cheap check first, the digests
        when it cannot tell (:mod:`~sourcing_graph.graph.neo4j.freshness`)."""
        try:
            return conclusions_stale(self.driver, self.database, META_KEY)
        except Exception as exc:
            if is_connection_error(exc) or is_auth_error(exc):
                raise unavailable(self.settings, exc) from None
            raise

    def use_loaded(self, rules_source: Any = None) -> None:
        """Before an analysis of the loaded register, which writes nothing: its rule data must be
        that of ``rules_source``, or is used as stored (:func:`~.loaded.check_rules`)."""
        check_rules(self, rules_source)

    def check_loaded(self, register: Register, rules_source: Any = None) -> None:
        """Raise :class:`~sourcing_graph.errors.NotTheLoadedRegister` unless ``register`` (with
        the ontology of ``rules_source``) is the register loaded (:mod:`.loaded`): a view of the
        loaded register draws its files with the conclusions stored here."""
        check_drawn(self, register, rules_source, META_KEY)

    def _write_transaction(self, work: Callable[[Any], Any], *, always: bool = False) -> Any:
        """Run ``work(tx)`` in one explicit write transaction; commit when ``always`` or when it
        returns something true, else roll back. After a commit, record its transaction for the
        cheap freshness check. Returns what ``work`` returned."""
        with self.driver.session(database=self.database) as session:
            with open_transaction(session) as tx:
                outcome = work(tx)
                if always or outcome:
                    tx.commit()
            bookmarks = session.last_bookmarks()
        if always or outcome:
            record_transaction(self.driver, self.database, META_KEY, bookmarks)
        return outcome

    def _schema_read_only(self, rules_source: Any) -> None:
        """The server refuses writes (a read-only database or user): analyses can still read
        what is there, with the rule data stored there; changed rule data cannot be applied."""
        where = f"Neo4j at {self.settings.uri} refuses writes (a read-only database, or a user without write rights)"
        if rules_source is not None:
            raise QueryError(
                f"{where}, so the changed rule data cannot be stored there; analyse with ",
                Mention("embedded", "the embedded engine"),
                ", or where the rules may be written",
                hint="embedded",
            )
        if self.notify is not None:
            self.notify(f"note: {where}; analysing with the ontology and rule data stored there")

    def _prepare_load(self) -> None:
        """Before a single-transaction load: the constraints, then what an interrupted batched
        load left removed (in batches, :func:`~.batched.recover`)."""
        self._ensure_constraints()
        recover(self, META_KEY)

    def _ensure_constraints(self) -> None:
        try:
            ensure_constraints(self.driver, self.database)
        except Exception as exc:
            if is_connection_error(exc) or is_auth_error(exc):
                raise unavailable(self.settings, exc) from None
            raise

    def load_register(
        self,
        register: Register,
        progress: Progress | None = None,
        rules_source: Any = None,
        *,
        replace: bool = True,
        as_of: date | None = None,
        batched: bool | None = None,
    ) -> dict[str, Any]:
        """Replace the loaded register (and the ontology) by ``register`` in ONE transaction,
        with its conclusions drawn at ``as_of`` (default today; ``SourcingGraphMeta.asOf``).
        ``batched`` True loads in bounded transactions instead (:mod:`.batched`); None (the
        default) does so when the server caps transaction memory (:func:`~.batched.memory_capped`).
        Either way, what an interrupted batched load left is removed first.

        The constraints come first. Then one transaction takes the load lock (the
        ``SourcingGraphMeta`` node, with a fresh load id), writes the ontology (``rules_source``,
        see :meth:`ensure_schema`), replaces the register in place in batched ``UNWIND``
        statements and stores its conclusions (:mod:`~sourcing_graph.graph.neo4j.conclusions`):
        no reader sees a register without its conclusions. Guarantees (docs/reliability.md):
        a failure of any kind leaves the previous register intact and a rerun succeeds; a second
        load waits at the lock, then replaces this one fully; a connection lost while committing
        is checked under the lock (``commit_confirmed_after_drop``, or an error saying it did not
        land). ``replace=False``: the same register, unchanged since, writes nothing (``kept``);
        another one is refused with :class:`~sourcing_graph.errors.RegisterReplaceRefused`.

        Returns the counts written, ``findings``, ``seconds``, ``loadId``, ``replaced`` (the previous
        load's contract count, None when there was none), ``sameRegister``, ``kept``."""
        if memory_capped(self) if batched is None else batched:
            return load_batched(
                self, register, META_KEY, progress, rules_source, replace=replace, as_of=as_of
            )
        check_identifiers(register)
        ontology = ontology_writer(rules_source)  # bad rule data: nothing written
        self._prepare_load()
        plan = list(load_plan(register))
        hashing, drawing = self._in_background(register, plan, ontology, as_of)
        counts: dict[str, Any] = dict(register.counts())
        load_id, committing, started = uuid.uuid4().hex, False, time.monotonic()
        changed = not replace and self.conclusions_stale()
        uri, rules = self.settings.uri, ontology.digest
        try:
            with self.driver.session(database=self.database) as session:
                with open_transaction(session) as tx:
                    previous = previous_load(tx, META_KEY, self._take_load_lock(tx, load_id))
                    trusted = untouched_since_record(self.driver, self.database, META_KEY)
                    written = RegisterWrite(register, plan, ontology, hashing, load_id, META_KEY)
                    scope = written.write(tx, previous, trusted, progress)
                    concluded = conclude_in(
                        tx,
                        META_KEY,
                        as_of or date.today(),
                        trusted=trusted,
                        planned_digest=lambda: sum_digest(hashing.result().values()),
                        drawn=drawing.result,
                        version=load_id,
                        scope=scope,
                    )
                    record_hashes(tx, META_KEY, hashing.result(), load_id)
                    digest = concluded["registerDigest"]
                    kept = check_replace(  # True: the same register is loaded, nothing to write
                        previous, digest, uri=uri, replace=replace, changed=changed, rules=rules
                    )
                    committing = not kept  # a failure from here on: did it land?
                    _finish_load(tx, counts, kept)
                bookmarks = session.last_bookmarks()
        except RegisterReplaceRefused:
            raise
        except Exception as exc:
            self._after_failed_load(exc, committing, load_id, len(register.contracts))
            counts["commit_confirmed_after_drop"] = True
        else:
            if committing:
                record_transaction(self.driver, self.database, META_KEY, bookmarks)
            counts.update(findings=concluded["findings"], kept=kept)
        counts["seconds"] = round(time.monotonic() - started, 3)
        return _load_result(
            counts, previous, load_id, same=previous.digest == digest and not changed
        )

    def _in_background(
        self, register: Register, plan: list[Any], ontology: Any, as_of: date | None
    ) -> tuple[Future[dict[Any, int]], Future[Drawn]]:
        """What a load computes while the server writes the register: its node hashes from the
        plan's rows and its conclusions drawn in memory (:func:`~.conclusions.draw`), with every
        finding's sentences when the stored findings will not be trusted (every one is written;
        a guess made before the load lock, which the conclusions stage checks)."""
        everything = not untouched_since_record(self.driver, self.database, META_KEY)
        hashing = _DIGESTS.submit(node_hashes, plan, ontology.nodes)
        names = planned_names(plan)
        when = as_of or date.today()
        drawing = _DIGESTS.submit(
            draw, register, ontology.rules, when, names, ontology.digest, sentences=everything
        )
        return hashing, drawing

    def _after_failed_load(
        self, exc: Exception, committing: bool, load_id: str, contracts: int
    ) -> None:
        """Raise the error that says what a failed load left behind
        (:func:`~.diagnosis.after_failed_load`); return only when the connection dropped during
        the commit and Neo4j confirms the load was committed."""
        failed = after_failed_load(
            self.settings,
            exc,
            contracts,
            committing=committing,
            landed=lambda: self._commit_outcome(load_id),
        )
        if failed is exc:
            raise exc
        if failed is not None:
            raise failed from None

    def _take_load_lock(self, tx: Any, load_id: str) -> str | None:
        """Tag the meta node with ``load_id``: an exclusive lock held until commit or rollback.
        Another load (or a guarded read) holding it makes this wait. Returns the id it replaced
        (the last committed load's; None before any)."""
        record = self._with_notice(
            "another load into Neo4j at {uri} is in progress; waiting for it to finish "
            "(this load then replaces it)",
            lambda: tx.run(_STORE["tag-load"], {"key": META_KEY, "loadId": load_id}).single(),
        )
        previous = record["previous"] if record is not None else None
        settle_in(tx, META_KEY, previous)  # what a batched load begun meanwhile wrote
        return previous

    def _commit_outcome(self, load_id: str) -> bool | None:
        """After the connection was lost during COMMIT: did the load land? None: cannot tell.

        The check takes the load lock first, so a commit still in flight on the server (or a
        transaction the server is still rolling back) finishes before the load id is read.
        """

        def check() -> bool:
            with self._load_lock("waiting for the load lock to check the commit") as found:
                return found[0] == load_id

        try:
            return retry_while_unavailable(self.settings, check, max(self.settings.wait, 10.0))
        except Neo4jUnavailableError:
            return None


@contextlib.contextmanager
def open_transaction(session: Any) -> Iterator[Any]:
    """An explicit transaction of ``session``, rolled back at the end unless committed (a failed
    rollback is ignored: the server drops the transaction with the connection anyway)."""
    tx = session.begin_transaction()
    try:
        yield tx
    finally:
        if not tx.closed():
            with contextlib.suppress(Exception):
                tx.rollback()


def _load_result(
    counts: dict[str, Any], previous: Any, load_id: str, *, same: bool
) -> dict[str, Any]:
    """What :meth:`Neo4jStore.load_register` returns: ``counts`` with the load id of the register
    loaded (the previous one when it was kept), ``replaced`` and ``sameRegister``."""
    counts["loadId"] = previous.load_id if counts.get("kept") else load_id
    counts["replaced"] = previous.contracts
    counts["sameRegister"] = previous.loaded and same
    return counts


def _finish_load(tx: Any, counts: dict[str, Any], kept: bool) -> None:
    """Commit the load in ``tx`` (recording ``counts``), or roll it back when ``kept`` (the same
    register is loaded: nothing to write)."""
    if kept:
        tx.rollback()
        return
    tx.run(_STORE["finish-load"], {"key": META_KEY, "counts": counts}).consume()
    tx.commit()
