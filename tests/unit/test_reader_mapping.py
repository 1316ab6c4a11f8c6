"""Mapping files for foreign exports, and the starter mapping (on our export and the EBA's DORA sample)."""

from __future__ import annotations

import json
import shutil
import sys
from datetime import date
from pathlib import Path

import pytest

from sourcing_graph.errors import MappingError, RegisterError
from sourcing_graph.loaders.csv_reader import read_register
from sourcing_graph.loaders.mapping import Mapping, load_mapping, parse_mapping
from sourcing_graph.loaders.mapping_starter import starter_mapping
from tests.support.register_cases import REGISTERS

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

FOREIGN = REGISTERS / "foreign"
EXPORT = FOREIGN / "Contractenoverzicht.csv"
# The EBA's DORA Register of Information sample package (see tests/data/registers/README.md)
DORA = FOREIGN / "DUMMYLEI123456789012.CON_FR_DORA010100_DORA_2024-12-31_20241213174803429.zip"


@pytest.mark.parametrize("name", ["mapping.toml", "mapping.json"])
def test_foreign_export_reads_with_its_mapping(name: str) -> None:
    register = read_register(EXPORT, mapping=FOREIGN / name)
    c = register.contracts
    assert list(c) == ["2023-001", "2023-002", "2024-003", "2024-004"]
    assert c["2023-001"].supplier == "Acme Solutions" and c["2023-001"].lot == "Werkplek"
    assert c["2023-001"].mode == "trust"
    assert c["2023-001"].clauses == frozenset({"sla", "open_book"})
    assert c["2023-001"].start_date == date(2023, 3, 1)  # "Ingangsdatum" is a Dutch name already
    assert c["2023-001"].end_date == date(2027, 2, 28)
    assert c["2023-001"].annual_value == 1250000.0
    assert c["2023-001"].extra == {
        "Omschrijving": "Beheer werkplekken",
        "Contactpersoon": "J. de Vries",
    }
    assert c["2023-002"].supplier == "Bèta Hosting"  # Windows-1252
    assert c["2023-002"].clauses == frozenset({"penalty", "reporting"})
    assert c["2024-004"].supplier == "own-it" and c["2024-004"].mode is None
    assert c["2024-004"].annual_value == 0.0
    assert register.is_internal("own-it") and not register.is_internal("Acme Solutions")


def test_toml_and_json_mappings_are_equal() -> None:
    toml = load_mapping(FOREIGN / "mapping.toml")
    js = load_mapping(FOREIGN / "mapping.json")
    assert (toml.files, toml.columns, toml.values) == (js.files, js.columns, js.values)


def test_without_the_mapping_the_export_fails_clearly() -> None:
    with pytest.raises(RegisterError, match=r"missing required column contract_id") as info:
        read_register(EXPORT)
    messages = [p.message for p in info.value.problems]
    assert messages == [
        "missing required column contract_id",
        "missing required column supplier",
        "missing required column lot",
    ]


def test_yes_no_flag_column_adds_a_clause(tmp_path: Path) -> None:
    (tmp_path / "contracts.csv").write_text(
        "contract_id,supplier,lot,clauses,Boete?,Bonus?\nC1,a,K1,sla,ja,nee\nC2,a,K1,,,J\nC3,a,K1,,nope,\n",
        encoding="utf-8",
    )
    mapping = parse_mapping(
        {
            "contracts": {
                "columns": {"boete?": "clauses:penalty", "Bonus?": "clausules:bonusregeling"}
            }
        }
    )
    with pytest.raises(
        RegisterError, match=r"not a yes/no value \(yes adds penalty to clauses\) \(read 'nope'"
    ) as info:
        read_register(tmp_path, mapping=mapping)
    (problem,) = info.value.problems
    assert (problem.line, problem.column, problem.value) == (4, 5, "nope")
    (tmp_path / "contracts.csv").write_text(
        (tmp_path / "contracts.csv").read_text().replace("nope", "nee"), encoding="utf-8"
    )
    register = read_register(tmp_path, mapping=mapping)
    assert register.contracts["C1"].clauses == frozenset({"sla", "penalty"})
    assert register.contracts["C2"].clauses == frozenset({"bonus"})
    assert register.contracts["C3"].clauses == frozenset()


def test_files_are_renamed(tmp_path: Path) -> None:
    (tmp_path / "Export_Overeenkomsten.csv").write_text(
        "contract_id,supplier,lot\nC1,a,K1\n", encoding="utf-8"
    )
    (tmp_path / "Partijen.csv").write_text("supplier_id,internal\na,ja\n", encoding="utf-8")
    mapping = parse_mapping(
        {"files": {"export_overeenkomsten.csv": "contracts", "Partijen.csv": "leveranciers.csv"}}
    )
    register = read_register(tmp_path, mapping=mapping)
    assert register.organisations["a"].internal is True


def test_value_mapping_of_levels_and_yes_no(tmp_path: Path) -> None:
    (tmp_path / "contracts.csv").write_text("contract_id,supplier,lot\nC1,a,K1\n", encoding="utf-8")
    (tmp_path / "lots.csv").write_text(
        "lot_id,complexity,standaard\nK1,Zeer Hoog,x\n", encoding="utf-8"
    )
    mapping = parse_mapping(
        {"lots": {"values": {"complexity": {"zeer hoog": "high"}, "commodity": {"X": "ja"}}}}
    )
    lot = read_register(tmp_path, mapping=mapping).lots["K1"]
    assert (lot.complexity, lot.commodity) == ("high", True)


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        ({"version": 2}, "version = 2: expected 1"),
        ({"files": {"x.csv": "contractz"}}, "files.'x.csv' = 'contractz': expected a kind of file"),
        ({"contracts": {"columns": {"Leverancier": "vendor"}}}, "expected a field of contracts"),
        ({"contracts": {"columns": {"X": 5}}}, "expected a text value"),
        ({"contracts": {"columns": {"X": "mode:trust"}}}, "a list field and an item"),
        ({"contracts": {"columns": {"X": "clauses:boetes"}}}, "clause types"),
        ({"contracts": {"values": {"mode": {"Partner": "partnership"}}}}, "a mode: "),
        ({"contracts": {"values": {"clauses": {"Boete": "penalty|boetes"}}}}, "clause types"),
        ({"lots": {"values": {"complexity": {"x": "medium"}}}}, "laag/hoog"),
        ({"functions": {"values": {"critical": {"x": "misschien"}}}}, "ja/nee"),
        ({"contracts": {"values": {"start_date": {"x": ""}}}}, "a non-empty value"),
        ({"contracts": {"rows": {}}}, "'columns', 'values' or 'constants'"),
        ({"kontrakten": {}}, "a kind of file"),
        ({"contracts": {"columns": "supplier"}}, "expected a table"),
    ],
)
def test_bad_mappings_name_key_value_and_expectation(
    data: dict[str, object], fragment: str
) -> None:
    with pytest.raises(MappingError, match="^<mapping>: ") as info:
        parse_mapping(data)
    assert fragment in str(info.value)


def test_bad_mapping_files(tmp_path: Path) -> None:
    bad_toml = tmp_path / "m.toml"
    bad_toml.write_text('[contracts.columns]\n"a" = \n', encoding="utf-8")
    with pytest.raises(MappingError, match=r"m\.toml: not valid TOML"):
        load_mapping(bad_toml)
    bad_json = tmp_path / "m.json"
    bad_json.write_text('{"contracts": ', encoding="utf-8")
    with pytest.raises(MappingError, match=r"m\.json:1:\d+: not valid JSON"):
        load_mapping(bad_json)
    with pytest.raises(MappingError, match="cannot read"):
        load_mapping(tmp_path / "missing.toml")
    wrong = tmp_path / "m2.toml"
    wrong.write_text('[contracts.values.mode]\n"Partner" = "partnership"\n', encoding="utf-8")
    with pytest.raises(
        MappingError, match=r"m2\.toml: contracts\.values\.mode\.'Partner' = 'partnership'"
    ):
        read_register(EXPORT, mapping=wrong)


# ------------------------------------------------------------------------------ starter mapping


def test_starter_mapping_of_a_foreign_export() -> None:
    text = starter_mapping(EXPORT)
    lines = text.splitlines()
    assert '"Ingangsdatum" = "start_date"  # recognised: a known name of start_date' in lines
    assert (
        '"Leveranciersnaam" = "supplier"  # guessed: the header mentions \'leverancier\'' in lines
    )
    assert any(
        line.startswith('"Vervaldatum" = "end_date"  # guessed: the values look like dates')
        for line in lines
    )
    assert any(
        line.startswith('"Contractwaarde p/j" = "annual_value"  # guessed') for line in lines
    )
    assert any(line.startswith('"Boete (j/n)" = "clauses:penalty"  # guessed') for line in lines)
    assert any(
        line.startswith(
            '# "Contactpersoon" = ""  # TODO: unknown — map to a field or leave as extra'
        )
        for line in lines
    )
    assert (
        '# "Partnerschap" = ""  # TODO: map to one of distrust, reliability, trust, or "" (not recorded)'
        in lines
    )
    # the clause cells hold ';' in a ';'-delimited file: the starter gives the column that list
    # separator and maps each word on its own (issue 15; it mapped whole cells before)
    assert any(
        line.startswith(
            '"Contractvoorwaarden" = {field = "clauses", separator = ";"}  # guessed: the header'
        )
        for line in lines
    )
    assert '"Boeteregeling" = "penalty"  # guessed: it mentions \'boete\'' in lines
    # the starter is a valid mapping as it stands; filled in, it reads the export
    tomllib.loads(text)
    mapping = parse_mapping(tomllib.loads(text), "starter")
    assert mapping.column("contracts", "Domein") == "lot"
    filled = (
        text.replace('# "Partnerschap" = ""', '"Partnerschap" = "trust"')
        .replace('# "Transactioneel" = ""', '"Transactioneel" = "wantrouwen"')
        .replace('# "Regie op afspraken" = ""', '"Regie op afspraken" = ""')
    )
    register = read_register(EXPORT, mapping=parse_mapping(tomllib.loads(filled)))
    assert register.contracts["2023-001"].mode == "trust"
    assert register.contracts["2023-002"].mode == "distrust"
    assert register.contracts["2024-003"].mode is None


def test_starter_mapping_as_json_loads(tmp_path: Path) -> None:
    text = starter_mapping(EXPORT, format="json")
    data = json.loads(text)
    assert data["contracts"]["columns"]["Domein"] == "lot"
    assert "Contactpersoon" in data["contracts"]["columns"]["_todo"]
    path = tmp_path / "starter.json"
    path.write_text(text, encoding="utf-8")
    assert isinstance(load_mapping(path), Mapping)
    with pytest.raises(MappingError, match="toml or json"):
        starter_mapping(EXPORT, format="yaml")


def test_starter_mapping_of_a_register_recognises_everything(tmp_path: Path) -> None:
    (tmp_path / "contracten.csv").write_text(
        "contractnummer;leverancier;kavel;samenwerkingsvorm;clausules\nC1;a;K1;vertrouwen;boete|Malus\n",
        encoding="utf-8",
    )
    text = starter_mapping(tmp_path)
    assert "TODO: unknown" not in text
    assert '"contractnummer" = "contract_id"  # recognised: a known name of contract_id' in text
    assert '# "Malus" = ""  # TODO: map to clause types' in text
    assert '# "contracten.csv" = ""  # recognised: a register file name; no entry needed' in text


def test_starter_mapping_of_a_missing_export(tmp_path: Path) -> None:
    with pytest.raises(MappingError, match="no such file"):
        starter_mapping(tmp_path / "nope.zip")


def test_starter_mapping_of_the_eba_dora_sample(tmp_path: Path) -> None:
    copy = tmp_path / "dora.zip"
    shutil.copy(DORA, copy)  # the test data stays untouched
    text = starter_mapping(copy)
    lines = text.splitlines()
    # the DORA templates it knows are recognised, with their columns
    assert any(line.startswith('"b_02.02.csv" = "contracts"  # recognised: DORA') for line in lines)
    assert any(line.startswith('"b_05.01.csv" = "suppliers"  # recognised: DORA') for line in lines)
    assert any(line.startswith('"b_06.01.csv" = "functions"  # recognised: DORA') for line in lines)
    assert any(
        line.startswith(
            '"c0010" = "contract_id"  # recognised: contractual arrangement reference number'
        )
        for line in lines
    )
    assert any(line.startswith('"c0070" = "start_date"') for line in lines)
    assert any(line.startswith('"c0080" = "end_date"') for line in lines)
    assert "# TODO: no column found for the required field lot" in lines
    assert '# "eba_BT:x21" = ""  # TODO: map to "yes" or "no"' in lines
    assert any(
        line.startswith('# "FilingIndicators.csv" = ""  # TODO: unknown file') for line in lines
    )
    mapping = parse_mapping(tomllib.loads(text))
    assert mapping.kind_of_file("DUMMY/reports/b_02.02.csv") == "contracts"
    # with the starter as it stands the register still needs a lot: a clear error, no crash
    with pytest.raises(RegisterError, match=r"missing required column lot") as info:
        read_register(copy, mapping=mapping)
    assert any("missing required column lot" in p.message for p in info.value.problems)
    json.loads(starter_mapping(copy, format="json"))
    # without a mapping the package is no register: it says so, naming the zip
    with pytest.raises(
        RegisterError, match=r"dora\.zip:1:1: error: no contracts file in the zip"
    ) as info:
        read_register(copy)
    (problem,) = info.value.problems
    assert (problem.file, problem.message) == (str(copy), "no contracts file in the zip")
