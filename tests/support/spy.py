"""Spying on the statements a store sends in its explicit transactions (a load's, a refresh's)."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from sourcing_graph.graph.neo4j import store as store_module

Seen = Callable[[str, dict[str, Any]], None]
"""Told each statement and its parameters before it runs."""


def spy_statements(monkeypatch: pytest.MonkeyPatch, seen: Seen) -> None:
    """Make every transaction the store opens tell ``seen`` each statement it runs."""
    real = store_module.open_transaction

    class Spied:
        def __init__(self, tx: Any) -> None:
            self.tx = tx

        def run(self, cypher: str, params: Any = None, **kwargs: Any) -> Any:
            given = {**(params or {}), **kwargs}
            seen(cypher, given)
            return self.tx.run(cypher, given)

        def __getattr__(self, name: str) -> Any:
            return getattr(self.tx, name)

    @contextlib.contextmanager
    def spied(session: Any) -> Iterator[Any]:
        with real(session) as tx:
            yield Spied(tx)

    monkeypatch.setattr(store_module, "open_transaction", spied)
