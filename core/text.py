"""Text that is safe to show: invisible characters as escapes, JSON without raw controls."""

from __future__ import annotations

import json
import re
import secrets
from collections.abc import Callable, Collection
from decimal import Decimal
from itertools import chain, repeat
from operator import itemgetter
from typing import Any

INVISIBLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]")
"""C0 and C1 control characters (ANSI escape sequences start with ESC or CSI), the line and
paragraph separators, and the bidirectional-text controls that can make text read backwards."""

_RAW_IN_JSON = re.compile(r"[\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]")
"""The invisible characters ``json.dumps`` leaves raw (it escapes C0 controls itself)."""

_NAMED_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(match: re.Match[str]) -> str:
    ch = match.group()
    if ch in _NAMED_ESCAPES:
        return _NAMED_ESCAPES[ch]
    return f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}"


def visible(text: str) -> str:
    r"""``text`` with control characters, line breaks and bidi controls shown as escapes.

    >>> print(visible("red\x1b[31m\nnext \u202eevil"))
    red\x1b[31m\nnext \u202eevil
    """
    return INVISIBLE.sub(_escape, text)


def decimal_text(value: Decimal) -> str:
    """An exact decimal as a JSON number without noise: its shortest spelling, at least one decimal.

    >>> decimal_text(Decimal("0.30")), decimal_text(Decimal("125000.00")), decimal_text(Decimal("-5"))
    ('0.3', '125000.0', '-5.0')
    """
    text = f"{value.normalize():f}"
    return text if "." in text else text + ".0"


def json_text(value: Any, **options: Any) -> str:
    r"""``json.dumps(value, ensure_ascii=False, **options)``, with the invisible characters JSON
    leaves raw (DEL, C1 controls, line separators, bidi controls) as ``\uXXXX`` escapes, and a
    :class:`~decimal.Decimal` (an amount) as the exact JSON number :func:`decimal_text` spells.

    The JSON value is the same (``json.loads`` gives it back exactly); only its spelling avoids
    characters a terminal may act on. The escapes are valid TOML too.

    >>> json_text("a\u202eb\x9bc")
    '"a\\u202eb\\u009bc"'
    >>> json_text({"annual_value": Decimal("0.10") + Decimal("0.20")})
    '{"annual_value": 0.3}'
    """
    token = secrets.token_hex(8)  # marks a number in the text; no register value can guess it
    fallback: Callable[[Any], Any] | None = options.pop("default", None)

    def default(item: Any) -> Any:
        if isinstance(item, Decimal) and item.is_finite():
            return f"{token}:{decimal_text(item)}"
        if fallback is None:
            raise TypeError(f"Object of type {type(item).__name__} is not JSON serializable")
        return fallback(item)

    indent = options.get("indent")
    if isinstance(indent, int) and not isinstance(indent, bool) and set(options) == {"indent"}:
        text = _Indented(default, " " * indent).text(value, 0)  # the same text, faster
    else:
        text = json.dumps(value, ensure_ascii=False, default=default, **options)
    if token in text:  # a number was written: '"<token>:12.5"' -> '12.5'
        text = _unquoted_numbers(text, f'"{token}:')
    if text.isascii() and "\x7f" not in text:  # no character _RAW_IN_JSON finds (both in C)
        return text
    return _RAW_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _unquoted_numbers(text: str, start: str) -> str:
    """``text`` with each string ``"<start>12.5"`` (``start`` holds the opening quote) written
    as the number ``12.5``: the text split at each ``start``, each piece after it losing the
    closing quote that ends its number (a number holds no quote)."""
    pieces = text.split(start)
    for i in range(1, len(pieces)):
        piece = pieces[i]
        end = piece.index('"')
        pieces[i] = piece[:end] + piece[end + 1 :]
    return "".join(pieces)


_PLAIN = (str, int, float, type(None), Decimal)  # bool is an int
_STRINGS = {str}
_FLAT = {str, int, float, bool, type(None)}  # values the C encoder writes as they are
_string: Callable[[str], str] = json.encoder.encode_basestring
"""A string as JSON with ``ensure_ascii=False``: the function the C encoder itself calls."""
_CONTAINERS = (list, tuple, dict)


def _flat_column(column: list[Any]) -> bool:
    """Whether a column of rows holds only values the C encoder writes as :meth:`_Indented.text`
    would: strings, numbers, booleans, None and finite decimals (through ``default``)."""
    types = set(map(type, column))
    if types <= _FLAT:
        return True
    if not types <= _FLAT | {Decimal}:
        return False
    return all(v.is_finite() for v in column if type(v) is Decimal)


class _Indented:
    """``json.dumps(value, ensure_ascii=False, default=default, indent=...)``, the same text, made
    faster: a dict or list whose items are all plain (or empty containers) -- a result's rows --
    is written by the C encoder in one call, with the line break and indentation of its depth as
    the item separator; only the levels above the rows are walked here. Anything else (a key that
    is not a string, a value only ``default`` knows) goes to ``json.dumps`` itself."""

    def __init__(self, default: Callable[[Any], Any], indent: str) -> None:
        self.default = default
        self.indent = indent
        self.flat: dict[int, json.JSONEncoder] = {}

    def _encoder(self, depth: int) -> json.JSONEncoder:
        found = self.flat.get(depth)
        if found is None:
            separator = ",\n" + self.indent * depth
            found = json.JSONEncoder(
                ensure_ascii=False, default=self.default, separators=(separator, ": ")
            )
            self.flat[depth] = found
        return found

    def text(self, value: Any, depth: int) -> str:
        """``value`` as it stands ``depth`` levels deep."""
        items: Collection[Any]
        if isinstance(value, dict):
            items = value.values()
            if value and not all(isinstance(k, str) for k in value):
                return self._fallback(value, depth)
        elif isinstance(value, list | tuple):
            items = value
        elif isinstance(value, _PLAIN) and (type(value) is not Decimal or value.is_finite()):
            return self._encoder(depth).encode(value)
        else:
            return self._fallback(value, depth)
        if not items:
            return "[]" if not isinstance(value, dict) else "{}"
        pad = "\n" + self.indent * (depth + 1)
        if not isinstance(value, dict) and set(map(type, items)) == {dict} and all(items):
            return self._rows(items, depth)
        if all(isinstance(v, _PLAIN) or (isinstance(v, _CONTAINERS) and not v) for v in items):
            flat = self._encoder(depth + 1).encode(value)  # '{"a": 1,<pad>"b": 2}'
            return f"{flat[0]}{pad}{flat[1:-1]}\n{self.indent * depth}{flat[-1]}"
        if isinstance(value, dict):
            parts = [
                f"{json.dumps(k, ensure_ascii=False)}: {self.text(v, depth + 1)}"
                for k, v in value.items()
            ]
            return "{" + pad + ("," + pad).join(parts) + "\n" + self.indent * depth + "}"
        parts = [self.text(v, depth + 1) for v in value]
        return "[" + pad + ("," + pad).join(parts) + "\n" + self.indent * depth + "]"

    def _rows(self, rows: Collection[dict[Any, Any]], depth: int) -> str:
        """A list of non-empty dicts (a result's rows) ``depth`` levels deep, the same text.

        Rows that all have the same keys in the same order (a result's rows do) are looked at
        column by column, in C: a column of plain values stays as it is; each value of a column
        that holds others (a list, what only ``default`` knows) is written on its own
        (:meth:`_value_text`, an equal list of strings once), and the column given one marker
        string. All rows are then written by the C encoder in one call, with the line break and
        indentation of their keys' depth as the separator: each line break in that text is a
        separator (JSON strings escape line breaks) and, as no value left is a dict,
        ``},<separator>{`` is only a row's end. The text is split at the markers and the values'
        texts put in between, in the order the encoder met them: row by row, key by key. Rows
        with keys of their own take :meth:`_rows_one_by_one`."""
        keys = tuple(next(iter(rows)))
        if len(set(map(tuple, rows))) != 1:
            return self._rows_one_by_one(rows, depth)
        columns = [list(map(itemgetter(k), rows)) for k in keys]
        nested = [i for i, column in enumerate(columns) if not _flat_column(column)]
        if not nested:
            return self._rows_text(rows, depth)
        marker = f"{secrets.token_hex(8)}@"
        written: dict[tuple[str, ...], str] = {}  # a list of strings -> its text
        texts = [self._column_text(columns[i], depth + 2, written) for i in nested]
        for i in nested:
            columns[i] = [marker] * len(columns[i])
        plain = list(map(dict, map(zip, repeat(keys), zip(*columns, strict=True))))
        pieces = self._rows_text(plain, depth).split(f'"{marker}"')
        values = list(chain.from_iterable(zip(*texts, strict=True))) if len(texts) > 1 else texts[0]
        if len(pieces) != len(values) + 1:  # a marker in a value: cannot happen (a random token)
            return self._rows_one_by_one(rows, depth)
        out: list[str] = [""] * (2 * len(values) + 1)
        out[0::2] = pieces
        out[1::2] = values
        return "".join(out)

    def _rows_text(self, rows: Collection[dict[Any, Any]], depth: int) -> str:
        """Rows of plain values (or markers) ``depth`` levels deep, by the C encoder in one call
        (see :meth:`_rows`)."""
        outer, inner = self.indent * depth, self.indent * (depth + 1)
        keys = "\n" + self.indent * (depth + 2)
        flat = self._encoder(depth + 2).encode(rows)  # '[{"a": 1,<keys>"b": 2},<keys>{...}]'
        flat = flat[2:-2].replace("}," + keys + "{", "\n" + inner + "},\n" + inner + "{" + keys)
        return f"[\n{inner}{{{keys}{flat}\n{inner}}}\n{outer}]"

    def _column_text(
        self, column: list[Any], depth: int, written: dict[tuple[str, ...], str]
    ) -> list[str]:
        """The text of each value of a column that is not plain, ``depth`` levels deep: a column
        of lists of strings (the common case) looked up in C, each distinct list written once."""
        if (
            set(map(type, column)) == {list}
            and set(map(type, chain.from_iterable(column))) <= _STRINGS
        ):
            keys = list(map(tuple, column))
            for key in set(keys).difference(written):
                written[key] = self._strings_text(key, depth) if key else "[]"
            return list(map(written.__getitem__, keys))
        return [self._value_text(v, depth, written) for v in column]

    def _strings_text(self, items: tuple[str, ...], depth: int) -> str:
        """A non-empty list of strings ``depth`` levels deep, as :meth:`text` writes it, each
        string by the C encoder's own string function."""
        pad = "\n" + self.indent * (depth + 1)
        return f"[{pad}{(',' + pad).join(map(_string, items))}\n{self.indent * depth}]"

    def _value_text(self, value: Any, depth: int, written: dict[tuple[str, ...], str]) -> str:
        """The text of a row's value that is not plain, ``depth`` levels deep; a non-empty list
        of strings (a row's clauses, contracts, reasons: few distinct ones among many rows) is
        written once, by the C encoder's own string function, and its text given again for an
        equal list."""
        if not value and type(value) is list:  # as text() writes it
            return "[]"
        if type(value) is list and set(map(type, value)) <= _STRINGS:
            key = tuple(value)
            found = written.get(key)
            if found is None:
                found = written[key] = self._strings_text(key, depth)
            return found
        return self.text(value, depth)

    def _rows_one_by_one(self, rows: Collection[dict[Any, Any]], depth: int) -> str:
        """:meth:`_rows` of rows whose keys differ: each value that is not plain first replaced
        by a marker and written by :meth:`text` on its own, then put back."""
        marker = f"{secrets.token_hex(8)}@"
        parts: list[str] = []
        written: dict[tuple[str, ...], str] = {}  # a list of strings -> its marker
        plain = []
        for row in rows:
            if set(map(type, row.values())) <= _FLAT:  # most rows: strings and numbers only
                plain.append(row)
                continue
            nested = [
                k
                for k, v in row.items()
                if not isinstance(v, _PLAIN) or (type(v) is Decimal and not v.is_finite())
            ]
            if nested:
                row = dict(row)
                for k in nested:
                    value = row[k]
                    found = None  # a list of strings written already: its marker (inlined)
                    if type(value) is list and set(map(type, value)) <= _STRINGS:
                        found = written.get(tuple(value))
                    if found is None:
                        found = self._marked(value, depth + 2, marker, parts, written)
                    row[k] = found
            plain.append(row)
        text = self._rows_text(plain, depth)
        if not parts:
            return text
        return re.sub(f'"{marker}([0-9]+)"', lambda m: parts[int(m.group(1))], text)

    def _marked(
        self,
        value: Any,
        depth: int,
        marker: str,
        parts: list[str],
        written: dict[tuple[str, ...], str],
    ) -> str:
        """The marker of ``value``'s text, added to ``parts``; a list of strings (a row's
        clauses, contracts, reasons: few distinct ones among many rows) is written once and its
        marker given again for an equal list."""
        key = tuple(value) if type(value) is list else None
        if key is not None and not set(map(type, key)) <= _STRINGS:
            key = None
        found = written.get(key) if key is not None else None
        if found is None:
            if key:  # strings: what text() writes of them, each string by the C encoder's own
                pad = "\n" + self.indent * (depth + 1)
                items = ("," + pad).join(map(_string, key))
                parts.append(f"[{pad}{items}\n{self.indent * depth}]")
            else:
                parts.append(self.text(value, depth))
            found = f"{marker}{len(parts) - 1}"
            if key is not None:
                written[key] = found
        return found

    def _fallback(self, value: Any, depth: int) -> str:
        text = json.dumps(value, ensure_ascii=False, default=self.default, indent=self.indent)
        return text.replace("\n", "\n" + self.indent * depth)
