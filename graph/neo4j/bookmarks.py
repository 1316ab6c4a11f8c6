"""The transactions a Neo4j bookmark names, and recording a load's own for the freshness check.

A bookmark of Neo4j 5 is ``FB:`` and the base64 of a PackStream list of (database id, transaction
id) pairs (checked on 5.26). :func:`transactions` reads them (None for another format: then the
digests of :mod:`.freshness` decide); :func:`record_transaction` stores the id of a load's or a
refresh's transaction on the meta node, for :mod:`.freshness`'s cheap check.
"""

from __future__ import annotations

import base64
import contextlib
from collections.abc import Iterable
from typing import Any

from sourcing_graph.queries.statements import statements

__all__ = ["record_transaction", "transactions"]


def record_transaction(driver: Any, database: str | None, key: str, bookmarks: Any) -> None:
    """After a load or refresh committed (``bookmarks``: its session's), record the id of its
    transaction for the cheap check. Best effort: without it the digests decide."""
    found = transactions(getattr(bookmarks, "raw_values", ()))
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
    """Database id -> last transaction id, read from Neo4j 5 bookmarks; None when they cannot be
    read (another server version, another format).

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
