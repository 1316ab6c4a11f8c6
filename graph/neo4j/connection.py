"""Opening a driver and waiting, with a bounded backoff, for a server that is not ready yet."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, TypeVar

import neo4j
from neo4j import exceptions as nx

from sourcing_graph.errors import ConnectionSettingsError
from sourcing_graph.graph.neo4j.diagnosis import not_ready, reason, unavailable
from sourcing_graph.graph.neo4j.settings import URI, Neo4jSettings, driver_security
from sourcing_graph.queries.statements import statements

Notify = Callable[[str], None]
"""A callback for one-line notes while waiting (for the server, for another load)."""

T = TypeVar("T")


def open_driver(settings: Neo4jSettings) -> Any:
    """A driver for ``settings`` (nothing is sent to the server yet)."""
    auth = (settings.user, settings.password) if settings.password is not None else None
    uri, security = driver_security(settings)
    try:
        return neo4j.GraphDatabase.driver(
            uri,
            auth=auth,
            connection_timeout=10,
            max_transaction_retry_time=5,
            notifications_min_severity="OFF",
            **security,
        )
    except (nx.ConfigurationError, ValueError) as exc:
        raise ConnectionSettingsError(
            "cannot use ", URI, f" {settings.uri!r}: {exc}", setting="uri"
        ) from None


def probe(driver: Any, database: str | None) -> None:
    """Check that the server answers and accepts the credentials (driver errors pass unchanged)."""
    with driver.session(database=database) as session:
        session.run(statements("store")["probe"]).consume()


def retry_while_unavailable(
    settings: Neo4jSettings, attempt: Callable[[], T], wait: float, notify: Notify | None = None
) -> T:
    """``attempt()``, retried with a bounded backoff (0.25 s doubling to 2 s) for up to ``wait``
    seconds while Neo4j is unavailable or not ready; any other failure is raised at once, as
    :func:`~sourcing_graph.graph.neo4j.diagnosis.unavailable` describes it."""
    started = time.monotonic()
    delay = 0.25
    next_note = 0.0
    while True:
        try:
            return attempt()
        except Exception as exc:
            waited = time.monotonic() - started
            if not not_ready(exc, settings) or waited >= wait:
                raise unavailable(settings, exc, waited if wait > 0 else None) from None
            if notify is not None and waited >= next_note:
                notify(
                    f"Neo4j at {settings.uri} is not available yet ({reason(settings, exc)}); "
                    f"waiting up to {wait:g} s ({waited:.0f} s so far)"
                )
                next_note = waited + 10.0
            time.sleep(min(delay, max(wait - waited, 0.0)))
            delay = min(delay * 2, 2.0)
