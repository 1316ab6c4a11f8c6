"""Whether the stored conclusions still fit the graph: the digests, after a cheap first check.

A load or refresh records, in its own transaction, the digests of the register part and the rule
data it concluded from (:mod:`.digest`); right after it commits, a second small transaction
records the id of the load's transaction (``concludedTx``, ``<database>:<id>``). A read then asks
the database for its last committed transaction: a read transaction in a new session returns a
bookmark that carries it. When it is the recording transaction (the load's id plus one), nothing
was committed since, so the conclusions fit and nothing more is read. Otherwise the digests are
computed from the graph and compared: a change made with Cypher (in Browser, say) shows as
stale, a write that changed nothing of the register or the rules does not.

The bookmark format is Neo4j's own (checked on 5.26); when it cannot be read the digests decide.
"""

from __future__ import annotations

import base64
import contextlib
from collections.abc import Iterable
from typing import Any

import neo4j

from sourcing_graph.graph.neo4j.digest import register_digest, rules_digest
from sourcing_graph.graph.neo4j.versions import kept_to_visible
from sourcing_graph.queries.statements import statements

__all__ = [
    "SYSTEM_DATABASE_ID",
    "conclusions_stale",
    "current_register_digest",
    "record_transaction",
    "transactions",
    "untouched_since_record",
]

SYSTEM_DATABASE_ID = "00000000000000000000000000000001"
"""The id of the ``system`` database in a bookmark. A session's bookmarks carry every database
its bookmark manager has seen: once the driver used ``system`` (``SHOW DATABASES``, a user
command), they name it beside the register's database."""


def conclusions_stale(driver: Any, database: str | None, key: str) -> bool:
    """True when a register is loaded and its stored conclusions do not fit the graph as it is
    (or none are stored); see the module."""
    with driver.session(database=database, default_access_mode=neo4j.READ_ACCESS) as session:
        row, current = _recorded(session, key)
        if row.get("registerDigest") is None:
            return row.get("loadId") is not None
        if _nothing_committed_since(row.get("concludedTx"), current):
            return False

        def compute(tx: Any) -> tuple[str, str]:
            kept = kept_to_visible(tx, key)  # while a batched load runs: the loaded register

            def run(statement: str, params: dict[str, Any]) -> Iterable[Any]:
                return kept.run(statement, params)

            return register_digest(run), rules_digest(run)

        found = session.execute_read(compute)
    return found != (row["registerDigest"], row["rulesDigest"])


def current_register_digest(driver: Any, database: str | None, key: str) -> str:
    """The digest of the register part as the graph holds it now (while a batched load runs: of
    the loaded register), computed from the graph."""
    with driver.session(database=database, default_access_mode=neo4j.READ_ACCESS) as session:

        def compute(tx: Any) -> str:
            kept = kept_to_visible(tx, key)
            return register_digest(lambda statement, params: kept.run(statement, params))

        return str(session.execute_read(compute))


def untouched_since_record(driver: Any, database: str | None, key: str) -> bool:
    """True when the last committed transaction is the one that recorded the last load or
    refresh: nothing (no Cypher edit, no other writer) changed the graph since our own last write,
    so what it wrote (the findings' ``contentHash``) still describes the graph. False when that
    cannot be told (no record, a bookmark that cannot be read)."""
    with driver.session(database=database, default_access_mode=neo4j.READ_ACCESS) as session:
        row, current = _recorded(session, key)
    return row.get("registerDigest") is not None and _nothing_committed_since(
        row.get("concludedTx"), current
    )


def _recorded(session: Any, key: str) -> tuple[dict[str, Any], dict[str, int] | None]:
    """What the meta node ``key`` recorded at the last load or refresh (``{}`` before any), and
    the last committed transaction ids (:func:`transactions` of the session's bookmarks).

    An auto-commit read: no BEGIN/COMMIT of its own, because a load asks while its transaction
    is open, and a load's only COMMIT must be its own (the commit check after a dropped
    connection relies on it)."""
    recorded = session.run(statements("digest")["recorded"], {"key": key}).data()
    return (recorded[0] if recorded else {}), transactions(session.last_bookmarks().raw_values)


def _nothing_committed_since(recorded: str | None, current: dict[str, int] | None) -> bool:
    if not recorded or not current or ":" not in recorded:
        return False
    database, _, number = recorded.partition(":")
    return number.isdigit() and current.get(database) == int(number) + 1


def record_transaction(driver: Any, database: str | None, key: str, bookmarks: Any) -> None:
    """After a load or refresh committed (``bookmarks``: its session's), record the id of its
    transaction for the cheap check (the ``system`` database's state, which the shared bookmark
    manager may carry too, left out). Best effort: without it the digests decide."""
    found = transactions(getattr(bookmarks, "raw_values", ()))
    if found:
        found.pop(SYSTEM_DATABASE_ID, None)
    if not found or len(found) != 1:
        return
    ((database_id, number),) = found.items()
    with contextlib.suppress(Exception), driver.session(database=database) as session:
        session.execute_write(
            lambda tx: tx.run(
                statements("digest")["record-transaction"],
                {"key": key, "tx": f"{database_id}:{number}"},
            ).consume()
        )


def transactions(bookmarks: Iterable[str]) -> dict[str, int] | None:
    """Database id -> last transaction id, read from Neo4j 5 bookmarks (the ``system`` database's
    :data:`SYSTEM_DATABASE_ID` among them when the bookmark manager saw it); None when they cannot
    be read (another server version, another format).

    A bookmark is ``FB:`` and the base64 of a PackStream list of (database id as 16 bytes,
    transaction id) pairs, then a list of external states.
    """
    found: dict[str, int] = {}
    for bookmark in bookmarks:
        if not bookmark.startswith("FB:"):
            return None
        try:
            data = base64.b64decode(bookmark[3:] + "=" * (-len(bookmark[3:]) % 4))
            found.update(_states(data))
        except (ValueError, IndexError):
            return None
    return found or None


def _states(data: bytes) -> dict[str, int]:
    """The (database id, transaction id) pairs of one decoded bookmark."""
    if not 0x90 <= data[0] <= 0x9F:
        raise ValueError("not a list")
    count, at, states = data[0] - 0x90, 1, {}
    for _ in range(count):
        if data[at] != 0xCC or data[at + 1] != 16:
            raise ValueError("not a database id")
        database = data[at + 2 : at + 18].hex()
        states[database], at = _integer(data, at + 18)
    return states


_INT_SIZES = {0xC8: 1, 0xC9: 2, 0xCA: 4, 0xCB: 8}


def _integer(data: bytes, at: int) -> tuple[int, int]:
    """A PackStream integer at ``at``: its value and where the next value starts."""
    marker = data[at]
    if marker < 0x80:
        return marker, at + 1
    if marker >= 0xF0:
        return marker - 0x100, at + 1
    size = _INT_SIZES.get(marker)
    if size is None:
        raise ValueError("not an integer")
    end = at + 1 + size
    if end > len(data):
        raise ValueError("truncated")
    return int.from_bytes(data[at + 1 : end], "big", signed=True), end
