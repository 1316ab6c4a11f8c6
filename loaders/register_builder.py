"""Building the model from the checked rows of a register's files.

The :class:`RegisterBuilder` takes the rows of each kind of file in turn (companion files before
contracts) and adds their entities to a :class:`~sourcing_graph.model.Register`: identifiers
unique, references resolved against the companion files, lot attributes agreeing between rows.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from sourcing_graph.errors import Problem, Text
from sourcing_graph.loaders.columns import KINDS, field_word
from sourcing_graph.loaders.layout import Layout
from sourcing_graph.loaders.problems import Problems
from sourcing_graph.model import OWN_IT, Contract, Function, Lot, Organisation, Register

__all__ = ["RegisterBuilder"]

ID_FIELDS = {
    "suppliers": "supplier_id",
    "functions": "function_id",
    "lots": "lot_id",
    "contracts": "contract_id",
}
"""The field holding the identifier of each kind of file's entity."""

_SUPPLIER = Text("supplier")
_PRIME = Text("prime contractor")
_FUNCTION = Text("function")
_A_FUNCTION_ID = Text("a function_id")
"""Words of the problems about references (made once: a register may name thousands)."""

_EMPTY: frozenset[str] = frozenset()
_NO_WORDS: dict[str, tuple[str, ...]] = {}
"""The clause words of a contract without clauses (one shared empty dict: nobody changes it)."""


class RegisterBuilder:
    """Adds the rows of a register's files to ``register``; problems go to ``problems``.

    ``present`` maps each kind of companion file read (``suppliers``, ``lots``, ...) to its name:
    a reference to an entity of a kind whose file is present must name one of its rows; without
    the file, the reference creates the entity.
    """

    def __init__(self, register: Register, problems: Problems) -> None:
        self.register = register
        self.p = problems
        self.present: dict[str, str] = {}
        # where each identifier was first seen: kind -> id -> line
        self.first: dict[str, dict[str, int]] = {k: {} for k in KINDS}
        # lot attributes read so far: lot -> attribute -> (value, text, file, line)
        self.lot_values: dict[str, dict[str, tuple[Any, str, str, int]]] = {}
        # identifiers of rows that had errors (not loaded, but references to them are fine)
        self.broken: dict[str, set[str]] = {k: set() for k in KINDS}
        self.no_mode_column = False
        self._sets: dict[frozenset[str], frozenset[str]] = {}
        # the row each lot was made from (its lots row, or the first row naming it)
        self.lot_rows: dict[str, tuple[Layout, int]] = {}

    def adder(
        self, kind: str
    ) -> Callable[[Layout, int, dict[str, Any], dict[str, str], list[str]], None]:
        """How to add the entity of a row of a ``kind`` of file, free of errors: ``add(layout,
        line, rec, extra, row)`` (``rec``: its fields, ``extra``: its extras); a second row with
        the same identifier is an error."""
        handle = getattr(self, kind)
        id_field = ID_FIELDS.get(kind)
        if id_field is None:
            return handle
        duplicate = self.duplicate

        def add(
            layout: Layout, line: int, rec: dict[str, Any], extra: dict[str, str], row: list[str]
        ) -> None:
            if not duplicate(kind, rec[id_field], layout, line, id_field):
                handle(layout, line, rec, extra, row)

        return add

    def add_broken(self, kind: str, line: int, rec: dict[str, Any]) -> None:
        """A row with errors still names its entity: a later duplicate is an error, a reference
        to it is not."""
        field_name = ID_FIELDS.get(kind)
        if field_name is not None and field_name in rec:
            ident = rec[field_name]
            self.broken[kind].add(ident)
            self.first[kind].setdefault(ident, line)

    def finish(self) -> None:
        """After the last file: mark each lot no row gave a prime contractor as defaulted
        (``own-it`` coordinates it, as the format says), with a warning at the lot's row."""
        for ident, (layout, line) in self.lot_rows.items():
            lot = self.register.lots.get(ident)
            if lot is None or "prime_contractor" in self.lot_values.get(ident, ()):
                continue
            lot.prime_contractor_defaulted = True
            has_column = "prime_contractor" in layout.index
            self.p.warnings.append(
                Problem(
                    layout.display,
                    line,
                    layout.col("prime_contractor"),
                    Text(
                        "lot {ident!r} has no prime contractor recorded: {own_it} coordinates it "
                        "(the default)",
                        ident=ident,
                        own_it=OWN_IT,
                    ),
                    "" if has_column else None,
                    Text("the lot's prime contractor (a supplier_id, or {own_it})", own_it=OWN_IT),
                    "warning",
                )
            )

    # ---- checks shared by the kinds of file

    def frozen(self, items: list[str] | None) -> frozenset[str]:
        """One shared frozenset per distinct set (many contracts carry the same clauses)."""
        if not items:
            return _EMPTY
        found = frozenset(items)
        return self._sets.setdefault(found, found)

    def duplicate(self, kind: str, ident: str, layout: Layout, line: int, field_name: str) -> bool:
        """Whether ``ident`` was seen before in a file of ``kind`` (an error); else notes it."""
        first = self.first[kind]
        if ident in first:
            self.p.error(
                layout.display,
                line,
                layout.col(field_name),
                Text(
                    "duplicate {field} {ident!r} (first at line {line})",
                    field=field_word(field_name),
                    ident=ident,
                    line=first[ident],
                ),
                ident,
                Text("a unique {field}", field=field_word(field_name)),
            )
            return True
        first[ident] = line
        return False

    def _resolve(
        self,
        kind: str,
        known: Mapping[str, object],
        ident: str,
        layout: Layout,
        line: int,
        field_name: str,
        what: Text,
        expected: Text,
    ) -> bool | None:
        """A reference to ``ident``, an entity of ``kind``: True when ``known``; False when a row
        with errors names it, or when the file of ``kind`` does not (an error, reported; it
        ``expected`` an identifier of that file); None when there is no such file (the caller
        makes the entity)."""
        if ident in known:
            return True
        if ident in self.broken[kind]:
            return False
        name = self.present.get(kind)
        if name is None:
            return None
        self.p.error(
            layout.display,
            line,
            layout.col(field_name),
            Text("unknown {what} {ident!r}: not in {file}", what=what, ident=ident, file=name),
            ident,
            Text("{what} of {file} (or {own_it})", what=expected, file=name, own_it=OWN_IT)
            if kind == "suppliers"
            else Text("{what} of {file}", what=expected, file=name),
        )
        return False

    def organisation(self, ident: str, layout: Layout, line: int, field_name: str) -> None:
        """A reference to a supplier or prime contractor; without a suppliers file, it makes the
        organisation (its source: the row naming it first)."""
        orgs = self.register.organisations
        if ident in orgs:
            return  # the common case, first
        what = _PRIME if field_name == "prime_contractor" else _SUPPLIER
        found = self._resolve(
            "suppliers", orgs, ident, layout, line, field_name, what, Text("a supplier_id")
        )
        if found is None:
            orgs[ident] = Organisation(ident, source=layout.source(line))

    def lot_ref(self, ident: str, layout: Layout, line: int, field_name: str) -> bool:
        """A reference to a lot; creates it when lots.csv is absent (its source: the row naming
        it first); False when it is an error."""
        lots = self.register.lots
        if ident in lots:
            return True  # the common case, first
        found = self._resolve(
            "lots", lots, ident, layout, line, field_name, Text("lot"), Text("a lot_id")
        )
        if found is None:
            lots[ident] = Lot(ident, source=layout.source(line))
            self.lot_rows[ident] = (layout, line)
        return found is not False

    def lot_value(
        self, lot: Lot, attr: str, value: Any, layout: Layout, line: int, field_name: str, text: str
    ) -> None:
        """Set a lot attribute read from a cell; a different earlier value is an error."""
        seen = self.lot_values.setdefault(lot.id, {})
        earlier = seen.get(attr)
        if earlier is None:
            seen[attr] = (value, text, layout.display, line)
            setattr(lot, attr, value)
            return
        if earlier[0] != value:
            self.p.error(
                layout.display,
                line,
                layout.col(field_name),
                Text(
                    "lot {lot!r}: {field} {text!r} disagrees with {earlier!r} at {file} line "
                    "{line}",
                    lot=lot.id,
                    field=field_word(field_name),
                    text=text,
                    earlier=earlier[1],
                    file=earlier[2],
                    line=earlier[3],
                ),
                text,
                Text(
                    "{earlier!r} (as at line {line}) or an empty cell",
                    earlier=earlier[1],
                    line=earlier[3],
                ),
            )

    def depends(self, lot: str, targets: list[str], layout: Layout, line: int) -> None:
        """Add the dependencies of ``lot`` on ``targets`` (not on itself, not on unknown lots)."""
        deps = self.register.dependencies
        sources = self.register.dependency_sources
        for target in targets:
            if target == lot:
                self.p.error(
                    layout.display,
                    line,
                    layout.col("depends_on"),
                    Text("lot {lot!r} depends on itself", lot=lot),
                    target,
                    Text("another lot"),
                )
                continue
            if self.lot_ref(target, layout, line, "depends_on"):
                deps.add((lot, target))
                sources.setdefault((lot, target), layout.source(line))

    # ---- the kinds of file (each named as its kind; the identifier is new)

    def suppliers(
        self, layout: Layout, line: int, rec: dict[str, Any], extra: dict[str, str], row: list[str]
    ) -> None:
        ident = rec["supplier_id"]
        internal = rec.get("internal")
        if ident == OWN_IT:
            if internal is False and "internal" in rec:
                self.p.error(
                    layout.display,
                    line,
                    layout.col("internal"),
                    Text(
                        "{own_it} is the client's own IT organisation and is always internal",
                        own_it=OWN_IT,
                    ),
                    layout.raw(row, "internal"),
                    Text("yes or an empty cell"),
                )
                return
            internal = True
        self.register.organisations[ident] = Organisation(
            ident, rec.get("name"), bool(internal), extra, source=layout.source(line)
        )

    def functions(
        self, layout: Layout, line: int, rec: dict[str, Any], extra: dict[str, str], row: list[str]
    ) -> None:
        ident = rec["function_id"]
        self.register.functions[ident] = Function(
            ident,
            rec.get("name"),
            rec.get("critical", False),
            rec.get("retained", False),
            extra,
            source=layout.source(line),
        )

    def lots(
        self, layout: Layout, line: int, rec: dict[str, Any], extra: dict[str, str], row: list[str]
    ) -> None:
        ident = rec["lot_id"]
        lot = Lot(ident, extra=extra, source=layout.source(line))
        self.register.lots[ident] = lot
        self.lot_rows[ident] = (layout, line)
        prime = rec.get("prime_contractor")
        if prime is not None:
            self.organisation(prime, layout, line, "prime_contractor")
        for attr in ("name", "prime_contractor", "complexity", "dynamics", "commodity"):
            if attr in rec:
                self.lot_value(lot, attr, rec[attr], layout, line, attr, layout.raw(row, attr))

    def dependencies(
        self, layout: Layout, line: int, rec: dict[str, Any], extra: dict[str, str], row: list[str]
    ) -> None:
        lot = rec["lot"]
        if not self.lot_ref(lot, layout, line, "lot"):
            return
        self.depends(lot, rec["depends_on"], layout, line)

    def contracts(
        self, layout: Layout, line: int, rec: dict[str, Any], extra: dict[str, str], row: list[str]
    ) -> None:
        ident = rec["contract_id"]
        supplier = rec["supplier"]
        self.organisation(supplier, layout, line, "supplier")
        lot_id = rec["lot"]
        if self.lot_ref(lot_id, layout, line, "lot"):
            self._contract_lot(self.register.lots[lot_id], layout, line, rec, row)
        functions = rec.get("functions", ())
        if functions:
            self._functions_of(functions, layout, line)
        mode = rec.get("mode")
        if mode is None and not self.no_mode_column:
            self.p.warning(
                layout.display,
                line,
                layout.col("mode"),
                Text("contract {ident!r} has no mode recorded", ident=ident),
            )
        clauses = rec.get("clauses")
        self.register.contracts[ident] = Contract(
            ident,
            supplier,
            lot_id,
            mode,
            self.frozen(clauses),
            self.frozen(functions),
            rec.get("start_date"),
            rec.get("end_date"),
            rec.get("annual_value"),
            rec.get("selection_basis"),
            extra,
            source=layout.source(line),
            mode_as_written=layout.raw(row, "mode") or None,
            clause_words=getattr(clauses, "words", _NO_WORDS),
        )

    def _contract_lot(
        self, lot: Lot, layout: Layout, line: int, rec: dict[str, Any], row: list[str]
    ) -> None:
        """What a contracts row (the wide form) says of its lot."""
        if "lot_name" in rec:
            self.lot_value(lot, "name", rec["lot_name"], layout, line, "lot_name", rec["lot_name"])
        prime = rec.get("prime_contractor")
        if prime is not None:
            self.organisation(prime, layout, line, "prime_contractor")
        for attr in ("prime_contractor", "complexity", "dynamics", "commodity"):
            if attr in rec:
                self.lot_value(lot, attr, rec[attr], layout, line, attr, layout.raw(row, attr))
        if "depends_on" in rec:
            self.depends(lot.id, rec["depends_on"], layout, line)

    def _functions_of(self, functions: list[str], layout: Layout, line: int) -> None:
        """The functions a contracts row names: known ones, or made when functions.csv is absent
        (their source: the row naming them first)."""
        known = self.register.functions
        for fn in functions:
            found = self._resolve(
                "functions", known, fn, layout, line, "functions", _FUNCTION, _A_FUNCTION_ID
            )
            if found is None:
                known[fn] = Function(fn, source=layout.source(line))
