"""The layout of a register file (which column holds which field) and reading its rows by it.

:func:`read_layout` reads a header (with a mapping's renamed columns); :meth:`Layout.record`
turns one row into the file's fields, converted and checked, and its extra columns.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sourcing_graph.errors import Text, said
from sourcing_graph.loaders.ambiguity import ColumnCheck, column_checks
from sourcing_graph.loaders.cells import CellError, Converter, converter, with_item
from sourcing_graph.loaders.columns import HEADERS, REQUIRED, describe, field_word
from sourcing_graph.loaders.mapping import Mapping
from sourcing_graph.loaders.values import Vocabulary, norm, parse_yes_no

__all__ = ["ErrorSink", "Layout", "Record", "read_layout"]

_NO_MAPPING = Mapping()

Record = tuple[bool, dict[str, Any], dict[str, str]]
"""A row read: whether it is free of errors, its fields (converted) and its extra columns."""


ErrorSink = Callable[..., None]
"""Where a reader's errors go: :meth:`~sourcing_graph.loaders.problems.Problems.error`
(file, line, column, message, value, expected)."""


@dataclass
class Layout:
    """How a file's columns map to fields."""

    kind: str
    display: str
    delimiter: str
    width: int
    index: dict[str, int]  # field -> 0-based column
    converters: list[tuple[str, int, Converter]]
    flags: list[tuple[int, str, str, str]]  # (column, list field, item, header as written)
    extras: list[tuple[int, str]]  # (column, header as written)
    unnamed: list[int]  # columns with an empty header
    intern: Callable[[str], str] = field(default=str)
    """Shares the strings of extra cells (they repeat from row to row)."""
    constants: dict[str, tuple[Any, str]] = field(default_factory=dict)
    """The mapping's constant fields: field -> (value, text); every row reads them."""
    checks: list[ColumnCheck] = field(default_factory=list)
    """The checks of doubtful cells (:mod:`~sourcing_graph.loaders.ambiguity`); their warnings
    go to :meth:`warn_doubts`'s sink at the end of the file."""
    watching: list[tuple[int, Callable[[str, int], bool]]] = field(default_factory=list)
    """The checks that still look at cells: (column, its check's ``see``)."""
    file_name: str = ""
    """The file's name as in the register (``contracten.csv``, a zip member's path): the file
    part of the ``source`` of what its rows say."""

    def source(self, line: int) -> str:
        """Where a row starting at ``line`` is: ``contracten.csv:12``."""
        return f"{self.file_name}:{line}"

    def col(self, field_name: str) -> int:
        """1-based column of a field (1 when the file has no such column)."""
        i = self.index.get(field_name)
        return 1 if i is None else i + 1

    def raw(self, row: list[str], field_name: str) -> str:
        """The text of a field's cell as written (trimmed); a constant's text."""
        i = self.index.get(field_name)
        if i is None and field_name in self.constants:
            return self.constants[field_name][1]
        return row[i].strip() if i is not None and i < len(row) else ""

    def record(self, row: list[str], start: int, error: ErrorSink) -> Record | None:
        """A row starting at line ``start``, read (None for a blank row); errors go to ``error``."""
        ok = True
        if len(row) > self.width:
            ok = self._fits(row, start, error)
            row = row[: self.width]
        rec: dict[str, Any] = {}
        filled, converted = self._convert(row, start, error, rec)
        if self.constants:
            for name, (value, _) in self.constants.items():
                rec[name] = value
        if self.watching:
            self._watch(row, start)
        flagged, flags_ok = self._flag(row, start, error, rec) if self.flags else (False, True)
        unnamed_ok = self._unnamed(row, start, error) if self.unnamed else True
        extra = self._extra(row) if self.extras else {}
        if ok and not (filled or flagged or not unnamed_ok) and not extra:
            return None  # a blank row
        ok = ok and converted and flags_ok and unnamed_ok
        return self._required(row, start, error, rec) and ok, rec, extra

    def _extra(self, row: list[str]) -> dict[str, str]:
        """The filled cells of the extra columns, by header."""
        intern = self.intern
        n = len(row)
        return {
            header: intern(text) for i, header in self.extras if i < n and (text := row[i].strip())
        }

    def _watch(self, row: list[str], start: int) -> None:
        """Show the checked columns' filled cells to their checks."""
        n = len(row)
        for i, see in self.watching:
            if i < n and (text := row[i]) and see(text, start):  # outer spaces change nothing
                self.watching = [w for w in self.watching if w[1] != see]  # done with it

    def warn_doubts(self, warning: ErrorSink) -> None:
        """Give ``warning`` (file, line, column, message, value) the warning of each checked
        column with a doubtful cell; call it once all rows are read."""
        for check in self.checks:
            found = check.warning()
            if found is not None:
                line, message, text = found
                warning(self.display, line, check.column + 1, message, text)

    def _fits(self, row: list[str], start: int, error: ErrorSink) -> bool:
        """Whether a row longer than the header has only empty cells beyond it."""
        beyond = next((j for j in range(self.width, len(row)) if row[j].strip()), None)
        if beyond is None:
            return True
        error(
            self.display,
            start,
            beyond + 1,
            Text("a value beyond the last column of the header"),
            row[beyond].strip(),
            Text("at most {n} columns, as in the header", n=self.width),
        )
        return False

    def _convert(
        self, row: list[str], start: int, error: ErrorSink, rec: dict[str, Any]
    ) -> tuple[bool, bool]:
        """Convert the field cells into ``rec``: (whether any is filled, whether all are valid)."""
        n = len(row)
        filled = False
        ok = True
        for name, i, convert in self.converters:
            if i >= n:
                continue
            text = row[i].strip()
            if not text:
                continue
            filled = True
            try:
                rec[name] = convert(text)
            except CellError as exc:
                ok = False
                error(self.display, start, i + 1, exc.message, exc.value, exc.expected)
            except ValueError as exc:
                ok = False
                message = Text("not a valid {field}", field=field_word(name))
                error(self.display, start, i + 1, message, text, said(exc))
        return filled, ok

    def _flag(
        self, row: list[str], start: int, error: ErrorSink, rec: dict[str, Any]
    ) -> tuple[bool, bool]:
        """Add the items of yes/no flag columns to their lists: (any filled, all valid)."""
        filled = False
        ok = True
        for i, name, item, header in self.flags:
            if i < len(row) and (text := row[i].strip()):
                filled = True
                try:
                    if not parse_yes_no(text):
                        continue
                    if name == "clauses":  # the header is the word written for the clause type
                        rec[name] = with_item(rec.get(name), item, header)
                    elif item not in rec.get(name, ()):
                        rec[name] = [*rec.get(name, ()), item]
                except ValueError as exc:
                    ok = False
                    error(
                        self.display,
                        start,
                        i + 1,
                        Text(
                            "not a yes/no value (yes adds {item} to {field})", item=item, field=name
                        ),
                        text,
                        said(exc),
                    )
        return filled, ok

    def _unnamed(self, row: list[str], start: int, error: ErrorSink) -> bool:
        """Whether the columns without a header are empty (each filled one is an error)."""
        ok = True
        for i in self.unnamed:
            if i < len(row) and (text := row[i].strip()):
                ok = False
                error(
                    self.display,
                    start,
                    i + 1,
                    Text("a value in a column without a header"),
                    text,
                    Text("an empty cell, or a header for this column"),
                )
        return ok

    def _required(self, row: list[str], start: int, error: ErrorSink, rec: dict[str, Any]) -> bool:
        """Whether the required fields are filled in (an empty one is an error)."""
        ok = True
        for name in REQUIRED[self.kind]:
            if not rec.get(name):
                i = self.index[name]
                text = row[i].strip() if i < len(row) else ""
                if not text or name in rec:
                    ok = False
                    message = Text("empty {field}", field=field_word(name))
                    expected = Text("a {field} (required)", field=field_word(name))
                    error(self.display, start, i + 1, message, text, expected)
        return ok


@dataclass
class _Columns:
    """A header's columns, sorted: fields, flag columns, extra columns, unnamed columns."""

    index: dict[str, int] = field(default_factory=dict)
    flags: list[tuple[int, str, str, str]] = field(default_factory=list)
    extras: list[tuple[int, str]] = field(default_factory=list)
    unnamed: list[int] = field(default_factory=list)
    bad: bool = False


def read_layout(
    display: str,
    kind: str,
    header: list[str],
    delimiter: str,
    mapping: Mapping,
    vocab: Vocabulary,
    intern: Callable[[str], str],
    error: ErrorSink,
    file_name: str = "",
) -> Layout | None:
    """The layout of a file of ``kind`` by its header; None (after reporting the errors to
    ``error``) when two columns name one field, a required column is missing or a column names a
    field the mapping gives a constant. ``file_name`` is the file's name as in the register (see
    :attr:`Layout.file_name`)."""
    columns = _sort_columns(display, kind, header, mapping, error)
    constants = _constants(display, kind, header, mapping, vocab, intern, error)
    for name in REQUIRED[kind]:
        if name not in columns.index and name not in mapping.constants_of(kind):
            error(
                display,
                1,
                1,
                Text("missing required column {field}", field=field_word(name)),
                None,
                Text("a column {field}", field=describe(kind, name)),
            )
            columns.bad = True
    if columns.bad or constants is None:
        return None
    converters = [
        (name, i, converter(kind, name, delimiter, mapping, vocab, intern))
        for name, i in columns.index.items()
    ]
    checks = column_checks(kind, columns.index, header, delimiter, mapping)
    return Layout(
        kind,
        display,
        delimiter,
        len(header),
        columns.index,
        converters,
        columns.flags,
        columns.extras,
        columns.unnamed,
        intern,
        constants,
        checks,
        [(check.column, check.see) for check in checks],
        file_name,
    )


def _constants(
    display: str,
    kind: str,
    header: list[str],
    mapping: Mapping,
    vocab: Vocabulary,
    intern: Callable[[str], str],
    error: ErrorSink,
) -> dict[str, tuple[Any, str]] | None:
    """The mapping's constant fields of ``kind``, read: field -> (value, text); None after an
    error (a column of the file names a field the mapping gives a constant)."""
    constants: dict[str, tuple[Any, str]] = {}
    ok = True
    for name, text in mapping.constants_of(kind).items():
        for i, cell in enumerate(header):
            written = cell.strip()
            if (mapping.column(kind, written) or HEADERS[kind].get(norm(written))) == name:
                ok = False
                error(
                    display,
                    1,
                    i + 1,
                    Text(
                        "the column names {field}, which the mapping gives the constant {text!r}",
                        field=field_word(name),
                        text=text,
                    ),
                    written,
                    Text(
                        "no column for {field} (or no constant for it in {mapping})",
                        field=field_word(name),
                        mapping=mapping.source,
                    ),
                )
        # a constant is written in the register's words, a list separated by | (not mapped)
        convert = converter(kind, name, ",", _NO_MAPPING, vocab, intern)
        try:
            constants[name] = (convert(text), text)
        except ValueError as exc:  # a CellError too: the mapping was checked with other rules
            ok = False
            expected = exc.expected if isinstance(exc, CellError) else said(exc)
            message = Text(
                "not a valid constant for {field} in the mapping", field=field_word(name)
            )
            error(display, 1, 1, message, text, expected)
    return constants if ok else None


def _sort_columns(
    display: str, kind: str, header: list[str], mapping: Mapping, error: ErrorSink
) -> _Columns:
    names = HEADERS[kind]
    columns = _Columns()
    extra_seen: dict[str, int] = {}
    for i, cell in enumerate(header):
        written = cell.strip()
        key = norm(written)
        if not key:
            columns.unnamed.append(i)
            continue
        target = mapping.column(kind, written) or names.get(key)
        if target is not None and ":" in target:
            name, _, item = target.partition(":")
            columns.flags.append((i, name, item, written))
        elif target is not None and target in columns.index:
            first = columns.index[target]
            error(
                display,
                1,
                i + 1,
                Text(
                    "two columns name the field {field}: column {first} ({header!r}) and column "
                    "{column}",
                    field=field_word(target),
                    first=first + 1,
                    header=header[first].strip(),
                    column=i + 1,
                ),
                written,
                Text("one column per field"),
            )
            columns.bad = True
        elif target is not None:
            columns.index[target] = i
        elif written.casefold() in extra_seen:
            first = extra_seen[written.casefold()]
            error(
                display,
                1,
                i + 1,
                Text(
                    "two columns have the same header (columns {first} and {column})",
                    first=first + 1,
                    column=i + 1,
                ),
                written,
                Text("distinct column headers"),
            )
            columns.bad = True
        else:
            extra_seen[written.casefold()] = i
            columns.extras.append((i, written))
    return columns
