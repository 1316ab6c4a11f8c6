"""Mappings that say what they do (issue 15): list separators, constants, and the starter mapping
listing every unknown word. The warnings for doubtful cells are in test_reader_doubts.py."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

import pytest

from sourcing_graph.errors import MappingError, RegisterError
from sourcing_graph.graph.analyses import run_analysis
from sourcing_graph.loaders.csv_reader import read_register
from sourcing_graph.loaders.mapping import load_mapping, parse_mapping
from sourcing_graph.loaders.mapping_starter import starter_mapping
from sourcing_graph.model import Register
from sourcing_graph.ontology.rules import load_rules
from tests.support.cli import cli
from tests.support.foreign import (
    UNKNOWN_CLAUSES,
    WATERLAND,
    contracts_export,
    waterland_export,
    waterland_mapping,
)

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

RULES = load_rules()


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def separator_warnings(register: Register) -> list[Any]:
    return [w for w in register.warnings if " in a list separated by " in w.message]


@pytest.fixture(scope="module")
def waterland(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Waterland register as another tool exports it: lists separated by ', '."""
    return waterland_export(tmp_path_factory.mktemp("export") / "Waterland export")


@pytest.fixture(scope="module")
def example() -> Register:
    return read_register(WATERLAND)


# ---------------------------------------------------------------------------- list separators


@pytest.mark.parametrize("separators", ["column", "file"])
def test_comma_lists_read_as_the_register_they_came_from(
    waterland: Path, example: Register, tmp_path: Path, separators: str
) -> None:
    mapping = write(tmp_path / "waterland.toml", waterland_mapping(separators))
    register = read_register(waterland, mapping=mapping)
    assert register.counts() == example.counts()
    assert len(register.functions) == 12  # not 15: 'F-ARCH, F-SEC' is two functions
    for field in ("functions", "clauses", "supplier", "lot", "mode", "annual_value"):
        assert {c.id: getattr(c, field) for c in register.contracts.values()} == {
            c.id: getattr(c, field) for c in example.contracts.values()
        }, field
    assert register.dependencies == example.dependencies
    assert {f.id: (f.name, f.critical, f.retained) for f in register.functions.values()} == {
        f.id: (f.name, f.critical, f.retained) for f in example.functions.values()
    }
    r8 = run_analysis("retained_functions", register, RULES)
    assert r8 == run_analysis("retained_functions", example, RULES)
    assert {"function": "F-ARCH", "supplier": "WTS", "contracts": ["WL-18"]} in r8  # back
    assert len(r8) == 5
    assert separator_warnings(register) == []


def test_the_issue_s_export_without_a_separator_is_valid_but_warns(
    waterland: Path, tmp_path: Path
) -> None:
    # issue 15: the contracts file alone, 'F-ARCH, F-SEC' read as one function: 15 functions
    export = waterland_export(tmp_path / "export", files=["Contractenoverzicht.csv"])
    mapping = write(tmp_path / "m.toml", waterland_mapping(without=["functions"]))
    register = read_register(export, mapping=mapping)
    assert len(register.functions) == 15
    (warning,) = separator_warnings(register)
    header, *rows = (WATERLAND / "contracten.csv").read_text(encoding="utf-8-sig").splitlines()
    first = next(i for i, row in enumerate(rows) if "|" in row.split(";")[5])
    assert warning.file == str(export / "Contractenoverzicht.csv")
    assert (warning.line, warning.column) == (first + 2, 6)
    assert warning.value == rows[first].split(";")[5].replace("|", ", ")
    assert warning.message.startswith(
        "column 'Functies' (functions): ',' in a list separated by '|': "
    )
    assert "give the column that list separator in a mapping file" in warning.message
    # with the separator: twelve functions and no warning
    fixed = read_register(export, mapping=write(tmp_path / "m2.toml", waterland_mapping()))
    assert len(fixed.functions) == 12 and separator_warnings(fixed) == []


def test_with_the_functions_file_a_wrong_separator_is_an_error(
    waterland: Path, tmp_path: Path
) -> None:
    mapping = write(tmp_path / "m.toml", waterland_mapping(without=["functions"]))
    with pytest.raises(RegisterError, match=r"unknown function 'F-ARCH, F-SEC'") as info:
        read_register(waterland, mapping=mapping)
    assert all("not in Functielijst.csv" in p.message for p in info.value.problems)


def test_a_separator_of_several_characters_and_a_line_break(tmp_path: Path) -> None:
    write(
        tmp_path / "contracts.csv",
        'contract_id,supplier,lot,functions,Depends\nC1,Bèta,K1,F-A / F-B,"K2\nK3"\n'
        "C2,Bèta,K2,F-C,\nC3,Öztürk,K3,,\n",
    )
    mapping = parse_mapping(
        {
            "list_separator": "\n",
            "contracts": {
                "columns": {
                    "Depends": "depends_on",
                    "Functions": {"field": "functies", "separator": " / "},
                }
            },
        }
    )
    register = read_register(tmp_path, mapping=mapping)
    assert register.contracts["C1"].functions == frozenset({"F-A", "F-B"})
    assert register.dependencies == {("K1", "K2"), ("K1", "K3")}


# ---------------------------------------------------------------------------------- constants


def test_a_constant_gives_every_row_one_lot(tmp_path: Path) -> None:
    export = contracts_export(tmp_path / "Overzicht.csv", drop=["kavel", "Voorwaarden"])
    mapping = write(
        tmp_path / "m.toml",
        '[contracts.constants]\nkavel = "K01"  # the whole export is one lot\n'
        'selectie = "samenwerking"\n',
    )
    register = read_register(export, mapping=mapping)
    assert len(register.contracts) == 300
    assert {c.lot for c in register.contracts.values()} == {"K01"}
    assert {c.selection_basis for c in register.contracts.values()} == {"collaboration"}
    assert list(register.lots) == ["K01"]
    as_json = write(
        tmp_path / "m.json",
        json.dumps({"contracts": {"constants": {"lot": "K01", "selection_basis": "samenwerking"}}}),
    )
    assert read_register(export, mapping=as_json).contracts == register.contracts


def test_a_mode_constant_is_a_mode_column(tmp_path: Path) -> None:
    write(tmp_path / "contracts.csv", "contract_id,supplier,lot\nC1,a,K1\nC2,b,K1\n")
    trust = read_register(
        tmp_path, mapping=parse_mapping({"contracts": {"constants": {"mode": "Vertrouwen"}}})
    )
    assert {c.mode for c in trust.contracts.values()} == {"trust"}
    # no "no mode column" warning (only K1's prime contractor, defaulted: no lots file)
    assert [w.message for w in trust.warnings if "mode" in w.message] == []
    unknown = read_register(
        tmp_path, mapping=parse_mapping({"contracts": {"constants": {"mode": "onbekend"}}})
    )
    assert [w.message for w in unknown.warnings if "mode" in w.message] == [
        "contract 'C1' has no mode recorded",
        "contract 'C2' has no mode recorded",
    ]


def test_a_constant_and_a_column_for_one_field_is_an_error(tmp_path: Path) -> None:
    export = contracts_export(tmp_path / "Overzicht.csv", rows=20, drop=["Voorwaarden"])
    mapping = parse_mapping({"contracts": {"constants": {"lot": "K01"}}}, "m.toml")
    with pytest.raises(RegisterError, match="the column names lot") as info:
        read_register(export, mapping=mapping)
    (problem,) = info.value.problems
    assert (problem.line, problem.column, problem.value) == (1, 3, "kavel")
    assert problem.message == "the column names lot, which the mapping gives the constant 'K01'"
    assert problem.expected == "no column for lot (or no constant for it in m.toml)"
    with pytest.raises(
        MappingError, match=r"^m\.toml: contracts\.constants\.lot = 'K01': .*'domein' to lot"
    ):
        parse_mapping(
            {"contracts": {"columns": {"Domein": "lot"}, "constants": {"kavel": "K01"}}}, "m.toml"
        )


@pytest.mark.parametrize(
    ("constants", "fragment"),
    [
        ({"lot": ""}, "lot = '': expected a value for every row (a constant cannot be empty)"),
        ({"lot": 5}, "lot = 5: expected a text value"),
        ({"kavels": "K01"}, "kavels = 'K01': expected a field of contracts: contract_id,"),
        ({"start_date": "31-02-2025"}, "start_date = '31-02-2025': expected a real day"),
        ({"annual_value": "veel"}, "annual_value = 'veel': expected a number such as"),
        ({"mode": "partnerschap"}, "mode = 'partnerschap': expected a mode: "),
        ({"clauses": "sla|geheimhouding"}, "('geheimhouding' is not)"),
        ({"functions": "F-" + "x" * 2000}, "expected at most 2000 characters"),
        ({"dynamics": "zeer hoog"}, "expected low/high or laag/hoog"),
    ],
)
def test_bad_constants_name_file_key_value_and_expectation(
    tmp_path: Path, constants: dict[str, object], fragment: str
) -> None:
    with pytest.raises(MappingError, match=r"/m\.json: contracts\.constants\.") as info:
        load_mapping(
            write(tmp_path / "m.json", json.dumps({"contracts": {"constants": constants}}))
        )
    assert fragment in str(info.value)


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        ({"list_separator": ""}, "list_separator = '': expected a list separator"),
        ({"list_separator": "  "}, "list_separator = '  ': expected a list separator"),
        ({"list_separator": [","]}, "expected a text value"),
        (
            {"contracts": {"columns": {"Leverancier": {"field": "supplier", "separator": ","}}}},
            "contracts.columns.'Leverancier'.field = 'supplier': expected a list field of"
            " contracts: clauses, functions, depends_on",
        ),
        (
            {"contracts": {"columns": {"Functies": {"field": "functions"}}}},
            "expected a list column: {field = <a list field>, separator = <its list separator>}",
        ),
        (
            {"contracts": {"columns": {"F": {"field": "functions", "separator": ",", "sep": ";"}}}},
            "expected a list column",
        ),
        (
            {"contracts": {"columns": {"F": {"field": "functions", "separator": ""}}}},
            "contracts.columns.'F'.separator = '': expected a list separator",
        ),
        ({"contracts": {"kolommen": {}}}, "expected a 'columns', 'values' or 'constants' table"),
    ],
)
def test_bad_separators_name_key_value_and_expectation(data: dict[str, Any], fragment: str) -> None:
    with pytest.raises(MappingError, match="^mapping.toml: ") as info:
        parse_mapping(data, "mapping.toml")
    assert fragment in str(info.value)


# ---------------------------------------------------------------------------- starter mapping


def test_the_starter_lists_every_unknown_clause_word(tmp_path: Path) -> None:
    # 2,500 rows (more than the starter's sample of 2,000): three of the seventeen words only
    # after row 2,100
    export = contracts_export(tmp_path / "Contractenlijst.csv", rows=2500, late_words_after=2100)
    done = cli("mapping", str(export))
    assert done.returncode == 0, done.stderr
    text = done.stdout
    assert "more unknown values" not in text
    todo = [
        line.split("  # TODO")[0]
        for line in text.splitlines()
        if "  # TODO: map to clause types (bonus, exit, " in line
    ]
    assert todo == [f'# "{word}" = ""' for word in UNKNOWN_CLAUSES]  # all seventeen, in order
    assert '"Voorwaarden" = {field = "clauses", separator = ","}  # guessed: ' in text
    # every TODO filled in ("" = nothing), the starter reads the whole export
    filled = re.sub(
        r'^# ("[^"]+") = ""  # TODO: map to clause types.*$',
        lambda m: f'{m.group(1)} = ""',
        text,
        flags=re.M,
    )
    register = read_register(export, mapping=parse_mapping(tomllib.loads(filled)))
    assert len(register.contracts) == 2500
    assert starter_mapping(export) == text


def test_the_starter_gives_list_columns_their_separator(waterland: Path, tmp_path: Path) -> None:
    text = starter_mapping(waterland)
    assert (
        '"Functies" = {field = "functions", separator = ","}  # recognised: a known name of'
        " functions; guessed separator: 5 of 15 distinct values hold ','"
    ) in text.splitlines()
    mapping = parse_mapping(tomllib.loads(text))
    assert mapping.separators_of("contracts", "functions", ";") == (",",)
    data = json.loads(starter_mapping(waterland, format="json"))
    assert data["contracts"]["columns"]["Functies"] == {"field": "functions", "separator": ","}
    assert parse_mapping(data).separators == mapping.separators


def test_the_starter_offers_a_constant_for_a_missing_required_field(tmp_path: Path) -> None:
    export = contracts_export(tmp_path / "Contractenlijst.csv", rows=50, drop=["kavel"])
    lines = starter_mapping(export).splitlines()
    assert "# TODO: no column found for the required field lot" in lines
    at = lines.index("[contracts.constants]")
    assert lines[at + 1] == (
        '# "lot" = ""  # TODO: no column found for the required field lot: or give every row'
        " this value"
    )
