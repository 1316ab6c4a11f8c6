"""Cells whose reading may not be what their writer meant: a warning once per column.

- A list cell holding a likely list separator (``,`` ``;`` ``|`` or a line break) that does not
  separate the items of its column: in a ``|``-separated column, ``F-ARCH, F-SEC`` is one
  function. A mapping file can give the column its separator.
- A number whose reading depends on the thousands rule (``docs/register-format.md``): ``12,400``
  is read as 12400 and could be 12.4; unless another cell of the column shows that mark grouping
  thousands beyond doubt (``210,000.00``, ``1,000,000``).

:func:`column_checks` gives the checks of a file's columns; each sees the column's cells and, at
the end of the file, gives its warning: the first doubtful cell's line, the message and the cell.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sourcing_graph.errors import Text, alternatives
from sourcing_graph.loaders.columns import LIST_FIELDS, NUMBER_FIELDS, field_word
from sourcing_graph.loaders.mapping import Mapping, value_key
from sourcing_graph.loaders.values import (
    norm,
    split_items,
    stray_separator,
    thousands_readings,
)

__all__ = ["ColumnCheck", "ListCheck", "NumberCheck", "column_checks"]

_SEEN = 20_000
_ITEM_NAMES = {
    "functions": Text("function"),
    "clauses": Text("clause type"),
    "depends_on": Text("lot"),
}

Warning = tuple[int, str, str]
"""A column's warning: the line of its first doubtful cell, the message, the cell."""


@dataclass
class ColumnCheck:
    """The check of one column (0-based) of a file; ``label`` names the column in messages."""

    column: int
    label: str

    def see(self, text: str, line: int) -> bool:
        """Look at a filled cell (as written, maybe with outer spaces) of the record starting
        at ``line``; True once more cells can change nothing."""
        raise NotImplementedError

    def warning(self) -> Warning | None:
        """The column's warning, once all its cells were seen; None when nothing is doubtful."""
        raise NotImplementedError


@dataclass
class ListCheck(ColumnCheck):
    """A list column: an item holding another likely list separator (one that the mapping's
    value table names is as meant)."""

    name: str = ""
    separators: tuple[str, ...] = ("|",)
    vmap: dict[str, str] = field(default_factory=dict)
    found: Warning | None = None
    seen: set[str] = field(default_factory=set)
    """Cells seen already (lists repeat from row to row), up to :data:`_SEEN` of them."""

    def see(self, text: str, line: int) -> bool:
        seen = self.seen
        if text in seen:
            return False  # the common case, fast
        if len(seen) < _SEEN:
            seen.add(text)
        separators = self.separators
        if stray_separator(text, separators) is None:
            return False
        for item in split_items(text, separators):
            mark = stray_separator(item, separators)
            if mark is None or value_key(self.name, item) in self.vmap:
                continue
            shown = alternatives([_mark_name(s) for s in separators])
            message = Text(
                "{column}: {mark} in a list separated by {separators}: {item!r} is read as one "
                "{what}; if {mark} separates the items, give the column that list separator in a "
                "mapping file (warned once per column)",
                column=self.label,
                mark=_mark_name(mark),
                separators=shown,
                item=item,
                what=_ITEM_NAMES.get(self.name) or Text("item"),
            )
            self.found = (line, message, text.strip())
            return True
        return False

    def warning(self) -> Warning | None:
        return self.found


@dataclass
class NumberCheck(ColumnCheck):
    """A number column: the first number read by the thousands rule whose mark no other cell of
    the column shows grouping thousands beyond doubt."""

    grouping: set[str] = field(default_factory=set)
    found: dict[str, Warning] = field(default_factory=dict)

    def see(self, text: str, line: int) -> bool:
        dot = "." in text
        comma = "," in text
        if dot and comma:  # the first mark groups thousands: 125.000,50
            grouping = self.grouping
            grouping.add("." if text.rfind(",") > text.rfind(".") else ",")
            return len(grouping) == 2
        if not (dot or comma):
            return False  # the common case, fast
        mark = "." if dot else ","
        if text.count(mark) > 1:  # 1.000.000
            self.grouping.add(mark)
            return len(self.grouping) == 2
        if len(text) - text.index(mark) <= 3:  # under three characters after the mark: 125.50
            return False  # (the thousands rule wants three digits there; nothing to warn)
        if mark not in self.found and (readings := thousands_readings(text.strip())):
            read, other = readings
            message = Text(
                "{column}: {text!r} read as {read} (the mark groups thousands); it could be "
                "{other} (the mark as decimal mark) (warned once per column)",
                column=self.label,
                text=text.strip(),
                read=read,
                other=other,
            )
            self.found[mark] = (line, message, text.strip())
        return False

    def warning(self) -> Warning | None:
        doubtful = [w for mark, w in self.found.items() if mark not in self.grouping]
        return min(doubtful) if doubtful else None


def column_checks(
    kind: str, index: dict[str, int], header: list[str], delimiter: str, mapping: Mapping
) -> list[ColumnCheck]:
    """The checks of a file's list and number columns (``index``: field -> 0-based column)."""
    checks: list[ColumnCheck] = []
    for name, i in index.items():
        label = _label(name, header[i].strip())
        if name in LIST_FIELDS:
            separators = mapping.separators_of(kind, name, delimiter)
            vmap = mapping.value_map(kind, name) or {}
            checks.append(ListCheck(i, label, name=name, separators=separators, vmap=vmap))
        elif name in NUMBER_FIELDS:
            checks.append(NumberCheck(i, label))
    return checks


def _label(name: str, written: str) -> str:
    """``column 'Functies' (functions)``, or ``column 'functions'`` when the header is the field."""
    if norm(written) == norm(name):
        return Text("column {header!r}", header=written)
    return Text("column {header!r} ({field})", header=written, field=field_word(name))


def _mark_name(mark: str) -> str:
    return Text("a line break") if mark == "\n" else repr(mark)
