"""A store whose reads are noted: which statements an engine ran (the stored rows read, not
derived)."""

from __future__ import annotations

from typing import Any


class Counting:
    """The store's reads, noting which statements ran."""

    def __init__(self, store: Any) -> None:
        self.store = store
        self.ran: list[str] = []

    def read(self, cypher: str, params: dict[str, Any] | None = None) -> Any:
        self.ran.append(cypher)
        return self.store.read(cypher, params)
