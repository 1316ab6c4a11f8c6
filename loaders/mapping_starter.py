"""A starter mapping file for a foreign export: what is recognised, what is guessed, what is left.

:func:`starter_mapping` samples the header and first rows of each file of the export, maps the
columns it recognises or can guess (:mod:`~sourcing_graph.loaders.export_guess`) and writes TOML
or JSON with a comment on every line: how it was decided, or a TODO.
"""

from __future__ import annotations

import csv
import itertools
import os
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sourcing_graph.errors import MappingError
from sourcing_graph.loaders.columns import (
    FILE_NAMES,
    HEADERS,
    KINDS,
    LIST_FIELDS,
    REQUIRED,
    VOCABULARY_FIELDS,
)
from sourcing_graph.loaders.csv_text import LineTooLong, detect_encoding, open_csv
from sourcing_graph.loaders.export_guess import (
    KNOWN_EXPORTS,
    ColumnSample,
    Entry,
    guess_column,
    guess_file_kind,
    guess_separator,
    suggest_values,
)
from sourcing_graph.loaders.limits import Limits
from sourcing_graph.loaders.mapping import MAPPING_VERSION
from sourcing_graph.loaders.sources import READ_ERRORS, RegisterSource, locate_files
from sourcing_graph.loaders.values import Vocabulary, default_rules, list_separators, norm
from sourcing_graph.text import json_text

if TYPE_CHECKING:
    from sourcing_graph.ontology.rules import Rules

__all__ = ["starter_mapping"]

_SAMPLE_ROWS = 2000
"""Rows read to guess the columns; the words of vocabulary columns are read from every row."""

Section = tuple[str, list[Entry]]
"""A table of the mapping file (``contracts.columns``, ...) and its entries."""


@dataclass
class _FileScan:
    name: str
    display: str
    kind: str | None
    how: str
    delimiter: str = ","
    columns: list[ColumnSample] = field(default_factory=list)
    error: str = ""
    rest: Iterator[list[str]] | None = None
    """The rows after the sample, not read yet (the file stays open)."""


def _scan(path: str, stack: ExitStack) -> tuple[list[_FileScan], str]:
    """Each file of the export with its kind (or None), sampled (its files stay open in
    ``stack``); and what the path is."""
    scans: list[_FileScan] = []
    try:
        sources, what = locate_files(path, stack)
    except FileNotFoundError:
        raise MappingError(f"{path}: no such file or folder") from None
    except Exception as exc:  # a bad zip, an unreadable folder
        raise MappingError(f"{path}: cannot open the export ({exc})") from None
    for src in sources:
        base = src.name.rsplit("/", 1)[-1]
        kind: str | None = src.kind
        if kind is None:
            kind, how = guess_file_kind(base)
        elif what == "file":
            how = "a single file is the contracts file"
        else:
            how = "recognised: a register file name"
        scan = _FileScan(base if what != "file" else src.name, src.display, kind, how)
        scans.append(scan)
        try:
            _scan_file(src, scan, stack)
        except READ_ERRORS as exc:  # a damaged zip member, ...
            scan.error = _read_error(exc)
        except LineTooLong:
            scan.error = _LONG_LINE
    return scans, what


_LONG_LINE = f"a line longer than {Limits().max_line_chars:,} characters"


def _read_error(exc: BaseException) -> str:
    return f"cannot read the file ({getattr(exc, 'strerror', None) or exc})"


def _scan_file(src: RegisterSource, scan: _FileScan, stack: ExitStack) -> None:
    """Sample the header and the first rows of one file of a foreign export into ``scan``."""
    encoding, reason = detect_encoding(src)
    if encoding is None:
        scan.error = reason
        return
    rows, scan.delimiter = open_csv(src, stack, encoding, Limits().max_line_chars)
    try:
        header = next((r for r in rows if any(c.strip() for c in r)), None)
        if header is None:
            scan.error = "the file has no header"
            return
        scan.columns = [ColumnSample(h.strip()) for h in header]
        for row in itertools.islice(rows, _SAMPLE_ROWS):
            for sample, text in zip(scan.columns, row, strict=False):
                text = text.strip()
                if text:
                    sample.add(text)
        scan.rest = rows
    except csv.Error as exc:
        scan.error = f"cannot read it as CSV ({exc})"


def _read_rest(scan: _FileScan, columns: list[int]) -> str:
    """Add the values of ``columns`` in the rows after the sample; what went wrong, if anything
    (the values read until then count)."""
    if scan.rest is None or not columns:
        return ""
    samples = [(i, scan.columns[i]) for i in columns]
    try:
        for row in scan.rest:
            n = len(row)
            for i, sample in samples:
                if i < n and (text := row[i].strip()):
                    sample.add_value(text)
    except csv.Error as exc:
        return f"cannot read it as CSV ({exc})"
    except READ_ERRORS as exc:
        return _read_error(exc)
    except LineTooLong:
        return _LONG_LINE
    return ""


def starter_mapping(
    path: str | os.PathLike[str], *, format: str = "toml", rules: Rules | None = None
) -> str:
    """A starter mapping for a foreign export (a folder, a ``.zip`` or one CSV file), as text.

    Recognised columns are mapped with a comment on how; columns it can guess are mapped with a
    ``# guessed`` comment, list columns with the list separator their cells seem to use;
    unknown columns are left as ``# TODO`` comments, as is every mode, clause and yes/no word of
    the export that the register would not accept (read from every row). ``format`` is
    ``"toml"`` or ``"json"``. Raises :class:`~sourcing_graph.errors.MappingError` when the export
    cannot be opened.
    """
    if format not in ("toml", "json"):
        raise MappingError(f"format = {format!r}: expected toml or json")
    vocab = Vocabulary(rules if rules is not None else default_rules())
    source = os.fspath(path)
    header_notes = [
        f"Starter mapping for {source}, written by sourcing-graph.",
        'Check every line marked "guessed" and every TODO; then read the export with this mapping.',
    ]
    with ExitStack() as stack:
        scans, what = _scan(source, stack)
        file_entries, sections = _sections(scans, what, vocab)
    if format == "json":
        return _render_json(header_notes, file_entries, sections)
    return _render_toml(header_notes, file_entries, sections)


def _sections(
    scans: list[_FileScan], what: str, vocab: Vocabulary
) -> tuple[list[Entry], list[Section]]:
    """The ``[files]`` entries and the other tables of the starter."""
    file_entries: list[Entry] = []
    sections: list[Section] = []
    kinds_seen: dict[str, str] = {}
    for scan in scans:
        first = kinds_seen.get(scan.kind) if scan.kind is not None else None
        file_entries.append(_file_entry(scan, what, first))
        if scan.kind is None or first is not None:
            continue
        kinds_seen[scan.kind] = scan.name
        if scan.error:
            todo = Entry("", None, f"TODO: {scan.name}: {scan.error}")
            sections.append((f"{scan.kind}.columns", [todo]))
            continue
        sections.extend(_map_columns(scan, vocab))
    if "contracts" not in kinds_seen:
        file_entries.append(
            Entry(
                "",
                None,
                "TODO: no contracts file found: name the file that holds one row per contract",
            )
        )
    return file_entries, sections


def _file_entry(scan: _FileScan, what: str, first: str | None) -> Entry:
    """The ``[files]`` entry of one file (``what``: the export is a folder, a zip or a file;
    ``first``: the file of the same kind seen before, if any)."""
    if first is not None:
        return Entry(
            scan.name, None, f"TODO: a second {scan.kind} file ({first} is the first): keep one"
        )
    if scan.kind is None:
        note = (
            "TODO: unknown file: give its kind (" + ", ".join(KINDS) + ") or leave it out (ignored)"
        )
        known = KNOWN_EXPORTS.get(scan.name.casefold())
        if known:
            note = f"{known[1]}; not a register file: ignored"
        cols = ", ".join(c.header for c in scan.columns[:12]) + (
            " ..." if len(scan.columns) > 12 else ""
        )
        return Entry(scan.name, None, note + (f"; columns: {cols}" if cols else ""))
    if what == "file":
        return Entry("", None, f"{scan.name}: {scan.how}; no entry needed")
    recognised_name = FILE_NAMES.get(scan.name.casefold()) == scan.kind
    return Entry(
        scan.name,
        None if recognised_name else scan.kind,
        scan.how + ("; no entry needed" if recognised_name else ""),
    )


def _map_columns(scan: _FileScan, vocab: Vocabulary) -> list[Section]:
    """The ``columns`` table of a file, the ``values`` tables its columns need and, when a
    required field has no column, a ``constants`` table to give it one value."""
    kind = scan.kind
    assert kind is not None
    decided, taken = _decide_columns(scan, kind, vocab)
    words = [i for i, (f, _) in decided.items() if f in VOCABULARY_FIELDS]
    rest_error = _read_rest(scan, words)
    entries: list[Entry] = []
    sections: list[Section] = []
    for i, sample in enumerate(scan.columns):
        if i not in decided:
            continue
        field_name, why = decided[i]
        if field_name is None:
            example = f" (e.g. {sample.example()!r})" if sample.filled else " (empty in the sample)"
            todo = f"TODO: unknown — map to a field or leave as extra{example}"
            entries.append(Entry(sample.header, None, todo))
            continue
        separators = list_separators(scan.delimiter)
        if field_name in LIST_FIELDS:
            separator, how = guess_separator(sample, scan.delimiter)
            if separator is not None:
                separators, why = (separator,), f"{why}; {how}"
            entries.append(Entry(sample.header, field_name, why, separator))
        else:
            entries.append(Entry(sample.header, field_name, why))
        if ":" in field_name:
            continue
        suggestions = suggest_values(field_name, sample, separators, vocab)
        if suggestions:
            sections.append((f"{kind}.values.{field_name}", suggestions))
    if rest_error:
        entries.append(Entry("", None, f"TODO: {scan.name}: after the first rows: {rest_error}"))
    constants: list[Entry] = []
    for required in REQUIRED[kind]:
        if required not in taken:
            todo = f"TODO: no column found for the required field {required}"
            entries.append(Entry("", None, todo))
            constants.append(Entry(required, None, f"{todo}: or give every row this value"))
    sections.insert(0, (f"{kind}.columns", entries))
    if constants:
        sections.append((f"{kind}.constants", constants))
    return sections


def _decide_columns(
    scan: _FileScan, kind: str, vocab: Vocabulary
) -> tuple[dict[int, tuple[str | None, str]], dict[str, str]]:
    """Column -> (field or None, how it was decided); field -> the header that took it."""
    decided, taken = _recognised_columns(scan, kind)
    for i, sample in enumerate(scan.columns):
        if i in decided or not norm(sample.header):
            continue
        field_name, why = guess_column(kind, sample, vocab, set(taken))
        decided[i] = (field_name, why)
        if field_name and ":" not in field_name:
            taken[field_name] = sample.header
    return decided, taken


def _recognised_columns(
    scan: _FileScan, kind: str
) -> tuple[dict[int, tuple[str | None, str]], dict[str, str]]:
    """The columns whose field is certain (a known name, a known export's column code): column
    -> (field, how); and field -> the header that took it."""
    known = KNOWN_EXPORTS.get(scan.name.casefold())
    known_columns = known[2] if known and known[0] == kind else {}
    taken: dict[str, str] = {}
    decided: dict[int, tuple[str | None, str]] = {}
    for i, sample in enumerate(scan.columns):
        key = norm(sample.header)
        if not key:
            continue
        if key in HEADERS[kind] and HEADERS[kind][key] not in taken:
            field_name = HEADERS[kind][key]
            how = (
                "the canonical name" if key == norm(field_name) else f"a known name of {field_name}"
            )
            decided[i] = (field_name, f"recognised: {how}")
        elif sample.header.casefold() in known_columns:
            field_name, what = known_columns[sample.header.casefold()]
            export = known[1].split(",")[0] if known else ""
            decided[i] = (field_name, f"recognised: {what} ({export})")
        else:
            continue
        taken[field_name] = sample.header
    return decided, taken


def _toml_key(text: str) -> str:
    return json_text(text)  # a JSON string is a TOML basic string


def _render_toml(notes: list[str], files: list[Entry], sections: list[Section]) -> str:
    out = [f"# {n}" for n in notes]
    out += ["", f"version = {MAPPING_VERSION}", ""]

    def emit(entries: list[Entry]) -> None:
        for e in entries:
            if not e.key:
                out.append(f"# {e.comment}")
            elif e.value is None:
                out.append(f'# {_toml_key(e.key)} = ""  # {e.comment}')
            else:
                value = _toml_key(e.value)
                if e.separator is not None:
                    value = f"{{field = {value}, separator = {_toml_key(e.separator)}}}"
                out.append(
                    f"{_toml_key(e.key)} = {value}" + (f"  # {e.comment}" if e.comment else "")
                )

    out.append("[files]")
    emit(files)
    for name, entries in sections:
        out += ["", f"[{name}]"]
        emit(entries)
    return "\n".join(out) + "\n"


def _render_json(notes: list[str], files: list[Entry], sections: list[Section]) -> str:
    doc: dict[str, Any] = {"_comment": notes, "version": MAPPING_VERSION}

    def table(entries: list[Entry]) -> dict[str, Any]:
        body: dict[str, Any] = {}
        todo: dict[str, str] = {}
        explain: dict[str, str] = {}
        for e in entries:
            if e.value is not None:
                body[e.key] = (
                    e.value if e.separator is None else {"field": e.value, "separator": e.separator}
                )
                if e.comment:
                    explain[e.key] = e.comment
            else:
                todo[e.key or f"({len(todo) + 1})"] = e.comment
        if explain:
            body["_notes"] = explain
        if todo:
            body["_todo"] = todo
        return body

    doc["files"] = table(files)
    for name, entries in sections:
        node = doc
        parts = name.split(".")
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = table(entries)
    return json_text(doc, indent=2) + "\n"
