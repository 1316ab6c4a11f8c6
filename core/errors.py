"""The one error hierarchy of sourcing-graph.

::

    SourcingGraphError                 every error this package raises on purpose
    ├── RegisterError                  a register (files or RDF) has problems; nothing is loaded
    ├── MappingError                   a mapping file for a foreign export is wrong
    ├── OntologyError                  the ontology or its rule data is missing or inconsistent
    ├── ConnectionSettingsError        a connection setting (URI, user, ...) is not usable
    ├── Neo4jUnavailableError          Neo4j cannot be reached or refuses the credentials
    ├── QueryError                     a named query is unknown, a parameter is wrong, a query fails
    │   └── ReadOnlyViolation          a query tried to write in read-only mode
    └── ViewError                      a view cannot be made (unknown focus, ...)

The CLI turns each of these into a one-line (or, for registers, one-line-per-problem) message and a
non-zero exit code; tracebacks are kept for real bugs.
"""

from __future__ import annotations

from dataclasses import dataclass

MAX_VALUE_CHARS = 200
"""A value longer than this is shown clipped in a problem (a cell may hold megabytes)."""
MAX_MESSAGE_CHARS = 1000


def clip(text: str, limit: int = MAX_VALUE_CHARS) -> str:
    """``text``, or its head and tail around ``…[N characters]…`` when longer than ``limit``.

    >>> clip("x" * 1000, 20)
    'xxxxxxxxxx…[1000 characters]…xxxxxxxxxx'
    """
    if len(text) <= limit:
        return text
    half = limit // 2
    return f"{text[:half]}…[{len(text)} characters]…{text[-half:]}"


@dataclass(frozen=True, slots=True)
class Problem:
    """One error or warning found in a register, with its position.

    ``line`` is the line where the record starts (the header is line 1) and ``column`` is 1-based;
    a problem with a whole file is at line 1, column 1. ``setting`` names the reader setting the
    problem concerns (``"max_rows"`` for a file over the row limit), for the caller to say how to
    change it.
    """

    file: str
    line: int
    column: int
    message: str
    value: str | None = None
    expected: str | None = None
    severity: str = "error"  # "error" or "warning"
    setting: str | None = None

    def __post_init__(self) -> None:
        # a problem is for people to read: a value of megabytes is clipped (and values quoted in
        # the message with it)
        if self.value is not None and len(self.value) > MAX_VALUE_CHARS:
            object.__setattr__(self, "value", clip(self.value))
        if len(self.message) > MAX_MESSAGE_CHARS:
            object.__setattr__(self, "message", clip(self.message, MAX_MESSAGE_CHARS))

    def __str__(self) -> str:
        text = f"{self.file}:{self.line}:{self.column}: {self.severity}: {self.message}"
        if self.value is not None:
            text += f" (read {self.value!r}"
            text += f"; expected {self.expected})" if self.expected else ")"
        elif self.expected:
            text += f" (expected {self.expected})"
        return text


class SourcingGraphError(Exception):
    """Base class of every error raised on purpose by sourcing-graph."""


class RegisterError(SourcingGraphError):
    """A register has errors; it carries every problem found (up to a limit)."""

    def __init__(self, problems: list[Problem], truncated: bool = False) -> None:
        self.problems = problems
        self.truncated = truncated
        errors = [p for p in problems if p.severity == "error"]
        head = f"the register has {len(errors)} error(s){' (and more, not all shown)' if truncated else ''}"
        super().__init__(head + ("\n" + "\n".join(str(p) for p in problems) if problems else ""))


class MappingError(SourcingGraphError):
    """A mapping file for a foreign export is unreadable or names unknown fields."""


class OntologyError(SourcingGraphError):
    """The ontology or its rule parameters are missing or inconsistent."""


class ConnectionSettingsError(SourcingGraphError):
    """A connection setting has a value that cannot be used."""


class Neo4jUnavailableError(SourcingGraphError):
    """Neo4j cannot be reached, or refused the credentials (the message never holds the password)."""


class LoadError(SourcingGraphError):
    """Neo4j refused a load or could not complete it; nothing of that load was committed."""


class QueryError(SourcingGraphError):
    """A named query is unknown, a parameter is wrong, or Neo4j refused the query."""


class ReadOnlyViolation(QueryError):
    """A query tried to write while the session was read-only."""


class ViewError(SourcingGraphError):
    """A view cannot be made (an unknown focus, an empty graph, ...)."""
