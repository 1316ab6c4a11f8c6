"""The problems a reader collects: errors (up to a limit, then it stops) and warnings."""

from __future__ import annotations

from sourcing_graph.errors import Problem
from sourcing_graph.loaders.limits import Limits

__all__ = ["Problems", "Stop"]


class Stop(Exception):
    """Raised when the error limit is reached, or a limit of the reader is exceeded."""


class Problems:
    """Collects errors (up to ``max_errors``; one more raises :class:`Stop`) and warnings."""

    def __init__(self, max_errors: int) -> None:
        self.errors: list[Problem] = []
        self.warnings: list[Problem] = []
        self.max_errors = max(1, max_errors)
        self.truncated = False

    def error(
        self,
        file: str,
        line: int,
        column: int,
        message: str,
        value: str | None = None,
        expected: str | None = None,
        setting: str | None = None,
    ) -> None:
        """Add an error; raises :class:`Stop` when ``max_errors`` are already there."""
        if len(self.errors) >= self.max_errors:
            self.truncated = True
            raise Stop
        self.errors.append(Problem(file, line, column, message, value, expected, "error", setting))

    def over_limit(
        self, file: str, line: int, column: int, message: str, limits: Limits, setting: str
    ) -> None:
        """Add an error for a value over the limit ``setting`` (``"max_rows"``, ...)."""
        self.error(file, line, column, message, None, limits.expected(setting), setting)

    def warning(
        self, file: str, line: int, column: int, message: str, value: str | None = None
    ) -> None:
        self.warnings.append(Problem(file, line, column, message, value, None, "warning"))
