"""Read a DORA Register of Information package (EBA xBRL-CSV, reporting framework 4.0).

A package is a ``.zip`` (or its unpacked folder) holding ``reports/b_XX.XX.csv`` files, often
under one top folder, next to ``META-INF/reportPackage.json``. Columns are read by their header
code (``c0010``...), in any order. The mapping to the register model, the lot stand-in and the
policy for inconsistent packages are in ``docs/dora.md``:

- B_05.01 providers -> organisations (``parent`` = ultimate parent undertaking);
- B_02.01 + B_02.02 arrangements -> contracts (one per reference number, lot = ICT service type);
- B_06.01 functions -> functions (critical when c0050 is ``eba_BT:x28``);
- B_05.02 supply chains -> ``Register.subcontracting``; B_07.01 assessments -> contract extras.

Strict (the default): every inconsistency is an error with template, line, column code and its
meaning, value and expectation, and nothing is read. Lenient (``skip_inconsistent=True``): each
inconsistent row is skipped with a warning giving the same detail, and the rest is read.
"""

from __future__ import annotations

import os
import zipfile
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from sourcing_graph.errors import Problem, RegisterError
from sourcing_graph.loaders.dora.codes import CRITICAL, STAND_IN, readable
from sourcing_graph.loaders.dora.extras import (
    ASSESSMENT_EXTRAS,
    FUNCTION_EXTRAS,
    GENERAL_EXTRAS,
    PROVIDER_EXTRAS,
    SPECIFIC_EXTRAS,
    add_extras,
)
from sourcing_graph.loaders.dora.overlay import apply_overlay, mode_warning
from sourcing_graph.loaders.dora.package import find_package
from sourcing_graph.loaders.dora.tables import REQUIRED, Issues, Table, TemplateRows, read_table
from sourcing_graph.loaders.limits import Limits
from sourcing_graph.loaders.sources import read_error_reason
from sourcing_graph.model import (
    Contract,
    Function,
    Lot,
    Organisation,
    Register,
    Subcontracting,
)

if TYPE_CHECKING:
    from sourcing_graph.ontology.rules import Rules

__all__ = ["DoraPackageError", "read_dora"]


class DoraPackageError(RegisterError):
    """A DORA package has errors; ``total`` counts them all, ``problems`` holds the first ones."""

    def __init__(self, problems: list[Problem], truncated: bool, total: int) -> None:
        super().__init__(problems, truncated)
        self.total = total


@dataclass
class _Arrangement:
    """What the B_02.02 rows of one reference number say, merged."""

    ref: str
    provider: str
    line: int
    functions: list[str] = field(default_factory=list)
    service_types: list[str] = field(default_factory=list)
    starts: list[date] = field(default_factory=list)
    ends: list[date | None] = field(default_factory=list)
    extra: dict[str, str] = field(default_factory=dict)


class PackageReader(TemplateRows):
    """Reads the templates of the package at ``path`` into a register (``strict``: every
    inconsistency is an error; else the inconsistent rows are skipped with a warning)."""

    def __init__(self, path: str, strict: bool, limits: Limits) -> None:
        super().__init__(Issues(strict))
        self.path = path
        self.limits = limits
        self.register = Register(source=path)
        self.group: set[str] = set()  # LEIs of the group's own entities (internal providers)
        self.providers: dict[str, int] = {}  # B_05.01 code -> line
        self.functions: dict[str, int] = {}
        self.general: dict[str, tuple[int, float | None, dict[str, str]]] = {}
        self.arrangements: dict[str, _Arrangement] = {}
        self.mentioned: set[str] = set()  # every reference number in B_02.01 / B_02.02
        self.specific: set[str] = set()  # every reference number in B_02.02
        self.dropped: set[str] = set()  # arrangements left out (lenient)

    def run(self) -> Register:
        """Read the package; raises :class:`DoraPackageError` with the errors found."""
        try:
            with ExitStack() as stack:
                sources = find_package(self.path, stack)
                if "b_02.02" not in sources:
                    self.issues.error(
                        self.path,
                        1,
                        1,
                        "no template B_02.02 (contractual arrangements - specific information) "
                        "in the DORA package",
                        None,
                        "reports/b_02.02.csv",
                    )
                for name in REQUIRED:
                    if name in sources:
                        table = read_table(sources[name], stack, self.issues, self.limits)
                        if table is not None and self.has_columns(table):
                            self.tables[name] = table
        except (zipfile.BadZipFile, OSError) as exc:
            self.issues.error(
                self.path, 1, 1, f"cannot open the DORA package ({read_error_reason(exc)})"
            )
        if not self.issues.errors:
            self._group()
            self._providers()
            self._functions()
            self._general()
            self._specific()
            self._contracts()
            self._supply_chains()
            self._assessments()
        return self._finish()

    # ---- templates

    def _group(self) -> None:
        for table, _line, row in self.rows("b_01.02"):
            self.group.add(table.cell(row, "c0010"))
        for table, _line, row in self.rows("b_03.03"):
            self.group.add(table.cell(row, "c0020"))

    def _providers(self) -> None:
        orgs = self.register.organisations
        for table, line, row in self.rows("b_05.01"):
            ident = table.cell(row, "c0010")
            if not self.unique(self.providers, table, line, "c0010", ident):
                continue
            if not self.amount_cell(table, line, row, "c0100"):
                continue
            extra: dict[str, str] = {}
            add_extras(extra, table, row, PROVIDER_EXTRAS)
            name = table.cell(row, "c0050") or table.cell(row, "c0060") or None
            orgs[ident] = Organisation(
                ident,
                name,
                ident in self.group,
                extra,
                table.cell(row, "c0110") or None,
                source=table.source(line),
            )

    def _functions(self) -> None:
        for table, line, row in self.rows("b_06.01"):
            ident = table.cell(row, "c0010")
            if not self.unique(self.functions, table, line, "c0010", ident):
                continue
            if self.date_cell(table, line, row, "c0070") is False:
                continue
            extra: dict[str, str] = {}
            add_extras(extra, table, row, FUNCTION_EXTRAS)
            self.register.functions[ident] = Function(
                ident,
                table.cell(row, "c0030") or None,
                table.cell(row, "c0050") == CRITICAL,
                False,
                extra,
                source=table.source(line),
            )

    def _general(self) -> None:
        seen: dict[str, int] = {}
        for table, line, row in self.rows("b_02.01"):
            ref = table.cell(row, "c0010")
            self.mentioned.add(ref)
            if not self.unique(seen, table, line, "c0010", ref):
                continue
            amount = self.amount_cell(table, line, row, "c0050")
            if amount is False:
                continue
            extra: dict[str, str] = {}
            add_extras(extra, table, row, GENERAL_EXTRAS)
            self.general[ref] = (line, amount if isinstance(amount, float) else None, extra)

    def _specific(self) -> None:
        for table, line, row in self.rows("b_02.02"):
            ref = table.cell(row, "c0010")
            self.mentioned.add(ref)
            self.specific.add(ref)
            if not self._known(table, line, row, ref):
                continue
            start = self.date_cell(table, line, row, "c0070")
            end = self.date_cell(table, line, row, "c0080")
            if start is False or end is False:
                continue
            provider = table.cell(row, "c0030")
            arrangement = self.arrangements.get(ref)
            if arrangement is None:
                arrangement = self.arrangements[ref] = _Arrangement(ref, provider, line)
            elif provider != arrangement.provider:
                self.issues.bad_row(
                    table,
                    line,
                    "c0030",
                    f"arrangement {ref!r} names provider {arrangement.provider!r} at line "
                    f"{arrangement.line}; an arrangement has one provider",
                    provider,
                    repr(arrangement.provider),
                )
                continue
            function = table.cell(row, "c0050")
            if function and function not in arrangement.functions:
                arrangement.functions.append(function)
            service = table.cell(row, "c0060")
            if service not in arrangement.service_types:
                arrangement.service_types.append(service)
            if isinstance(start, date):
                arrangement.starts.append(start)
            arrangement.ends.append(end if isinstance(end, date) else None)
            add_extras(arrangement.extra, table, row, SPECIFIC_EXTRAS)

    def _known(self, table: Table, line: int, row: list[str], ref: str) -> bool:
        """Whether a B_02.02 row's arrangement, provider and function are in their templates."""
        ok = True
        checks = (
            (
                "c0010",
                ref,
                "b_02.01",
                self.general,
                "a contractual arrangement reference number of B_02.01",
            ),
            (
                "c0030",
                table.cell(row, "c0030"),
                "b_05.01",
                self.providers,
                "an identification code of B_05.01",
            ),
            (
                "c0050",
                table.cell(row, "c0050"),
                "b_06.01",
                self.functions,
                "a function identifier of B_06.01",
            ),
        )
        for code, value, template, known, expected in checks:
            if value and template in self.tables and value not in known:
                self.dangling(table, line, code, value, template, expected)
                ok = False
        return ok

    def _contracts(self) -> None:
        reg = self.register
        for ref, (line, _amount, _extra) in self.general.items():
            if ref in self.arrangements or (ref in self.specific and self.issues.strict):
                continue  # strict: the arrangement's B_02.02 rows are reported already
            why = (
                "all its rows in B_02.02 were skipped"
                if ref in self.specific
                else "no row in B_02.02"
            )
            self.issues.bad_row(
                self.tables["b_02.01"],
                line,
                "c0010",
                f"arrangement {ref!r} has {why} (so no provider)",
                ref,
                "a consistent row in B_02.02 with this reference number",
            )
        for ref, arr in self.arrangements.items():
            at = self.tables["b_02.02"].source(arr.line)  # the arrangement's first B_02.02 row
            if arr.provider not in reg.organisations:  # no B_05.01: made from the reference
                reg.organisations[arr.provider] = Organisation(
                    arr.provider, internal=arr.provider in self.group, source=at
                )
            for fn in arr.functions:
                reg.functions.setdefault(fn, Function(fn, source=at))
            lot = min(arr.service_types)
            if lot not in reg.lots:  # a stand-in: no prime contractor either
                reg.lots[lot] = Lot(
                    lot,
                    readable(lot) or lot,
                    extra={"stand_in": STAND_IN},
                    source=at,
                    prime_contractor_defaulted=True,
                )
            line, amount, general = self.general.get(ref, (0, None, {}))
            ends = arr.ends
            reg.contracts[ref] = Contract(
                ref,
                arr.provider,
                lot,
                functions=frozenset(arr.functions),
                start_date=min(arr.starts) if arr.starts else None,
                end_date=None if None in ends or not ends else max(d for d in ends if d),
                annual_value=amount,
                extra={**general, **arr.extra},
                source=self.tables["b_02.01"].source(line) if line else at,
            )
        self.dropped = (self.mentioned | set(self.general)) - set(reg.contracts)

    def _arrangement_of(self, table: Table, line: int, ref: str) -> Contract | None:
        """The contract of a B_05.02 / B_07.01 row's reference number (None: not usable)."""
        contract = self.register.contracts.get(ref)
        if contract is not None:
            return contract
        if ref in self.mentioned and self.issues.strict:
            return None  # the arrangement's own rows are reported already
        expected = "a contractual arrangement reference number of B_02.01 / B_02.02"
        if ref in self.dropped:
            self.issues.bad_row(
                table, line, "c0010", f"arrangement {ref!r} was skipped", ref, expected
            )
        else:
            self.dangling(table, line, "c0010", ref, "b_02.02", expected)
        return None

    def _provider_ok(self, table: Table, line: int, row: list[str], code: str) -> bool:
        value = table.cell(row, code)
        if not value or "b_05.01" not in self.tables or value in self.providers:
            return True
        self.dangling(table, line, code, value, "b_05.01", "an identification code of B_05.01")
        return False

    def _supply_chains(self) -> None:
        reg = self.register
        for table, line, row in self.rows("b_05.02"):
            ref = table.cell(row, "c0010")
            contract = self._arrangement_of(table, line, ref)
            ok = self._provider_ok(table, line, row, "c0030")
            ok = self._provider_ok(table, line, row, "c0060") and ok
            text = table.cell(row, "c0050")
            rank = int(text) if text.isascii() and text.isdigit() else 0
            if rank < 1:
                self.issues.bad_row(
                    table, line, "c0050", "not a rank", text, "a whole number 1, 2, ..."
                )
                ok = False
            supplier = table.cell(row, "c0030")
            if ok and contract is not None and rank == 1 and supplier != contract.supplier:
                self.issues.bad_row(
                    table,
                    line,
                    "c0030",
                    f"rank 1 is the direct provider, and arrangement {ref!r} is with "
                    f"{contract.supplier!r}",
                    supplier,
                    repr(contract.supplier),
                )
                ok = False
            if not ok or contract is None:
                continue
            recipient = table.cell(row, "c0060") or None
            for org in (supplier, recipient):
                if org is not None and org not in reg.organisations:
                    reg.organisations[org] = Organisation(
                        org, internal=org in self.group, source=table.source(line)
                    )
            reg.subcontracting.add(
                Subcontracting(
                    ref,
                    supplier,
                    rank,
                    recipient if rank > 1 else None,
                    table.cell(row, "c0020") or None,
                    source=table.source(line),
                )
            )

    def _assessments(self) -> None:
        seen: dict[str, int] = {}
        for table, line, row in self.rows("b_07.01"):
            ref = table.cell(row, "c0010")
            contract = self._arrangement_of(table, line, ref)
            ok = self._provider_ok(table, line, row, "c0020")
            provider = table.cell(row, "c0020")
            if ok and contract is not None and provider != contract.supplier:
                self.issues.bad_row(
                    table,
                    line,
                    "c0020",
                    f"arrangement {ref!r} is with {contract.supplier!r}",
                    provider,
                    repr(contract.supplier),
                )
                ok = False
            key = f"{ref} / {provider} / {table.cell(row, 'c0040')}"
            if not ok or contract is None or not self.unique(seen, table, line, "c0010", key):
                continue
            if self.date_cell(table, line, row, "c0070") is False:
                continue
            add_extras(contract.extra, table, row, ASSESSMENT_EXTRAS)

    # ---- result

    def _finish(self) -> Register:
        issues = self.issues
        reg = self.register
        if not issues.errors and not reg.contracts:
            issues.error(
                self.path,
                1,
                1,
                "no contractual arrangement is left to read"
                + (
                    ""
                    if issues.strict
                    else f" after skipping {len(issues.warnings)} inconsistent row(s)"
                ),
                None,
                "at least one arrangement consistent across B_02.01, B_02.02, B_05.01 and B_06.01",
            )
        if issues.errors:
            problems = issues.errors + issues.warnings
            limit = 100
            raise DoraPackageError(problems[:limit], len(problems) > limit, len(issues.errors))
        reg.warnings.extend(issues.warnings)
        return reg


def read_dora(
    path: str | os.PathLike[str],
    *,
    overlay: str | os.PathLike[str] | None = None,
    skip_inconsistent: bool = False,
    rules: Rules | None = None,
    limits: Limits | None = None,
) -> Register:
    """Read a DORA Register of Information package (``.zip`` or folder), and an overlay.

    ``limits`` bounds each template's size, rows and cells as for any register (default
    :class:`~sourcing_graph.loaders.limits.Limits()`).

    ``skip_inconsistent`` skips inconsistent rows with a warning instead of rejecting the package.
    ``overlay`` (a CSV file or a folder, see :func:`~sourcing_graph.loaders.dora.overlay.apply_overlay`)
    adds modes, clauses, lots and dependencies. Raises :class:`DoraPackageError` (a
    :class:`~sourcing_graph.errors.RegisterError`) when the package cannot be read.
    """
    limits = limits or Limits()
    reader = PackageReader(os.fspath(path), not skip_inconsistent, limits)
    with limits.csv_cells():
        register = reader.run()
    if overlay is not None:
        apply_overlay(register, overlay, rules=rules, skipped=reader.dropped)
    mode_warning(register)
    return register
