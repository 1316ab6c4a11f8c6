"""The template tables of a DORA package: reading a ``b_XX.XX.csv`` file, its rows and their keys.

Columns are read by their header code (``c0010``...), in any order; columns of other names are
not read.
"""

from __future__ import annotations

import csv
import re
from contextlib import ExitStack
from dataclasses import dataclass, field

from sourcing_graph.errors import Text
from sourcing_graph.loaders.csv_text import LineTooLong, detect_encoding, find_long_cell, open_csv
from sourcing_graph.loaders.dora.issues import Issues, Place
from sourcing_graph.loaders.limits import Limits, cell_over_limit
from sourcing_graph.loaders.sources import READ_ERRORS, RegisterSource, read_error_reason

__all__ = ["KEYS", "REQUIRED", "Table", "name_rows", "read_table"]

_COLUMN = re.compile(r"^c\d{4}$")

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

KEYS = {
    "b_01.02": (Text("entity"), ("c0010",)),
    "b_02.01": (Text("arrangement"), ("c0010",)),
    "b_02.02": (Text("arrangement"), ("c0010", "c0020", "c0030", "c0050", "c0060")),
    "b_03.03": (Text("arrangement"), ("c0010", "c0020")),
    "b_05.01": (Text("provider"), ("c0010",)),
    "b_05.02": (
        Text("supply-chain link of arrangement"),
        ("c0010", "c0020", "c0030", "c0050", "c0060"),
    ),
    "b_06.01": (Text("function"), ("c0010",)),
    "b_07.01": (Text("assessment of arrangement"), ("c0010", "c0020", "c0040")),
}
"""Per template, how its rows are named and the columns of its key: no two rows have the same
key (B_02.02: one row per arrangement, entity, provider, function and ICT service type; B_05.02:
one per link; B_07.01: one per arrangement, provider and ICT service type)."""

NAME_CELLS = {"b_05.01": ("c0050", "c0060"), "b_06.01": ("c0030",)}
"""The cells that name a row's provider (legal name, else its Latin form) or function, shown
beside its code in the row's problems."""

PROVIDER_CELLS = {"b_02.02": ("c0030",), "b_05.02": ("c0030", "c0060"), "b_07.01": ("c0020",)}
"""The cells of a row of another template that hold a provider's LEI: its problems name the row
with the provider's name beside the code (``arrangement 'ARR-013' with provider 'Stratus Cloud
EMEA Ltd (5299...)'``; of a supply-chain link, the subcontractor and the provider it serves)."""


@dataclass(frozen=True)
class RowNames:
    """The names a package gives its providers (B_05.01 c0050, else c0060) and functions
    (B_06.01 c0030), by code."""

    providers: dict[str, str]
    functions: dict[str, str]

    def named(self, code: str) -> str:
        """A provider's code with its name: ``Stratus Cloud EMEA Ltd (5299...)``; a function's:
        ``F04 (Card processing)``; a code the package names nowhere: the code itself."""
        if name := self.providers.get(code):
            return f"{name} ({code})"
        if name := self.functions.get(code):
            return f"{code} ({name})"
        return code


@dataclass
class Table:
    """One template file: its column codes and rows (with the line each starts on)."""

    template: str
    display: str
    columns: dict[str, int]
    rows: list[tuple[int, list[str]]] = field(default_factory=list)
    names: RowNames = field(default_factory=lambda: RowNames({}, {}))
    """The package's names of providers and functions (shared by its tables)."""

    def cell(self, row: list[str], code: str) -> str:
        i = self.columns.get(code)
        return row[i].strip() if i is not None and i < len(row) else ""

    def col(self, code: str) -> int:
        i = self.columns.get(code)
        return 1 if i is None else i + 1

    @property
    def name(self) -> str:
        """The file's name (``b_05.01.csv``), as sources name it."""
        return self.display.rsplit("/", 1)[-1]

    def source(self, line: int) -> str:
        """Where a row is, as entities record it: ``b_05.01.csv:12``."""
        return f"{self.name}:{line}"

    def key(self, row: list[str]) -> tuple[str, ...]:
        """The cells of a row's key (see :data:`KEYS`)."""
        return tuple(self.cell(row, c) for c in KEYS[self.template][1])

    def named(self, code: str) -> str:
        """A provider's code with its name (:meth:`RowNames.named`)."""
        return self.names.named(code)

    def own_name(self, row: list[str]) -> str:
        """The name a B_05.01 or B_06.01 row gives its own provider or function ("": none)."""
        return next((n for c in NAME_CELLS.get(self.template, ()) if (n := self.cell(row, c))), "")

    def _with_providers(self, named: Text, row: list[str] | None, code: str | None) -> Text:
        """A row's name with the providers it names, each named (:data:`PROVIDER_CELLS`); not
        when the problem is in the one provider cell itself (its value says it)."""
        cells = PROVIDER_CELLS.get(self.template, ())
        leis = [self.cell(row, c) for c in cells] if row is not None else []
        if not leis or not leis[0] or cells == (code,):
            return named
        provider = self.named(leis[0])
        if len(leis) > 1 and leis[1] and leis[1] != leis[0]:
            return Text(
                "{row} with subcontractor {provider!r} serving {recipient!r}",
                row=named,
                provider=provider,
                recipient=self.named(leis[1]),
            )
        return Text("{row} with provider {provider!r}", row=named, provider=provider)

    def place(self, line: int, row: list[str] | None, code: str | None) -> Place:
        """Where a cell is: the file, line and column, the template, the row's key and name
        (a provider's or function's own name beside its code: ``function 'F04' (Card
        processing)``; of its code's own cell: ``provider 'Paysphere Europe S.A.'``)."""
        noun, columns = KEYS[self.template]
        key = self.key(row) if row is not None else None
        name = self.own_name(row) if row is not None else ""
        named = None
        if key is not None and code not in columns[:1]:
            if name:
                named = Text("{noun} {key!r} ({name})", noun=noun, key=key[0], name=name)
            else:
                named = Text("{noun} {key!r}", noun=noun, key=key[0])
            named = self._with_providers(named, row, code)
        elif key is not None and name:
            named = Text("{noun} {name!r}", noun=noun, name=name)
        return Place(
            self.display,
            line,
            self.col(code) if code else 1,
            self.template,
            code,
            " / ".join(key) if key is not None else None,
            named,
        )


def name_rows(tables: dict[str, Table]) -> None:
    """Give the tables the names the package's B_05.01 and B_06.01 rows hold (the first row of
    a code names it), for their problems to show beside codes."""
    names = RowNames({}, {})
    for template, found in (("b_05.01", names.providers), ("b_06.01", names.functions)):
        table = tables.get(template)
        if table is None:
            continue
        for _line, row in table.rows:
            code, name = table.cell(row, "c0010"), table.own_name(row)
            if code and name:
                found.setdefault(code, name)
    for table in tables.values():
        table.names = names


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
        issues.report(
            "structure",
            Place(source.display, template=source.kind),
            Text("cannot read the file: {reason}", reason=read_error_reason(exc)),
            None,
            Text("a readable file"),
        )
    return None


def _read_rows(
    source: RegisterSource, stack: ExitStack, issues: Issues, limits: Limits
) -> Table | None:
    encoding, reason = detect_encoding(source)
    if encoding is None:
        issues.report(
            "structure",
            Place(source.display, template=source.kind),
            reason,
            None,
            Text("CSV text (UTF-8)"),
        )
        return None
    rows, delimiter = open_csv(source, stack, encoding, limits.max_line_chars)
    line = 0  # the last line of the last record read
    try:
        header = next(rows, None)
        if header is None or not any(c.strip() for c in header):
            place = Place(source.display, template=source.kind)
            issues.report(
                "structure",
                place,
                Text("the file has no header"),
                None,
                Text("column codes c0010, ..."),
            )
            return None
        columns = _columns(source, header, issues)
        if columns is None:
            return None
        table = Table(source.kind or "", source.display, columns)
        line = rows.line_num
        for row in rows:
            start, line = line + 1, rows.line_num
            if any(c.strip() for c in row):
                if len(table.rows) >= limits.max_rows:
                    message = Text("more than {n:,} rows", n=limits.max_rows)
                    issues.over_limit(source.display, start, 1, message, limits, "max_rows")
                    return None
                table.rows.append((start, row))
    except csv.Error as exc:
        if not cell_over_limit(exc):
            place = Place(source.display, line + 1, template=source.kind)
            message = Text("cannot read this record: {reason}", reason=str(exc))
            issues.report("structure", place, message)
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
            issues.report(
                "structure",
                Place(source.display, 1, i + 1, source.kind, code),
                Text(
                    "two columns have the code {code} (columns {first} and {column})",
                    code=code,
                    first=columns[code] + 1,
                    column=i + 1,
                ),
                cell.strip(),
                Text("each column code once"),
            )
            return None
        columns[code] = i
    return columns
