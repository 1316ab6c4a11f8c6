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

import csv
import os
import re
import zipfile
from collections.abc import Callable, Iterable
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import date
from typing import IO, TYPE_CHECKING

from sourcing_graph.errors import Problem, RegisterError
from sourcing_graph.loaders.csv_reader import (
    _READ_ERRORS,
    RegisterSource,
    _LineTooLong,
    _member_opener,
    _Problems,
    detect_encoding,
    find_long_cell,
    open_csv,
    read_error_reason,
)
from sourcing_graph.loaders.dora_codes import CRITICAL, OPEN_END, meaning, readable
from sourcing_graph.loaders.limits import Limits, cell_over_limit
from sourcing_graph.loaders.values import parse_date, parse_number
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

__all__ = ["DoraPackageError", "find_package", "is_dora_package", "read_dora"]

_TEMPLATE_FILE = re.compile(r"^b_\d\d\.\d\d\.csv$", re.IGNORECASE)
_MEMBER = re.compile(
    r"^(?P<root>(?:[^/]+/)?)(?:reports/(?P<template>b_\d\d\.\d\d)\.csv|META-INF/reportPackage\.json)$",
    re.IGNORECASE,
)
_COLUMN = re.compile(r"^c\d{4}$")
_ISO_DATE = "a date written yyyy-mm-dd (9999-12-31: no end date)"
STAND_IN = "DORA ICT service type (stand-in lot)"
"""``extra["stand_in"]`` of a lot made from an ICT service type."""


class DoraPackageError(RegisterError):
    """A DORA package has errors; ``total`` counts them all, ``problems`` holds the first ones."""

    def __init__(self, problems: list[Problem], truncated: bool, total: int) -> None:
        super().__init__(problems, truncated)
        self.total = total


# ------------------------------------------------------------------------------------ locating


def _folder_root(path: str) -> str | None:
    """The folder of a package holding ``reports/`` (the path itself or one folder below)."""
    candidates = [path]
    try:
        candidates += sorted(e.path for e in os.scandir(path) if e.is_dir())
    except OSError:
        return None
    for root in candidates:
        reports = os.path.join(root, "reports")
        if os.path.isfile(os.path.join(root, "META-INF", "reportPackage.json")) or any(
            os.path.isfile(os.path.join(reports, f"b_{t}.csv")) for t in ("05.01", "02.02")
        ):
            return root
    return None


def is_dora_package(path: str | os.PathLike[str]) -> bool:
    """Whether ``path`` (a folder or a ``.zip``) is a DORA Register of Information package."""
    path = os.fspath(path)
    if os.path.isdir(path):
        return _folder_root(path) is not None
    if not os.path.isfile(path) or not zipfile.is_zipfile(path):
        return False
    try:
        with zipfile.ZipFile(path) as archive:
            return any(_MEMBER.match(name) for name in archive.namelist())
    except _READ_ERRORS:  # a damaged zip: the register reader says what is wrong with it
        return False


def find_package(path: str, stack: ExitStack) -> dict[str, RegisterSource]:
    """The template files of a package: ``{"b_02.02": source, ...}`` (lower-case template)."""
    found: dict[str, RegisterSource] = {}
    if os.path.isdir(path):
        root = _folder_root(path)
        reports = os.path.join(root or path, "reports")
        if os.path.isdir(reports):
            for entry in sorted(os.scandir(reports), key=lambda e: e.name):
                if entry.is_file() and _TEMPLATE_FILE.match(entry.name):
                    name = entry.name.lower()[:-4]
                    found[name] = RegisterSource(
                        name, entry.path, entry.name, _opener(entry.path), entry.stat().st_size
                    )
        return found
    archive = stack.enter_context(zipfile.ZipFile(path))
    roots = {m["root"] for n in archive.namelist() if (m := _MEMBER.match(n))}
    for info in sorted(archive.infolist(), key=lambda i: i.filename):
        match = _MEMBER.match(info.filename)
        if match and match["template"] and len(roots) <= 1:
            name = match["template"].lower()
            found[name] = RegisterSource(
                name,
                f"{path}!{info.filename}",
                info.filename,
                _member_opener(archive, info),
                info.file_size,
            )
    return found


def _opener(path: str) -> Callable[[], IO[bytes]]:
    return lambda: open(path, "rb")  # noqa: SIM115 - the caller closes it


# ------------------------------------------------------------------------------------ tables


@dataclass
class _Table:
    """One template file: its column codes and rows (with the line each starts on)."""

    template: str
    display: str
    columns: dict[str, int]
    rows: list[tuple[int, list[str]]] = field(default_factory=list)

    def cell(self, row: list[str], code: str) -> str:
        i = self.columns.get(code)
        return row[i].strip() if i is not None and i < len(row) else ""

    def col(self, code: str) -> int:
        i = self.columns.get(code)
        return 1 if i is None else i + 1


class _Issues(_Problems):
    """Errors (always fatal), and inconsistencies: errors when strict, skipped rows otherwise.

    Every error is kept (no limit while reading): the report is capped at the end, with the count.
    """

    def __init__(self, strict: bool) -> None:
        super().__init__(max_errors=1 << 62)
        self.strict = strict

    def bad_row(
        self, table: _Table, line: int, code: str, message: str, value: str, expected: str
    ) -> None:
        """An inconsistent cell: an error (strict) or a warning saying the row was skipped."""
        text = f"{meaning(table.template, code)}: {message}"
        if self.strict:
            self.error(table.display, line, table.col(code), text, value, expected)
        else:
            self.warnings.append(
                Problem(
                    table.display,
                    line,
                    table.col(code),
                    f"{text}; row skipped",
                    value,
                    expected,
                    "warning",
                )
            )


def _read_table(
    source: RegisterSource, stack: ExitStack, issues: _Issues, limits: Limits
) -> _Table | None:
    """One template's rows; a damaged file or one over a limit is a problem of that file."""
    too_large = limits.file_too_large(source.size)
    if too_large:
        issues.error(source.display, 1, 1, too_large, None, limits.expected("max_file_mb"))
        return None
    try:
        return _read_rows(source, stack, issues, limits)
    except _LineTooLong as exc:
        issues.error(
            source.display,
            exc.line,
            1,
            limits.line_too_long(),
            None,
            limits.expected("max_field_chars"),
        )
    except _READ_ERRORS as exc:
        issues.error(
            source.display,
            1,
            1,
            f"cannot read the file: {read_error_reason(exc)}",
            None,
            "a readable file",
        )
    return None


def _read_rows(
    source: RegisterSource, stack: ExitStack, issues: _Issues, limits: Limits
) -> _Table | None:
    encoding, reason = detect_encoding(source)
    if encoding is None:
        issues.error(source.display, 1, 1, reason, None, "CSV text (UTF-8)")
        return None
    rows, delimiter = open_csv(source, stack, encoding, limits.max_line_chars)
    template = source.kind or ""
    line = 0  # the last line of the last record read
    try:
        header = next(rows, None)
        if header is None or not any(c.strip() for c in header):
            issues.error(
                source.display, 1, 1, "the file has no header", None, "column codes c0010, ..."
            )
            return None
        columns: dict[str, int] = {}
        for i, cell in enumerate(header):
            code = cell.strip().lower()
            if not _COLUMN.match(code):
                continue  # a column this reader does not know: not read
            if code in columns:
                issues.error(
                    source.display,
                    1,
                    i + 1,
                    f"two columns have the code {code} (columns {columns[code] + 1} and {i + 1})",
                    cell.strip(),
                    "each column code once",
                )
                return None
            columns[code] = i
        table = _Table(template, source.display, columns)
        line = rows.line_num
        for row in rows:
            start, line = line + 1, rows.line_num
            if any(c.strip() for c in row):
                if len(table.rows) >= limits.max_rows:
                    issues.error(
                        source.display,
                        start,
                        1,
                        f"more than {limits.max_rows:,} rows",
                        None,
                        limits.expected("max_rows"),
                    )
                    return None
                table.rows.append((start, row))
    except csv.Error as exc:
        if not cell_over_limit(exc):
            issues.error(source.display, line + 1, 1, f"cannot read this record: {exc}")
            return None
        at, column = find_long_cell(source, encoding, delimiter, line + 1, limits) or (line + 1, 1)
        issues.error(
            source.display,
            at,
            column,
            limits.cell_too_long(),
            None,
            limits.expected("max_field_chars"),
        )
        return None
    return table


# ------------------------------------------------------------------------------------ reading


_REQUIRED = {
    "b_05.01": ("c0010",),
    "b_06.01": ("c0010",),
    "b_02.01": ("c0010",),
    "b_02.02": ("c0010", "c0030", "c0060"),
    "b_05.02": ("c0010", "c0030", "c0050"),
    "b_07.01": ("c0010", "c0020"),
    "b_01.02": ("c0010",),
    "b_03.03": ("c0020",),
}
"""The columns each template must have (and fill in) to be read."""

# (column, extra name, closed list?) of what each template adds to an entity's extras
_PROVIDER_EXTRAS = (
    ("c0020", "code_type", True),
    ("c0030", "additional_code", False),
    ("c0040", "additional_code_type", True),
    ("c0060", "latin_name", False),
    ("c0070", "person_type", True),
    ("c0080", "headquarters_country", True),
    ("c0090", "currency", True),
    ("c0100", "total_annual_expense", False),
    ("c0120", "parent_code_type", True),
)
_FUNCTION_EXTRAS = (
    ("c0020", "licensed_activity", True),
    ("c0040", "financial_entity", False),
    ("c0050", "criticality", True),
    ("c0060", "criticality_reasons", False),
    ("c0070", "last_assessment_date", False),
    ("c0080", "recovery_time_objective", False),
    ("c0090", "recovery_point_objective", False),
    ("c0100", "discontinuing_impact", True),
)
_GENERAL_EXTRAS = (
    ("c0020", "arrangement_type", True),
    ("c0030", "overarching_arrangement", False),
    ("c0040", "currency", True),
)
_SPECIFIC_EXTRAS = (
    ("c0020", "financial_entity", False),
    ("c0040", "provider_code_type", True),
    ("c0060", "ict_service_type", True),
    ("c0090", "termination_reason", True),
    ("c0100", "notice_period_entity", False),
    ("c0110", "notice_period_provider", False),
    ("c0120", "governing_law_country", True),
    ("c0130", "service_country", True),
    ("c0140", "storage_of_data", True),
    ("c0150", "data_storage_country", True),
    ("c0160", "data_processing_country", True),
    ("c0170", "data_sensitiveness", True),
    ("c0180", "reliance_level", True),
)
_ASSESSMENT_EXTRAS = (
    ("c0050", "substitutability", True),
    ("c0060", "non_substitutability_reason", True),
    ("c0070", "last_audit_date", False),
    ("c0080", "exit_plan", True),
    ("c0090", "reintegration", True),
    ("c0100", "discontinuing_impact", True),
    ("c0110", "alternative_providers", True),
    ("c0120", "alternative_providers_named", False),
)


def _add_extras(
    extra: dict[str, str], table: _Table, row: list[str], spec: Iterable[tuple[str, str, bool]]
) -> None:
    """Add a row's cells to extras; a closed-list cell gives ``name`` (readable) and ``name_code``.

    A second value for the same extra (another row of the same arrangement) is appended after
    `` | `` unless already there; an unknown code keeps its code with no readable value.
    """
    for code, name, closed in spec:
        text = table.cell(row, code)
        if not text:
            continue
        pairs = [(f"{name}_code", text)]
        if closed:
            word = readable(text)
            pairs = [(name, word), *pairs] if word else pairs
        else:
            pairs = [(name, text)]
        for key, value in pairs:
            earlier = extra.get(key)
            if earlier is None:
                extra[key] = value
            elif value not in earlier.split(" | "):
                extra[key] = f"{earlier} | {value}"


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


class _PackageReader:
    def __init__(self, path: str, strict: bool, limits: Limits) -> None:
        self.path = path
        self.limits = limits
        self.issues = _Issues(strict)
        self.tables: dict[str, _Table] = {}
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
                for name in _REQUIRED:
                    if name in sources:
                        table = _read_table(sources[name], stack, self.issues, self.limits)
                        if table is not None and self._has_columns(table):
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

    def _has_columns(self, table: _Table) -> bool:
        missing = [c for c in _REQUIRED[table.template] if c not in table.columns]
        for code in missing:
            self.issues.error(
                table.display,
                1,
                1,
                f"missing column {meaning(table.template, code)}",
                None,
                f"a column headed {code}",
            )
        return not missing

    def _rows(self, name: str) -> Iterable[tuple[_Table, int, list[str]]]:
        """The rows of a template whose required cells are filled in (others are errors)."""
        table = self.tables.get(name)
        if table is None:
            return
        for line, row in table.rows:
            empty = [c for c in _REQUIRED[name] if not table.cell(row, c)]
            for code in empty:
                self.issues.error(
                    table.display,
                    line,
                    table.col(code),
                    f"{meaning(name, code)} is empty",
                    "",
                    "a value (the column is required)",
                )
            if not empty:
                yield table, line, row

    def _unique(self, seen: dict[str, int], table: _Table, line: int, code: str, key: str) -> bool:
        if key in seen:
            self.issues.bad_row(
                table,
                line,
                code,
                f"{key!r} is listed twice (first at line {seen[key]})",
                key,
                "each key once",
            )
            return False
        seen[key] = line
        return True

    # ---- templates

    def _group(self) -> None:
        for table, _line, row in self._rows("b_01.02"):
            self.group.add(table.cell(row, "c0010"))
        for table, _line, row in self._rows("b_03.03"):
            self.group.add(table.cell(row, "c0020"))

    def _providers(self) -> None:
        orgs = self.register.organisations
        for table, line, row in self._rows("b_05.01"):
            ident = table.cell(row, "c0010")
            if not self._unique(self.providers, table, line, "c0010", ident):
                continue
            if not self._number(table, line, row, "c0100"):
                continue
            extra: dict[str, str] = {}
            _add_extras(extra, table, row, _PROVIDER_EXTRAS)
            name = table.cell(row, "c0050") or table.cell(row, "c0060") or None
            orgs[ident] = Organisation(
                ident, name, ident in self.group, extra, table.cell(row, "c0110") or None
            )

    def _functions(self) -> None:
        for table, line, row in self._rows("b_06.01"):
            ident = table.cell(row, "c0010")
            if not self._unique(self.functions, table, line, "c0010", ident):
                continue
            if self._date(table, line, row, "c0070") is False:
                continue
            extra: dict[str, str] = {}
            _add_extras(extra, table, row, _FUNCTION_EXTRAS)
            self.register.functions[ident] = Function(
                ident,
                table.cell(row, "c0030") or None,
                table.cell(row, "c0050") == CRITICAL,
                False,
                extra,
            )

    def _general(self) -> None:
        seen: dict[str, int] = {}
        for table, line, row in self._rows("b_02.01"):
            ref = table.cell(row, "c0010")
            self.mentioned.add(ref)
            if not self._unique(seen, table, line, "c0010", ref):
                continue
            amount = self._number(table, line, row, "c0050")
            if amount is False:
                continue
            extra: dict[str, str] = {}
            _add_extras(extra, table, row, _GENERAL_EXTRAS)
            self.general[ref] = (line, amount if isinstance(amount, float) else None, extra)

    def _specific(self) -> None:
        for table, line, row in self._rows("b_02.02"):
            ref = table.cell(row, "c0010")
            self.mentioned.add(ref)
            self.specific.add(ref)
            if not self._known(table, line, row, ref):
                continue
            start = self._date(table, line, row, "c0070")
            end = self._date(table, line, row, "c0080")
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
            _add_extras(arrangement.extra, table, row, _SPECIFIC_EXTRAS)

    def _known(self, table: _Table, line: int, row: list[str], ref: str) -> bool:
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
                self._dangling(table, line, code, value, template, expected)
                ok = False
        return ok

    def _dangling(
        self, table: _Table, line: int, code: str, value: str, template: str, expected: str
    ) -> None:
        self.issues.bad_row(
            table, line, code, f"{value!r} is not in {template.upper()}", value, expected
        )

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
            if arr.provider not in reg.organisations:  # no B_05.01: made from the reference
                reg.organisations[arr.provider] = Organisation(
                    arr.provider, internal=arr.provider in self.group
                )
            for fn in arr.functions:
                reg.functions.setdefault(fn, Function(fn))
            lot = min(arr.service_types)
            if lot not in reg.lots:
                reg.lots[lot] = Lot(lot, readable(lot) or lot, extra={"stand_in": STAND_IN})
            _line, amount, general = self.general.get(ref, (0, None, {}))
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
            )
        self.dropped = (self.mentioned | set(self.general)) - set(reg.contracts)

    def _arrangement_of(self, table: _Table, line: int, ref: str) -> Contract | None:
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
            self._dangling(table, line, "c0010", ref, "b_02.02", expected)
        return None

    def _provider_ok(self, table: _Table, line: int, row: list[str], code: str) -> bool:
        value = table.cell(row, code)
        if not value or "b_05.01" not in self.tables or value in self.providers:
            return True
        self._dangling(table, line, code, value, "b_05.01", "an identification code of B_05.01")
        return False

    def _supply_chains(self) -> None:
        reg = self.register
        for table, line, row in self._rows("b_05.02"):
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
                    reg.organisations[org] = Organisation(org, internal=org in self.group)
            reg.subcontracting.add(
                Subcontracting(
                    ref,
                    supplier,
                    rank,
                    recipient if rank > 1 else None,
                    table.cell(row, "c0020") or None,
                )
            )

    def _assessments(self) -> None:
        seen: dict[str, int] = {}
        for table, line, row in self._rows("b_07.01"):
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
            if not ok or contract is None or not self._unique(seen, table, line, "c0010", key):
                continue
            if self._date(table, line, row, "c0070") is False:
                continue
            _add_extras(contract.extra, table, row, _ASSESSMENT_EXTRAS)

    # ---- values

    def _date(self, table: _Table, line: int, row: list[str], code: str) -> date | bool | None:
        """The date of a cell (None when empty or 9999-12-31); False when it is not a date."""
        text = table.cell(row, code)
        if not text or text == OPEN_END:
            return None
        try:
            if len(text) != 10 or text[4] != "-":
                raise ValueError(_ISO_DATE)
            return parse_date(text)
        except ValueError:
            self.issues.bad_row(table, line, code, "not a date", text, _ISO_DATE)
            return False

    def _number(self, table: _Table, line: int, row: list[str], code: str) -> float | bool | None:
        text = table.cell(row, code)
        if not text:
            return None
        try:
            return float(text) if _plain_number(text) else parse_number(text)
        except ValueError:
            self.issues.bad_row(
                table, line, code, "not an amount", text, "a number such as 125000.50"
            )
            return False

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


def _plain_number(text: str) -> bool:
    body = text[1:] if text[:1] in "+-" else text
    whole, _, frac = body.partition(".")
    return whole.isdigit() and (not frac or frac.isdigit())


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
    ``overlay`` (a CSV file or a folder, see :func:`~sourcing_graph.loaders.dora_overlay.apply_overlay`)
    adds modes, clauses, lots and dependencies. Raises :class:`DoraPackageError` (a
    :class:`~sourcing_graph.errors.RegisterError`) when the package cannot be read.
    """
    limits = limits or Limits()
    reader = _PackageReader(os.fspath(path), not skip_inconsistent, limits)
    with limits.csv_cells():
        register = reader.run()
    from sourcing_graph.loaders.dora_overlay import apply_overlay, mode_warning

    if overlay is not None:
        apply_overlay(register, overlay, rules=rules, skipped=reader.dropped)
    mode_warning(register)
    return register
