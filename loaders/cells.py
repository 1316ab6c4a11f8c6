"""Reading one cell of a register file: a converter per column, from the text to the value.

A converter takes a cell's trimmed text and returns its value, or raises :class:`ValueError`
(whose message says what was expected) or :class:`CellError` (which also gives the message and
the value to show). Converters cache what they read: registers repeat the same words.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sourcing_graph.errors import Text, said
from sourcing_graph.loaders.columns import LEVEL_FIELDS, LIST_FIELDS, YES_NO_FIELDS
from sourcing_graph.loaders.mapping import Mapping, value_key
from sourcing_graph.loaders.values import (
    Vocabulary,
    parse_date,
    parse_number,
    parse_yes_no,
    split_items,
    split_list,
)
from sourcing_graph.model import MAX_ID_LENGTH

__all__ = [
    "IDENTIFIER_FIELDS",
    "CellError",
    "Converter",
    "WordedKeys",
    "converter",
    "identifier",
    "interner",
    "with_item",
]

Converter = Callable[[str], Any]

IDENTIFIER_FIELDS = frozenset(
    {"contract_id", "supplier", "lot", "supplier_id", "function_id", "lot_id", "prime_contractor"}
)
"""Fields (besides the lists of functions and lots) whose cells are identifiers."""

_REFERENCES = frozenset({"supplier", "lot", "prime_contractor"})
"""Fields naming another entity: their strings are shared (interned) while reading."""

_CACHED = frozenset({"mode", "start_date", "end_date"} | YES_NO_FIELDS | LEVEL_FIELDS)
"""Fields whose converters cache their results by cell text."""

_CACHE_SIZE = 20_000

_FUNCTION = Text("function")
_LOT = Text("lot")
_CLAUSE_TYPE = Text("clause type")
"""What the items of a list cell are (in the problem about an unknown item)."""


class CellError(ValueError):
    """A cell (or one item of a list cell) is wrong."""

    def __init__(self, expected: str, value: str, message: str) -> None:
        super().__init__(expected)
        self.expected = expected
        self.value = value
        self.message = message


class WordedKeys(list[str]):
    """The keys of a clause cell (each once, in order) with the words as written that gave them.

    ``words`` maps each key to the cell's items that normalised to it, as written and in order
    (``{"obligation": ("resultaatverplichting", "inspanningsverplichting")}``); a yes/no flag
    column's header stands for the word of the item it adds. Converters cache their results, so
    equal cells share one object: nobody changes it.
    """

    __slots__ = ("words",)

    def __init__(self, keys: list[str], words: dict[str, tuple[str, ...]]) -> None:
        super().__init__(keys)
        self.words = words


def with_item(keys: list[str] | None, item: str, word: str) -> WordedKeys:
    """Clause ``keys`` with the key ``item`` added (once) and ``word`` as written for it: a new
    :class:`WordedKeys` (a yes/no flag column that adds a clause type)."""
    words = dict(getattr(keys, "words", {}))
    words[item] = (*words.get(item, ()), word)
    keys = list(keys or ())
    return WordedKeys(keys if item in keys else [*keys, item], words)


def identifier(text: str) -> str:
    """An identifier: the trimmed text, at most :data:`MAX_ID_LENGTH` characters."""
    if len(text) > MAX_ID_LENGTH:
        raise CellError(
            Text("an identifier of at most {n} characters", n=MAX_ID_LENGTH),
            text[:40] + "...",
            Text("identifier of {n} characters is too long", n=len(text)),
        )
    return text


def interner() -> Callable[[str], str]:
    """A function returning one shared object for equal strings."""
    table: dict[str, str] = {}
    setdefault = table.setdefault

    def intern(text: str) -> str:
        return setdefault(text, text)

    return intern


def converter(
    kind: str,
    name: str,
    delimiter: str,
    mapping: Mapping,
    vocab: Vocabulary,
    intern: Callable[[str], str],
) -> Converter:
    """The converter of the field ``name`` of a ``kind`` of file, with the mapping's value table.

    ``delimiter`` is the file's (a list cell is split on the mapping's separator for the field,
    else on ``|``, and on ``;`` unless that is the delimiter); ``intern`` shares the strings of
    identifiers that name other entities.
    """
    vmap = mapping.value_map(kind, name)
    if name in LIST_FIELDS:
        item_conv: Converter | None = None
        what = _FUNCTION if name == "functions" else _LOT
        if name == "clauses":
            item_conv = vocab.clause
            what = _CLAUSE_TYPE
        separators = mapping.separators_of(kind, name, delimiter)
        return _list_converter(name, separators, vmap, item_conv, what, intern)
    base = _base_converter(name, vocab, intern)
    if name in _CACHED:
        base = _cached(base)
    if vmap:
        return _mapped(name, vmap, base)
    return base


def _base_converter(name: str, vocab: Vocabulary, intern: Callable[[str], str]) -> Converter:
    """The converter of a field holding one value."""
    if name == "mode":
        return vocab.mode
    if name in YES_NO_FIELDS:
        return parse_yes_no
    if name in LEVEL_FIELDS:
        return vocab.level
    if name == "selection_basis":
        return vocab.selection_basis
    if name in ("start_date", "end_date"):
        return parse_date
    if name == "annual_value":
        return parse_number
    if name in _REFERENCES:

        def reference(text: str) -> str:
            return intern(identifier(text))  # one string object for each supplier, lot, ...

        return reference
    if name in IDENTIFIER_FIELDS:
        return identifier
    return str  # names: the trimmed text


def _cached(parse: Converter) -> Converter:
    """Cache a parser's results by cell text (bounded)."""
    cache: dict[str, Any] = {}

    def convert(text: str) -> Any:
        try:
            return cache[text]
        except KeyError:
            value = parse(text)
            if len(cache) < _CACHE_SIZE:
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


def _list_converter(
    name: str,
    separators: tuple[str, ...],
    vmap: dict[str, str] | None,
    item_conv: Converter | None,
    what: Text,
    intern: Callable[[str], str],
) -> Converter:
    cache: dict[str, list[str]] = {}

    def convert(text: str) -> list[str]:
        try:
            return cache[text]
        except KeyError:
            pass
        written = split_items(text, separators)
        items: list[str]
        if item_conv is None:
            mapped = _mapped_items(name, written, vmap) if vmap else written
            items = [intern(identifier(item)) for item in mapped]
        else:
            items = _converted_items(name, written, vmap, item_conv, what)
        if len(cache) < _CACHE_SIZE:
            cache[text] = items
        return items

    return convert


def _mapped_items(name: str, items: list[str], vmap: dict[str, str]) -> list[str]:
    """The items of a list cell after the mapping's value table (one value may give several)."""
    mapped: list[str] = []
    for item in items:
        mapped.extend(_mapped_item(name, item, vmap))
    return list(dict.fromkeys(mapped))


def _mapped_item(name: str, item: str, vmap: dict[str, str] | None) -> list[str]:
    """What the mapping's value table makes of one item (itself when it has no entry)."""
    replaced = vmap.get(value_key(name, item)) if vmap else None
    return split_list(replaced, ",") if replaced is not None else [item]


def _converted_items(
    name: str, written: list[str], vmap: dict[str, str] | None, item_conv: Converter, what: Text
) -> WordedKeys:
    """The keys of a list cell's items (each once, in order) with the words as written that gave
    each; an unknown item is a CellError."""
    keys: list[str] = []
    words: dict[str, tuple[str, ...]] = {}
    for word in written:
        for item in _mapped_item(name, word, vmap):
            try:
                key = item_conv(item)
            except ValueError as exc:
                raise CellError(
                    said(exc), item, Text("unknown {what} {item!r}", what=what, item=item)
                ) from None
            if key not in words:
                keys.append(key)
                words[key] = (word,)
            elif word not in words[key]:
                words[key] = (*words[key], word)
    return WordedKeys(keys, words)
