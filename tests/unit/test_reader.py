"""The CSV register reader: malformed registers, reference rules, wide form, warnings, limits."""

from __future__ import annotations

import re
import zipfile
from datetime import date
from pathlib import Path

import pytest

from sourcing_graph.errors import Problem, RegisterError
from sourcing_graph.loaders.csv_reader import read_register
from sourcing_graph.model import OWN_IT, Lot, Organisation, Register
from tests.support.register_cases import MALFORMED, MALFORMED_CASES, REGISTERS


def write(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def errors_of(path: Path, **kwargs: object) -> list[Problem]:
    with pytest.raises(
        RegisterError, match=rf"the register has \d+ error\(s\).*\n{re.escape(str(path))}"
    ) as info:
        read_register(path, **kwargs)
    return info.value.problems


# ------------------------------------------------------------------------------ malformed corpus


@pytest.mark.parametrize(
    ("case_id", "path", "file", "line", "column", "value", "message"),
    MALFORMED_CASES,
    ids=[case[0] for case in MALFORMED_CASES],
)
def test_malformed_register_reports_the_exact_problem(
    case_id: str,
    path: Path,
    file: str,
    line: int,
    column: int,
    value: str | None,
    message: str,
) -> None:
    problems = errors_of(path)
    assert len(problems) == 1, "\n".join(map(str, problems))
    problem = problems[0]
    assert problem.severity == "error"
    assert (problem.file, problem.line, problem.column) == (file, line, column)
    if value is None:
        assert problem.value is None
    else:
        assert problem.value is not None and value in problem.value
    assert message in str(problem)
    assert problem.expected, "every error says what was expected"


def test_every_malformed_folder_has_a_case() -> None:
    folders = {p.name for p in MALFORMED.iterdir() if p.is_dir()}
    assert folders == {case[0] for case in MALFORMED_CASES}
    assert len(folders) >= 20


def test_unknown_mode_lists_the_accepted_words() -> None:
    (problem,) = errors_of(MALFORMED / "unknown_mode")
    assert problem.expected is not None
    for word in ("distrust", "wantrouwen", "reliability", "betrouwbaarheid", "trust", "vertrouwen"):
        assert word in problem.expected


def test_duplicate_points_at_the_second_occurrence_and_names_the_first() -> None:
    (problem,) = errors_of(MALFORMED / "duplicate_contract_id")
    assert problem.line == 3
    assert "first at line 2" in problem.message


def test_register_error_message_lists_every_problem() -> None:
    with pytest.raises(RegisterError, match=r"1 error\(s\)") as info:
        read_register(MALFORMED / "bad_date")
    assert "contracts.csv:3:4" in str(info.value)
    assert not info.value.truncated


# ---------------------------------------------------------------------------- positive corpus


def test_windows_1252_file_reads() -> None:
    register = read_register(REGISTERS / "valid" / "cp1252")
    c1 = register.contracts["C-01"]
    assert c1.supplier == "Café Solutions"
    assert c1.mode == "trust"
    assert c1.clauses == frozenset({"exit", "open_book"})
    assert c1.annual_value == 12500.0
    assert c1.extra == {"Opmerking": "Überweisung „per kwartaal“"}
    assert register.contracts["C-02"].annual_value == 1250000.0
    assert "C-02" in register.contracts and register.contracts["C-02"].extra == {}


def test_header_only_contracts_is_an_empty_register_with_a_warning() -> None:
    register = read_register(REGISTERS / "valid" / "header_only")
    assert register.contracts == {}
    assert [w.message for w in register.warnings] == [
        "the contracts file has no rows: the register is empty"
    ]
    assert all(w.severity == "warning" for w in register.warnings)


def test_bom_semicolon_padded_header_and_blank_rows() -> None:
    register = read_register(REGISTERS / "valid" / "bom_semicolon")
    assert list(register.contracts) == ["C1"]
    assert register.contracts["C1"].supplier == "acme"


# ----------------------------------------------------------------------------------- the rules


def test_references_create_entities_when_companion_files_are_absent(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "contracts.csv": "contract_id,supplier,lot,functions,depends_on,mode\n"
            "C1,acme,K1,F1;F2|F1,K2,trust\n"
            "C2,own-it,K2,,K1,reliability\n"
        },
    )
    register = read_register(tmp_path)
    assert set(register.organisations) == {OWN_IT, "acme"}
    assert register.organisations["acme"] == Organisation("acme", None, False)
    assert register.is_internal(OWN_IT) and not register.is_internal("acme")
    assert set(register.functions) == {"F1", "F2"}
    assert register.contracts["C1"].functions == frozenset({"F1", "F2"})
    assert register.lots["K1"] == Lot("K1")
    assert register.lots["K1"].prime_contractor == OWN_IT
    assert register.dependencies == {("K1", "K2"), ("K2", "K1")}
    # made from the rows that name them first; no lots file: each lot's prime contractor is
    # defaulted, with a warning at that row (no prime contractor column: column 1, no value)
    assert register.organisations["acme"].source == "contracts.csv:2"
    assert register.organisations[OWN_IT].source is None
    assert (register.functions["F1"].source, register.functions["F2"].source) == (
        "contracts.csv:2",
        "contracts.csv:2",
    )
    assert (register.lots["K1"].source, register.lots["K2"].source) == (
        "contracts.csv:2",
        "contracts.csv:2",
    )
    assert register.dependency_sources == {
        ("K1", "K2"): "contracts.csv:2",
        ("K2", "K1"): "contracts.csv:3",
    }
    assert all(lot.prime_contractor_defaulted for lot in register.lots.values())
    assert [(w.line, w.column, w.value, w.message) for w in register.warnings] == [
        (2, 1, None, f"lot {lot!r} has no prime contractor recorded: own-it coordinates it "
         "(the default)")
        for lot in ("K1", "K2")
    ]  # fmt: skip


def test_suppliers_file_sets_internal_and_own_it_needs_no_row(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "contracts.csv": "contract_id,supplier,lot\nC1,ssc,K1\nC2,own-it,K1\nC3,acme,K1\n",
            "suppliers.csv": "supplier_id,name,internal,Land\nssc,Shared Service Centre,ja,NL\nacme,Acme,,\n",
        },
    )
    register = read_register(tmp_path)
    assert register.organisations["ssc"] == Organisation(
        "ssc", "Shared Service Centre", True, {"Land": "NL"}
    )
    assert register.organisations["acme"].internal is False
    assert register.organisations[OWN_IT].internal is True
    assert register.organisations["acme"].extra == {}


def test_dependencies_file_lists_and_duplicates(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "contracts.csv": "contract_id,supplier,lot\nC1,acme,K1\n",
            "dependencies.csv": "lot,depends_on\nK1,K2|K3\nK1,K2\nK3,K2;K2\n",
        },
    )
    register = read_register(tmp_path)
    assert register.dependencies == {("K1", "K2"), ("K1", "K3"), ("K3", "K2")}
    assert set(register.lots) == {"K1", "K2", "K3"}


def test_wide_form_rows_of_a_lot_agree_and_merge_with_the_lots_file(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "contracts.csv": "contract_id,supplier,lot,kavelnaam,complexiteit,dynamics,standaard,regisseur,depends_on\n"
            "C1,acme,K1,Werkplek,hoog,,ja,acme,K2\n"
            "C2,beta,K1,,high,low,,,K3\n"
            "C3,beta,K2,,,,,,\n",
            "lots.csv": "lot_id,name,complexity\nK1,Werkplek,high\nK2,Netwerk,\nK3,,\n",
        },
    )
    register = read_register(tmp_path)
    k1 = register.lots["K1"]
    assert (k1.name, k1.complexity, k1.dynamics, k1.commodity, k1.prime_contractor) == (
        "Werkplek",
        "high",
        "low",
        True,
        "acme",
    )
    assert register.dependencies == {("K1", "K2"), ("K1", "K3")}
    assert register.lots["K2"] == Lot("K2", "Netwerk")


def test_values_of_every_kind(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "contracts.csv": "contract_id\tsupplier\tlot\tmode\tclauses\tstart_date\tend_date\tannual_value\tselection_basis\n"
            "C1\tacme\tK1\tWANTROUWEN\tBoete Clausule?\t\t\t\t\n"
            "C2\tacme\tK1\tTrust\tOpen_Book; open-book | Service Level Agreement\t1-2-2025\t2025-12-31\t$ 1,000,000.25\tPrijs\n"
            "C3\tacme\tK1\tonbekend\t\t05/03/2024\t\t125,000\tsamenwerking\n"
            "C4\tacme\tK1\t\t\t\t\t0,5\t\n"
        },
    )
    # "Boete Clausule?" is not a clause word (boeteclausule is)
    problems = errors_of(tmp_path)
    assert [(p.line, p.column, p.value) for p in problems] == [(2, 5, "Boete Clausule?")]
    (tmp_path / "contracts.csv").write_text(
        (tmp_path / "contracts.csv").read_text().replace("Boete Clausule?", "BoeteClausule"),
        encoding="utf-8",
    )
    register = read_register(tmp_path)
    c = register.contracts
    assert c["C1"].mode == "distrust" and c["C1"].clauses == frozenset({"penalty"})
    assert c["C2"].mode == "trust"
    assert c["C2"].clauses == frozenset({"open_book", "sla"})
    assert (c["C2"].start_date, c["C2"].end_date) == (date(2025, 2, 1), date(2025, 12, 31))
    assert c["C2"].annual_value == 1000000.25 and c["C2"].selection_basis == "cost"
    assert c["C3"].mode is None and c["C3"].start_date == date(2024, 3, 5)
    assert c["C3"].annual_value == 125000.0 and c["C3"].selection_basis == "collaboration"
    assert c["C4"].annual_value == 0.5 and c["C4"].mode is None
    no_mode = [w for w in register.warnings if "no mode recorded" in w.message]
    assert [(w.line, w.column) for w in no_mode] == [(4, 4), (5, 4)]
    # the words as written (trimmed) beside the keys
    assert [c[i].mode_as_written for i in ("C1", "C2", "C3", "C4")] == [
        "WANTROUWEN",
        "Trust",
        "onbekend",
        None,
    ]
    assert c["C1"].clause_words == {"penalty": ("BoeteClausule",)}
    assert c["C2"].clause_words == {
        "open_book": ("Open_Book", "open-book"),
        "sla": ("Service Level Agreement",),
    }
    assert c["C3"].clause_words == {} and c["C4"].clause_words == {}


def test_no_mode_column_gives_one_warning(tmp_path: Path) -> None:
    write(tmp_path, {"contracts.csv": "contract_id,supplier,lot\nC1,a,K1\nC2,a,K1\n"})
    register = read_register(tmp_path)
    [warning] = [w for w in register.warnings if "mode" in w.message]
    assert "2 contracts" in warning.message


def test_extra_columns_are_kept_as_written(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "contracts.csv": " contract_id , Opmerking ,supplier,lot, Budget-Code\nC1, lang verhaal ,a,K1,\n"
        },
    )
    register = read_register(tmp_path)
    assert register.contracts["C1"].extra == {"Opmerking": "lang verhaal"}


def test_other_files_are_ignored_with_a_warning(tmp_path: Path) -> None:
    write(
        tmp_path,
        {"contracts.csv": "contract_id,supplier,lot,mode\nC1,a,K1,trust\n", "notes.csv": "x\n1\n"},
    )
    (tmp_path / "readme.txt").write_text("hello")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "lots.csv").write_text("garbage\x00")
    register = read_register(tmp_path)
    ignored = [w.value for w in register.warnings if "prime contractor" not in w.message]
    assert ignored == ["notes.csv"]


def test_file_names_match_case_insensitively(tmp_path: Path) -> None:
    write(tmp_path, {"Contracten.CSV": "contract_id,supplier,lot,mode\nC1,a,K1,trust\n"})
    assert list(read_register(tmp_path).contracts) == ["C1"]


def test_zip_at_any_depth_and_problem_names_the_member(tmp_path: Path) -> None:
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("a/b/CONTRACTS.csv", "contract_id,supplier,lot,mode\nC1,a,K1,trust\n")
        zf.writestr("a/kavels.csv", "kavel,complexiteit\nK1,hoog\n")
        zf.writestr("__MACOSX/a/b/._CONTRACTS.csv", "junk")
    register = read_register(archive)
    assert register.lots["K1"].complexity == "high"
    with zipfile.ZipFile(archive, "a") as zf:
        zf.writestr("c/contracten.csv", "x\n")
    (problem,) = errors_of(archive)
    assert problem.file == f"{archive}!c/contracten.csv"


def test_single_csv_file_is_the_contracts_file(tmp_path: Path) -> None:
    path = tmp_path / "whatever.txt"
    path.write_text("contract_id;supplier;lot;mode\nC1;a;K1;trust\n", encoding="utf-8")
    assert list(read_register(path).contracts) == ["C1"]
    assert list(read_register(str(path)).contracts) == ["C1"]


def test_missing_path_and_bad_zip(tmp_path: Path) -> None:
    (problem,) = errors_of(tmp_path / "nope")
    assert (problem.line, problem.column) == (1, 1) and "no such file" in problem.message
    bad = tmp_path / "bad.zip"
    bad.write_bytes(b"not a zip at all")
    (problem,) = errors_of(bad)
    assert "cannot open" in problem.message


def test_every_error_is_reported_up_to_the_limit(tmp_path: Path) -> None:
    rows = "".join(f"C{i},a,K1,maybe\n" for i in range(10))
    write(tmp_path, {"contracts.csv": "contract_id,supplier,lot,mode\n" + rows})
    assert [p.line for p in errors_of(tmp_path)] == list(range(2, 12))
    with pytest.raises(
        RegisterError, match=r"has 3 error\(s\) \(and more, not all shown\)"
    ) as info:
        read_register(tmp_path, max_errors=3)
    assert len(info.value.problems) == 3 and info.value.truncated
    assert "not all shown" in str(info.value)


def test_errors_in_several_files_are_all_reported(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "contracts.csv": "contract_id,supplier,lot,start_date\nC1,a,K1,2025-02-30\nC1,a,K1,\n",
            "lots.csv": "lot_id,complexity\nK1,heel hoog\n",
        },
    )
    got = [(Path(p.file).name, p.line, p.column) for p in errors_of(tmp_path)]
    assert got == [("lots.csv", 2, 2), ("contracts.csv", 2, 4), ("contracts.csv", 3, 1)]


def test_short_rows_are_padded(tmp_path: Path) -> None:
    write(tmp_path, {"contracts.csv": "contract_id,supplier,lot,mode,clauses\nC1,a,K1\n"})
    register = read_register(tmp_path)
    assert register.contracts["C1"].clauses == frozenset()


def test_register_is_a_register(tmp_path: Path) -> None:
    write(tmp_path, {"contracts.csv": "contract_id,supplier,lot,mode\nC1,a,K1,trust\n"})
    register = read_register(tmp_path)
    assert isinstance(register, Register)
    assert register.source == str(tmp_path)
    assert register.counts() == {
        "organisations": 2,
        "lots": 1,
        "functions": 0,
        "contracts": 1,
        "dependencies": 0,
        "subcontracting": 0,
    }
