"""Read a DORA Register of Information package (EBA xBRL-CSV, reporting framework 4.0).

A package is a ``.zip`` (or its unpacked folder) holding ``reports/b_XX.XX.csv`` files, often
under one top folder, next to ``META-INF/reportPackage.json``. Columns are read by their header
code (``c0010``...), in any order. The mapping to the register model, the lot stand-in and the
policy for inconsistent packages are in ``docs/dora.md``:

- B_05.01 providers -> organisations (``parent`` = ultimate parent undertaking);
- B_02.01 + B_02.02 arrangements -> contracts (one per reference number, lot = ICT service type);
- B_06.01 functions -> functions (critical when c0050 is ``eba_BT:x28``);
- B_05.02 supply chains -> ``Register.subcontracting``; B_07.01 assessments -> contract extras.

Every finding is checked as the supervisor checks a filing (:mod:`.checks` says which are
errors and which warnings) and placed: file, line, column; template, row key, column code and its
meaning; the value and what was expected. Strict (the default): an error rejects the package and
nothing is read. Lenient (``skip_inconsistent=True``): each row with an error is skipped with a
warning giving the same detail (or read anyway, as the check says), and the rest is read.
Warnings never change what is read: every cell of every row read is kept.
"""

from __future__ import annotations

import os
import zipfile
from contextlib import ExitStack
from typing import TYPE_CHECKING

from sourcing_graph.errors import Problem, RegisterError, Text
from sourcing_graph.loaders.dora.chains import ChainRows
from sourcing_graph.loaders.dora.codes import CRITICAL
from sourcing_graph.loaders.dora.extras import FUNCTION_EXTRAS, PROVIDER_EXTRAS, add_extras
from sourcing_graph.loaders.dora.filing import check_filing_indicators
from sourcing_graph.loaders.dora.issues import Issues, Place
from sourcing_graph.loaders.dora.overlay import apply_overlay, mode_warning
from sourcing_graph.loaders.dora.package import find_package
from sourcing_graph.loaders.dora.tables import REQUIRED, name_rows, read_table
from sourcing_graph.loaders.limits import Limits
from sourcing_graph.loaders.sources import read_error_reason
from sourcing_graph.model import Function, Organisation, Register

if TYPE_CHECKING:
    from sourcing_graph.ontology.rules import Rules

__all__ = ["DoraPackageError", "read_dora"]

REPORTED = 100
"""The most problems a rejected package reports (the count says how many errors there were)."""


class DoraPackageError(RegisterError):
    """A DORA package has errors; ``total`` counts them all, ``problems`` holds the first ones."""

    def __init__(self, problems: list[Problem], truncated: bool, total: int) -> None:
        super().__init__(problems, truncated)
        self.total = total


class PackageReader(ChainRows):
    """Reads the templates of the package at ``path`` into a register (``strict``: every
    error is an error; else what leniency lets pass is skipped or read, with a warning)."""

    def __init__(self, path: str, strict: bool, limits: Limits) -> None:
        super().__init__(Issues(strict), Register(source=path))
        self.path = path
        self.limits = limits

    def run(self) -> Register:
        """Read the package; raises :class:`DoraPackageError` with the errors found."""
        try:
            with ExitStack() as stack:
                sources = find_package(self.path, stack)
                if "b_02.02" not in sources:
                    self.issues.report(
                        "structure",
                        Place(self.path, template="b_02.02"),
                        Text(
                            "no template B_02.02 (contractual arrangements - specific "
                            "information) in the DORA package"
                        ),
                        None,
                        "reports/b_02.02.csv",
                    )
                for name in REQUIRED:
                    if name in sources:
                        table = read_table(sources[name], stack, self.issues, self.limits)
                        if table is not None and self.has_columns(table):
                            self.tables[name] = table
                unreadable = bool(self.issues.errors)
                name_rows(self.tables)
                check_filing_indicators(self.path, sources, self.issues, self.limits)
        except (zipfile.BadZipFile, OSError) as exc:
            reason = read_error_reason(exc)
            place = Place(self.path)
            message = Text("cannot open the DORA package ({reason})", reason=reason)
            self.issues.report("structure", place, message)
            unreadable = True
        if not unreadable:  # every template there is readable: check its rows
            self._group()
            self._providers()
            self._functions()
            self._general()
            self._specific()
            self._contracts()
            self._supply_chains()
            self._assessments()
            self._assessments_of_critical()
        return self._finish()

    def _group(self) -> None:
        for table, line, row in self.rows("b_01.02"):
            self.cells_ok(table, line, row)
            self.entities.add(table.cell(row, "c0010"))
        self.group |= self.entities
        for table, line, row in self.rows("b_03.03"):
            self.cells_ok(table, line, row)
            self.group.add(table.cell(row, "c0020"))

    def _providers(self) -> None:
        orgs = self.register.organisations
        seen: dict[tuple[str, ...], int] = {}
        for table, line, row in self.rows("b_05.01"):
            ident = table.cell(row, "c0010")
            if not self.unique(seen, table, line, row):
                continue
            self.providers.add(ident)
            if not self.cells_ok(table, line, row):
                continue
            if self.amount_cell(table, line, row, "c0100") is False:
                continue  # not a number; empty and 0 are amounts (or none) and keep the row
            extra: dict[str, str] = {}
            add_extras(extra, table, row, PROVIDER_EXTRAS)
            orgs[ident] = Organisation(
                ident,
                table.cell(row, "c0050") or table.cell(row, "c0060") or None,
                ident in self.group,
                extra,
                table.cell(row, "c0110") or None,
                source=table.source(line),
            )

    def _functions(self) -> None:
        seen: dict[tuple[str, ...], int] = {}
        for table, line, row in self.rows("b_06.01"):
            ident = table.cell(row, "c0010")
            if not self.unique(seen, table, line, row):
                continue
            self.functions.add(ident)
            ok = self.cells_ok(table, line, row)
            entity = table.cell(row, "c0040")
            if entity and "b_01.02" in self.tables and entity not in self.entities:
                expected = Text("an LEI of B_01.02")
                check = "entity-in-scope"
                ok = self.dangling(table, line, row, "c0040", "b_01.02", expected, check) and ok
            if not ok or self.date_cell(table, line, row, "c0070") is False:
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

    def _finish(self) -> Register:
        issues = self.issues
        reg = self.register
        if not issues.errors and not reg.contracts:
            skipped = len(issues.skipped)
            issues.report(
                "structure",
                Place(self.path),
                Text("no contractual arrangement is left to read")
                if issues.strict
                else Text(
                    "no contractual arrangement is left to read after skipping {n} inconsistent "
                    "row(s)",
                    n=skipped,
                ),
                None,
                Text(
                    "at least one arrangement consistent across B_02.01, B_02.02, B_05.01 and "
                    "B_06.01"
                ),
            )
        if issues.errors:
            problems = issues.errors + issues.warnings
            truncated = len(problems) > REPORTED
            raise DoraPackageError(problems[:REPORTED], truncated, len(issues.errors))
        reg.warnings.extend(issues.warnings)
        # the currency of the annual amounts (B_02.01 c0040), when all arrangements share one
        currencies = {c.extra.get("currency") for c in reg.contracts.values()}
        if len(currencies) == 1 and None not in currencies:
            reg.currency = currencies.pop()
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
