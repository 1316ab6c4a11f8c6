"""The Neo4j store: connection settings, a checked connection, atomic register loads, reads."""

from __future__ import annotations

import contextlib
import re
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

from sourcing_graph.errors import (
    ConnectionSettingsError,
    LoadError,
    Neo4jUnavailableError,
    Problem,
    QueryError,
    ReadOnlyViolation,
    RegisterError,
)
from sourcing_graph.model import (
    MAX_ID_LENGTH,
    Register,
    instance_uri,
    subcontracting_key,
)
from sourcing_graph.text import visible

URI_SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")
REGISTER_LABELS = ("Contract", "Lot", "Function", "Organisation")
BATCH_SIZE = 5000

META_LABEL = "SourcingGraphMeta"
META_KEY = "register"
LOCK_NOTICE_AFTER = 3.0
"""Seconds a load waits for the load lock before it says that another load holds it."""

Progress = Callable[[str, int, int], None]
"""A progress callback: ``(stage, done, total)``."""

Notify = Callable[[str], None]
"""A callback for one-line notes while waiting (for the server, for another load)."""

T = TypeVar("T")


@dataclass(frozen=True)
class Neo4jSettings:
    """Where and how to connect. The password never appears in ``repr`` or messages.

    ``trusted_ca`` is a PEM file of the CA certificate(s) that signed the server's certificate
    (a self-hosted server with its own CA): the connection is then encrypted and trusts only
    those CAs, also for ``bolt://``/``neo4j://`` URIs. ``+s`` URIs without it trust the system's
    CAs (which honour ``SSL_CERT_FILE``); ``+ssc`` URIs accept any certificate.
    A URI with credentials in it (``user:password@host``) is refused and never echoed.
    """

    uri: str
    user: str = "neo4j"
    password: str | None = field(default=None, repr=False)
    database: str | None = None
    trusted_ca: str | None = None
    wait: float = 0.0
    """Seconds :meth:`Neo4jStore.connect` keeps retrying while the server is not (yet) available."""

    def __post_init__(self) -> None:
        if not self.wait >= 0:
            raise ConnectionSettingsError(
                f"the wait for Neo4j must be a number of seconds >= 0, not {self.wait!r}"
            )
        shown = redact_uri(self.uri)
        if "@" in self.uri.partition("://")[2]:
            raise ConnectionSettingsError(
                f"NEO4J_URI {shown!r} holds credentials; put the user in NEO4J_USER (--user) and "
                "the password in NEO4J_PASSWORD (--password-file), never in the URI"
            )
        try:
            parts = urlsplit(self.uri)
        except ValueError as exc:
            raise ConnectionSettingsError(
                f"NEO4J_URI {shown!r} is not a valid URI: {exc}"
            ) from None
        scheme = parts.scheme.lower()
        if scheme not in URI_SCHEMES:
            raise ConnectionSettingsError(
                f"NEO4J_URI {shown!r} is not a Neo4j URI; expected one starting with "
                + ", ".join(f"{s}://" for s in URI_SCHEMES)
            )
        if not parts.hostname:
            raise ConnectionSettingsError(f"NEO4J_URI {shown!r} names no host")
        if self.trusted_ca is not None:
            if scheme.endswith("+ssc"):
                raise ConnectionSettingsError(
                    f"NEO4J_TRUSTED_CA cannot be used with {scheme}:// (which accepts any "
                    f"certificate); use {scheme[:-4]}+s:// or {scheme[:-4]}:// with it"
                )
            if not Path(self.trusted_ca).is_file():
                raise ConnectionSettingsError(
                    f"NEO4J_TRUSTED_CA {str(self.trusted_ca)!r} is not a file (expected the PEM "
                    "certificate of the CA that signed the server's certificate)"
                )


def redact_uri(uri: str) -> str:
    """``uri`` with anything between ``://`` and the last ``@`` (user, password) as ``***``."""
    scheme, sep, rest = uri.partition("://")
    if "@" not in rest:
        return uri
    return f"{scheme}{sep}***@{rest.rpartition('@')[2]}"


class Neo4jStore:
    """A connection to one Neo4j database holding the ontology and (at most) one register."""

    def __init__(self, driver: Any, settings: Neo4jSettings, notify: Notify | None = None) -> None:
        self.driver = driver
        self.settings = settings
        self.notify = notify
        self.pinned_load_id: str | None = None
        """When set, :meth:`stable` refuses to read a register other than this load's."""

    @property
    def database(self) -> str | None:
        return self.settings.database

    @classmethod
    def connect(cls, settings: Neo4jSettings, notify: Notify | None = None) -> Neo4jStore:
        """Open a driver and check that the server answers and accepts the credentials.

        While the server is unavailable or not ready yet (connection refused, database starting),
        it retries with a bounded backoff for up to ``settings.wait`` seconds, telling ``notify``
        (if given) that it waits; a refused password or an unknown database fails at once.
        """
        import neo4j
        from neo4j import exceptions as nx

        auth = (settings.user, settings.password) if settings.password is not None else None
        uri, security = _driver_security(settings)
        try:
            driver = neo4j.GraphDatabase.driver(
                uri,
                auth=auth,
                connection_timeout=10,
                max_transaction_retry_time=5,
                notifications_min_severity="OFF",
                **security,
            )
        except (nx.ConfigurationError, ValueError) as exc:
            raise ConnectionSettingsError(f"cannot use NEO4J_URI {settings.uri!r}: {exc}") from None
        try:
            _retry_while_unavailable(
                settings,
                lambda: _probe(driver, settings.database),
                settings.wait,
                notify,
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
        """Run a query in a read-only transaction; rows as plain dicts (Neo4j values converted)."""
        import neo4j
        from neo4j import exceptions as nx

        def work(tx: Any) -> list[dict[str, Any]]:
            result = tx.run(cypher, params or {})
            return [{k: _plain(v) for k, v in rec.items()} for rec in result]

        try:
            with self.driver.session(
                database=self.database, default_access_mode=neo4j.READ_ACCESS
            ) as session:
                return session.execute_read(work)
        except nx.Neo4jError as exc:
            if _is_auth_error(exc):
                raise _unavailable(self.settings, exc) from None
            code = exc.code or ""
            if "AccessMode" in code or "ForbiddenOnReadOnlyDatabase" in code:
                raise ReadOnlyViolation(
                    "the query tries to write, but queries run read-only unless asked otherwise "
                    "(sourcing-graph query --write runs it in a write transaction)"
                ) from None
            raise QueryError(f"Neo4j refused the query: {exc.message}") from None
        except (nx.ServiceUnavailable, nx.SessionExpired, OSError) as exc:
            raise _unavailable(self.settings, exc) from None

    def write(self, cypher: str, params: dict[str, Any] | None = None) -> None:
        """Run one write statement in its own transaction (for set-up and tests)."""
        with self.driver.session(database=self.database) as session:
            session.execute_write(lambda tx: tx.run(cypher, params or {}).consume())

    def read_write(
        self, cypher: str, params: dict[str, Any] | None = None
    ) -> tuple[list[dict[str, Any]], dict[str, int]]:
        """Run a query in a write transaction (``query --write``): its rows and what it changed.

        The counters are the server's (``nodes_created``, ``properties_set``...; only those that
        are not zero). Errors as in :meth:`read`.
        """
        from neo4j import exceptions as nx

        def work(tx: Any) -> tuple[list[dict[str, Any]], dict[str, int]]:
            result = tx.run(cypher, params or {})
            rows = [{k: _plain(v) for k, v in rec.items()} for rec in result]
            counters = result.consume().counters
            changed = {
                name: value
                for name in dir(counters)
                if not name.startswith("_")
                and isinstance(value := getattr(counters, name), int)
                and not isinstance(value, bool)
                and value
            }
            return rows, changed

        try:
            with self.driver.session(database=self.database) as session:
                return session.execute_write(work)
        except nx.Neo4jError as exc:
            raise QueryError(f"Neo4j refused the query: {exc.message}") from None
        except (nx.ServiceUnavailable, nx.SessionExpired, OSError) as exc:
            raise _unavailable(self.settings, exc) from None

    def register_counts(self) -> dict[str, int]:
        """How many nodes of each register label and relationships the database holds."""
        rows = self.stable(lambda: self.read(_COUNTS))
        return dict(rows[0])

    def load_info(self) -> dict[str, Any] | None:
        """The last committed load: ``loadId``, ``loadedAt`` and its counts; None before any."""
        rows = self.read(
            f"MATCH (m:{META_LABEL} {{key: $key}}) WHERE m.loadId IS NOT NULL "
            "RETURN properties(m) AS meta",
            {"key": META_KEY},
        )
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
        without write rights cannot take the lock; ``work`` then runs unguarded.
        """
        try:
            with self._load_lock(
                "a load into Neo4j at {uri} is in progress; waiting for it to finish before reading"
            ) as load_id:
                if self.pinned_load_id is not None and load_id != self.pinned_load_id:
                    raise QueryError(
                        f"another load replaced the register in Neo4j at {self.settings.uri} "
                        "before the analysis ran; run the command again"
                    )
                return work()
        except Exception as exc:
            if _is_connection_error(exc):
                raise _unavailable(self.settings, exc) from None
            raise

    @contextlib.contextmanager
    def _load_lock(self, notice: str) -> Iterator[str | None]:
        """Hold the load lock in a side transaction (rolled back at the end); yields the load id
        of the register then loaded (None before any load). Driver errors pass unchanged."""
        from neo4j import exceptions as nx

        with self.driver.session(database=self.database) as session:
            tx = session.begin_transaction()
            try:
                try:
                    rows = self._with_notice(
                        notice, lambda: tx.run(_LOCKED_LOAD_ID, {"key": META_KEY}).data()
                    )
                except nx.ClientError as exc:
                    if not _read_only_refusal(exc):
                        raise
                    # no write rights (a read-only user or database): read without the guard
                    info = self.load_info()
                    yield None if info is None else info.get("loadId")
                    return
                yield rows[0]["loadId"] if rows else None
            finally:
                if not tx.closed():
                    with contextlib.suppress(Exception):
                        tx.rollback()

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
        """Create the constraints and indexes, then (re)load the ontology; both idempotent.

        ``rules_source`` is changed rule data (a Turtle file, Turtle text or an rdflib Graph) as
        :func:`~sourcing_graph.ontology.rules.load_rules` takes it; None loads the packaged
        ontology, so the rules in Neo4j are always the ones the caller analyses with. The
        ontology is written under the load lock (see :meth:`load_register`).
        """
        from sourcing_graph.graph.ontology_loader import ontology_writer

        write_ontology, _ = ontology_writer(rules_source)

        def work(tx: Any) -> None:
            tx.run(_TAKE_LOCK, {"key": META_KEY}).consume()
            write_ontology(tx)

        try:
            self._ensure_constraints()
            with self.driver.session(database=self.database) as session:
                session.execute_write(work)
        except Exception as exc:
            if _is_connection_error(exc):
                raise _unavailable(self.settings, exc) from None
            if not _read_only_refusal(exc):
                raise
            self._schema_read_only(rules_source)

    def _schema_read_only(self, rules_source: Any) -> None:
        """The server refuses writes (a read-only database or user): analyses can still read
        what is there, with the rule data stored there; changed rule data cannot be applied."""
        where = f"Neo4j at {self.settings.uri} refuses writes (a read-only database, or a user without write rights)"
        if rules_source is not None:
            raise QueryError(
                f"{where}, so the changed rule data cannot be stored there; analyse with "
                "--engine embedded, or where the rules may be written"
            )
        if self.notify is not None:
            self.notify(f"note: {where}; analysing with the ontology and rule data stored there")

    def _ensure_constraints(self) -> None:
        from sourcing_graph.graph.ontology_loader import ensure_constraints

        try:
            ensure_constraints(self.driver, self.database)
        except Exception as exc:
            if _is_connection_error(exc) or _is_auth_error(exc):
                raise _unavailable(self.settings, exc) from None
            raise

    def load_register(
        self, register: Register, progress: Progress | None = None, rules_source: Any = None
    ) -> dict[str, Any]:
        """Replace the loaded register (and the ontology) by ``register`` in ONE transaction.

        The constraints come first, in their own transactions. Then one explicit transaction
        takes the load lock (the ``SourcingGraphMeta`` node, tagged with a fresh load id), writes
        the ontology (with ``rules_source``, see :meth:`ensure_schema`) and replaces the old
        register in place (nodes it no longer has and all register relationships removed, nodes
        merged by id with their properties replaced, relationships created) in batched
        ``UNWIND`` statements.

        - A failure of any kind (bad data, a lost connection, the server killed) leaves the
          previous register intact, and a rerun then succeeds.
        - A second load started meanwhile (another process) waits at the lock until this one has
          committed, then replaces it fully: the graph is always one whole register.
        - If the connection is lost while committing, the store reconnects (waiting up to
          ``settings.wait``, at least 10 s) and reads the load id under the lock to tell whether
          this load landed (the load returns normally, ``commit_confirmed_after_drop`` set) or
          not (an error saying so).

        Returns the counts written, ``seconds`` and ``loadId``.
        """
        _check_identifiers(register)
        from sourcing_graph.graph.ontology_loader import ontology_writer

        write_ontology, _ = ontology_writer(rules_source)  # bad rule data: nothing written
        self._ensure_constraints()
        plan = list(_load_plan(register))
        total = sum(len(rows) for _, _, rows in plan)
        counts: dict[str, Any] = dict(register.counts())
        load_id = uuid.uuid4().hex
        done = 0
        committing = False
        started = time.monotonic()
        try:
            with self.driver.session(database=self.database) as session:
                tx = session.begin_transaction()
                try:
                    self._take_load_lock(tx, load_id)
                    write_ontology(tx)
                    if progress:
                        progress("removing what the new register no longer has", 0, total)
                    for label, ids in _ids(register).items():
                        tx.run(_REMOVE_STALE[label], {"ids": ids}).consume()
                    for cypher in _REMOVE_RELATIONSHIPS:
                        tx.run(cypher).consume()
                    for stage, cypher, rows in plan:
                        for start in range(0, len(rows), BATCH_SIZE):
                            batch = rows[start : start + BATCH_SIZE]
                            tx.run(cypher, {"rows": batch}).consume()
                            done += len(batch)
                            if progress:
                                progress(stage, done, total)
                    tx.run(_FINISH_LOAD, {"key": META_KEY, "counts": counts}).consume()
                    committing = True
                    tx.commit()
                finally:
                    if not tx.closed():
                        with contextlib.suppress(Exception):
                            tx.rollback()
        except Exception as exc:
            if _is_auth_error(exc):
                raise _unavailable(self.settings, exc) from None
            if not _is_connection_error(exc):
                failed = _load_failed(self.settings, exc, len(register.contracts))
                if failed is None:
                    raise
                raise failed from None
            uri = self.settings.uri
            if not committing:
                raise Neo4jUnavailableError(
                    f"lost the connection to Neo4j at {uri} during the load; nothing of "
                    "this load was committed and the previously loaded register is intact"
                ) from None
            landed = self._commit_outcome(load_id)
            if landed is None:
                raise Neo4jUnavailableError(
                    f"lost the connection to Neo4j at {uri} while committing the load and could "
                    "not reach it again to check: the load may or may not have been committed; "
                    "run it again (a load replaces whatever register is there)"
                ) from None
            if not landed:
                raise Neo4jUnavailableError(
                    f"lost the connection to Neo4j at {uri} while committing the load; Neo4j "
                    "confirms it was not committed and the previously loaded register is intact"
                ) from None
            counts["commit_confirmed_after_drop"] = True
        counts["seconds"] = round(time.monotonic() - started, 3)
        counts["loadId"] = load_id
        return counts

    def _take_load_lock(self, tx: Any, load_id: str) -> None:
        """Tag the meta node with ``load_id``: an exclusive lock held until commit or rollback.
        Another load (or a guarded read) holding it makes this wait."""
        self._with_notice(
            "another load into Neo4j at {uri} is in progress; waiting for it to finish "
            "(this load then replaces it)",
            lambda: tx.run(_TAG_LOAD, {"key": META_KEY, "loadId": load_id}).consume(),
        )

    def _commit_outcome(self, load_id: str) -> bool | None:
        """After the connection was lost during COMMIT: did the load land? None: cannot tell.

        The check takes the load lock first, so a commit still in flight on the server (or a
        transaction the server is still rolling back) finishes before the load id is read.
        """

        def check() -> bool:
            with self._load_lock("waiting for the load lock to check the commit") as found:
                return found == load_id

        try:
            return _retry_while_unavailable(self.settings, check, max(self.settings.wait, 10.0))
        except Neo4jUnavailableError:
            return None


# -- the load plan: (stage, parameterised Cypher, rows) ----------------------------------------

_COUNTS = (
    "CALL () { MATCH (c:Contract) RETURN count(c) AS contracts } "
    "CALL () { MATCH (l:Lot) RETURN count(l) AS lots } "
    "CALL () { MATCH (f:Function) RETURN count(f) AS functions } "
    "CALL () { MATCH (o:Organisation) RETURN count(o) AS organisations } "
    "CALL () { MATCH (:Lot)-[d:DEPENDS_ON]->(:Lot) RETURN count(d) AS dependencies } "
    "CALL () { MATCH (:Contract)-[s:SUPPLY_CHAIN]->(:Organisation) "
    "RETURN count(s) AS subcontracting } "
    "RETURN contracts, lots, functions, organisations, dependencies, subcontracting"
)

# The load lock and tag: the first statement of every load (and of an ontology-only write) sets a
# property of the one meta node, which takes its exclusive lock until the transaction ends.
_TAG_LOAD = f"""
MERGE (m:{META_LABEL} {{key: $key}})
SET m.loadId = $loadId
"""

_TAKE_LOCK = f"""
MERGE (m:{META_LABEL} {{key: $key}})
SET m.locked = true
REMOVE m.locked
"""

_FINISH_LOAD = f"""
MATCH (m:{META_LABEL} {{key: $key}})
SET m += $counts, m.loadedAt = datetime()
"""

_LOCKED_LOAD_ID = _TAKE_LOCK + "RETURN m.loadId AS loadId"

# Replacing in place: nodes whose id is no longer in the register go, every register relationship
# goes, then nodes are merged by id (their properties replaced) and relationships created afresh.
# Merging keeps the id index untouched for ids that stay, which keeps a replacing load as fast as a
# first one (deleting and re-creating 100k nodes with the same ids in one transaction is not).
_REMOVE_STALE = {
    label: f"MATCH (n:{label}) WHERE NOT n.id IN $ids DETACH DELETE n" for label in REGISTER_LABELS
}

_REMOVE_RELATIONSHIPS = (
    "MATCH (:Contract)-[r:SUPPLIED_BY|PART_OF|DECLARED_MODE|HAS_CLAUSE|DELIVERS|SUPPLY_CHAIN]->() "
    "DELETE r",
    "MATCH (:Lot)-[r:DEPENDS_ON|COORDINATED_BY]->() DELETE r",
)

_MERGE_ORGANISATIONS = """
UNWIND $rows AS row
MERGE (o:Organisation {id: row.id})
SET o = row.props
"""

_MERGE_FUNCTIONS = """
UNWIND $rows AS row
MERGE (f:Function {id: row.id})
SET f = row.props
"""

_MERGE_LOTS = """
UNWIND $rows AS row
MERGE (l:Lot {id: row.id})
SET l = row.props
WITH l, row
MATCH (p:Organisation {id: row.prime})
CREATE (l)-[:COORDINATED_BY]->(p)
"""

_CREATE_DEPENDENCIES = """
UNWIND $rows AS row
MATCH (a:Lot {id: row[0]})
MATCH (b:Lot {id: row[1]})
CREATE (a)-[:DEPENDS_ON]->(b)
"""

_MERGE_CONTRACTS = """
UNWIND $rows AS row
MERGE (c:Contract {id: row.id})
SET c = row.props
WITH c, row
MATCH (s:Organisation {id: row.supplier})
MATCH (l:Lot {id: row.lot})
CREATE (s)<-[:SUPPLIED_BY]-(c)-[:PART_OF]->(l)
WITH c, row
CALL (c, row) {
  MATCH (m:CollaborationMode {key: row.mode})
  CREATE (c)-[:DECLARED_MODE]->(m)
}
CALL (c, row) {
  UNWIND row.clauses AS clause
  MATCH (t:ClauseType {key: clause})
  CREATE (c)-[:HAS_CLAUSE]->(t)
}
CALL (c, row) {
  UNWIND row.functions AS fid
  MATCH (f:Function {id: fid})
  CREATE (c)-[:DELIVERS]->(f)
}
"""

_CREATE_SUPPLY_CHAIN = """
UNWIND $rows AS row
MATCH (c:Contract {id: row.contract})
MATCH (o:Organisation {id: row.supplier})
CREATE (c)-[:SUPPLY_CHAIN {rank: row.rank, recipient: row.recipient, serviceType: row.serviceType}]->(o)
"""


def _check_identifiers(register: Register) -> None:
    """Refuse identifiers Neo4j's id index cannot hold (the readers refuse them already)."""
    problems = [
        Problem(
            register.source or "<register>",
            1,
            1,
            f"{label.lower()} identifier of {len(ident)} characters is too long for Neo4j",
            ident[:40] + "...",
            f"at most {MAX_ID_LENGTH} characters",
        )
        for label, ids in _ids(register).items()
        for ident in ids
        if len(ident) > MAX_ID_LENGTH
    ]
    if problems:
        raise RegisterError(problems[:100], truncated=len(problems) > 100)


def _ids(register: Register) -> dict[str, list[str]]:
    return {
        "Contract": list(register.contracts),
        "Lot": list(register.lots),
        "Function": list(register.functions),
        "Organisation": list(register.organisations),
    }


EXTRA_PREFIX = "extra_"


def _props(extra: dict[str, str], **ours: Any) -> dict[str, Any]:
    """A node's whole property map: ours, then the register's extra columns, none lost.

    An extra column whose name a property of ours (or an earlier extra column) already has is
    stored as ``extra_<name>`` (``extra_extra_<name>`` when that is taken too, and so on).
    """
    props = dict(ours)
    for column, value in extra.items():
        key = column
        while key in props:
            key = EXTRA_PREFIX + key
        props[key] = value
    return props


def _load_plan(register: Register) -> Iterator[tuple[str, str, list[Any]]]:
    yield (
        "organisations",
        _MERGE_ORGANISATIONS,
        [
            {
                "id": o.id,
                "props": _props(
                    o.extra,
                    id=o.id,
                    uri=instance_uri("org", o.id),
                    name=o.name,
                    internal=register.is_internal(o.id),
                    parent=o.parent,
                ),
            }
            for o in register.organisations.values()
        ],
    )
    yield (
        "functions",
        _MERGE_FUNCTIONS,
        [
            {
                "id": f.id,
                "props": _props(
                    f.extra,
                    id=f.id,
                    uri=instance_uri("function", f.id),
                    name=f.name,
                    critical=f.critical,
                    retained=f.retained,
                ),
            }
            for f in register.functions.values()
        ],
    )
    yield (
        "lots",
        _MERGE_LOTS,
        [
            {
                "id": lot.id,
                "prime": lot.prime_contractor,
                "props": _props(
                    lot.extra,
                    id=lot.id,
                    uri=instance_uri("lot", lot.id),
                    name=lot.name,
                    complexity=lot.complexity,
                    dynamics=lot.dynamics,
                    commodity=lot.commodity,
                ),
            }
            for lot in register.lots.values()
        ],
    )
    yield ("dependencies", _CREATE_DEPENDENCIES, [list(d) for d in sorted(register.dependencies)])
    yield (
        "contracts",
        _MERGE_CONTRACTS,
        [
            {
                "id": c.id,
                "supplier": c.supplier,
                "lot": c.lot,
                "mode": c.mode,
                "clauses": sorted(c.clauses),
                "functions": sorted(c.functions),
                "props": _props(
                    c.extra,
                    id=c.id,
                    uri=instance_uri("contract", c.id),
                    startDate=c.start_date,
                    endDate=c.end_date,
                    annualValue=c.annual_value,
                    selectionBasis=c.selection_basis,
                ),
            }
            for c in register.contracts.values()
        ],
    )
    yield (
        "supply chains",
        _CREATE_SUPPLY_CHAIN,
        [
            {
                "contract": s.contract,
                "supplier": s.supplier,
                "rank": s.rank,
                "recipient": s.recipient,
                "serviceType": s.service_type,
            }
            for s in sorted(register.subcontracting, key=subcontracting_key)
        ],
    )


# -- helpers --------------------------------------------------------------------------------


_PLAIN_TYPES = frozenset({str, int, float, bool, type(None)})


def _plain(value: Any) -> Any:
    """Convert Neo4j values to plain ones: temporals to ISO text, nodes and relationships to dicts."""
    if type(value) in _PLAIN_TYPES:
        return value
    from neo4j.graph import Node, Path, Relationship

    if isinstance(value, Node):
        return {"_labels": sorted(value.labels), **{k: _plain(v) for k, v in value.items()}}
    if isinstance(value, Relationship):
        return {"_type": value.type, **{k: _plain(v) for k, v in value.items()}}
    if isinstance(value, Path):
        return [_plain(n) for n in value.nodes]
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    iso = getattr(value, "iso_format", None)
    if callable(iso):
        return iso()
    return value


def _probe(driver: Any, database: str | None) -> None:
    with driver.session(database=database) as session:
        session.run("RETURN 1").consume()


def _retry_while_unavailable(
    settings: Neo4jSettings, attempt: Callable[[], T], wait: float, notify: Notify | None = None
) -> T:
    """``attempt()``, retried with a bounded backoff (0.25 s doubling to 2 s) for up to ``wait``
    seconds while Neo4j is unavailable or not ready; any other failure is raised at once."""
    started = time.monotonic()
    delay = 0.25
    next_note = 0.0
    while True:
        try:
            return attempt()
        except Exception as exc:
            waited = time.monotonic() - started
            if not _not_ready(exc, settings) or waited >= wait:
                raise _unavailable(settings, exc, waited if wait > 0 else None) from None
            if notify is not None and waited >= next_note:
                notify(
                    f"Neo4j at {settings.uri} is not available yet ({_reason(settings, exc)}); "
                    f"waiting up to {wait:g} s ({waited:.0f} s so far)"
                )
                next_note = waited + 10.0
            time.sleep(min(delay, max(wait - waited, 0.0)))
            delay = min(delay * 2, 2.0)


def _not_ready(exc: BaseException, settings: Neo4jSettings) -> bool:
    """Whether ``exc`` means "unavailable or not ready yet" (worth waiting for), never a refusal."""
    from neo4j import exceptions as nx

    if isinstance(exc, (nx.AuthError, nx.ConfigurationError, nx.Forbidden)):
        return False
    import ssl

    causes = list(_causes(exc))
    if any(isinstance(c, ssl.SSLError) for c in causes):
        return False  # a certificate or TLS mismatch does not mend itself: say so at once
    encrypted = "+" in settings.uri.partition("://")[0] or settings.trusted_ca is not None
    if (
        not encrypted
        and any("handshake" in str(c).lower() for c in causes)
        and _speaks_tls(settings.uri)
    ):
        return False  # a plain connection to a server that requires TLS: no use waiting
    if isinstance(exc, nx.Neo4jError):
        code = exc.code or ""
        return isinstance(exc, nx.TransientError) or "DatabaseUnavailable" in code
    return isinstance(exc, (nx.ServiceUnavailable, nx.SessionExpired, OSError))


def _read_only_refusal(exc: Any) -> bool:
    """Whether the server refused a write: a user without write rights (``Forbidden``), a READ
    session (``AccessMode``) or a read-only database (``WriteOnReadOnlyAccessDatabase``)."""
    code = getattr(exc, "code", None) or ""
    return any(part in code for part in ("Forbidden", "AccessMode", "ReadOnly"))


def _is_connection_error(exc: BaseException) -> bool:
    from neo4j import exceptions as nx

    return isinstance(
        exc,
        (
            nx.ServiceUnavailable,
            nx.SessionExpired,
            nx.IncompleteCommit,
            ConnectionError,
            BrokenPipeError,
            nx.DriverError,
        ),
    ) and not isinstance(exc, nx.AuthError)


def _is_auth_error(exc: BaseException) -> bool:
    """The server refused the login: wrong credentials, or too many wrong ones in a row."""
    from neo4j import exceptions as nx

    return isinstance(exc, nx.AuthError) or (
        isinstance(exc, nx.Neo4jError) and (exc.code or "").endswith(".AuthenticationRateLimit")
    )


def _driver_security(settings: Neo4jSettings) -> tuple[str, dict[str, Any]]:
    """The URI and encryption settings for the driver.

    The driver takes ``encrypted``/``trusted_certificates`` only with ``bolt://``/``neo4j://``, so a
    custom CA turns ``neo4j+s://`` into ``neo4j://`` with encryption on and exactly that CA trusted
    (``+s`` means the same thing with the system's CAs).
    """
    if settings.trusted_ca is None:
        return settings.uri, {}
    import ssl

    import neo4j

    try:
        ssl.create_default_context(cafile=str(settings.trusted_ca))
    except (ssl.SSLError, OSError) as exc:
        raise ConnectionSettingsError(
            f"NEO4J_TRUSTED_CA {str(settings.trusted_ca)!r} holds no usable PEM certificate: "
            f"{getattr(exc, 'reason', None) or exc}"
        ) from None
    scheme, sep, rest = settings.uri.partition("://")
    plain = scheme.lower().removesuffix("+s")
    return f"{plain}{sep}{rest}", {
        "encrypted": True,
        "trusted_certificates": neo4j.TrustCustomCAs(str(settings.trusted_ca)),
    }


def _causes(exc: BaseException) -> Iterator[BaseException]:
    """``exc``, the exceptions it was raised from and, for exception groups, their members."""
    seen: set[int] = set()
    todo = [exc]
    while todo:
        current = todo.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        todo.extend(getattr(current, "exceptions", None) or ())
        todo.extend(e for e in (current.__cause__, current.__context__) if e is not None)


def _tls_problem(settings: Neo4jSettings, exc: BaseException) -> str | None:
    """What went wrong with TLS, in one line with the fix, or None when it was not TLS."""
    import ssl

    causes = list(_causes(exc))
    scheme = settings.uri.partition("://")[0].lower()
    base = scheme.split("+")[0]
    for cause in causes:
        if isinstance(cause, ssl.SSLCertVerificationError):
            detail = (cause.verify_message or str(cause)).rstrip(".")
            if "mismatch" in detail:
                return (
                    f"the server's TLS certificate does not name the host of the URI ({detail}); "
                    "connect with a host name the certificate names"
                )
            if settings.trusted_ca is not None:
                return (
                    f"the server's TLS certificate is not trusted ({detail}): it is not signed by "
                    f"the CA in NEO4J_TRUSTED_CA {str(settings.trusted_ca)!r}"
                )
            return (
                f"the server's TLS certificate is not trusted ({detail}); trust the CA that signed "
                "it with --trusted-ca FILE (NEO4J_TRUSTED_CA) or SSL_CERT_FILE, or use "
                f"{base}+ssc:// to accept any certificate"
            )
    encrypted = "+" in scheme or settings.trusted_ca is not None
    if not encrypted and any("handshake" in str(c) for c in causes) and _speaks_tls(settings.uri):
        return (
            f"the server requires an encrypted connection; use {base}+s:// (with --trusted-ca "
            f"FILE when its certificate is signed by your own CA) or {base}+ssc://"
        )
    for cause in causes:
        if isinstance(cause, ssl.SSLError):
            return (
                f"the TLS handshake failed ({cause.reason or type(cause).__name__}); if the server "
                f"does not use TLS on Bolt, connect with {base}:// instead"
            )
    return None


def _speaks_tls(uri: str) -> bool:
    """True when the server at ``uri`` completes a TLS handshake (certificate not checked)."""
    import socket
    import ssl

    parts = urlsplit(uri)
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    try:
        with (
            socket.create_connection((parts.hostname or "", parts.port or 7687), timeout=5) as raw,
            context.wrap_socket(raw, server_hostname=parts.hostname),
        ):
            return True
    except (OSError, ValueError):
        return False


_MEMORY_HINTS = ("OutOfMemory", "MemoryPool", "MemoryLimit", "Database.Unknown")


def _load_failed(settings: Neo4jSettings, exc: BaseException, contracts: int) -> LoadError | None:
    """A server-side failure of a load as one clear message (None: not a Neo4j error).

    The commonest cause is memory: a register loads in one transaction, which must fit in the
    server's heap and transaction memory limits (Neo4j says "Unable to complete transaction" when
    its heap runs out at commit).
    """
    from neo4j import exceptions as nx

    if not isinstance(exc, nx.Neo4jError):
        return None
    code = exc.code or type(exc).__name__
    message = visible((exc.message or "").splitlines()[0] if exc.message else "")[:300]
    text = (
        f"Neo4j at {settings.uri} could not complete the load ({code}: {message}); nothing of this "
        "load was committed and the previously loaded register is intact"
    )
    if _read_only_refusal(exc):
        text += (
            ". The server refuses writes here (a read-only database, or a user without write "
            "rights): load into a writable database, or as a user who may write"
        )
    elif any(hint in code or hint in message for hint in _MEMORY_HINTS):
        limit = re.search(r"\b((?:db|dbms)\.memory\.transaction\.[a-z_.]*max)\b", message)
        if limit:  # the server named the limit the load went over
            fix = f"raise {limit.group(1)} in the server's configuration"
        else:
            fix = (
                "give it more heap (server.memory.heap.max_size; NEO4J_HEAP for scripts/neo4j) "
                "or a higher db.memory.transaction.total.max"
            )
        text += (
            f". A register loads in one transaction ({contracts:,} contracts here); if the server "
            f"ran out of memory (its debug.log says so), {fix}, then load again"
        )
    return LoadError(text)


def _reason(settings: Neo4jSettings, exc: BaseException) -> str:
    """The cause in one short line, without the password."""
    text = str(exc)
    errno = re.search(r"reason (\[Errno \d+\] [^)\n]*)", text)
    reason = errno.group(1) if errno else (text.splitlines()[0] if text else type(exc).__name__)
    if settings.password:
        reason = reason.replace(settings.password, "***")
    return reason


def _unavailable(
    settings: Neo4jSettings, exc: BaseException, waited: float | None = None
) -> Neo4jUnavailableError:
    from neo4j import exceptions as nx

    causes = list(_causes(exc))
    if any(_is_auth_error(c) and not isinstance(c, nx.AuthError) for c in causes):
        return Neo4jUnavailableError(
            f"Neo4j at {settings.uri} refused the login of user {settings.user!r} after too many "
            "wrong passwords in a row; it accepts the right one again after a few seconds "
            "(check NEO4J_USER and NEO4J_PASSWORD)"
        )
    if any(isinstance(c, nx.AuthError) for c in causes):
        return Neo4jUnavailableError(
            f"Neo4j at {settings.uri} refused the credentials of user {settings.user!r} "
            "(check NEO4J_USER and NEO4J_PASSWORD)"
        )
    if isinstance(exc, nx.Neo4jError) and "DatabaseNotFound" in (exc.code or ""):
        return Neo4jUnavailableError(
            f"Neo4j at {settings.uri} has no database {settings.database!r} (check NEO4J_DATABASE)"
        )
    after = f" after waiting {waited:.0f} s" if waited is not None else ""
    reason = _tls_problem(settings, exc) or _reason(settings, exc)
    return Neo4jUnavailableError(f"cannot reach Neo4j at {settings.uri}{after}: {reason}")
