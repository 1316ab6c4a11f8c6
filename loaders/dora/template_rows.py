"""The rows of a package's templates and their checked cells: keys, references, dates, amounts,
closed-list codes and LEIs, each problem weighed by the table of checks."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from sourcing_graph.errors import Text
from sourcing_graph.loaders.dora.code_lists import LISTS, code_problem
from sourcing_graph.loaders.dora.codes import OPEN_END, meaning
from sourcing_graph.loaders.dora.issues import Issues, Place
from sourcing_graph.loaders.dora.lei import LEI_CELLS, LEI_CODE, lei_problem
from sourcing_graph.loaders.dora.tables import KEYS, REQUIRED, Table
from sourcing_graph.loaders.values import parse_date, parse_number

__all__ = ["TemplateRows"]

_ISO_DATE = Text("a date written yyyy-mm-dd (9999-12-31: no end date)")
_CRITICALITY = ("b_06.01", "c0050")
_CODED = {t: tuple(c for (u, c) in LISTS if u == t) for (t, _c) in LISTS}
"""Per template, its columns with a closed list."""


class TemplateRows:
    """The templates read from a package (``tables``), their rows and checked cells; each
    problem goes to ``issues``."""

    def __init__(self, issues: Issues) -> None:
        self.issues = issues
        self.tables: dict[str, Table] = {}
        self.bad_leis: set[str] = set()  # each wrong LEI is reported once

    def has_columns(self, table: Table) -> bool:
        """Whether a template has its required columns (each missing one is an error)."""
        missing = [c for c in REQUIRED[table.template] if c not in table.columns]
        for code in missing:
            self.issues.report(
                "structure",
                Place(table.display, template=table.template, code=code),
                Text("missing column {column}", column=meaning(table.template, code)),
                None,
                Text("a column headed {code}", code=code),
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
                self.issues.report(
                    "empty-key",
                    table.place(line, row, code),
                    Text("the cell is empty"),
                    "",
                    Text("a value (the column is required)"),
                )
            if not empty:
                yield table, line, row

    def unique(
        self, seen: dict[tuple[str, ...], int], table: Table, line: int, row: list[str]
    ) -> bool:
        """Whether the row's key is new in ``seen`` (key -> line); a repeated key is a bad row."""
        key = table.key(row)
        if key in seen:
            shown = " / ".join(key)
            columns = KEYS[table.template][1]
            several = len(columns) > 1
            return self.issues.report(
                "duplicate-key",
                table.place(line, row, columns[0]),
                Text(
                    "{key!r} is listed twice (first at line {line}): the same {columns}",
                    key=" / ".join(table.named(k) for k in key),
                    line=seen[key],
                    columns=", ".join(columns),
                )
                if several
                else Text(
                    "{key!r} is listed twice (first at line {line})",
                    key=table.named(shown),
                    line=seen[key],
                ),
                shown,
                Text("each key once (a key is {columns})", columns=" / ".join(columns))
                if several
                else Text("each key once"),
            )
        seen[key] = line
        return True

    def dangling(
        self,
        table: Table,
        line: int,
        row: list[str],
        code: str,
        template: str,
        expected: str,
        check: str = "reference",
    ) -> bool:
        """A cell naming what ``template`` does not hold: a bad row."""
        value = table.cell(row, code)
        message = Text("{value!r} is not in {template}", value=value, template=template.upper())
        return self.issues.report(check, table.place(line, row, code), message, value, expected)

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
            place = table.place(line, row, code)
            self.issues.report("unreadable-value", place, Text("not a date"), text, _ISO_DATE)
            return False

    def amount_cell(
        self, table: Table, line: int, row: list[str], code: str
    ) -> Decimal | bool | None:
        """The amount of a cell (None when empty; 0 is an amount); False when it is not a number."""
        text = table.cell(row, code)
        if not text:
            return None
        try:
            return Decimal(text) if _plain_number(text) else parse_number(text)
        except ValueError:
            self.issues.report(
                "unreadable-value",
                table.place(line, row, code),
                Text("not an amount"),
                text,
                Text("a number such as 125000.50"),
            )
            return False

    def cells_ok(self, table: Table, line: int, row: list[str]) -> bool:
        """Check a row's coded cells and LEIs; whether the row may be read (a criticality that
        is not a code of its list may not)."""
        ok = True
        template = table.template
        for code in _CODED.get(template, ()):
            text = table.cell(row, code)
            found = code_problem(template, code, text) if text else None
            if found is not None:
                check = "criticality-code" if (template, code) == _CRITICALITY else "code-list"
                place = table.place(line, row, code)
                ok = self.issues.report(check, place, found[0], text, found[1]) and ok
        for code, kind in LEI_CELLS.get(table.template, ()):
            text = table.cell(row, code)
            if not text or text in self.bad_leis or (kind and table.cell(row, kind) != LEI_CODE):
                continue
            found = lei_problem(text)
            if found is not None:
                self.bad_leis.add(text)
                place = table.place(line, row, code)
                self.issues.report("lei", place, found[0], text, found[1])
        return ok


def _plain_number(text: str) -> bool:
    body = text[1:] if text[:1] in "+-" else text
    whole, _, frac = body.partition(".")
    return whole.isdigit() and (not frac or frac.isdigit())
