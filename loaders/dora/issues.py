"""The problems found in a DORA package, each placed (template, row key, column) and weighed by the
table of checks: errors, warnings, and what leniency makes of an error."""

from __future__ import annotations

from dataclasses import dataclass

from sourcing_graph.errors import Problem, Text
from sourcing_graph.loaders.dora.checks import CHECKS
from sourcing_graph.loaders.dora.codes import meaning
from sourcing_graph.loaders.problems import Problems

__all__ = ["Issues", "Place"]


@dataclass(frozen=True)
class Place:
    """Where a problem is: the file, line and column, and in the package's terms the template
    (``b_02.02``), the column's code, the row's key and how to name the row
    (``arrangement 'CTR-04'``; None when the column is the key itself)."""

    file: str
    line: int = 1
    column: int = 1
    template: str | None = None
    code: str | None = None
    key: str | None = None
    row: str | None = None

    def about(self, message: str) -> str:
        """The message of a problem in a cell: ``b_02.02 c0080 (end date ...) of arrangement
        'CTR-04': message``; of a problem with a whole file or column: the message itself."""
        if self.template is None or self.code is None or self.key is None:
            return message
        column = meaning(self.template, self.code)
        if self.row:
            return Text(
                "{column} of {row}: {message}", column=column, row=self.row, message=message
            )
        return Text("{column}: {message}", column=column, message=message)


def _read_anyway(message: str) -> Text:
    return Text("{message}; read anyway", message=message)


def _skipped(message: str) -> Text:
    return Text("{message}; row skipped", message=message)


class Issues(Problems):
    """Errors and warnings as the table of checks weighs them: strict, every error is an error;
    lenient, an error a check lets pass skips its row (or reads it) with a warning.

    Every error is kept (no limit while reading): the report is capped at the end, with the count.
    ``skipped`` holds the rows skipped, as (file, line).
    """

    def __init__(self, strict: bool) -> None:
        super().__init__(max_errors=1 << 62)
        self.strict = strict
        self.skipped: set[tuple[str, int]] = set()

    def report(
        self,
        check_id: str,
        place: Place,
        message: str,
        value: str | None = None,
        expected: str | None = None,
    ) -> bool:
        """Report what check ``check_id`` found; whether the row may still be read."""
        check = CHECKS[check_id]
        text = place.about(message)
        if check.severity == "warning":
            self._add(check_id, place, text, value, expected, "warning")
            return True
        if self.strict or check.lenient == "never":
            self._add(check_id, place, text, value, expected, "error")
            return False
        if check.lenient == "read":
            self._add(check_id, place, _read_anyway(text), value, expected, "warning")
            return True
        self.skipped.add((place.file, place.line))
        self._add(check_id, place, _skipped(text), value, expected, "warning")
        return False

    def _add(
        self,
        check_id: str,
        place: Place,
        text: str,
        value: str | None,
        expected: str | None,
        severity: str,
    ) -> None:
        problem = Problem(
            place.file,
            place.line,
            place.column,
            text,
            value,
            expected,
            severity,
            template=place.template.upper() if place.template else None,
            key=place.key,
            code=place.code,
            check=check_id,
            rule=CHECKS[check_id].rule,
        )
        (self.errors if severity == "error" else self.warnings).append(problem)
