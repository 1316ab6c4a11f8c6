"""Warnings for cells read in doubt (issue 15), once per column, in our own format and through a
mapping, Dutch and English: a list cell holding another likely separator, a number read by the
thousands rule. The readings themselves do not change."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from sourcing_graph.loaders.csv_reader import read_register
from sourcing_graph.loaders.mapping import parse_mapping
from sourcing_graph.model import Register
from tests.support.foreign import SUPPLIERS, contracts_export, write_csv
from tests.support.register_cases import REGISTERS

FOREIGN = REGISTERS / "foreign"


def doubts(register: Register) -> list[Any]:
    """The warnings about doubtful cells (not the 'no mode recorded' ones)."""
    return [w for w in register.warnings if "warned once per column" in w.message]


def functions_register(folder: Path, dutch: bool, cells: dict[int, str], rows: int = 300) -> Path:
    """A register in our own format, ``rows`` contracts whose functions cells are ``F-n|F-m``
    but for the rows in ``cells`` (0-based)."""
    folder.mkdir()
    if dutch:
        header = ["contractnummer", "leverancier", "kavel", "samenwerkingsvorm", "functies"]
    else:
        header = ["contract_id", "supplier", "lot", "mode", "functions"]
    out = [header]
    for n in range(rows):
        functions = "" if n % 5 == 4 else f"F-{n % 11}|F-{(n + 3) % 11}"
        mode = ["vertrouwen", "trust", "wantrouwen", ""][n % 4]
        out.append([f"C{n:03d}", SUPPLIERS[n % 6], f"K{n % 7}", mode, cells.get(n, functions)])
    write_csv(folder / ("contracten.csv" if dutch else "contracts.csv"), out, ";" if dutch else ",")
    return folder


# --------------------------------------------------------------------------- list separators


@pytest.mark.parametrize("dutch", [True, False], ids=["contracten.csv", "contracts.csv"])
def test_a_comma_in_a_list_of_our_own_format_warns_once(tmp_path: Path, dutch: bool) -> None:
    cells = {40: "F-ARCH, F-SEC", 41: "F-1, F-2|F-3", 200: "F-Ü, F-É"}
    register = read_register(functions_register(tmp_path / "register", dutch, cells))
    (warning,) = doubts(register)
    name, label = (
        ("contracten.csv", "'functies' (functions)") if dutch else ("contracts.csv", "'functions'")
    )
    separated = "'|'" if dutch else "'|' or ';'"  # ';' separates too where it does not delimit
    assert warning.file == str(tmp_path / "register" / name)
    assert (warning.line, warning.column, warning.value) == (42, 5, "F-ARCH, F-SEC")
    assert warning.severity == "warning"
    assert warning.message == (
        f"column {label}: ',' in a list separated by {separated}: 'F-ARCH, F-SEC' is read as one"
        " function; if ',' separates the items, give the column that list separator in a mapping"
        " file (warned once per column)"
    )
    # the reading is the format's: one function (a warning, not a change)
    assert register.contracts["C040"].functions == frozenset({"F-ARCH, F-SEC"})
    assert register.contracts["C041"].functions == frozenset({"F-1, F-2", "F-3"})


def test_a_semicolon_in_a_semicolon_delimited_file_warns(tmp_path: Path) -> None:
    register = read_register(functions_register(tmp_path / "r", True, {7: "F-1; F-2"}))
    (warning,) = doubts(register)
    assert (warning.line, warning.value) == (9, "F-1; F-2")
    assert warning.message.startswith(
        "column 'functies' (functions): ';' in a list separated by '|': "
    )


def test_a_line_break_in_a_list_warns(tmp_path: Path) -> None:
    register = read_register(functions_register(tmp_path / "r", False, {9: "F-1\nF-2"}))
    (warning,) = doubts(register)
    assert warning.line == 11
    assert (
        "a line break in a list separated by '|' or ';': 'F-1\\nF-2' is read as one"
        in warning.message
    )


def test_lists_written_as_the_format_says_give_no_warning(tmp_path: Path) -> None:
    register = read_register(functions_register(tmp_path / "r", False, {9: "F-1;F-2"}))
    assert doubts(register) == []
    assert register.contracts["C009"].functions == frozenset({"F-1", "F-2"})


def test_through_a_mapping_the_configured_separator_is_the_one(tmp_path: Path) -> None:
    # the mapping says ','; a cell with '|' (the register's own) is the doubt now
    export = contracts_export(tmp_path / "Export.csv", amounts={}, drop=["Voorwaarden"])
    lines = export.read_text(encoding="utf-8").splitlines()
    header = lines[0] + ";Diensten"
    body = [
        f"{line};{'WP|SD' if i == 120 else ('WP, SD' if i % 3 else '')}"
        for i, line in enumerate(lines[1:])
    ]
    export.write_text("\n".join([header, *body]) + "\n", encoding="utf-8")
    mapping = parse_mapping(
        {"contracts": {"columns": {"Diensten": {"field": "functions", "separator": ","}}}}
    )
    register = read_register(export, mapping=mapping)
    (warning,) = doubts(register)
    assert (warning.line, warning.column, warning.value) == (122, 8, "WP|SD")
    assert warning.message.startswith(
        "column 'Diensten' (functions): '|' in a list separated by ',': 'WP|SD' is read as one"
    )
    assert register.contracts["C-0002"].functions == frozenset({"WP", "SD"})


def test_a_cell_the_value_table_maps_is_as_meant() -> None:
    # "SLA; Open boekhouding" holds ';' in a ';'-delimited file, and the mapping maps it whole
    register = read_register(FOREIGN / "Contractenoverzicht.csv", mapping=FOREIGN / "mapping.toml")
    assert doubts(register) == []


# ------------------------------------------------------------------------------------ numbers


@pytest.mark.parametrize(
    ("amount", "read", "other"),
    [
        ("12,400", "12400", "12.4"),
        ("125.000", "125000", "125"),
        ("€ 1.234", "1234", "1.234"),
        ("1.234 €", "1234", "1.234"),  # more than two characters after the mark, not digits
    ],
)
def test_a_number_read_by_the_thousands_rule_warns_once(
    tmp_path: Path, amount: str, read: str, other: str
) -> None:
    # a Dutch ';' file of 300 contracts with plain amounts, and the doubtful one in three rows
    amounts = {50: amount, 51: amount, 260: amount}
    export = contracts_export(
        tmp_path / "contracten.csv", grouped=False, amounts=amounts, drop=["Voorwaarden"]
    )
    register = read_register(export)
    (warning,) = doubts(register)
    assert (warning.file, warning.line, warning.column) == (str(export), 52, 6)
    assert warning.value == amount
    assert warning.message == (
        f"column 'jaarwaarde' (annual_value): {amount!r} read as {read} (the mark groups"
        f" thousands); it could be {other} (the mark as decimal mark) (warned once per column)"
    )
    assert register.contracts["C-0051"].annual_value == float(read)  # the reading stays


@pytest.mark.parametrize("amount", ["12,40", "1,5", "0.5", "1.23"])
def test_under_three_characters_after_one_mark_is_no_doubt(tmp_path: Path, amount: str) -> None:
    amounts = {50: amount, 51: amount}
    export = contracts_export(
        tmp_path / "contracten.csv", grouped=False, amounts=amounts, drop=["Voorwaarden"]
    )
    register = read_register(export)
    assert doubts(register) == []
    assert register.contracts["C-0051"].annual_value == Decimal(amount.replace(",", "."))


def test_a_column_grouping_thousands_with_the_mark_settles_it(tmp_path: Path) -> None:
    # Dutch amounts '€ 640.000,00': '.' groups thousands in this column, so '125.000' is 125000
    export = contracts_export(
        tmp_path / "contracten.csv", amounts={0: "125.000"}, drop=["Voorwaarden"]
    )
    assert doubts(read_register(export)) == []
    # ... but there ',' is the decimal mark, so '12,400' read as 12400 is all the more doubtful
    export = contracts_export(
        tmp_path / "contracten.csv", amounts={250: "12,400"}, drop=["Voorwaarden"]
    )
    (warning,) = doubts(read_register(export))
    assert (warning.line, warning.value) == (252, "12,400")
    assert "it could be 12.4 " in warning.message


@pytest.mark.parametrize("grouped", [True, False])
def test_english_amounts(tmp_path: Path, grouped: bool) -> None:
    # '£60,000' among '210,000.00' amounts: ',' groups thousands here; among plain ones: a doubt
    export = contracts_export(
        tmp_path / "contracts.csv",
        dutch=False,
        grouped=grouped,
        amounts={30: "£60,000"},
        drop=["Terms"],
    )
    register = read_register(export)
    assert register.contracts["C-0031"].annual_value == 60000.0
    found = [(w.line, w.value) for w in doubts(register)]
    assert found == ([] if grouped else [(32, "£60,000")])


def test_one_warning_per_column_and_kind(tmp_path: Path) -> None:
    # both a list and a number doubt in one file: one warning each, in column order
    folder = functions_register(tmp_path / "r", False, {3: "F-1, F-2", 4: "F-3, F-4"})
    text = (folder / "contracts.csv").read_text(encoding="utf-8").splitlines()
    text[0] += ",annual_value"
    text[1:] = [
        f'{line},"{"12,400" if i in (5, 6) else "1000"}"' for i, line in enumerate(text[1:])
    ]
    (folder / "contracts.csv").write_text("\n".join(text) + "\n", encoding="utf-8")
    warnings = doubts(read_register(folder))
    assert [(w.line, w.column, w.value) for w in warnings] == [(5, 5, "F-1, F-2"), (7, 6, "12,400")]
