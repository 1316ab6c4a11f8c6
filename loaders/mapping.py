"""Mapping files for foreign exports: rename files, columns and values to the register's names.

A mapping file is TOML (or JSON with the same structure)::

    version = 1
    list_separator = ","                   # list cells of this export: items separated by ","

    [files]                                # file name in the export -> kind of file
    "Export_Contracten.csv" = "contracts"

    [contracts.columns]                    # header in the export -> field of that kind of file
    "Leveranciersnaam" = "supplier"
    "Contract nr." = "contract_id"
    "Boete (j/n)" = "clauses:penalty"      # a yes/no column: adds the item to a list when yes
    "Functies" = {field = "functions", separator = "/"}   # this column's own list separator

    [contracts.constants]                  # a field the export lacks -> its value in every row
    lot = "K01"

    [contracts.values.clauses]             # cell value -> register word (several: "a|b")
    "Boeteregeling" = "penalty"

    [contracts.values.mode]
    "Partnerschap" = "trust"
    "n.v.t." = ""                          # empty: not recorded

Headers and vocabulary words match as in the register (any case, ``_``/``-``/space alike); values of
identifier fields match exactly (after trimming). In JSON, keys starting with ``_`` are comments.
See ``docs/mapping.md``. A starter mapping for an export is written by
:func:`~sourcing_graph.loaders.mapping_starter.starter_mapping`.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Mapping as MappingABC
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sourcing_graph.errors import MappingError
from sourcing_graph.loaders.columns import (
    FIELDS,
    FILE_NAMES,
    HEADERS,
    KINDS,
    LIST_FIELDS,
    VOCABULARY_FIELDS,
)
from sourcing_graph.loaders.field_words import check_word, constant_expected
from sourcing_graph.loaders.values import (
    Vocabulary,
    default_rules,
    list_separators,
    norm,
    split_list,
)

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

if TYPE_CHECKING:
    from sourcing_graph.ontology.rules import Rules

__all__ = [
    "MAPPING_VERSION",
    "Mapping",
    "load_mapping",
    "parse_mapping",
    "value_key",
]

MAPPING_VERSION = 1


@dataclass(frozen=True)
class Mapping:
    """A parsed mapping file.

    - ``files``: file name (lower case; a base name or a path inside a zip) -> kind.
    - ``columns``: kind -> normalised header -> target: a field (``"supplier"``) or a flag
      ``"clauses:penalty"`` (a yes/no column that adds ``penalty`` to the list when yes).
    - ``values``: kind -> field -> cell value (normalised for vocabulary fields, trimmed for
      others) -> replacement text.
    - ``separators``: kind -> list field -> the separator of its column's items.
    - ``constants``: kind -> field -> the text every row of that kind of file reads for it.
    - ``list_separator``: the separator of every other list column ("" for the register's).
    """

    files: dict[str, str] = field(default_factory=dict)
    columns: dict[str, dict[str, str]] = field(default_factory=dict)
    values: dict[str, dict[str, dict[str, str]]] = field(default_factory=dict)
    source: str = ""
    separators: dict[str, dict[str, str]] = field(default_factory=dict)
    constants: dict[str, dict[str, str]] = field(default_factory=dict)
    list_separator: str = ""

    def kind_of_file(self, name: str) -> str | None:
        """The kind the mapping gives a file (by path inside a zip, or base name), if any."""
        lowered = name.replace("\\", "/").casefold()
        return self.files.get(lowered) or self.files.get(lowered.rsplit("/", 1)[-1])

    def column(self, kind: str, header: str) -> str | None:
        """The target the mapping gives a header of a kind of file, if any."""
        return self.columns.get(kind, {}).get(norm(header))

    def value_map(self, kind: str, field_name: str) -> dict[str, str] | None:
        """The value replacements of a field, if any."""
        return self.values.get(kind, {}).get(field_name)

    def separators_of(self, kind: str, field_name: str, delimiter: str) -> tuple[str, ...]:
        """What separates the items of a list field's cells in a file delimited by
        ``delimiter``: the column's separator, else the mapping's, else the register's."""
        separator = self.separators.get(kind, {}).get(field_name) or self.list_separator
        return (separator,) if separator else list_separators(delimiter)

    def constants_of(self, kind: str) -> dict[str, str]:
        """The constant fields of a kind of file: field -> text (as a register cell holds it)."""
        return self.constants.get(kind, {})


def value_key(field_name: str, text: str) -> str:
    """How a cell value is matched against a mapping's value table."""
    return norm(text) if field_name in VOCABULARY_FIELDS else text.strip()


def _fail(source: str, key: str, value: object, expected: str) -> MappingError:
    return MappingError(f"{source}: {key} = {value!r}: expected {expected}")


def _table(source: str, key: str, value: object) -> MappingABC[str, Any]:
    if not isinstance(value, MappingABC):
        raise _fail(source, key, value, "a table")
    return {k: v for k, v in value.items() if not str(k).startswith("_")}


def _text(source: str, key: str, value: object) -> str:
    if not isinstance(value, str):
        raise _fail(source, key, value, "a text value in quotes")
    return value


def _kinds_text() -> str:
    return ", ".join(KINDS)


def _field_of(kind: str, name: str) -> str | None:
    """A field named by its canonical name or an alias."""
    return HEADERS[kind].get(norm(name))


@dataclass
class _Parts:
    """The parts of a mapping as they are read."""

    files: dict[str, str] = field(default_factory=dict)
    columns: dict[str, dict[str, str]] = field(default_factory=dict)
    values: dict[str, dict[str, dict[str, str]]] = field(default_factory=dict)
    separators: dict[str, dict[str, str]] = field(default_factory=dict)
    constants: dict[str, dict[str, str]] = field(default_factory=dict)
    list_separator: str = ""


def parse_mapping(
    data: MappingABC[str, Any], source: str = "<mapping>", rules: Rules | None = None
) -> Mapping:
    """Check and read a mapping given as nested dicts (the parsed TOML or JSON)."""
    vocab = Vocabulary(rules if rules is not None else default_rules())
    data = _table(source, "(top level)", data)
    parts = _Parts()
    for top, body in data.items():
        if top == "version":
            if body != MAPPING_VERSION:
                raise _fail(source, "version", body, f"{MAPPING_VERSION}")
        elif top == "list_separator":
            parts.list_separator = _separator(source, top, body)
        elif top == "files":
            parts.files = _files(source, body)
        elif top in KINDS:
            _kind(source, top, body, vocab, parts)
        else:
            expected = f"version, list_separator, files, or a kind of file ({_kinds_text()})"
            raise _fail(source, top, body, expected)
    _no_constant_column(source, parts)
    return Mapping(
        parts.files,
        parts.columns,
        parts.values,
        source,
        parts.separators,
        parts.constants,
        parts.list_separator,
    )


def _files(source: str, body: object) -> dict[str, str]:
    files: dict[str, str] = {}
    for name, kind in _table(source, "files", body).items():
        kind_text = _text(source, f"files.{name!r}", kind).strip().casefold()
        kind_text = FILE_NAMES.get(kind_text, kind_text)  # "contracts.csv" works too
        if kind_text not in KINDS:
            raise _fail(source, f"files.{name!r}", kind, f"a kind of file: {_kinds_text()}")
        files[name.replace("\\", "/").strip().casefold()] = kind_text
    return files


def _kind(source: str, kind: str, body: object, vocab: Vocabulary, parts: _Parts) -> None:
    """Read the tables of one kind of file (``[contracts.columns]``, ...) into ``parts``."""
    for section, table in _table(source, kind, body).items():
        if section == "columns":
            columns, separators = _columns(source, kind, table, vocab)
            parts.columns[kind] = columns
            if separators:
                parts.separators[kind] = separators
        elif section == "values":
            parts.values[kind] = _values(source, kind, table, vocab)
        elif section == "constants":
            parts.constants[kind] = _constants(source, kind, table, vocab)
        else:
            expected = "a 'columns', 'values' or 'constants' table"
            raise _fail(source, f"{kind}.{section}", table, expected)


def _separator(source: str, key: str, value: object) -> str:
    """A list separator: any text but empty or only spaces (a line break is one: ``"\\n"``)."""
    text = _text(source, key, value)
    if not text or text.isspace() and "\n" not in text:
        raise _fail(source, key, value, "a list separator, such as ',', ';', '/' or '\\n'")
    return text


def _columns(
    source: str, kind: str, table: object, vocab: Vocabulary
) -> tuple[dict[str, str], dict[str, str]]:
    """A kind's columns: header -> target; and list field -> separator (the columns given as
    ``{field = "functions", separator = ","}``)."""
    out: dict[str, str] = {}
    separators: dict[str, str] = {}
    for header, target in _table(source, f"{kind}.columns", table).items():
        key = f"{kind}.columns.{header!r}"
        if isinstance(target, MappingABC):
            field_name, separator = _column_table(source, key, target, kind)
            separators[field_name] = separator
        else:
            field_name = _column_target(source, key, target, kind, vocab)
        if not norm(header):
            raise _fail(source, key, target, "a non-empty column name")
        out[norm(header)] = field_name
    return out, separators


def _column_target(source: str, key: str, target: object, kind: str, vocab: Vocabulary) -> str:
    """The field (or ``list:item`` flag) a column's text target names."""
    text = _text(source, key, target).strip()
    name, flag, item = text.partition(":")
    field_name = _field_of(kind, name)
    if field_name is None:
        raise _fail(source, key, target, f"a field of {kind}: {', '.join(FIELDS[kind])}")
    if not flag:
        return field_name
    item = item.strip()
    if field_name not in LIST_FIELDS or not item:
        raise _fail(source, key, target, "a list field and an item, such as 'clauses:penalty'")
    if field_name == "clauses":
        if not vocab.is_clause(item):
            raise _fail(source, key, target, vocab.clause_expected)
        item = vocab.clause(item)
    return f"{field_name}:{item}"


def _column_table(
    source: str, key: str, target: MappingABC[str, Any], kind: str
) -> tuple[str, str]:
    """A list column given as ``{field = "functions", separator = ","}``: its field and
    separator."""
    body = _table(source, key, target)
    expected = "a list column: {field = <a list field>, separator = <its list separator>}"
    if set(body) != {"field", "separator"}:
        raise _fail(source, key, dict(body), expected)
    field_name = _field_of(kind, _text(source, f"{key}.field", body["field"]))
    if field_name not in LIST_FIELDS:
        lists = ", ".join(f for f in FIELDS[kind] if f in LIST_FIELDS)
        raise _fail(source, f"{key}.field", body["field"], f"a list field of {kind}: {lists}")
    return field_name, _separator(source, f"{key}.separator", body["separator"])


def _values(source: str, kind: str, table: object, vocab: Vocabulary) -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for name, replacements in _table(source, f"{kind}.values", table).items():
        field_name = _field_of(kind, name)
        if field_name is None:
            raise _fail(
                source,
                f"{kind}.values.{name}",
                replacements,
                f"a field of {kind}: {', '.join(FIELDS[kind])}",
            )
        out_field = out.setdefault(field_name, {})
        for value, target in _table(source, f"{kind}.values.{name}", replacements).items():
            key = f"{kind}.values.{name}.{value!r}"
            text = _text(source, key, target).strip()
            words = split_list(text, ",") if field_name in LIST_FIELDS else [text]
            if not text and field_name != "mode" and field_name not in LIST_FIELDS:
                raise _fail(source, key, target, "a non-empty value")
            for word in words:
                ok, expected = check_word(vocab, field_name, word)
                if not ok:
                    raise _fail(source, key, target, expected)
            out_field[value_key(field_name, value)] = text
    return out


def _constants(source: str, kind: str, table: object, vocab: Vocabulary) -> dict[str, str]:
    """A kind's constant fields: field -> text, checked as a cell of that field."""
    out: dict[str, str] = {}
    for name, value in _table(source, f"{kind}.constants", table).items():
        key = f"{kind}.constants.{name}"
        field_name = _field_of(kind, name)
        if field_name is None:
            raise _fail(source, key, value, f"a field of {kind}: {', '.join(FIELDS[kind])}")
        text = _text(source, key, value).strip()
        if not text:
            raise _fail(source, key, value, "a value for every row (a constant cannot be empty)")
        words = split_list(text, ",") if field_name in LIST_FIELDS else [text]
        for word in words:
            expected = constant_expected(vocab, field_name, word)
            if expected:
                raise _fail(source, key, value, expected + (f" ({word!r} is not)" * (word != text)))
        out[field_name] = text
    return out


def _no_constant_column(source: str, parts: _Parts) -> None:
    """A field is given a constant or a column of the export, not both."""
    for kind, constants in parts.constants.items():
        for header, target in parts.columns.get(kind, {}).items():
            if target in constants:
                raise _fail(
                    source,
                    f"{kind}.constants.{target}",
                    constants[target],
                    f"a field no column gives: {kind}.columns maps {header!r} to {target} too;"
                    " keep one of them",
                )


def load_mapping(path: str | os.PathLike[str], rules: Rules | None = None) -> Mapping:
    """Read a mapping file: TOML (``.toml``) or JSON (``.json``); other names are tried as both.

    Raises :class:`~sourcing_graph.errors.MappingError` naming the file, the key, the value read
    and what was expected.
    """
    p = Path(path)
    source = str(path)
    try:
        raw = p.read_bytes()
    except OSError as exc:
        raise MappingError(f"{source}: cannot read the mapping file ({exc.strerror})") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise MappingError(f"{source}: the mapping file is not UTF-8 text") from None
    suffix = p.suffix.casefold()
    data: object
    if suffix == ".json" or (suffix != ".toml" and text.lstrip().startswith("{")):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise MappingError(
                f"{source}:{exc.lineno}:{exc.colno}: not valid JSON ({exc.msg})"
            ) from None
        except RecursionError:
            raise MappingError(f"{source}: not a mapping file (nested too deeply)") from None
    else:
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise MappingError(f"{source}: not valid TOML ({exc})") from None
        except RecursionError:
            raise MappingError(f"{source}: not a mapping file (nested too deeply)") from None
    if not isinstance(data, MappingABC):
        raise _fail(source, "(top level)", data, "a table (a JSON object)")
    return parse_mapping(data, source, rules)
