"""Read a register of CSV files (a folder, a ``.zip`` or one contracts file) into a :class:`Register`.

The reader streams each file row by row (zip members too), checks every cell against the register
format (``docs/register-format.md``) and reports every error it finds, each with file, line, column,
the value read and what was expected. A register with errors loads nothing: :func:`read_register`
raises :class:`~sourcing_graph.errors.RegisterError`. Warnings land in ``Register.warnings``.
"""

from __future__ import annotations

import codecs
import csv
import gc
import io
import itertools
import lzma
import os
import zipfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING, Any, NoReturn

from sourcing_graph.errors import Problem, RegisterError
from sourcing_graph.loaders.columns import (
    FILE_NAMES,
    HEADERS,
    KINDS,
    LEVEL_FIELDS,
    LIST_FIELDS,
    REQUIRED,
    YES_NO_FIELDS,
    describe,
    file_names_of,
)
from sourcing_graph.loaders.limits import Limits, cell_over_limit
from sourcing_graph.loaders.mapping import Mapping, load_mapping, value_key
from sourcing_graph.loaders.values import (
    Vocabulary,
    default_rules,
    norm,
    parse_date,
    parse_number,
    parse_yes_no,
    split_list,
)
from sourcing_graph.model import (
    MAX_ID_LENGTH,
    OWN_IT,
    Contract,
    Function,
    Lot,
    Organisation,
    Register,
)

if TYPE_CHECKING:
    from sourcing_graph.ontology.rules import Rules

__all__ = [
    "RegisterSource",
    "detect_delimiter",
    "detect_encoding",
    "locate_files",
    "open_csv",
    "read_register",
]

CHUNK = 1 << 16
DELIMITERS = (",", ";", "\t")


_ID_FIELDS = {
    "suppliers": "supplier_id",
    "functions": "function_id",
    "lots": "lot_id",
    "contracts": "contract_id",
}


_EMPTY: frozenset[str] = frozenset()


class _Stop(Exception):
    """Raised when the error limit is reached."""


def read_error_reason(exc: BaseException) -> str:
    """Why a file could not be read, in a few words (the OS reason when there is one)."""
    return getattr(exc, "strerror", None) or str(exc) or type(exc).__name__


class _Unreadable(Exception):
    """A file's bytes cannot be read (an encrypted zip member, ...); the message says why."""


class _LineTooLong(Exception):
    """A physical line is longer than the limit; ``line`` is its number (1-based)."""

    def __init__(self, cap: int, line: int) -> None:
        super().__init__(cap, line)
        self.line = line


_READ_ERRORS = (
    _Unreadable,
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    lzma.LZMAError,
    EOFError,
    NotImplementedError,  # an unsupported compression method
    OSError,
)
"""What reading a file's bytes may raise: a damaged zip member, a file that vanished, ..."""


class _Problems:
    """Collects errors (up to a limit) and warnings."""

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
    ) -> None:
        if len(self.errors) >= self.max_errors:
            self.truncated = True
            raise _Stop
        self.errors.append(Problem(file, line, column, message, value, expected))

    def warning(
        self, file: str, line: int, column: int, message: str, value: str | None = None
    ) -> None:
        self.warnings.append(Problem(file, line, column, message, value, None, "warning"))


# --------------------------------------------------------------------------------------- files


@dataclass(frozen=True)
class RegisterSource:
    """One CSV file of a register: its kind, the name used in messages, how to open its bytes."""

    kind: str | None
    display: str
    name: str
    open: Callable[[], IO[bytes]]
    size: int = 0
    """The size in bytes (uncompressed, for a zip member), as the file system or zip declares."""


def _member_opener(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> Callable[[], IO[bytes]]:
    def open_member() -> IO[bytes]:
        if info.flag_bits & 0x1:
            raise _Unreadable("the zip member is encrypted (password-protected)")
        return archive.open(info)

    return open_member


def _file_opener(path: str) -> Callable[[], IO[bytes]]:
    return lambda: open(path, "rb")  # noqa: SIM115 - the caller closes it


def locate_files(
    path: str, stack: ExitStack, mapping: Mapping | None = None
) -> tuple[list[RegisterSource], str]:
    """The CSV files of a register (folder, zip or single file) and what the path is.

    Returns every ``.csv`` file (and any file the mapping names), with its kind or None; and
    ``"folder"``, ``"zip"`` or ``"file"``. Raises OSError / zipfile.BadZipFile when unreadable.
    """
    mapping = mapping or Mapping()
    found: list[RegisterSource] = []
    if os.path.isdir(path):
        for entry in sorted(os.scandir(path), key=lambda e: e.name):
            if not entry.is_file():
                continue
            kind = mapping.kind_of_file(entry.name) or FILE_NAMES.get(entry.name.casefold())
            if kind or entry.name.casefold().endswith(".csv"):
                found.append(
                    RegisterSource(
                        kind,
                        os.path.join(path, entry.name),
                        entry.name,
                        _file_opener(entry.path),
                        entry.stat().st_size,
                    )
                )
        return found, "folder"
    if zipfile.is_zipfile(path) or path.casefold().endswith(".zip"):
        archive = stack.enter_context(zipfile.ZipFile(path))
        for info in sorted(archive.infolist(), key=lambda i: i.filename):
            inner = info.filename
            base = inner.rsplit("/", 1)[-1]
            if not inner or info.is_dir() or "__MACOSX/" in inner or base.startswith("._"):
                continue
            kind = mapping.kind_of_file(inner) or FILE_NAMES.get(base.casefold())
            if kind or base.casefold().endswith(".csv"):
                found.append(
                    RegisterSource(
                        kind,
                        f"{path}!{inner}",
                        inner,
                        _member_opener(archive, info),
                        info.file_size,
                    )
                )
        return found, "zip"
    if not os.path.exists(path):
        raise FileNotFoundError(path)
    return [
        RegisterSource(
            "contracts", path, os.path.basename(path), _file_opener(path), os.path.getsize(path)
        )
    ], "file"


def detect_encoding(source: RegisterSource) -> tuple[str | None, str]:
    """``("utf-8-sig" | "cp1252", "")``, or ``(None, reason)`` for an empty or binary file.

    Reads the bytes in chunks (never the whole file at once): first as UTF-8; when that fails,
    again as Windows-1252.
    """
    with source.open() as fh:
        first = fh.read(CHUNK)
        if not first:
            return None, "the file is empty"
        if first.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return None, "the file is UTF-16 text; save it as UTF-8 (or Windows-1252) CSV"
        decoder = codecs.getincrementaldecoder("utf-8")()
        chunk = first
        utf8 = True
        while chunk:
            if b"\x00" in chunk:
                return None, "the file holds NUL bytes: it is a binary file, not CSV text"
            if utf8:
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError:
                    utf8 = False
            chunk = fh.read(CHUNK)
        if utf8:
            try:
                decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                utf8 = False
        if utf8:
            return "utf-8-sig", ""
    with source.open() as fh:
        while chunk := fh.read(CHUNK):
            try:
                chunk.decode("cp1252")
            except UnicodeDecodeError:
                return None, "the file is neither UTF-8 nor Windows-1252 text: is it a binary file?"
    return "cp1252", ""


def detect_delimiter(line: str) -> str:
    """The delimiter of a header line: the most frequent of ``,`` ``;`` tab outside quotes."""
    counts = dict.fromkeys(DELIMITERS, 0)
    quoted = False
    for ch in line:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in counts:
            counts[ch] += 1
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def _capped_lines(text: IO[str], cap: int) -> Iterator[str]:
    """The lines of ``text``, each read with at most ``cap`` characters; a longer line raises
    :class:`_LineTooLong` (so a file without line breaks is never read into memory whole)."""
    readline = text.readline
    number = 0
    while line := readline(cap):
        number += 1
        if len(line) >= cap and line[-1] not in "\r\n":
            raise _LineTooLong(cap, number)
        yield line


def find_long_cell(
    source: RegisterSource, encoding: str, delimiter: str, line: int, limits: Limits
) -> tuple[int, int] | None:
    """Where the cell over ``limits.max_field_chars`` is in the record starting at ``line``: the
    physical line it starts on and its column (1-based), or None if that record has none.

    Python's csv module only says that *a* cell was too long, so the record is scanned again
    (with the module's own rules: doubled quotes, text after a closing quote), stopping at the
    cell that goes over. Anything that stops the scan gives None (the caller then names the
    record's line and column 1).
    """
    try:
        return _scan_for_long_cell(source, encoding, delimiter, line, limits)
    except (_LineTooLong, UnicodeDecodeError, *_READ_ERRORS):
        return None


def _scan_for_long_cell(
    source: RegisterSource, encoding: str, delimiter: str, line: int, limits: Limits
) -> tuple[int, int] | None:
    limit = limits.max_field_chars
    with io.TextIOWrapper(source.open(), encoding=encoding, newline="") as text:
        lines = _capped_lines(text, limits.max_line_chars)
        for _ in itertools.islice(lines, line - 1):
            pass  # the lines before the record
        column, length, state, at = 1, 0, "start", line
        for number, physical in enumerate(lines, line):
            for ch in physical:
                if state == "quoted":
                    if ch == '"':
                        state = "quote"
                        continue
                elif ch == delimiter:
                    column, length, state, at = column + 1, 0, "start", number
                    continue
                elif ch in "\r\n":
                    return None  # the record ended
                elif state == "start" and ch == '"':
                    state = "quoted"
                    continue
                elif state == "quote" and ch == '"':
                    state = "quoted"  # a doubled quote is one character of the cell
                else:
                    state = "plain"
                length += 1
                if length > limit:
                    return at, column
    return None


def open_csv(
    source: RegisterSource, stack: ExitStack, encoding: str, max_line_chars: int | None = None
) -> tuple[Any, str]:
    """A csv reader over the file's text, streamed, and the detected delimiter.

    With ``max_line_chars``, a physical line longer than that raises ``_LineTooLong`` while the
    reader is iterated.
    """
    text = stack.enter_context(io.TextIOWrapper(source.open(), encoding=encoding, newline=""))
    lines: Iterator[str] = (
        iter(text) if max_line_chars is None else _capped_lines(text, max_line_chars)
    )
    pending: list[str] = []
    for line in lines:
        pending.append(line)
        if line.strip():
            break
    delimiter = detect_delimiter(pending[-1] if pending else "")
    return csv.reader(itertools.chain(pending, lines), delimiter=delimiter), delimiter


# ------------------------------------------------------------------------------------- layout


class _CellError(ValueError):
    """A cell (or one item of a list cell) is wrong."""

    def __init__(self, expected: str, value: str, message: str) -> None:
        super().__init__(expected)
        self.expected = expected
        self.value = value
        self.message = message


Converter = Callable[[str], Any]


@dataclass
class _Layout:
    """How a file's columns map to fields."""

    kind: str
    display: str
    delimiter: str
    width: int
    index: dict[str, int]  # field -> 0-based column
    converters: list[tuple[str, int, Converter]]
    flags: list[tuple[int, str, str]]  # (column, list field, item)
    extras: list[tuple[int, str]]  # (column, header as written)
    unnamed: list[int]  # columns with an empty header

    def col(self, field_name: str) -> int:
        """1-based column of a field (1 when the file has no such column)."""
        i = self.index.get(field_name)
        return 1 if i is None else i + 1


# --------------------------------------------------------------------------------------- reader


class _Reader:
    ORDER: tuple[str, ...] = ("suppliers", "functions", "lots", "dependencies", "contracts")
    """The kinds of file :meth:`run` reads, in this order (companion files before contracts)."""

    def __init__(
        self, path: str, mapping: Mapping, vocab: Vocabulary, max_errors: int, limits: Limits
    ) -> None:
        self.path = path
        self.limits = limits
        self.mapping = mapping
        self.vocab = vocab
        self.p = _Problems(max_errors)
        self.register = Register(source=path)
        self.present: dict[str, RegisterSource] = {}
        # where each identifier was first seen: kind -> id -> line
        self.first: dict[str, dict[str, int]] = {k: {} for k in KINDS}
        # lot attributes read so far: lot -> attribute -> (value, text, file, line)
        self.lot_values: dict[str, dict[str, tuple[Any, str, str, int]]] = {}
        # identifiers of rows that had errors (not loaded, but references to them are fine)
        self.broken: dict[str, set[str]] = {k: set() for k in KINDS}
        self.no_mode_column = False
        self._sets: dict[frozenset[str], frozenset[str]] = {}
        # one shared object for equal strings: a million contracts name a few thousand suppliers
        # and lots, and each cell read is a new string object (the table lives while reading)
        self._intern = _interner()

    # ---- running

    def run(self) -> Register:
        try:
            with ExitStack() as stack:
                sources = self._locate(stack)
                if sources is not None:
                    for kind in self.ORDER:
                        if kind in sources:
                            self._read_source(sources[kind], stack)
        except _Stop:
            pass
        if self.p.errors:
            raise RegisterError(self.p.errors, self.p.truncated)
        self.register.warnings.extend(self.p.warnings)
        return self.register

    def _locate(self, stack: ExitStack) -> dict[str, RegisterSource] | None:
        path = self.path
        try:
            found, what = locate_files(path, stack, self.mapping)
        except FileNotFoundError:
            self.p.error(
                path, 1, 1, "no such file or folder", path, "a folder, a .zip or a .csv file"
            )
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
                f"cannot open the register ({read_error_reason(exc)})",
                path,
                "a folder, a .zip or a .csv file",
            )
            return None
        sources: dict[str, RegisterSource] = {}
        for src in found:
            if src.kind is None:
                self.p.warning(src.display, 1, 1, "ignored: not a register file name", src.name)
                continue
            if src.kind in sources:
                first = sources[src.kind]
                self.p.error(
                    src.display,
                    1,
                    1,
                    f"two {src.kind} files: {first.name} and {src.name}",
                    src.name,
                    f"one {src.kind} file ({' or '.join(file_names_of(src.kind))})",
                )
                continue
            sources[src.kind] = src
        if "contracts" not in sources:
            self.p.error(
                path,
                1,
                1,
                f"no contracts file in the {what}",
                None,
                "contracts.csv or contracten.csv" + (" (at any depth)" if what == "zip" else ""),
            )
            return None
        self.present = sources
        return sources

    # ---- one file

    def _limit(self, source: RegisterSource, line: int, message: str, name: str) -> NoReturn:
        """Report an exceeded limit and stop reading (raises _Stop)."""
        self.p.error(source.display, line, 1, message, None, self.limits.expected(name))
        raise _Stop

    def _read_source(self, source: RegisterSource, stack: ExitStack) -> None:
        """Read one file; a damaged zip member or an unreadable file is a problem of that file."""
        too_large = self.limits.file_too_large(source.size)
        if too_large:
            self._limit(source, 1, too_large, "max_file_mb")
        try:
            self._read_file(source, stack)
        except _READ_ERRORS as exc:
            self.p.error(
                source.display,
                1,
                1,
                f"cannot read the file: {read_error_reason(exc)}",
                None,
                "an intact zip member" if "!" in source.display else "a readable file",
            )

    def _too_long(self, source: RegisterSource, line: int) -> NoReturn:
        self._limit(source, line, self.limits.line_too_long(), "max_field_chars")

    def _csv_error(
        self, source: RegisterSource, line: int, exc: csv.Error, what: str, dialect: tuple[str, str]
    ) -> None:
        """A csv error in the record starting at ``line`` (``dialect``: encoding, delimiter)."""
        if cell_over_limit(exc):
            line, column = find_long_cell(source, *dialect, line, self.limits) or (line, 1)
            self.p.error(
                source.display,
                line,
                column,
                self.limits.cell_too_long(),
                None,
                self.limits.expected("max_field_chars"),
            )
            raise _Stop
        self.p.error(source.display, line, 1, f"cannot read {what}: {exc}")

    def _read_file(self, source: RegisterSource, stack: ExitStack) -> None:
        encoding, reason = detect_encoding(source)
        if encoding is None:
            self.p.error(source.display, 1, 1, reason, None, "CSV text (UTF-8 or Windows-1252)")
            return
        kind = source.kind
        assert kind is not None
        line = 0
        header: list[str] | None = None
        try:
            rows, delimiter = open_csv(source, stack, encoding, self.limits.max_line_chars)
            for header in rows:
                if any(cell.strip() for cell in header):
                    break
                line = rows.line_num  # blank lines before the header
            else:
                header = None
            line = rows.line_num
        except _LineTooLong as exc:
            self._too_long(source, exc.line)
        except csv.Error as exc:
            self._csv_error(source, line + 1, exc, "the header", (encoding, delimiter))
            return
        if header is None:
            self.p.error(
                source.display,
                1,
                1,
                "the file has no header",
                None,
                f"a header naming the columns of {kind}",
            )
            return
        layout = self._layout(source, kind, header, delimiter)
        if layout is None:
            return
        handle = getattr(self, f"_{kind}")
        count = 0
        converters = layout.converters
        flags = layout.flags
        extras = layout.extras
        intern = self._intern
        width = layout.width
        display = layout.display
        unnamed = layout.unnamed
        index = layout.index
        required = REQUIRED[kind]
        error = self.p.error
        max_rows = self.limits.max_rows
        records = 0
        while True:
            start = line + 1
            try:
                row = next(rows)
            except StopIteration:
                break
            except _LineTooLong as exc:
                self._too_long(source, exc.line)
            except csv.Error as exc:
                self._csv_error(source, start, exc, "this record", (encoding, delimiter))
                return
            line = rows.line_num
            if not row:
                continue
            records += 1
            if records > max_rows:
                self._limit(source, start, f"more than {max_rows:,} rows", "max_rows")
            ok = True
            n = len(row)
            if n > width:
                beyond = next((j for j in range(width, n) if row[j].strip()), None)
                if beyond is not None:
                    ok = False
                    error(
                        display,
                        start,
                        beyond + 1,
                        "a value beyond the last column of the header",
                        row[beyond].strip(),
                        f"at most {width} columns, as in the header",
                    )
                row = row[:width]
                n = width
            rec: dict[str, Any] = {}
            blank = ok
            for name, i, convert in converters:
                if i >= n:
                    continue
                text = row[i].strip()
                if not text:
                    continue
                blank = False
                try:
                    rec[name] = convert(text)
                except _CellError as exc:
                    ok = False
                    error(display, start, i + 1, exc.message, exc.value, exc.expected)
                except ValueError as exc:
                    ok = False
                    error(display, start, i + 1, f"not a valid {name}", text, str(exc))
            for i, name, item in flags:
                if i < n and (text := row[i].strip()):
                    blank = False
                    try:
                        if parse_yes_no(text) and item not in rec.get(name, ()):
                            rec[name] = [*rec.get(name, ()), item]
                    except ValueError as exc:
                        ok = False
                        error(
                            display,
                            start,
                            i + 1,
                            f"not a yes/no value (yes adds {item} to {name})",
                            text,
                            str(exc),
                        )
            extra: dict[str, str] = {}
            for i, header_name in extras:
                if i < n and (text := row[i].strip()):
                    extra[header_name] = intern(text)
            for i in unnamed:
                if i < n and (text := row[i].strip()):
                    blank = ok = False
                    error(
                        display,
                        start,
                        i + 1,
                        "a value in a column without a header",
                        text,
                        "an empty cell, or a header for this column",
                    )
            if blank and not extra:
                continue  # a blank row
            for name in required:
                if not rec.get(name):
                    i = index[name]
                    text = row[i].strip() if i < n else ""
                    if not text or name in rec:
                        ok = False
                        error(display, start, i + 1, f"empty {name}", text, f"a {name} (required)")
            count += 1
            if ok:
                handle(layout, start, rec, extra, row)
            elif kind in _ID_FIELDS and _ID_FIELDS[kind] in rec:
                # a row with errors still names its entity: a later duplicate is an error, a
                # reference to it is not
                ident = rec[_ID_FIELDS[kind]]
                self.broken[kind].add(ident)
                self.first[kind].setdefault(ident, start)
        if count == 0 and kind == "contracts":
            self.p.warning(display, 1, 1, "the contracts file has no rows: the register is empty")
        if kind == "contracts" and self.no_mode_column and count:
            self.p.warning(
                display, 1, 1, f"no mode column: none of the {count} contracts has a mode recorded"
            )

    def _layout(
        self, source: RegisterSource, kind: str, header: list[str], delimiter: str
    ) -> _Layout | None:
        display = source.display
        names = HEADERS[kind]
        index: dict[str, int] = {}
        flags: list[tuple[int, str, str]] = []
        extras: list[tuple[int, str]] = []
        extra_seen: dict[str, int] = {}
        unnamed: list[int] = []
        bad = False
        for i, cell in enumerate(header):
            written = cell.strip()
            key = norm(written)
            if not key:
                unnamed.append(i)
                continue
            target = self.mapping.column(kind, written) or names.get(key)
            if target is not None and ":" in target:
                name, _, item = target.partition(":")
                flags.append((i, name, item))
                continue
            if target is not None:
                if target in index:
                    first = index[target]
                    self.p.error(
                        display,
                        1,
                        i + 1,
                        f"two columns name the field {target}: column {first + 1} ({header[first].strip()!r}) and column {i + 1}",
                        written,
                        "one column per field",
                    )
                    bad = True
                    continue
                index[target] = i
            else:
                if written.casefold() in extra_seen:
                    first = extra_seen[written.casefold()]
                    self.p.error(
                        display,
                        1,
                        i + 1,
                        f"two columns have the same header (columns {first + 1} and {i + 1})",
                        written,
                        "distinct column headers",
                    )
                    bad = True
                    continue
                extra_seen[written.casefold()] = i
                extras.append((i, written))
        for name in REQUIRED[kind]:
            if name not in index:
                self.p.error(
                    display,
                    1,
                    1,
                    f"missing required column {name}",
                    None,
                    f"a column {describe(kind, name)}",
                )
                bad = True
        if bad:
            return None
        if kind == "contracts" and "mode" not in index:
            self.no_mode_column = True
        converters = [
            (name, i, self._converter(kind, name, delimiter)) for name, i in index.items()
        ]
        return _Layout(
            kind, display, delimiter, len(header), index, converters, flags, extras, unnamed
        )

    # ---- converters

    def _converter(self, kind: str, name: str, delimiter: str) -> Converter:
        vmap = self.mapping.value_map(kind, name)
        vocab = self.vocab
        base: Converter
        if name in LIST_FIELDS:
            item_conv: Converter | None = None
            what = "function" if name == "functions" else "lot"
            if name == "clauses":
                item_conv = vocab.clause
                what = "clause type"
            return _list_converter(name, delimiter, vmap, item_conv, what, self._intern)
        if name == "mode":
            base = vocab.mode
        elif name in YES_NO_FIELDS:
            base = parse_yes_no
        elif name in LEVEL_FIELDS:
            base = vocab.level
        elif name == "selection_basis":
            base = vocab.selection_basis
        elif name in ("start_date", "end_date"):
            base = parse_date
        elif name == "annual_value":
            base = parse_number
        elif name in _REFERENCES:
            intern = self._intern  # one string object for each supplier, lot, ... referred to

            def base(text: str) -> str:
                return intern(_identifier(text))

        elif name in IDENTIFIER_FIELDS:
            base = _identifier
        else:
            base = str  # names: the trimmed text
        if (
            name in ("mode", "start_date", "end_date")
            or name in YES_NO_FIELDS
            or name in LEVEL_FIELDS
        ):
            base = _cached(base)
        if vmap:
            return _mapped(name, vmap, base)
        return base

    # ---- kinds

    def _frozen(self, items: list[str] | None) -> frozenset[str]:
        """One shared frozenset per distinct set (many contracts carry the same clauses)."""
        if not items:
            return _EMPTY
        found = frozenset(items)
        return self._sets.setdefault(found, found)

    def _duplicate(
        self, kind: str, ident: str, layout: _Layout, line: int, field_name: str
    ) -> bool:
        first = self.first[kind]
        if ident in first:
            self.p.error(
                layout.display,
                line,
                layout.col(field_name),
                f"duplicate {field_name} {ident!r} (first at line {first[ident]})",
                ident,
                f"a unique {field_name}",
            )
            return True
        first[ident] = line
        return False

    def _organisation(self, ident: str, layout: _Layout, line: int, field_name: str) -> None:
        """A reference to a supplier or prime contractor."""
        orgs = self.register.organisations
        if ident in orgs or ident in self.broken["suppliers"]:
            return
        if "suppliers" in self.present:
            self.p.error(
                layout.display,
                line,
                layout.col(field_name),
                f"unknown {field_name.replace('_', ' ')} {ident!r}: not in {self.present['suppliers'].name}",
                ident,
                f"a supplier_id of {self.present['suppliers'].name} (or {OWN_IT})",
            )
            return
        orgs[ident] = Organisation(ident)

    def _lot_ref(self, ident: str, layout: _Layout, line: int, field_name: str) -> bool:
        """A reference to a lot; creates it when lots.csv is absent; False when it is an error."""
        lots = self.register.lots
        if ident in lots:
            return True
        if ident in self.broken["lots"]:
            return False
        if "lots" in self.present:
            self.p.error(
                layout.display,
                line,
                layout.col(field_name),
                f"unknown lot {ident!r}: not in {self.present['lots'].name}",
                ident,
                f"a lot_id of {self.present['lots'].name}",
            )
            return False
        lots[ident] = Lot(ident)
        return True

    def _lot_value(
        self,
        lot: Lot,
        attr: str,
        value: Any,
        layout: _Layout,
        line: int,
        field_name: str,
        rec_text: str,
    ) -> None:
        """Set a lot attribute read from a cell; a different earlier value is an error."""
        seen = self.lot_values.setdefault(lot.id, {})
        earlier = seen.get(attr)
        if earlier is None:
            seen[attr] = (value, rec_text, layout.display, line)
            setattr(lot, attr, value)
            return
        if earlier[0] != value:
            self.p.error(
                layout.display,
                line,
                layout.col(field_name),
                f"lot {lot.id!r}: {field_name} {rec_text!r} disagrees with {earlier[1]!r} at {earlier[2]} line {earlier[3]}",
                rec_text,
                f"{earlier[1]!r} (as at line {earlier[3]}) or an empty cell",
            )

    def _suppliers(
        self, layout: _Layout, line: int, rec: dict[str, Any], extra: dict[str, str], row: list[str]
    ) -> None:
        ident = rec["supplier_id"]
        if self._duplicate("suppliers", ident, layout, line, "supplier_id"):
            return
        internal = rec.get("internal")
        if ident == OWN_IT:
            if internal is False and "internal" in rec:
                self.p.error(
                    layout.display,
                    line,
                    layout.col("internal"),
                    f"{OWN_IT} is the client's own IT organisation and is always internal",
                    _raw(layout, row, "internal"),
                    "yes or an empty cell",
                )
                return
            internal = True
        self.register.organisations[ident] = Organisation(
            ident, rec.get("name"), bool(internal), extra
        )

    def _functions(
        self, layout: _Layout, line: int, rec: dict[str, Any], extra: dict[str, str], row: list[str]
    ) -> None:
        ident = rec["function_id"]
        if self._duplicate("functions", ident, layout, line, "function_id"):
            return
        self.register.functions[ident] = Function(
            ident, rec.get("name"), rec.get("critical", False), rec.get("retained", False), extra
        )

    def _lots(
        self, layout: _Layout, line: int, rec: dict[str, Any], extra: dict[str, str], row: list[str]
    ) -> None:
        ident = rec["lot_id"]
        if self._duplicate("lots", ident, layout, line, "lot_id"):
            return
        lot = Lot(ident, extra=extra)
        self.register.lots[ident] = lot
        prime = rec.get("prime_contractor")
        if prime is not None:
            self._organisation(prime, layout, line, "prime_contractor")
        for attr in ("name", "prime_contractor", "complexity", "dynamics", "commodity"):
            if attr in rec:
                self._lot_value(lot, attr, rec[attr], layout, line, attr, _raw(layout, row, attr))

    def _dependencies(
        self, layout: _Layout, line: int, rec: dict[str, Any], extra: dict[str, str], row: list[str]
    ) -> None:
        lot = rec["lot"]
        if not self._lot_ref(lot, layout, line, "lot"):
            return
        self._depends(lot, rec["depends_on"], layout, line)

    def _depends(self, lot: str, targets: list[str], layout: _Layout, line: int) -> None:
        deps = self.register.dependencies
        for target in targets:
            if target == lot:
                self.p.error(
                    layout.display,
                    line,
                    layout.col("depends_on"),
                    f"lot {lot!r} depends on itself",
                    target,
                    "another lot",
                )
                continue
            if self._lot_ref(target, layout, line, "depends_on"):
                deps.add((lot, target))

    def _contracts(
        self, layout: _Layout, line: int, rec: dict[str, Any], extra: dict[str, str], row: list[str]
    ) -> None:
        ident = rec["contract_id"]
        if self._duplicate("contracts", ident, layout, line, "contract_id"):
            return
        supplier = rec["supplier"]
        self._organisation(supplier, layout, line, "supplier")
        lot_id = rec["lot"]
        if self._lot_ref(lot_id, layout, line, "lot"):
            lot = self.register.lots[lot_id]
            if "lot_name" in rec:
                self._lot_value(
                    lot, "name", rec["lot_name"], layout, line, "lot_name", rec["lot_name"]
                )
            prime = rec.get("prime_contractor")
            if prime is not None:
                self._organisation(prime, layout, line, "prime_contractor")
            for attr in ("prime_contractor", "complexity", "dynamics", "commodity"):
                if attr in rec:
                    self._lot_value(
                        lot, attr, rec[attr], layout, line, attr, _raw(layout, row, attr)
                    )
            if "depends_on" in rec:
                self._depends(lot_id, rec["depends_on"], layout, line)
        functions = rec.get("functions", ())
        if functions:
            known = self.register.functions
            for fn in functions:
                if fn in known or fn in self.broken["functions"]:
                    continue
                if "functions" in self.present:
                    self.p.error(
                        layout.display,
                        line,
                        layout.col("functions"),
                        f"unknown function {fn!r}: not in {self.present['functions'].name}",
                        fn,
                        f"a function_id of {self.present['functions'].name}",
                    )
                else:
                    known[fn] = Function(fn)
        mode = rec.get("mode")
        if mode is None and not self.no_mode_column:
            self.p.warning(
                layout.display,
                line,
                layout.col("mode"),
                f"contract {ident!r} has no mode recorded",
                None,
            )
        self.register.contracts[ident] = Contract(
            ident,
            supplier,
            lot_id,
            mode,
            self._frozen(rec.get("clauses")),
            self._frozen(functions),
            rec.get("start_date"),
            rec.get("end_date"),
            rec.get("annual_value"),
            rec.get("selection_basis"),
            extra,
        )


IDENTIFIER_FIELDS = frozenset(
    {"contract_id", "supplier", "lot", "supplier_id", "function_id", "lot_id", "prime_contractor"}
)
"""Fields (besides the lists of functions and lots) whose cells are identifiers."""


def _identifier(text: str) -> str:
    """An identifier: the trimmed text, at most :data:`MAX_ID_LENGTH` characters."""
    if len(text) > MAX_ID_LENGTH:
        raise _CellError(
            f"an identifier of at most {MAX_ID_LENGTH} characters",
            text[:40] + "...",
            f"identifier of {len(text)} characters is too long",
        )
    return text


def _raw(layout: _Layout, row: list[str], field_name: str) -> str:
    """The text of a field's cell as written (trimmed)."""
    i = layout.index.get(field_name)
    return row[i].strip() if i is not None and i < len(row) else ""


def _cached(parse: Converter) -> Converter:
    """Cache a parser's results by cell text (bounded)."""
    cache: dict[str, Any] = {}

    def convert(text: str) -> Any:
        try:
            return cache[text]
        except KeyError:
            value = parse(text)
            if len(cache) < 20_000:
                cache[text] = value
            return value

    return convert


def _mapped(name: str, vmap: dict[str, str], base: Converter) -> Converter:
    def convert(text: str) -> Any:
        replaced = vmap.get(value_key(name, text), text)
        if name == "mode" and not replaced:
            return None
        return base(replaced) if replaced else base(text)

    return convert


_REFERENCES = frozenset({"supplier", "lot", "prime_contractor"})
"""Fields naming another entity: their strings are shared (interned) while reading."""


def _interner() -> Callable[[str], str]:
    """A function returning one shared object for equal strings."""
    table: dict[str, str] = {}
    setdefault = table.setdefault

    def intern(text: str) -> str:
        return setdefault(text, text)

    return intern


def _list_converter(
    name: str,
    delimiter: str,
    vmap: dict[str, str] | None,
    item_conv: Converter | None,
    what: str,
    intern: Callable[[str], str],
) -> Converter:
    cache: dict[str, list[str]] = {}

    def convert(text: str) -> list[str]:
        try:
            return cache[text]
        except KeyError:
            pass
        items = split_list(text, delimiter)
        if vmap:
            mapped: list[str] = []
            for item in items:
                replaced = vmap.get(value_key(name, item))
                mapped.extend(split_list(replaced, ",") if replaced is not None else [item])
            items = list(dict.fromkeys(mapped))
        if item_conv is None:
            items = [intern(_identifier(item)) for item in items]
        else:
            out: list[str] = []
            for item in items:
                try:
                    key = item_conv(item)
                except ValueError as exc:
                    raise _CellError(str(exc), item, f"unknown {what} {item!r}") from None
                if key not in out:
                    out.append(key)
            items = out
        if len(cache) < 20_000:
            cache[text] = items
        return items

    return convert


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
    (:class:`~sourcing_graph.loaders.limits.Limits`; exceeding one is an error). The reader sets
    the ``csv`` module's process-wide field size limit while it runs.
    """
    rules = rules if rules is not None else default_rules()
    if mapping is not None and not isinstance(mapping, Mapping):
        mapping = load_mapping(mapping, rules)
    limits = limits or Limits()
    reader = _Reader(os.fspath(path), mapping or Mapping(), Vocabulary(rules), max_errors, limits)
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
