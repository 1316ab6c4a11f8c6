"""Text that is safe to show: invisible characters as escapes, JSON without raw controls."""

from __future__ import annotations

import json
import re
import secrets
from collections.abc import Callable, Collection
from decimal import Decimal
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
    if token in text:  # a number was written
        text = re.sub(f'"{token}:([-0-9.]+)"', r"\1", text)
    if text.isascii() and "\x7f" not in text:  # no character _RAW_IN_JSON finds (both in C)
        return text
    return _RAW_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


_PLAIN = (str, int, float, type(None), Decimal)  # bool is an int
_STRINGS = {str}
_FLAT = {str, int, float, bool, type(None)}  # values the C encoder writes as they are
_string: Callable[[str], str] = json.encoder.encode_basestring
"""A string as JSON with ``ensure_ascii=False``: the function the C encoder itself calls."""
_CONTAINERS = (list, tuple, dict)


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
        if not isinstance(value, dict) and all(type(v) is dict and v for v in items):
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
        """A list of non-empty dicts (a result's rows) ``depth`` levels deep, the same text: all
        rows written by the C encoder in one call, each value that is not plain (a list, a dict,
        what only ``default`` knows) first replaced by a marker and written by :meth:`text` on
        its own. Each line break in the C encoder's text is then a separator (JSON strings escape
        line breaks) and, as no value left is a dict, ``},<separator>{`` is only a row's end."""
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
        outer, inner = self.indent * depth, self.indent * (depth + 1)
        keys = "\n" + self.indent * (depth + 2)
        flat = self._encoder(depth + 2).encode(plain)  # '[{"a": 1,<keys>"b": 2},<keys>{...}]'
        flat = flat[2:-2].replace("}," + keys + "{", "\n" + inner + "},\n" + inner + "{" + keys)
        text = f"[\n{inner}{{{keys}{flat}\n{inner}}}\n{outer}]"
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
