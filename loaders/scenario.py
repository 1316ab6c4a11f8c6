"""Read a what-if scenario: a CSV file of changes to a register (``target``, ``change``, ``value``).

The file is read like a register file (``,`` ``;`` or tab; UTF-8 with or without a byte-order mark,
or Windows-1252; headers, change words and vocabulary matched like headers; identifiers trimmed)
through the reader's CSV layer (:mod:`~sourcing_graph.loaders.csv_text`). Every row is checked
against the register it changes: an unknown target kind or id, a change that does not fit its
target, a value that is not in the vocabulary, an empty ``set_prime_contractor`` or making
``own-it`` external is an error with file, line and column, and :func:`read_scenario` raises
:class:`~sourcing_graph.errors.ScenarioError` with all of them: nothing is computed.

Columns (Dutch in brackets): ``target`` (``doel``) ``contract:ID``, ``lot:ID`` (``kavel:``) or
``supplier:ID`` (``leverancier:``); ``change`` (``wijziging``) one of :data:`CHANGE_WORDS`;
``value`` (``waarde``). Other columns (a note, say) are ignored. Rows apply in file order.

>>> from sourcing_graph.model import Contract, Register
>>> reg = Register(contracts={"C1": Contract("C1", "acme", "K1", "trust", frozenset({"bonus"}))})
>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "s.csv"
>>> _ = path.write_text("doel;wijziging;waarde\\ncontract:C1;clausule schrappen;bonusregeling\\n")
>>> read_scenario(path, reg)
[Change(kind='drop_clause', target='C1', value='bonus', source=...)]
"""

from __future__ import annotations

import csv
import os
from collections.abc import Callable
from contextlib import ExitStack
from typing import TYPE_CHECKING, Any

from sourcing_graph.errors import ScenarioError, Text, alternatives, said
from sourcing_graph.loaders.columns import field_word
from sourcing_graph.loaders.csv_text import CSV_TEXT, LineTooLong, detect_encoding, open_csv
from sourcing_graph.loaders.limits import Limits
from sourcing_graph.loaders.problems import Problems, Stop
from sourcing_graph.loaders.sources import (
    READ_ERRORS,
    RegisterSource,
    file_opener,
    read_error_reason,
)
from sourcing_graph.loaders.values import Vocabulary, default_rules, norm, parse_yes_no
from sourcing_graph.model import CHANGE_TARGETS, OWN_IT, Change, Register

if TYPE_CHECKING:
    from sourcing_graph.ontology.rules import Rules

__all__ = ["CHANGE_WORDS", "COLUMNS", "TARGET_WORDS", "read_scenario"]

COLUMNS: dict[str, tuple[str, ...]] = {
    "target": ("target", "doel"),
    "change": ("change", "wijziging"),
    "value": ("value", "waarde"),
}
"""The scenario's columns and the headers that name them (matched like register headers)."""

TARGET_WORDS: dict[str, str] = {
    "contract": "contract",
    "lot": "lot",
    "kavel": "lot",
    "perceel": "lot",
    "supplier": "supplier",
    "leverancier": "supplier",
}
"""The kinds of target (``kind:ID``), in English and Dutch."""

CHANGE_WORDS: dict[str, tuple[str, ...]] = {
    "set_mode": ("samenwerkingsvorm instellen", "vorm instellen"),
    "add_clause": ("clausule toevoegen",),
    "drop_clause": ("clausule schrappen", "clausule verwijderen"),
    "set_selection_basis": ("selectiebasis instellen", "selectie instellen"),
    "set_prime_contractor": ("hoofdaannemer instellen",),
    "set_internal": ("intern instellen",),
}
"""Each change (:data:`~sourcing_graph.model.CHANGE_TARGETS`) and its Dutch words."""

_TARGETS = {"contract": Text("contract"), "lot": Text("lot"), "supplier": Text("supplier")}
"""The kinds of target, in the problems."""

_CHANGES = {norm(w): kind for kind, words in CHANGE_WORDS.items() for w in (kind, *words)}
_HEADERS = {norm(h): name for name, headers in COLUMNS.items() for h in headers}


class _Rows:
    """Checks the rows of one scenario file against a register, collecting the problems."""

    def __init__(self, display: str, register: Register, vocab: Vocabulary, p: Problems) -> None:
        self.display, self.register, self.vocab, self.p = display, register, vocab, p
        self.changes: list[Change] = []

    def error(self, line: int, column: int, message: Text, value: str, expected: str) -> None:
        self.p.error(self.display, line, column, message, value, expected)

    def row(self, cells: list[str], index: dict[str, int], line: int) -> None:
        """One row: its target, change and value checked; a change added when all are fine."""
        text = {name: _cell(cells, i) for name, i in index.items()}
        if not any(text.values()):
            return  # a blank row
        target = self._target(text["target"], line, index["target"] + 1)
        kind = self._change(text["change"], line, index["change"] + 1)
        if target is None or kind is None:
            return
        if CHANGE_TARGETS[kind] != target[0]:
            self.error(
                line,
                index["change"] + 1,
                Text(
                    "{change} does not apply to a {target}", change=kind, target=_TARGETS[target[0]]
                ),
                text["change"],
                Text(
                    "a change of a {target}: {changes}",
                    target=_TARGETS[target[0]],
                    changes=", ".join(k for k, t in CHANGE_TARGETS.items() if t == target[0]),
                ),
            )
            return
        value, ok = self._value(kind, target[1], text["value"], line, index["value"] + 1)
        if ok:
            self.changes.append(Change(kind, target[1], value, f"{self.display}:{line}"))

    def _target(self, text: str, line: int, column: int) -> tuple[str, str] | None:
        kind_word, sep, ident = text.partition(":")
        kind = TARGET_WORDS.get(norm(kind_word)) if sep else None
        if kind is None:
            self.error(
                line,
                column,
                Text("not a target"),
                text,
                Text("contract:ID, lot:ID (kavel:ID) or supplier:ID (leverancier:ID)"),
            )
            return None
        ident = ident.strip()
        tables: dict[str, dict[str, Any]] = {
            "contract": self.register.contracts,
            "lot": self.register.lots,
            "supplier": self.register.organisations,
        }
        known = tables[kind]
        if ident not in known:
            message = Text("unknown {kind} {ident!r}", kind=_TARGETS[kind], ident=ident)
            expected = Text("a {kind} of the register", kind=_TARGETS[kind])
            self.error(line, column, message, text, expected)
            return None
        return kind, ident

    def _change(self, text: str, line: int, column: int) -> str | None:
        kind = _CHANGES.get(norm(text))
        if kind is None:
            words = ", ".join(f"{k} ({', '.join(w)})" for k, w in CHANGE_WORDS.items())
            self.error(line, column, Text("not a change"), text, words)
        return kind

    def _value(
        self, kind: str, target: str, text: str, line: int, column: int
    ) -> tuple[str | bool | None, bool]:
        """The value of a change, read with the vocabulary: (value, whether it is valid)."""
        try:
            return _READ_VALUE[kind](self, target, text), True
        except ValueError as exc:
            message = Text("not a valid value for {change}", change=kind)
            self.error(line, column, message, text, said(exc))
            return None, False

    def _prime(self, target: str, text: str) -> str:
        if not text:
            raise ValueError(Text("an organisation of the register, or own-it (not empty)"))
        if text not in self.register.organisations:
            raise ValueError(Text("an organisation of the register, or own-it"))
        return text

    def _internal(self, target: str, text: str) -> bool:
        internal = parse_yes_no(text) if text else False
        if target == OWN_IT and not internal:
            raise ValueError(Text("yes: own-it, the client's own IT organisation, stays internal"))
        return internal

    def _clause(self, target: str, text: str) -> str:
        if not text:
            raise ValueError(self.vocab.clause_expected)
        return self.vocab.clause(text)


_READ_VALUE: dict[str, Callable[[_Rows, str, str], Any]] = {
    "set_mode": lambda rows, _, text: rows.vocab.mode(text),
    "add_clause": _Rows._clause,
    "drop_clause": _Rows._clause,
    "set_selection_basis": lambda rows, _, text: rows.vocab.selection_basis(text) if text else None,
    "set_prime_contractor": _Rows._prime,
    "set_internal": _Rows._internal,
}


def _cell(cells: list[str], i: int) -> str:
    return cells[i].strip() if i < len(cells) else ""


def _header_index(header: list[str], display: str, p: Problems) -> dict[str, int] | None:
    """Which column holds target, change and value; None (after the errors) when one is missing
    or named twice."""
    index: dict[str, int] = {}
    for i, cell in enumerate(header):
        name = _HEADERS.get(norm(cell))
        if name is None:
            continue
        if name in index:
            message = Text("two columns name {column}", column=name)
            p.error(display, 1, i + 1, message, cell.strip(), Text("one column each"))
            return None
        index[name] = i
    missing = [name for name in COLUMNS if name not in index]
    for name in missing:
        message = Text("missing required column {field}", field=field_word(name))
        p.error(display, 1, 1, message, None, alternatives(COLUMNS[name]))
    return None if missing else index


def _read(source: RegisterSource, rows: _Rows, limits: Limits, stack: ExitStack) -> None:
    p = rows.p
    encoding, reason = detect_encoding(source)
    if encoding is None:
        p.error(source.display, 1, 1, reason, None, CSV_TEXT)
        return
    reader, _ = open_csv(source, stack, encoding, limits.max_line_chars)
    index = None
    line = count = 0
    for cells in reader:
        start, line = line + 1, reader.line_num
        if index is None:
            if any(c.strip() for c in cells):
                index = _header_index(cells, source.display, p)
                if index is None:
                    return
            continue
        count += 1
        if count > limits.max_rows:
            message = Text("more than {n:,} rows", n=limits.max_rows)
            p.over_limit(source.display, start, 1, message, limits, "max_rows")
            return
        rows.row(cells, index, start)
    if index is None:
        p.error(source.display, 1, 1, Text("the file has no header"), None, "target, change, value")


def read_scenario(
    path: str | os.PathLike[str],
    register: Register,
    *,
    rules: Rules | None = None,
    limits: Limits | None = None,
    max_errors: int = 100,
) -> list[Change]:
    """The changes of the scenario file at ``path``, checked against ``register`` (in file order).

    ``rules`` gives the words of modes, clause types and selection bases (default: the packaged
    ontology's). Raises :class:`~sourcing_graph.errors.ScenarioError` with every problem found
    (file, line, column, the value read, what was expected).
    """
    display = os.fspath(path)
    limits = limits or Limits()
    p = Problems(max_errors)
    rows = _Rows(display, register, Vocabulary(rules or default_rules()), p)
    source = RegisterSource(None, display, os.path.basename(display), file_opener(display))
    try:
        with ExitStack() as stack, limits.csv_cells():
            _read(source, rows, limits, stack)
    except Stop:
        pass
    except LineTooLong as exc:
        p.over_limit(display, exc.line, 1, limits.line_too_long(), limits, "max_field_chars")
    except csv.Error as exc:
        p.error(display, 1, 1, Text("cannot read the file: {reason}", reason=str(exc)))
    except READ_ERRORS as exc:
        p.error(
            display,
            1,
            1,
            Text("cannot read the file: {reason}", reason=read_error_reason(exc)),
            None,
            Text("a readable file"),
        )
    if p.errors:
        raise ScenarioError(p.errors, p.truncated)
    return rows.changes
