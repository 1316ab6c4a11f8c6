"""The contractual arrangements of a package (B_02.01 and B_02.02) as contracts, and their checks:
keys, references to the other templates, dates in order, one provider each."""

from __future__ import annotations

from collections.abc import Container
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sourcing_graph.errors import Text
from sourcing_graph.loaders.dora.codes import STAND_IN, readable
from sourcing_graph.loaders.dora.extras import GENERAL_EXTRAS, SPECIFIC_EXTRAS, add_extras
from sourcing_graph.loaders.dora.issues import Issues
from sourcing_graph.loaders.dora.tables import Table
from sourcing_graph.loaders.dora.template_rows import TemplateRows
from sourcing_graph.model import Contract, Function, Lot, Organisation, Register

__all__ = ["ArrangementRows"]

_SUBSEQUENT = "eba_CO:x3"
_B_05_01_REF = Text("an identification code of B_05.01")
_B_06_01_REF = Text("a function identifier of B_06.01")
_B_02_01_REF = Text("a contractual arrangement reference number of B_02.01")


@dataclass
class _General:
    """What the B_02.01 row of a reference number says."""

    line: int
    row: list[str]
    amount: Decimal | None
    extra: dict[str, str]
    source: str


@dataclass
class _Arrangement:
    """What the B_02.02 rows of one reference number say, merged."""

    ref: str
    provider: str
    line: int
    source: str
    functions: dict[str, tuple[int, list[str]]] = field(default_factory=dict)
    """Each function, with the first row naming it (line, cells)."""
    service_types: list[str] = field(default_factory=list)
    starts: list[date] = field(default_factory=list)
    ends: list[date | None] = field(default_factory=list)
    extra: dict[str, str] = field(default_factory=dict)


class ArrangementRows(TemplateRows):
    """Reads B_02.01 and B_02.02 into ``register``'s contracts (and the lots, organisations and
    functions they name), given the providers, functions and entities read before."""

    def __init__(self, issues: Issues, register: Register) -> None:
        super().__init__(issues)
        self.register = register
        self.group: set[str] = set()  # LEIs of the group's own entities (internal providers)
        self.entities: set[str] = set()  # LEIs of B_01.02 (entities within the register's scope)
        self.providers: set[str] = set()  # identification codes of B_05.01
        self.functions: set[str] = set()  # function identifiers of B_06.01
        self.general: dict[str, _General] = {}
        self.general_skipped: set[str] = set()  # B_02.01 rows skipped (lenient)
        self.arrangements: dict[str, _Arrangement] = {}
        self.mentioned: set[str] = set()  # every reference number in B_02.01 / B_02.02
        self.specific: set[str] = set()  # every reference number in B_02.02
        self.dropped: set[str] = set()  # arrangements left out (lenient)

    def _general(self) -> None:
        seen: dict[tuple[str, ...], int] = {}
        kept: list[tuple[Table, int, list[str]]] = []
        for table, line, row in self.rows("b_02.01"):
            ref = table.cell(row, "c0010")
            self.mentioned.add(ref)
            if not self.unique(seen, table, line, row) or not self.cells_ok(table, line, row):
                continue
            amount = self.amount_cell(table, line, row, "c0050")
            if amount is False:
                continue
            if isinstance(amount, Decimal) and amount < 0:
                text = table.cell(row, "c0050")
                place = table.place(line, row, "c0050")
                message = Text("a negative amount")
                self.issues.report("amount-sign", place, message, text, Text("0 or more"))
            if table.cell(row, "c0020") == _SUBSEQUENT and not table.cell(row, "c0030"):
                self.issues.report(
                    "overarching-missing",
                    table.place(line, row, "c0030"),
                    Text("a subsequent or associated arrangement names no overarching arrangement"),
                    "",
                    Text("the reference number of its overarching arrangement"),
                )
            extra: dict[str, str] = {}
            add_extras(extra, table, row, GENERAL_EXTRAS)
            amount_read = amount if isinstance(amount, Decimal) else None
            self.general[ref] = _General(line, row, amount_read, extra, table.source(line))
            kept.append((table, line, row))
        known = {key[0] for key in seen}
        for table, line, row in kept:
            over = table.cell(row, "c0030")
            if over and over not in known:
                check = "overarching-arrangement"
                ok = self.dangling(table, line, row, "c0030", "b_02.01", _B_02_01_REF, check)
                if not ok and not self.issues.strict:  # strict: its other problems still count
                    del self.general[table.cell(row, "c0010")]
        self.general_skipped = known - set(self.general)

    def _specific(self) -> None:
        seen: dict[tuple[str, ...], int] = {}
        for table, line, row in self.rows("b_02.02"):
            ref = table.cell(row, "c0010")
            self.mentioned.add(ref)
            self.specific.add(ref)
            if not self.unique(seen, table, line, row):
                continue
            ok = self.cells_ok(table, line, row)
            if not self._known(table, line, row) or not ok:
                continue
            start = self.date_cell(table, line, row, "c0070")
            end = self.date_cell(table, line, row, "c0080")
            if start is False or end is False or not self._in_order(table, line, row, start, end):
                continue
            arrangement = self._arrangement(table, line, row)
            if arrangement is None:
                continue
            function = table.cell(row, "c0050")
            if function and function not in arrangement.functions:
                arrangement.functions[function] = (line, row)
            service = table.cell(row, "c0060")
            if service not in arrangement.service_types:
                arrangement.service_types.append(service)
            if isinstance(start, date):
                arrangement.starts.append(start)
            arrangement.ends.append(end if isinstance(end, date) else None)
            add_extras(arrangement.extra, table, row, SPECIFIC_EXTRAS)

    def _in_order(
        self, table: Table, line: int, row: list[str], start: object, end: object
    ) -> bool:
        """Whether a row's end date is after its start date (else a finding of ``date-order``)."""
        if not isinstance(start, date) or not isinstance(end, date) or end > start:
            return True
        return self.issues.report(
            "date-order",
            table.place(line, row, "c0080"),
            Text(
                "the arrangement ends on {end}, not after it starts ({start})",
                end=end.isoformat(),
                start=start.isoformat(),
            ),
            table.cell(row, "c0080"),
            Text("a date after the start date {start}", start=start.isoformat()),
        )

    def _arrangement(self, table: Table, line: int, row: list[str]) -> _Arrangement | None:
        """The arrangement a B_02.02 row belongs to (None: the row names a second provider)."""
        ref = table.cell(row, "c0010")
        provider = table.cell(row, "c0030")
        arrangement = self.arrangements.get(ref)
        if arrangement is None:
            arrangement = _Arrangement(ref, provider, line, table.source(line))
            self.arrangements[ref] = arrangement
            return arrangement
        if provider == arrangement.provider:
            return arrangement
        self.issues.report(
            "one-provider",
            table.place(line, row, "c0030"),
            Text(
                "arrangement {ref!r} names provider {provider!r} at line {line}; an arrangement "
                "has one provider",
                ref=ref,
                provider=table.named(arrangement.provider),
                line=arrangement.line,
            ),
            provider,
            repr(table.named(arrangement.provider)),
        )
        return None

    def _known(self, table: Table, line: int, row: list[str]) -> bool:
        """Whether a B_02.02 row's arrangement, entity, provider and function are in their
        templates (each one that is not is reported)."""
        checks: tuple[tuple[str, str, Container[str], Text, str], ...] = (
            ("c0010", "b_02.01", self.general, _B_02_01_REF, "reference"),
            ("c0020", "b_01.02", self.entities, Text("an LEI of B_01.02"), "entity-in-scope"),
            ("c0030", "b_05.01", self.providers, _B_05_01_REF, "reference"),
            ("c0050", "b_06.01", self.functions, _B_06_01_REF, "reference"),
        )
        ok = True
        for code, template, known, expected, check in checks:
            value = table.cell(row, code)
            if value in self.general_skipped and code == "c0010":
                place = table.place(line, row, code)
                message = Text("arrangement {ref!r} was skipped in B_02.01", ref=value)
                ok = self.issues.report(check, place, message, value, expected) and ok
            elif value and template in self.tables and value not in known:
                ok = self.dangling(table, line, row, code, template, expected, check) and ok
        return ok

    def _contracts(self) -> None:
        for ref, general in self.general.items():
            if ref in self.arrangements or (ref in self.specific and self.issues.strict):
                continue  # strict: the arrangement's B_02.02 rows are reported already
            message = (
                Text(
                    "arrangement {ref!r} has all its rows in B_02.02 were skipped (so no provider)",
                    ref=ref,
                )
                if ref in self.specific
                else Text("arrangement {ref!r} has no row in B_02.02 (so no provider)", ref=ref)
            )
            self.issues.report(
                "arrangement-rows",
                self.tables["b_02.01"].place(general.line, general.row, "c0010"),
                message,
                ref,
                Text("a consistent row in B_02.02 with this reference number"),
            )
        for ref, arr in self.arrangements.items():
            self.register.contracts[ref] = self._contract(arr)
        self.dropped = (self.mentioned | set(self.general)) - set(self.register.contracts)

    def _contract(self, arr: _Arrangement) -> Contract:
        """The contract of an arrangement; its provider, functions and lot are made when no
        template holds them."""
        reg = self.register
        if arr.provider not in reg.organisations:  # no B_05.01 row: made from the reference
            internal = arr.provider in self.group
            reg.organisations[arr.provider] = Organisation(
                arr.provider, internal=internal, source=arr.source
            )
        sources = {
            fn: self.tables["b_02.02"].source(line) for fn, (line, _r) in arr.functions.items()
        }
        for fn, source in sources.items():
            reg.functions.setdefault(fn, Function(fn, source=source))
        lot = min(arr.service_types)
        if lot not in reg.lots:  # a stand-in: the package names no prime contractor either
            stand_in = {"stand_in": STAND_IN}
            reg.lots[lot] = Lot(
                lot,
                readable(lot) or lot,
                extra=stand_in,
                source=arr.source,
                prime_contractor_defaulted=True,
            )
        general = self.general.get(arr.ref)
        ends = arr.ends
        return Contract(
            arr.ref,
            arr.provider,
            lot,
            functions=frozenset(arr.functions),
            start_date=min(arr.starts) if arr.starts else None,
            end_date=None if None in ends or not ends else max(d for d in ends if d),
            annual_value=general.amount if general else None,
            extra={**(general.extra if general else {}), **arr.extra},
            source=general.source if general else arr.source,
        )
