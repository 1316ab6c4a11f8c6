"""Query parameters as a person types them (``-p key=value``), typed and checked before a query runs.

Undeclared parameters (ad-hoc Cypher, ``.cypher`` files without ``param`` lines) are typed by how
they are written (:func:`typed_value`): ``2`` an integer, ``2.5`` or ``1e3`` a float, ``true`` /
``false`` booleans, ``null``, JSON lists and maps (``[1, "a"]``, ``{"k": 1}``); a value in single or
double quotes is the text between them (``'2'``, ``"true"``); anything else, a date included, is
text. Declared parameters are converted to their declared type (:func:`convert`): a ``string`` is
the text exactly as given, a vocabulary type (``mode``, ``severity``...) takes the ontology's keys
and its Dutch and English words and gives the key (``hoog`` -> ``high``), a ``date`` becomes a
date. A value that does not fit is a :class:`~sourcing_graph.errors.QueryError` naming the
parameter, the value and what is allowed.

>>> typed_value("2"), typed_value("2.5"), typed_value("'2'"), typed_value("[1, \\"a\\"]")
(2, 2.5, '2', [1, 'a'])
"""

from __future__ import annotations

import datetime
import json
import re
from collections.abc import Iterable, Mapping
from typing import Any

from sourcing_graph.errors import QueryError
from sourcing_graph.ontology.rules import Rules, load_rules, normalise_word
from sourcing_graph.queries import QueryParam

__all__ = ["Vocabulary", "allowed_text", "convert", "parse_params", "typed_value", "vocabulary"]

_INTEGER = re.compile(r"[+-]?(?:0|[1-9][0-9]*)")
_FLOAT = re.compile(r"[+-]?(?:[0-9]+\.[0-9]*|\.[0-9]+|[0-9]+(?=[eE]))(?:[eE][+-]?[0-9]+)?")
_INT64 = 2**63
_WORDS = {"true": True, "false": False, "null": None}
_BOOLEANS = {"true": True, "yes": True, "ja": True, "1": True,
             "false": False, "no": False, "nee": False, "0": False}  # fmt: skip

Vocabulary = Mapping[str, Mapping[str, str]]
"""Vocabulary type (``mode``, ``severity``...) -> normalised word -> the ontology's key."""


def vocabulary(rules: Rules) -> dict[str, dict[str, str]]:
    """The words each vocabulary type takes, from the rules' data (the ontology); each type's
    keys come first, in the ontology's order (modes and severities by rank), then other words."""
    modes = {w: k for w, k in rules.mode_words.items() if k is not None}
    modes.update({w: "unknown" for w, k in rules.mode_words.items() if k is None and w})
    mode_order = [*sorted(rules.mode_rank, key=rules.mode_rank.__getitem__), "unknown"]
    return {
        "mode": _ordered(modes, mode_order),
        "severity": _ordered(rules.severity_words, list(rules.severity_rank)),
        "clause": _ordered(rules.clause_words),
        "level": _ordered(rules.level_words, ["low", "high"]),
        "selection-basis": _ordered(rules.selection_basis_words),
    }


def _ordered(words: Mapping[str, str], order: Iterable[str] = ()) -> dict[str, str]:
    """``words`` with each key (in ``order``, then sorted) first, then every other word by key."""
    keys = [k for k in order if k in words.values()]
    keys += sorted(set(words.values()) - set(keys))
    result = {key: key for key in keys}
    for key in keys:
        result.update({w: key for w in sorted(words) if words[w] == key and w != key})
    return result


def typed_value(raw: str) -> Any:
    """A value typed by how it is written (see the module's docstring)."""
    text = raw.strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        if text[0] == '"':
            try:
                decoded = json.loads(text)
            except json.JSONDecodeError:
                return text[1:-1]
            return decoded
        return text[1:-1]
    if text in _WORDS:
        return _WORDS[text]
    if _INTEGER.fullmatch(text):
        number = int(text)
        return number if -_INT64 <= number < _INT64 else raw
    if _FLOAT.fullmatch(text):
        return float(text)
    if text.startswith(("[", "{")):
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            what = "list" if text.startswith("[") else "map"
            raise QueryError(
                f"{text!r} is not a JSON {what} ({exc.msg} at character {exc.pos + 1}); "
                "put it in quotes to pass it as text"
            ) from None
    return raw


_KIND_WORDS = {
    "string": "text",
    "integer": "a whole number",
    "float": "a number",
    "boolean": "true or false",
    "date": "a date (YYYY-MM-DD)",
    "organisation": "an organisation's id or name",
    "": "any value (typed as written)",
}


def allowed_text(param: QueryParam, vocab: Vocabulary) -> str:
    """What a declared parameter takes, in words: ``low, medium, high (or laag, ...)``."""
    if param.kind == "choice":
        text = ", ".join(param.choices)
    elif param.kind in vocab:
        words = vocab[param.kind]
        keys = [w for w, k in words.items() if w == k]
        others = [w for w, k in words.items() if w != k]
        text = ", ".join(keys) + (f" (or {', '.join(others)})" if others else "")
    else:
        text = _KIND_WORDS.get(param.kind, param.kind)
    if param.is_list:
        return f"a list (JSON [...] or comma-separated) of: {text}"
    return text


def convert(param: QueryParam, raw: str, vocab: Vocabulary) -> Any:
    """The value of a declared parameter; :class:`QueryError` when it does not fit its type."""
    if not param.is_list:
        return _one(param, raw, vocab)
    text = raw.strip()
    if not text.startswith("["):
        return [_one(param, item.strip(), vocab) for item in text.split(",") if item.strip()]
    items = typed_value(text)
    if not isinstance(items, list):
        raise _bad(param, raw, vocab)
    return [_one(param, i, vocab) if isinstance(i, str) else _typed(param, i, vocab) for i in items]


def _one(param: QueryParam, value: str, vocab: Vocabulary) -> Any:
    """One value written as text, converted to the parameter's type (an item of a list too)."""
    kind, text, word = param.kind, value.strip(), normalise_word(value)
    if kind == "":
        return typed_value(value)
    if kind in ("string", "organisation"):
        return value
    if kind == "integer" and _INTEGER.fullmatch(text) and -_INT64 <= int(text) < _INT64:
        return int(text)
    if kind == "float" and (_INTEGER.fullmatch(text) or _FLOAT.fullmatch(text)):
        return float(text)
    if kind == "boolean" and word in _BOOLEANS:
        return _BOOLEANS[word]
    if kind == "date":
        try:
            return datetime.date.fromisoformat(text)
        except ValueError:
            pass
    if kind == "choice":
        found = [c for c in param.choices if normalise_word(c) == word]
        if found:
            return found[0]
    if kind in vocab and word in vocab[kind]:
        return vocab[kind][word]
    raise _bad(param, value, vocab)


def _typed(param: QueryParam, value: Any, vocab: Vocabulary) -> Any:
    """An item of a JSON list that is not text: kept when it fits the parameter's type."""
    kind = param.kind
    if (
        kind == ""
        or (kind == "integer" and type(value) is int)
        or (kind == "float" and type(value) in (int, float))
        or (kind == "boolean" and type(value) is bool)
    ):
        return float(value) if kind == "float" else value
    raise _bad(param, json.dumps(value), vocab)


def _bad(param: QueryParam, value: str, vocab: Vocabulary) -> QueryError:
    what = {"choice": "one of the choices", "": "a value"}.get(
        param.kind, _KIND_WORDS.get(param.kind, f"a {param.kind}")
    )
    return QueryError(
        f"parameter {param.name}: {value!r} is not {what}; allowed: {allowed_text(param, vocab)}"
    )


def parse_params(
    pairs: Iterable[str],
    declared: Mapping[str, QueryParam],
    rules: Rules | None = None,
    *,
    query_name: str | None = None,
) -> dict[str, Any]:
    """``key=value`` strings as the query's parameters, typed and checked.

    With ``declared`` parameters (a named query or a ``.cypher`` file with ``param`` lines) every
    declared one is present (None when not given), an undeclared or missing required one is an
    error, and each value is converted to its type with ``rules``' vocabulary (default: the
    packaged ontology). Without declarations every key is taken, typed as written.
    """
    vocab = vocabulary(rules if rules is not None else load_rules())
    values: dict[str, Any] = dict.fromkeys(declared)
    for pair in pairs:
        key, sep, raw = pair.partition("=")
        key = key.strip()
        if not sep or not key:
            raise QueryError(f"parameter {pair!r} is not of the form key=value")
        if declared and key not in declared:
            raise QueryError(
                f"unknown parameter {key!r}; this query takes: " + ", ".join(sorted(declared))
            )
        try:
            values[key] = (
                convert(declared[key], raw, vocab) if key in declared else typed_value(raw)
            )
        except QueryError as exc:
            if key in declared:
                raise
            raise QueryError(f"parameter {key}: {exc}") from None
    missing = [p.name for p in declared.values() if not p.optional and values.get(p.name) is None]
    if missing:
        which = f"query {query_name!r}" if query_name else "the query"
        raise QueryError(
            f"{which} needs the parameter {', '.join(missing)} "
            + "; ".join(f"({name}: {allowed_text(declared[name], vocab)})" for name in missing)
        )
    return values
