"""CSV text of a register file: its encoding, its delimiter, its lines (each capped) and records.

Everything streams: a file is read in chunks or line by line, never whole; a physical line over
the cap raises :class:`LineTooLong`, so a file without line breaks is never held in memory.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
from collections.abc import Iterator
from contextlib import ExitStack
from typing import IO, Any

from sourcing_graph.errors import Text
from sourcing_graph.loaders.limits import Limits
from sourcing_graph.loaders.sources import READ_ERRORS, RegisterSource

__all__ = [
    "LineTooLong",
    "capped_lines",
    "detect_delimiter",
    "detect_encoding",
    "find_long_cell",
    "open_csv",
]

CHUNK = 1 << 16
DELIMITERS = (",", ";", "\t")


class LineTooLong(Exception):
    """A physical line is longer than the limit; ``line`` is its number (1-based)."""

    def __init__(self, cap: int, line: int) -> None:
        super().__init__(cap, line)
        self.line = line


CSV_TEXT = Text("CSV text (UTF-8 or Windows-1252)")
"""What a register's file should be, when it is not."""


def detect_encoding(source: RegisterSource) -> tuple[str | None, str]:
    """``("utf-8-sig" | "cp1252", "")``, or ``(None, reason)`` for an empty or binary file.

    Reads the bytes in chunks (never the whole file at once): first as UTF-8; when that fails,
    again as Windows-1252.
    """
    with source.open() as fh:
        first = fh.read(CHUNK)
        if not first:
            return None, Text("the file is empty")
        if first.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return None, Text("the file is UTF-16 text; save it as UTF-8 (or Windows-1252) CSV")
        utf8, binary = _read_as_utf8(fh, first)
        if binary:
            return None, Text("the file holds NUL bytes: it is a binary file, not CSV text")
        if utf8:
            return "utf-8-sig", ""
    with source.open() as fh:
        while chunk := fh.read(CHUNK):
            try:
                chunk.decode("cp1252")
            except UnicodeDecodeError:
                return None, Text(
                    "the file is neither UTF-8 nor Windows-1252 text: is it a binary file?"
                )
    return "cp1252", ""


def _read_as_utf8(fh: IO[bytes], first: bytes) -> tuple[bool, bool]:
    """Read the rest of ``fh`` after its ``first`` chunk: (whether it is UTF-8, whether it holds
    a NUL byte, the mark of a binary file)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    chunk = first
    utf8 = True
    while chunk:
        if b"\x00" in chunk:
            return False, True
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
    return utf8, False


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


def capped_lines(text: IO[str], cap: int) -> Iterator[str]:
    """The lines of ``text``, each read with at most ``cap`` characters; a longer line raises
    :class:`LineTooLong` (so a file without line breaks is never read into memory whole)."""
    readline = text.readline
    number = 0
    while line := readline(cap):
        number += 1
        if len(line) >= cap and line[-1] not in "\r\n":
            raise LineTooLong(cap, number)
        yield line


def open_csv(
    source: RegisterSource, stack: ExitStack, encoding: str, max_line_chars: int | None = None
) -> tuple[Any, str]:
    """A csv reader over the file's text, streamed, and the detected delimiter.

    With ``max_line_chars``, a physical line longer than that raises :class:`LineTooLong` while
    the reader is iterated.
    """
    text = stack.enter_context(io.TextIOWrapper(source.open(), encoding=encoding, newline=""))
    lines: Iterator[str] = (
        iter(text) if max_line_chars is None else capped_lines(text, max_line_chars)
    )
    pending: list[str] = []
    for line in lines:
        pending.append(line)
        if line.strip():
            break
    delimiter = detect_delimiter(pending[-1] if pending else "")
    return csv.reader(itertools.chain(pending, lines), delimiter=delimiter), delimiter


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
    except (LineTooLong, UnicodeDecodeError, *READ_ERRORS):
        return None


def _scan_for_long_cell(
    source: RegisterSource, encoding: str, delimiter: str, line: int, limits: Limits
) -> tuple[int, int] | None:
    limit = limits.max_field_chars
    with io.TextIOWrapper(source.open(), encoding=encoding, newline="") as text:
        lines = capped_lines(text, limits.max_line_chars)
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
