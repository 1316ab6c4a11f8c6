"""The template tables of a DORA package: reading a ``b_XX.XX.csv`` file, and its checked cells.

Columns are read by their header code (``c0010``...), in any order; columns of other names are
not read. :class:`Issues` collects the problems: errors, and inconsistencies that are errors when
strict and skipped rows (warnings) otherwise.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import date

from sourcing_graph.errors import Problem
from sourcing_graph.loaders.csv_text import LineTooLong, detect_encoding, find_long_cell, open_csv
from sourcing_graph.loaders.dora.codes import OPEN_END, meaning
from sourcing_graph.loaders.limits import Limits, cell_over_limit
from sourcing_graph.loaders.problems import Problems
from sourcing_graph.loaders.sources import READ_ERRORS, RegisterSource, read_error_reason
from sourcing_graph.loaders.values import parse_date, parse_number

__all__ = ["REQUIRED", "Issues", "Table", "TemplateRows", "read_table"]

_COLUMN = re.compile(r"^c\d{4}$")
_ISO_DATE = "a date written yyyy-mm-dd (9999-12-31: no end date)"

REQUIRED = {
    "b_05.01": ("c0010",),
    "b_06.01": ("c0010",),
    "b_02.01": ("c0010",),
    "b_02.02": ("c0010", "c0030", "c0060"),
    "b_05.02": ("c0010", "c0030", "c0050"),
    "b_07.01": ("c0010", "c0020"),
    "b_01.02": ("c0010",),
    "b_03.03": ("c0020",),
}
"""The templates read, each with the columns it must have (and fill in) to be read."""


@dataclass
class Table:
    """One template file: its column codes and rows (with the line each starts on)."""

    template: str
    display: str
    columns: dict[str, int]
    rows: list[tuple[int, list[str]]] = field(default_factory=list)
    name: str = ""
    """The file's name as in the package (a zip member's path): the file part of a ``source``."""

    def source(self, line: int) -> str:
        """Where a row starting at ``line`` is: ``b_05.01.csv:3``."""
        return f"{self.name}:{line}"

    def cell(self, row: list[str], code: str) -> str:
        i = self.columns.get(code)
        return row[i].strip() if i is not None and i < len(row) else ""

    def col(self, code: str) -> int:
        i = self.columns.get(code)
        return 1 if i is None else i + 1


class Issues(Problems):
    """Errors (always fatal), and inconsistencies: errors when strict, skipped rows otherwise.

    Every error is kept (no limit while reading): the report is capped at the end, with the count.
    """

    def __init__(self, strict: bool) -> None:
        super().__init__(max_errors=1 << 62)
        self.strict = strict

    def bad_row(
        self, table: Table, line: int, code: str, message: str, value: str, expected: str
    ) -> None:
        """An inconsistent cell: an error (strict) or a warning saying the row was skipped."""
        text = f"{meaning(table.template, code)}: {message}"
        if self.strict:
            self.error(table.display, line, table.col(code), text, value, expected)
        else:
            self.warnings.append(
                Problem(
                    table.display,
                    line,
                    table.col(code),
                    f"{text}; row skipped",
                    value,
                    expected,
                    "warning",
                )
            )


def read_table(
    source: RegisterSource, stack: ExitStack, issues: Issues, limits: Limits
) -> Table | None:
    """One template's rows; a damaged file or one over a limit is a problem of that file."""
    too_large = limits.file_too_large(source.size)
    if too_large:
        issues.over_limit(source.display, 1, 1, too_large, limits, "max_file_mb")
        return None
    try:
        return _read_rows(source, stack, issues, limits)
    except LineTooLong as exc:
        message = limits.line_too_long()
        issues.over_limit(source.display, exc.line, 1, message, limits, "max_field_chars")
    except READ_ERRORS as exc:
        issues.error(
            source.display,
            1,
            1,
            f"cannot read the file: {read_error_reason(exc)}",
            None,
            "a readable file",
        )
    return None


def _read_rows(
    source: RegisterSource, stack: ExitStack, issues: Issues, limits: Limits
) -> Table | None:
    encoding, reason = detect_encoding(source)
    if encoding is None:
        issues.error(source.display, 1, 1, reason, None, "CSV text (UTF-8)")
        return None
    rows, delimiter = open_csv(source, stack, encoding, limits.max_line_chars)
    line = 0  # the last line of the last record read
    try:
        header = next(rows, None)
        if header is None or not any(c.strip() for c in header):
            issues.error(
                source.display, 1, 1, "the file has no header", None, "column codes c0010, ..."
            )
            return None
        columns = _columns(source, header, issues)
        if columns is None:
            return None
        table = Table(source.kind or "", source.display, columns, name=source.name)
        line = rows.line_num
        for row in rows:
            start, line = line + 1, rows.line_num
            if any(c.strip() for c in row):
                if len(table.rows) >= limits.max_rows:
                    message = f"more than {limits.max_rows:,} rows"
                    issues.over_limit(source.display, start, 1, message, limits, "max_rows")
                    return None
                table.rows.append((start, row))
    except csv.Error as exc:
        if not cell_over_limit(exc):
            issues.error(source.display, line + 1, 1, f"cannot read this record: {exc}")
            return None
        at, column = find_long_cell(source, encoding, delimiter, line + 1, limits) or (line + 1, 1)
        message = limits.cell_too_long()
        issues.over_limit(source.display, at, column, message, limits, "max_field_chars")
        return None
    return table


def _columns(source: RegisterSource, header: list[str], issues: Issues) -> dict[str, int] | None:
    """Column code -> column (0-based) of a header; None when a code is there twice."""
    columns: dict[str, int] = {}
    for i, cell in enumerate(header):
        code = cell.strip().lower()
        if not _COLUMN.match(code):
            continue  # a column this reader does not know: not read
        if code in columns:
            issues.error(
                source.display,
                1,
                i + 1,
                f"two columns have the code {code} (columns {columns[code] + 1} and {i + 1})",
                cell.strip(),
                "each column code once",
            )
            return None
        columns[code] = i
    return columns


class TemplateRows:
    """The templates read from a package (``tables``), their rows and checked cells; each
    problem goes to ``issues``."""

    def __init__(self, issues: Issues) -> None:
        self.issues = issues
        self.tables: dict[str, Table] = {}

    def has_columns(self, table: Table) -> bool:
        """Whether a template has its required columns (each missing one is an error)."""
        missing = [c for c in REQUIRED[table.template] if c not in table.columns]
        for code in missing:
            self.issues.error(
                table.display,
                1,
                1,
                f"missing column {meaning(table.template, code)}",
                None,
                f"a column headed {code}",
            )
        return not missing

    def rows(self, name: str) -> Iterable[tuple[Table, int, list[str]]]:
        """The rows of a template whose required cells are filled in (others are errors)."""
        table = self.tables.get(name)
        if table is None:
            return
        for line, row in table.rows:
            empty = [c for c in REQUIRED[name] if not table.cell(row, c)]
            for code in empty:
                self.issues.error(
                    table.display,
                    line,
                    table.col(code),
                    f"{meaning(name, code)} is empty",
                    "",
                    "a value (the column is required)",
                )
            if not empty:
                yield table, line, row

    def unique(self, seen: dict[str, int], table: Table, line: int, code: str, key: str) -> bool:
        """Whether ``key`` is new in ``seen`` (key -> line); a repeated key is a bad row."""
        if key in seen:
            self.issues.bad_row(
                table,
                line,
                code,
                f"{key!r} is listed twice (first at line {seen[key]})",
                key,
                "each key once",
            )
            return False
        seen[key] = line
        return True

    def dangling(
        self, table: Table, line: int, code: str, value: str, template: str, expected: str
    ) -> None:
        """A cell naming what ``template`` does not hold: a bad row."""
        self.issues.bad_row(
            table, line, code, f"{value!r} is not in {template.upper()}", value, expected
        )

    def date_cell(self, table: Table, line: int, row: list[str], code: str) -> date | bool | None:
        """The date of a cell (None when empty or 9999-12-31); False when it is not a date."""
        text = table.cell(row, code)
        if not text or text == OPEN_END:
            return None
        try:
            if len(text) != 10 or text[4] != "-":
                raise ValueError(_ISO_DATE)
            return parse_date(text)
        except ValueError:
            self.issues.bad_row(table, line, code, "not a date", text, _ISO_DATE)
            return False

    def amount_cell(
        self, table: Table, line: int, row: list[str], code: str
    ) -> float | bool | None:
        """The amount of a cell (None when empty); False when it is not a number."""
        text = table.cell(row, code)
        if not text:
            return None
        try:
            return float(text) if _plain_number(text) else parse_number(text)
        except ValueError:
            self.issues.bad_row(
                table, line, code, "not an amount", text, "a number such as 125000.50"
            )
            return False


def _plain_number(text: str) -> bool:
    body = text[1:] if text[:1] in "+-" else text
    whole, _, frac = body.partition(".")
    return whole.isdigit() and (not frac or frac.isdigit())
