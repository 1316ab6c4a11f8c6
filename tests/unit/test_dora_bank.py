"""The realistic package of a mid-sized bank (tests/support/dora_bank.py): read whole, nothing lost,
and every deliberate defect found where it is made, as the supervisor's checks find it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sourcing_graph.errors import Problem
from sourcing_graph.loaders.dora import DoraPackageError, read_dora
from sourcing_graph.views.locale import Words
from sourcing_graph.views.messages import problem_line
from tests.support.dora_bank import Bank
from tests.support.dora_bank_files import DEFECTS, write_bank_package
from tests.support.dora_facts import package_facts, read_rows, register_facts


@pytest.fixture(scope="module")
def bank(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Bank]:
    folder = tmp_path_factory.mktemp("bank") / "package"
    return folder, write_bank_package(folder)


def test_the_bank_reads_whole_and_clean(bank: tuple[Path, Bank]) -> None:
    folder, made = bank
    register = read_dora(folder)
    assert [w.check for w in register.warnings] == [None]  # only: no modes (no overlay)
    assert len(made.providers) == 45 and len(read_rows(folder)["b_05.01"]) == 45
    assert set(made.providers) <= set(register.organisations)  # 45 rows, 45 organisations
    assert len(register.organisations) == 46  # and own-it
    assert len(register.contracts) == 150 and len(register.functions) == 30
    assert sum(f.critical for f in register.functions.values()) == 10
    assert max(link.rank for link in register.subcontracting) == 4
    assert register_facts(register) == package_facts(read_rows(folder))


def test_what_a_risk_manager_looks_for_is_there(bank: tuple[Path, Bank]) -> None:
    folder, made = bank
    register = read_dora(folder)
    orgs = register.organisations
    # US parents have a row without expense, and stay, with their names
    stratus = made.by_name("Stratus Cloud Inc.")
    assert (
        orgs[stratus.lei].name == "Stratus Cloud Inc."
        and "total_annual_expense" not in orgs[stratus.lei].extra
    )
    emea = made.by_name("Stratus Cloud EMEA Ltd")
    assert orgs[emea.lei].parent == stratus.lei
    # subcontractors without expense or with 0 keep their names, accents and all
    for name in ("Équinoxe Datacenters SAS", "FibreLink Backbone SE", "HSM Sécurité SA"):
        assert orgs[made.by_name(name).lei].name == name
    assert orgs[made.by_name("FibreLink Backbone SE").lei].extra["total_annual_expense"] == "0"
    # FibreLink sits behind every critical function
    fibre = made.by_name("FibreLink Backbone SE").lei
    behind = {
        f
        for link in register.subcontracting
        if link.supplier == fibre
        for f in register.contracts[link.contract].functions
        if register.functions[f].critical
    }
    assert len(behind) == 10
    # the intra-group provider is internal; some arrangements have no exit plan, some a provider
    # that is not substitutable, some an expense of 0
    assert orgs[made.by_name("Hanzebank Group IT B.V.").lei].internal
    extras = [c.extra for c in register.contracts.values()]
    assert sum(e.get("exit_plan_code") == "eba_BT:x29" for e in extras) >= 5
    assert sum(e.get("substitutability_code") == "eba_ZZ:x959" for e in extras) >= 5
    assert sum(c.annual_value == 0.0 for c in register.contracts.values()) == 6


EXPECTED = {
    # defect: (check, severity, template, file, the row it is on (template, c0010, other cells)
    # or its line, column code)
    "missing-filing-indicator": ("filing-indicator", "error", "B_05.02", "FilingIndicators.csv", 1, None),
    "criticality-label": ("criticality-code", "error", "B_06.01", "b_06.01.csv", ("F04",), "c0050"),
    "missing-overarching": ("overarching-arrangement", "error", "B_02.01", "b_02.01.csv", ("ARR-040",), "c0030"),
    "entity-not-in-scope": ("entity-in-scope", "error", "B_02.02", "b_02.02.csv", ("ARR-013",), "c0020"),
    "duplicate-row": ("duplicate-key", "error", "B_02.02", "b_02.02.csv", -1, "c0010"),
    "bad-check-digits": ("lei", "warning", "B_05.01", "b_05.01.csv", ("Paysphere Europe S.A.",), "c0010"),
    "end-before-start": ("date-order", "warning", "B_02.02", "b_02.02.csv", ("ARR-012",), "c0080"),
    "rank-gap": ("rank-gap", "warning", "B_05.02", "b_05.02.csv", ("ARR-001", "3"), "c0060"),
    "exit-plan-label": ("code-list", "warning", "B_07.01", "b_07.01.csv", ("ARR-003",), "c0080"),
    "critical-without-assessment": ("assessment-missing", "warning", "B_02.02", "b_02.02.csv", ("ARR-002", "F02"), "c0050"),
}  # fmt: skip


def expected(folder: Path, defect: str) -> tuple[str, str, str, str, int, str | None]:
    """A defect's expected problem, with the line of the row it is on in the files written."""
    check, severity, template, name, row, code = EXPECTED[defect]
    lines = (folder / "reports" / name).read_text(encoding="utf-8").splitlines()
    if isinstance(row, tuple):  # the first line holding all these cells
        line = next(i for i, text in enumerate(lines, 1) if set(row) <= set(text.split(",")))
    else:
        line = row if row > 0 else len(lines) + 1 + row
    return (check, severity, template, name, line, code)


def where(p: Problem) -> tuple[str | None, str, str | None, str, int, str | None]:
    return (p.check, p.severity, p.template, p.file.rsplit("/", 1)[-1], p.line, p.code)


def test_every_defect_at_once_is_found_each_where_it_is(tmp_path: Path) -> None:
    assert set(EXPECTED) == set(DEFECTS)
    folder = tmp_path / "package"
    write_bank_package(folder, DEFECTS)
    with pytest.raises(DoraPackageError, match=r"the register has 5 error\(s\)") as info:
        read_dora(folder)
    assert sorted(where(p) for p in info.value.problems) == sorted(
        expected(folder, defect) for defect in DEFECTS
    )
    lenient = read_dora(folder, skip_inconsistent=True)
    # the rows with errors are skipped, and the arrangements ARR-013 and ARR-040 with them
    # (their other rows say so); the rest is read, the filing indicator read past
    assert len(lenient.contracts) == 148 and not {"ARR-013", "ARR-040"} & set(lenient.contracts)
    checks = {p.check for p in lenient.warnings if p.check is not None}
    assert checks == {EXPECTED[defect][0] for defect in DEFECTS} | {"reference", "arrangement-rows"}


@pytest.mark.parametrize("defect", sorted(DEFECTS))
def test_each_defect_alone(tmp_path: Path, defect: str) -> None:
    folder = tmp_path / "package"
    write_bank_package(folder, [defect])
    try:
        problems = read_dora(folder).warnings
    except DoraPackageError as exc:
        problems = exc.problems
    assert [where(p) for p in problems if p.check is not None] == [expected(folder, defect)]


def test_problems_name_the_provider_and_the_function_beside_their_codes(tmp_path: Path) -> None:
    """A problem of a B_05.01 or B_06.01 row names the provider or function, not only its code:
    a risk manager finds 'Paysphere Europe S.A.' faster than 52999NC128L93FAMKL66."""
    folder = tmp_path / "package"
    write_bank_package(folder, ["bad-check-digits", "criticality-label"])
    with pytest.raises(DoraPackageError, match=r"the register has 1 error\(s\)") as info:
        read_dora(folder)
    by_check = {p.check: p.message for p in info.value.problems}
    assert (
        "c0050 (criticality or importance assessment) of function 'F04' (Card processing): "
        in (by_check["criticality-code"])
    )
    assert (
        "service provider) of provider 'Paysphere Europe S.A.': not a valid LEI"
        in (by_check["lei"])
    )


@pytest.mark.parametrize(
    ("lang", "provider", "subcontractor"),
    [("en", "with provider", "with subcontractor"), ("nl", "met leverancier", "met onderaannemer")],
)
def test_problems_of_other_templates_name_the_provider_beside_its_lei(
    tmp_path: Path, lang: str, provider: str, subcontractor: str
) -> None:
    """A provider's LEI in B_02.02, B_05.02 or B_07.01 is named there too, in either language:
    the row (``... with provider 'Zahlungswerk Zürich AG (52994P9MM0UNC2JDFB75)'``), the LEIs of
    a repeated key, the provider an arrangement is with; the value and key fields stay codes."""
    folder = tmp_path / "package"
    made = write_bank_package(
        folder, ["end-before-start", "rank-gap", "exit-plan-label", "duplicate-row"]
    )
    names = {p.lei: p.name for p in made.providers.values()}
    with pytest.raises(DoraPackageError, match=r"the register has 1 error\(s\)") as info:
        read_dora(folder)
    lines = {p.check: problem_line(p, Words(lang)) for p in info.value.problems}
    problems = {p.check: p for p in info.value.problems}
    named = re.compile(r"(?:'| / )([^'/()]+) \((5299[0-9A-Z]{16})\)")

    def leis(line: str) -> list[str]:
        found = named.findall(line)
        assert found and all(names[lei] == name for name, lei in found)
        return [lei for _, lei in found]

    assert f"{provider} '" in lines["date-order"] and leis(lines["date-order"])
    assert f"{provider} '" in lines["code-list"] and leis(lines["code-list"])
    assert f"{subcontractor} '" in lines["rank-gap"] and len(leis(lines["rank-gap"])) == 2
    assert leis(lines["duplicate-key"])  # the provider of the repeated key, named
    assert problems["rank-gap"].value in leis(lines["rank-gap"])  # the value stays the code
    assert "(" not in (problems["duplicate-key"].key or "")
