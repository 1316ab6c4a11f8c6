"""The server's notifications about the queries a test runs in this process: the driver logs each
one (logger ``neo4j.notifications``); :class:`DeprecationCollector` keeps the deprecations."""

from __future__ import annotations

import logging
import threading

NOTIFICATION_LOGGER = "neo4j.notifications"


class DeprecationCollector(logging.Handler):
    """Keeps, as text, every notification of the DEPRECATION category the driver logs."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.found: list[str] = []
        self.guard = threading.Lock()

    def emit(self, record: logging.LogRecord) -> None:
        # the driver logs "Received notification from DBMS server: %s" with a NotificationPrinter
        printer = record.args[0] if isinstance(record.args, tuple) and record.args else None
        notification = getattr(printer, "notification", None)
        kind = getattr(notification, "classification", None) or getattr(
            notification, "category", None
        )
        if str(getattr(kind, "value", kind)).upper() == "DEPRECATION":
            with self.guard:
                self.found.append(str(printer))

    def add(self, found: list[str]) -> None:
        """Deprecations another process collected (a CLI run, :func:`tests.support.cli.cli`)."""
        with self.guard:
            self.found.extend(found)

    def take(self) -> list[str]:
        """The deprecations collected since the last call (and forget them)."""
        with self.guard:
            found, self.found = self.found, []
        return found


def install() -> DeprecationCollector:
    """A collector on the driver's notification logger, which then passes on every severity."""
    collector = DeprecationCollector()
    logger = logging.getLogger(NOTIFICATION_LOGGER)
    logger.setLevel(logging.DEBUG)
    logger.addHandler(collector)
    return collector


COLLECTOR = install()
"""The collector of this process (the test run's): ``tests/conftest.py`` fails a test it fills."""
