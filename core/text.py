"""Text that is safe to show: invisible characters as escapes, JSON without raw controls."""

from __future__ import annotations

import json
import re
import secrets
from collections.abc import Callable
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

    text = json.dumps(value, ensure_ascii=False, default=default, **options)
    text = re.sub(f'"{token}:([-0-9.]+)"', r"\1", text)
    return _RAW_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
