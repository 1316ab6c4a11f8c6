"""The checks a supervisor makes before accepting a DORA filing, each on a copy of the example
package with one defect: its place (template, line, column, row key, column code), its check and
rule, its severity from the table of checks, what leniency does with it, and that a warning
keeps the data as written."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest

from sourcing_graph.errors import Problem
from sourcing_graph.loaders.dora import DoraPackageError, read_dora
from sourcing_graph.loaders.dora import checks as check_table
from sourcing_graph.loaders.dora.checks import CHECKS
from sourcing_graph.loaders.dora.lei import check_digits, lei_problem
from sourcing_graph.model import Register
from tests.support import ROOT
from tests.support.dora import PACKAGE, copy_package
from tests.support.dora_cases import CASES, Case


def found(problems: list[Problem], check: str) -> list[Problem]:
    """The problems of a check (of ``lei``: not those of the example's stand-in identifiers)."""
    stand_in = check == "lei"
    return [
        p for p in problems if p.check == check and not (stand_in and p.value.startswith("LEI-"))
    ]


def place(problem: Problem) -> tuple[str | None, int, str | None, str | None]:
    return (problem.template, problem.line, problem.code, problem.value)


def read_case(
    tmp_path: Path, case: Case, lenient: bool = False
) -> tuple[Register | None, list[Problem]]:
    package = copy_package(tmp_path)
    case.edit(package)
    try:
        register = read_dora(package, skip_inconsistent=lenient)
    except DoraPackageError as exc:
        return None, exc.problems
    return register, register.warnings


@pytest.mark.parametrize("name", CASES)
def test_each_defect_is_found_where_it_is(tmp_path: Path, name: str) -> None:
    case = CASES[name]
    check = CHECKS[case.check]
    register, problems = read_case(tmp_path, case)
    [problem] = found(problems, case.check)
    assert place(problem) == case.where
    assert case.fragment in problem.message
    assert problem.severity == check.severity and problem.rule == check.rule
    assert (register is None) == (check.severity == "error")
    if problem.code is not None:  # a cell: the message names its column, meaning and row
        assert problem.message.startswith(f"{problem.template.lower()} {problem.code} (")
        assert problem.file.endswith(f"reports/{problem.template.lower()}.csv")
        assert problem.key is not None
    text = str(problem)
    assert text.startswith(f"{problem.file}:{problem.line}:{problem.column}: {problem.severity}: ")
    assert not check.rule or text.endswith(f"[{check.rule}]")


@pytest.mark.parametrize(
    "name", [n for n, c in CASES.items() if CHECKS[c.check].severity == "error"]
)
def test_leniency_reads_past_each_error(tmp_path: Path, name: str) -> None:
    case = CASES[name]
    register, problems = read_case(tmp_path, case, lenient=True)
    assert register is not None
    [problem] = found(problems, case.check)
    assert problem.severity == "warning"
    ending = {"skip": "; row skipped", "read": "; read anyway"}[CHECKS[case.check].lenient]
    assert problem.message.endswith(ending)


def test_warnings_keep_the_data_as_written(tmp_path: Path) -> None:
    register, _ = read_case(tmp_path / "a", CASES["end before start"])
    assert register is not None
    contract = register.contracts["CTR-04"]
    assert (contract.start_date.isoformat(), contract.end_date.isoformat()) == (
        "2023-04-01",
        "2020-03-31",
    )  # type: ignore[union-attr]
    register, _ = read_case(tmp_path / "b", CASES["exit plan 'No'"])
    assert register is not None
    extra = register.contracts["CTR-03"].extra
    assert extra["exit_plan_code"] == "No" and "exit_plan" not in extra  # never read as "no"
    register, _ = read_case(tmp_path / "c", CASES["rank 3 without rank 2"])
    assert register is not None
    assert {(s.supplier, s.rank) for s in register.subcontracting if s.contract == "CTR-03"} == {
        ("LEI-CORESYS", 1),
        ("LEI-DATAVAULT", 3),
    }
    register, _ = read_case(tmp_path / "d", CASES["negative expense"])
    assert register is not None and register.contracts["CTR-07"].annual_value == -60000.0


def test_a_label_for_criticality_is_never_read_as_not_critical(tmp_path: Path) -> None:
    """``Yes`` where ``eba_BT:x28`` belongs rejects the package: read as written it would make a
    critical function not critical. Leniency skips the function's row, and says so."""
    package = copy_package(tmp_path)
    CASES["criticality 'Yes'"].edit(package)
    with pytest.raises(DoraPackageError, match=r"'Yes' is a label, not a code: eba_BT:x28"):
        read_dora(package)
    lenient = read_dora(package, skip_inconsistent=True)
    [problem] = found(lenient.warnings, "criticality-code")
    assert problem.message.endswith("; row skipped") and problem.expected == "eba_BT:x28"
    assert lenient.functions["F01"].name is None  # known by its identifier only


def test_the_example_package_gives_one_finding_besides_its_stand_in_leis() -> None:
    """The example is consistent; what the checks say of it: its identifiers are readable
    stand-ins, not LEIs, and CTR-04 (critical F01) has no assessment."""
    register = read_dora(PACKAGE)
    findings = [w for w in register.warnings if w.check not in (None, "lei")]
    assert [(w.check, w.template, w.line, w.code, w.value) for w in findings] == [
        ("assessment-missing", "B_02.02", 7, "c0050", "F01")
    ]
    leis = [w for w in register.warnings if w.check == "lei"]
    assert len(leis) == len({w.value for w in leis}) == 11  # each stand-in once


def test_which_checks_are_errors_is_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the date order an error in the table: the same defect now rejects the package (and
    leniency skips the row)."""
    strict = replace(CHECKS["date-order"], severity="error", lenient="skip")
    monkeypatch.setitem(check_table.CHECKS, "date-order", strict)
    case = CASES["end before start"]
    register, problems = read_case(tmp_path / "strict", case)
    assert register is None and found(problems, "date-order")[0].severity == "error"
    register, problems = read_case(tmp_path / "lenient", case, lenient=True)
    assert register is not None and "CTR-04" not in register.contracts
    assert found(problems, "date-order")[0].message.endswith("; row skipped")


def test_the_table_of_checks_is_well_formed() -> None:
    for ident, check in CHECKS.items():
        assert check.severity in ("error", "warning"), ident
        assert check.lenient in ("skip", "read", "never"), ident
        assert check.en and check.nl and check.en != check.nl, ident


@pytest.mark.parametrize(
    "lei",
    [
        "506700GE1G29325QX363",  # GLEIF
        "7LTWFZYICNSX8D621K86",  # Deutsche Bank AG
        "529900T8BM49AURSDO55",  # Deutsche Börse AG
        "5493001KJTIIGC8Y1R12",  # Bloomberg Finance L.P.
    ],
)
def test_real_leis_are_valid(lei: str) -> None:
    assert lei_problem(lei) is None and check_digits(lei[:18]) == lei[18:]


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("5493001KJTIIGC8Y1R13", "check digits '13' are wrong"),
        ("DUMMYLEI123456789012", "check digits '12' are wrong"),  # the EBA sample's entity
        ("7LTWFZYICNSX8D621K68", "check digits '68' are wrong"),  # two digits swapped
        ("LEI-NETLINE", "not in the form of an LEI"),
        ("5493001kjtiigc8y1r12", "not in the form of an LEI"),
    ],
)
def test_wrong_leis_are_found(text: str, fragment: str) -> None:
    problem = lei_problem(text)
    assert problem is not None and fragment in problem[0]


def test_docs_list_every_check_with_its_severity_and_eba_rules() -> None:
    """docs/dora.md's table of checks says what ``CHECKS`` holds: every check, its severity, an
    error's leniency, and the EBA rules it matches (in bold; the others are cited for comparison)."""
    text = (ROOT / "docs" / "dora.md").read_text(encoding="utf-8")
    table = text.split("| check | severity | lenient |", 1)[1].split("\n\n", 1)[0]
    documented = {}
    for line in table.splitlines()[2:]:
        cells = [c.strip() for c in line.strip("|").split(" | ")]
        rules = re.findall(r"\*\*`(v\d+_[a-z])`\*\*", cells[-1])
        documented[cells[0].strip("`")] = (cells[1], cells[2], rules)
    assert list(documented) == list(CHECKS)
    for ident, check in CHECKS.items():
        severity, lenient, rules = documented[ident]
        assert severity == check.severity, ident
        if check.severity == "error" or lenient != "—":
            assert lenient == check.lenient, ident
        assert rules == (check.rule.split(", ") if check.rule else []), ident
