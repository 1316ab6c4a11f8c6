"""The malformed registers under ``tests/data/registers/malformed/`` and the one problem each must
raise.

``MALFORMED_CASES`` rows are ``(case_id, path, expected_file, line, column, value_fragment,
message_fragment)``:

- ``path``: what to give ``read_register`` (or the CLI): a folder, a ``.zip`` or one ``.csv`` file;
- ``expected_file``: the problem's ``file`` exactly (paths as given, ``archive.zip!inner`` in zips);
- ``line``/``column``: the problem's position (header = line 1; a whole-file problem is at 1, 1);
- ``value_fragment``: a fragment of the value read (None: the problem carries no value);
- ``message_fragment``: a fragment of ``str(problem)`` (message and what was expected).

Each register has exactly one error. Other tests (the CLI's) reuse this table.
"""

from __future__ import annotations

from pathlib import Path

from tests.support import DATA

REGISTERS = DATA / "registers"
MALFORMED = REGISTERS / "malformed"


def _case(
    case_id: str,
    file: str | None,
    line: int,
    column: int,
    value: str | None,
    message: str,
    *,
    path: str | None = None,
) -> tuple[str, Path, str, int, int, str | None, str]:
    """``path``: relative to the case folder when the register is not the folder itself;
    ``file``: relative to the case folder (None: the register path itself)."""
    folder = MALFORMED / case_id
    target = folder / path if path else folder
    expected = str(target) if file is None else str(folder / file) if "!" not in file else file
    if file and "!" in file:
        archive, inner = file.split("!", 1)
        expected = f"{folder / archive}!{inner}"
    return (case_id, target, expected, line, column, value, message)


MALFORMED_CASES: list[tuple[str, Path, str, int, int, str | None, str]] = [
    _case("missing_required_column", "contracts.csv", 1, 1, None, "missing required column lot"),
    _case(
        "duplicate_contract_id",
        "contracts.csv",
        3,
        1,
        "C1",
        "duplicate contract_id 'C1' (first at line 2)",
    ),
    _case("duplicate_lot_id", "lots.csv", 4, 1, "K1", "duplicate lot_id 'K1' (first at line 2)"),
    _case("duplicate_supplier_id", "leveranciers.csv", 3, 1, "acme", "duplicate supplier_id"),
    _case("duplicate_function_id", "functions.csv", 4, 1, "F1", "duplicate function_id"),
    _case("unknown_mode", "contracts.csv", 3, 4, "partnership", "not a valid mode"),
    _case("unknown_clause", "contracts.csv", 2, 5, "boetes", "unknown clause type 'boetes'"),
    _case("dangling_lot", "contracts.csv", 3, 3, "K9", "unknown lot 'K9': not in kavels.csv"),
    _case("dangling_supplier", "contracts.csv", 3, 2, "acmee", "unknown supplier 'acmee'"),
    _case("dangling_function", "contracts.csv", 2, 4, "F7", "unknown function 'F7'"),
    _case(
        "dangling_prime_contractor", "lots.csv", 3, 2, "bigco", "unknown prime contractor 'bigco'"
    ),
    _case("dangling_dependency", "dependencies.csv", 3, 2, "K3", "unknown lot 'K3'"),
    _case("self_dependency", "afhankelijkheden.csv", 3, 2, "K2", "depends on itself"),
    _case("self_dependency_wide", "contracts.csv", 3, 4, "K2", "depends on itself"),
    _case("conflicting_wide_rows", "contracts.csv", 4, 4, "laag", "disagrees with 'high'"),
    _case("conflicting_wide_and_lots_file", "contracts.csv", 3, 4, "acme", "lots.csv line 2"),
    _case("bad_date", "contracts.csv", 3, 4, "31-02-2025", "not a valid start_date"),
    _case("bad_number", "contracts.csv", 3, 4, "ca. 5000", "not a valid annual_value"),
    _case("bad_yes_no", "functions.csv", 2, 3, "misschien", "not a valid critical"),
    _case("bad_level", "lots.csv", 2, 3, "medium", "not a valid dynamics"),
    _case("bad_selection_basis", "contracts.csv", 2, 4, "goedkoop", "not a valid selection_basis"),
    _case("empty_file", "contracts.csv", 1, 1, None, "the file is empty"),
    _case("no_header", "contracts.csv", 1, 1, None, "the file has no header"),
    _case("binary_file", "contracts.csv", 1, 1, None, "binary file"),
    _case("utf16_file", "contracts.csv", 1, 1, None, "UTF-16"),
    _case("undecodable_bytes", "contracts.csv", 1, 1, None, "neither UTF-8 nor Windows-1252"),
    _case("filled_cell_beyond_header", "contracts.csv", 3, 5, "oops", "beyond the last column"),
    _case("value_in_unnamed_column", "contracts.csv", 3, 2, "x", "column without a header"),
    _case("two_files_of_one_kind", "contracts.csv", 1, 1, "contracts.csv", "two contracts files"),
    _case(
        "two_columns_same_field",
        "contracts.csv",
        1,
        4,
        "Leverancier",
        "two columns name the field supplier",
    ),
    _case("two_columns_same_extra_header", "contracts.csv", 1, 5, "notes", "the same header"),
    _case("empty_required_cell", "contracts.csv", 3, 2, "", "empty supplier"),
    _case("own_it_not_internal", "suppliers.csv", 2, 2, "nee", "always internal"),
    _case("no_contracts_file", None, 1, 1, None, "no contracts file"),
    _case(
        "multiline_record_line_number", "contracts.csv", 4, 4, "2025-13-01", "not a valid end_date"
    ),
    _case(
        "bad_date_in_zip",
        "register.zip!export/2025/contracten.csv",
        2,
        4,
        "2025-02-29",
        "not a valid end_date",
        path="register.zip",
    ),
    _case("single_file_unknown_mode", None, 2, 4, "samen", "not a valid mode", path="export.csv"),
]
