"""Opening a driver whose sessions share one bookmark manager, and waiting, with a bounded
backoff, for a server that is not ready yet."""

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


KEPT_CLASSIFICATIONS = frozenset({"DEPRECATION", "UNSUPPORTED"})
"""What the server tells about the store's own queries by default (``notifications=
"deprecations"``): what a coming version removes or does not support (the driver logs each to
``neo4j.notifications``; the test suite fails on a deprecation). A person's query asks for all
notifications (:data:`~.notices.NOTIFICATION_CONFIG`)."""

QUIET_CLASSIFICATIONS = [
    kind
    for kind in neo4j.NotificationDisabledClassification
    if kind.value not in KEPT_CLASSIFICATIONS
]
"""The rest: an unknown name (a register without DORA data has no ``parent``), performance
hints... say nothing about the store's own queries by default."""


def notification_config(level: str) -> dict[str, Any]:
    """The driver's notification settings for :attr:`Neo4jSettings.notifications` ``level``.

    >>> notification_config("off")
    {'notifications_min_severity': 'OFF'}
    >>> notification_config("warnings")
    {'notifications_min_severity': 'WARNING', 'notifications_disabled_classifications': []}
    """
    if level == "off":
        return {"notifications_min_severity": "OFF"}
    if level == "deprecations":
        return {"notifications_disabled_classifications": QUIET_CLASSIFICATIONS}
    severity = "WARNING" if level == "warnings" else "INFORMATION"
    return {"notifications_min_severity": severity, "notifications_disabled_classifications": []}


class BookmarkedDriver:
    """A Neo4j driver whose sessions all share its one bookmark manager (the driver's own
    ``execute_query_bookmark_manager``, so ``execute_query`` shares it too).

    Causal consistency: each session starts after everything the sessions before it committed,
    so on a cluster a read routed to a follower waits until that follower has applied the load
    before it (on a single server the bookmarks are always satisfied). Everything else is the
    driver's own (``encrypted``, ``close``, ``execute_query``...).
    """

    def __init__(self, driver: Any) -> None:
        self.neo4j_driver = driver
        self.bookmark_manager = driver.execute_query_bookmark_manager

    def session(self, **config: Any) -> Any:
        """``neo4j.Driver.session`` with this driver's bookmark manager (unless one is given)."""
        config.setdefault("bookmark_manager", self.bookmark_manager)
        return self.neo4j_driver.session(**config)

    def close(self) -> None:
        self.neo4j_driver.close()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.neo4j_driver, name)


def open_driver(settings: Neo4jSettings) -> BookmarkedDriver:
    """A driver for ``settings`` (nothing is sent to the server yet): transactions retried for up
    to ``settings.retry_time`` seconds, the server's notifications as ``settings.notifications``
    says (by default its deprecation notices, :data:`KEPT_CLASSIFICATIONS`), and one bookmark
    manager for all its sessions (:class:`BookmarkedDriver`)."""
    auth = (settings.user, settings.password) if settings.password is not None else None
    uri, security = driver_security(settings)
    try:
        driver = neo4j.GraphDatabase.driver(
            uri,
            auth=auth,
            connection_timeout=10,
            max_transaction_retry_time=settings.retry_time,
            **notification_config(settings.notifications),
            **security,
        )
    except (nx.ConfigurationError, ValueError) as exc:
        raise ConnectionSettingsError(
            "cannot use ", URI, f" {settings.uri!r}: {exc}", setting="uri"
        ) from None
    return BookmarkedDriver(driver)


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
