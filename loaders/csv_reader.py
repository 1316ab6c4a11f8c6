"""Read a register of CSV files (a folder, a ``.zip`` or one contracts file) into a :class:`Register`.

The reader streams each file row by row (zip members too), checks every cell against the register
format (``docs/register-format.md``) and reports every error it finds, each with file, line, column,
the value read and what was expected. A register with errors loads nothing: :func:`read_register`
raises :class:`~sourcing_graph.errors.RegisterError`. Warnings land in ``Register.warnings``.
"""

from __future__ import annotations

import csv
import gc
import os
import zipfile
from contextlib import ExitStack
from typing import TYPE_CHECKING, Any, NoReturn

from sourcing_graph.errors import RegisterError, Text, alternatives
from sourcing_graph.loaders.cells import interner
from sourcing_graph.loaders.columns import file_names_of, written_language
from sourcing_graph.loaders.csv_text import (
    CSV_TEXT,
    LineTooLong,
    detect_encoding,
    find_long_cell,
    open_csv,
)
from sourcing_graph.loaders.layout import Layout, read_layout
from sourcing_graph.loaders.limits import Limits, cell_over_limit
from sourcing_graph.loaders.mapping import Mapping, load_mapping
from sourcing_graph.loaders.problems import Problems, Stop
from sourcing_graph.loaders.register_builder import RegisterBuilder
from sourcing_graph.loaders.sources import (
    READ_ERRORS,
    RegisterSource,
    locate_files,
    read_error_reason,
)
from sourcing_graph.loaders.values import Vocabulary, default_rules
from sourcing_graph.model import Register

if TYPE_CHECKING:
    from sourcing_graph.ontology.rules import Rules

__all__ = ["RegisterReader", "read_register"]

_REGISTER_FILES = Text("a folder, a .zip or a .csv file")
_NO_CONTRACTS = {
    "folder": Text("no contracts file in the folder"),
    "zip": Text("no contracts file in the zip"),
    "file": Text("no contracts file in the file"),
}
_KINDS = {
    "contracts": Text("contracts"),
    "lots": Text("lots"),
    "dependencies": Text("dependencies"),
    "functions": Text("functions"),
    "suppliers": Text("suppliers"),
}
"""The words of the problems about a register's files."""


class RegisterReader:
    """Reads the files of a register at ``path`` into ``builder``'s register, in :attr:`ORDER`.

    A subclass reads other files into another builder (a DORA package's overlay) by overriding
    :meth:`locate` and :attr:`ORDER`.
    """

    ORDER: tuple[str, ...] = ("suppliers", "functions", "lots", "dependencies", "contracts")
    """The kinds of file :meth:`run` reads, in this order (companion files before contracts)."""

    def __init__(
        self,
        path: str,
        mapping: Mapping,
        vocab: Vocabulary,
        limits: Limits,
        builder: RegisterBuilder,
    ) -> None:
        self.path = path
        self.limits = limits
        self.mapping = mapping
        self.vocab = vocab
        self.builder = builder
        self.p = builder.p
        # one shared object for equal strings: a million contracts name a few thousand suppliers
        # and lots, and each cell read is a new string object (the table lives while reading)
        self.intern = interner()

    def run(self) -> Register:
        """Read every file; raises :class:`RegisterError` with the errors found."""
        try:
            with ExitStack() as stack:
                sources = self.locate(stack)
                if sources is not None:
                    for kind in self.ORDER:
                        if kind in sources:
                            self._read_source(sources[kind], stack)
        except Stop:
            pass
        if self.p.errors:
            raise RegisterError(self.p.errors, self.p.truncated)
        self.builder.finish()
        register = self.builder.register
        register.warnings.extend(self.p.warnings)
        return register

    # ---- the files

    def locate(self, stack: ExitStack) -> dict[str, RegisterSource] | None:
        """The file of each kind (None after an error that leaves nothing to read)."""
        path = self.path
        try:
            found, what = locate_files(path, stack, self.mapping.kind_of_file)
        except FileNotFoundError:
            self.p.error(path, 1, 1, Text("no such file or folder"), path, _REGISTER_FILES)
            return None
        except (
            zipfile.BadZipFile,
            zipfile.LargeZipFile,
            OSError,
            EOFError,
            ValueError,
            NotImplementedError,
        ) as exc:
            # a damaged zip directory: a file name that is not UTF-8 (ValueError), an unknown
            # zip version (NotImplementedError), ...
            self.p.error(
                path,
                1,
                1,
                Text("cannot open the register ({reason})", reason=read_error_reason(exc)),
                path,
                _REGISTER_FILES,
            )
            return None
        sources = self._one_of_each(found)
        if "contracts" not in sources:
            self.p.error(
                path,
                1,
                1,
                _NO_CONTRACTS[what],
                None,
                Text("contracts.csv or contracten.csv (at any depth)")
                if what == "zip"
                else Text("contracts.csv or contracten.csv"),
            )
            return None
        self.builder.present = {kind: src.name for kind, src in sources.items()}
        return sources

    def _one_of_each(self, found: list[RegisterSource]) -> dict[str, RegisterSource]:
        """The files by kind: a file of no kind is ignored (a warning), a second one an error."""
        sources: dict[str, RegisterSource] = {}
        for src in found:
            if src.kind is None:
                message = Text("ignored: not a register file name")
                self.p.warning(src.display, 1, 1, message, src.name)
                continue
            if src.kind in sources:
                first = sources[src.kind]
                self.p.error(
                    src.display,
                    1,
                    1,
                    Text(
                        "two {kind} files: {first} and {second}",
                        kind=_KINDS[src.kind],
                        first=first.name,
                        second=src.name,
                    ),
                    src.name,
                    Text(
                        "one {kind} file ({names})",
                        kind=_KINDS[src.kind],
                        names=alternatives(file_names_of(src.kind)),
                    ),
                )
                continue
            sources[src.kind] = src
        return sources

    # ---- one file

    def _limit(self, source: RegisterSource, line: int, message: str, setting: str) -> NoReturn:
        """Report an exceeded limit and stop reading."""
        self.p.over_limit(source.display, line, 1, message, self.limits, setting)
        raise Stop

    def _read_source(self, source: RegisterSource, stack: ExitStack) -> None:
        """Read one file; a damaged zip member or an unreadable file is a problem of that file."""
        too_large = self.limits.file_too_large(source.size)
        if too_large:
            self._limit(source, 1, too_large, "max_file_mb")
        try:
            self._read_file(source, stack)
        except READ_ERRORS as exc:
            self.p.error(
                source.display,
                1,
                1,
                Text("cannot read the file: {reason}", reason=read_error_reason(exc)),
                None,
                Text("an intact zip member") if "!" in source.display else Text("a readable file"),
            )

    def _too_long(self, source: RegisterSource, line: int) -> NoReturn:
        self._limit(source, line, self.limits.line_too_long(), "max_field_chars")

    def _csv_error(
        self,
        source: RegisterSource,
        line: int,
        exc: csv.Error,
        what: Text,
        dialect: tuple[str, str],
    ) -> None:
        """A csv error in the record starting at ``line`` (``dialect``: encoding, delimiter)."""
        if cell_over_limit(exc):
            line, column = find_long_cell(source, *dialect, line, self.limits) or (line, 1)
            message = self.limits.cell_too_long()
            self.p.over_limit(source.display, line, column, message, self.limits, "max_field_chars")
            raise Stop
        self.p.error(
            source.display,
            line,
            1,
            Text("cannot read {what}: {reason}", what=what, reason=str(exc)),
        )

    def _read_file(self, source: RegisterSource, stack: ExitStack) -> None:
        encoding, reason = detect_encoding(source)
        if encoding is None:
            self.p.error(source.display, 1, 1, reason, None, CSV_TEXT)
            return
        opened = self._header(source, stack, encoding)
        if opened is None:
            return
        rows, header, delimiter = opened
        kind = source.kind
        assert kind is not None
        layout = read_layout(
            source.display,
            kind,
            header,
            delimiter,
            self.mapping,
            self.vocab,
            self.intern,
            self.p.error,
            source.name,
        )
        if layout is None:
            return
        if kind == "contracts":
            self.builder.register.language = written_language(source.name, header)
            if "mode" not in layout.index and "mode" not in layout.constants:
                self.builder.no_mode_column = True
        count = self._read_rows(source, rows, layout, (encoding, delimiter))
        layout.warn_doubts(self.p.warning)
        if count is not None and kind == "contracts":
            self._contracts_read(layout.display, count)

    def _header(
        self, source: RegisterSource, stack: ExitStack, encoding: str
    ) -> tuple[Any, list[str], str] | None:
        """A csv reader over a file (past its header), the header and the delimiter; None after
        an error."""
        line = 0
        delimiter = ","
        try:
            rows, delimiter = open_csv(source, stack, encoding, self.limits.max_line_chars)
            for header in rows:
                if any(cell.strip() for cell in header):
                    return rows, header, delimiter
                line = rows.line_num  # blank lines before the header
        except LineTooLong as exc:
            self._too_long(source, exc.line)
        except csv.Error as exc:
            self._csv_error(source, line + 1, exc, Text("the header"), (encoding, delimiter))
            return None
        kind = source.kind
        self.p.error(
            source.display,
            1,
            1,
            Text("the file has no header"),
            None,
            Text("a header naming the columns of {kind}", kind=_KINDS.get(kind or "", kind)),
        )
        return None

    def _read_rows(
        self, source: RegisterSource, rows: Any, layout: Layout, dialect: tuple[str, str]
    ) -> int | None:
        """Read the rows after the header into the builder: how many were not blank (None when
        a row could not be read)."""
        kind = layout.kind
        add = self.builder.adder(kind)
        record = layout.record
        error = self.p.error
        max_rows = self.limits.max_rows
        line = rows.line_num
        count = records = 0
        while True:
            start = line + 1
            try:
                row = next(rows)
            except StopIteration:
                return count
            except LineTooLong as exc:
                self._too_long(source, exc.line)
            except csv.Error as exc:
                self._csv_error(source, start, exc, Text("this record"), dialect)
                return None
            line = rows.line_num
            if not row:
                continue
            records += 1
            if records > max_rows:
                self._limit(source, start, Text("more than {n:,} rows", n=max_rows), "max_rows")
            read = record(row, start, error)
            if read is None:
                continue  # a blank row
            count += 1
            ok, rec, extra = read
            if ok:
                add(layout, start, rec, extra, row)
            else:
                self.builder.add_broken(kind, start, rec)

    def _contracts_read(self, display: str, count: int) -> None:
        """The warnings of a contracts file: no rows; no mode column."""
        if count == 0:
            message = Text("the contracts file has no rows: the register is empty")
            self.p.warning(display, 1, 1, message)
        elif self.builder.no_mode_column:
            self.p.warning(
                display,
                1,
                1,
                Text("no mode column: none of the {n} contracts has a mode recorded", n=count),
            )


def read_register(
    path: str | os.PathLike[str],
    *,
    mapping: Mapping | str | os.PathLike[str] | None = None,
    rules: Rules | None = None,
    max_errors: int = 100,
    limits: Limits | None = None,
) -> Register:
    """Read and check a register: a folder, a ``.zip`` (files at any depth) or one contracts CSV.

    ``mapping`` (a :class:`~sourcing_graph.loaders.mapping.Mapping` or the path of a mapping file)
    renames the files, columns and values of a foreign export; ``rules`` gives the ontology's words
    for modes and clause types (by default the packaged ontology's).

    Raises :class:`~sourcing_graph.errors.RegisterError` with every error found (at most
    ``max_errors``, then ``truncated`` is set); a register with errors loads nothing. Warnings are
    in ``Register.warnings``. ``limits`` bounds the rows, the cell length and the file size
    (:class:`~sourcing_graph.loaders.limits.Limits`; exceeding one is an error, whose problem
    names the limit in ``setting``). The reader sets the ``csv`` module's process-wide field size
    limit while it runs.
    """
    rules = rules if rules is not None else default_rules()
    if mapping is not None and not isinstance(mapping, Mapping):
        mapping = load_mapping(mapping, rules)
    limits = limits or Limits()
    path = os.fspath(path)
    builder = RegisterBuilder(Register(source=path), Problems(max_errors))
    reader = RegisterReader(path, mapping or Mapping(), Vocabulary(rules), limits, builder)
    # The reader builds many small acyclic objects that all stay alive: the cyclic garbage
    # collector would only scan them again and again (a third of the time on large registers).
    collecting = gc.isenabled()
    gc.disable()
    try:
        with limits.csv_cells():
            return reader.run()
    finally:
        if collecting:
            gc.enable()
