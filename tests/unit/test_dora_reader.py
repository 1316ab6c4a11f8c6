"""The DORA reader on real packages: the hand-made consistent one (folder and zip), edited copies
of it, and the EBA's sample. What lands in the Register, the overlay, and the inconsistency policy."""

from __future__ import annotations

import re
from dataclasses import asdict, replace
from datetime import date
from pathlib import Path

import pytest

from sourcing_graph.errors import Problem, RegisterError
from sourcing_graph.loaders import read_any
from sourcing_graph.loaders.dora import DoraPackageError, is_dora_package, read_dora
from sourcing_graph.loaders.dora.codes import readable
from sourcing_graph.model import Register, Subcontracting
from tests.support import ROOT
from tests.support.dora import (
    EBA_SAMPLE,
    OVERLAY,
    PACKAGE,
    add_rows,
    copy_package,
    replace_in,
    zip_package,
)


def check_invariant(reg: Register) -> None:
    """Every link's contract is a contract, every supplier/recipient an organisation."""
    for link in reg.subcontracting:
        assert link.contract in reg.contracts
        assert link.supplier in reg.organisations
        assert link.recipient is None or link.recipient in reg.organisations
    for c in reg.contracts.values():
        assert c.supplier in reg.organisations and c.lot in reg.lots
        assert c.functions <= set(reg.functions)


@pytest.fixture(params=["folder", "zip"])
def package(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    if request.param == "folder":
        return PACKAGE
    return zip_package(PACKAGE, tmp_path / "roi.zip")


def test_detection(tmp_path: Path) -> None:
    zipped = zip_package(PACKAGE, tmp_path / "roi.zip")
    flat = zip_package(PACKAGE, tmp_path / "flat.zip", top="")
    assert is_dora_package(PACKAGE) and is_dora_package(zipped) and is_dora_package(flat)
    assert is_dora_package(EBA_SAMPLE)
    assert is_dora_package(PACKAGE.parent)  # the package one folder down
    assert not is_dora_package(ROOT / "examples" / "acme-retail")
    assert not is_dora_package(tmp_path / "missing.zip")


def test_providers_functions_and_parents(package: Path) -> None:
    reg = read_dora(package)
    orgs = reg.organisations
    assert set(orgs) == {
        "own-it",
        "LEI-NOVACLOUD-EU",
        "LEI-NOVACLOUD-US",
        "LEI-CORESYS",
        "LEI-NETLINE",
        "LEI-SECUROPS",
        "LEI-DATAVAULT",
        "LEI-GROUPIT",
        "LEI-NOVA-GROUP",
        "LEI-FIBRELINK",
    }
    assert orgs["LEI-NOVACLOUD-EU"].name == "Nova Cloud Europe B.V."
    assert orgs["LEI-NOVACLOUD-EU"].parent == orgs["LEI-NOVACLOUD-US"].parent == "LEI-NOVA-GROUP"
    assert orgs["LEI-CORESYS"].parent is None
    assert orgs["LEI-SECUROPS"].parent == "LEI-SECUROPS"
    # internal: its code is an entity of the group (B_01.02)
    assert [o for o in orgs if orgs[o].internal] == ["own-it", "LEI-GROUPIT"]
    assert orgs["LEI-NETLINE"].extra["headquarters_country"] == "FR"
    assert orgs["LEI-NETLINE"].extra["headquarters_country_code"] == "eba_GA:FR"
    assert orgs["LEI-NETLINE"].extra["code_type"] == "LEI"
    fns = reg.functions
    assert sorted(f for f in fns if fns[f].critical) == ["F01", "F02", "F03"]
    assert fns["F03"].name == "Customer onboarding (KYC)"
    assert fns["F05"].extra["criticality"] == "Assessment not performed"
    assert fns["F05"].extra["criticality_code"] == "eba_BT:x21"
    assert not any(f.retained for f in fns.values())


def test_contracts_merge_their_b_02_02_rows(package: Path) -> None:
    reg = read_dora(package)
    c = reg.contracts
    assert list(c) == [f"CTR-0{i}" for i in range(1, 9)]
    assert all(x.mode is None and not x.clauses for x in c.values())
    three = c["CTR-03"]  # two rows: service types S13 and S14
    assert (three.supplier, three.lot, three.functions) == (
        "LEI-CORESYS",
        "eba_TA:S13",
        frozenset({"F02"}),
    )
    assert (three.start_date, three.end_date) == (date(2019, 1, 1), date(2028, 12, 31))
    assert three.annual_value == 300000.0
    assert three.extra["ict_service_type"] == (
        "Software licencing (excluding SaaS) | ICT operation management (including maintenance)"
    )
    assert three.extra["ict_service_type_code"] == "eba_TA:S13 | eba_TA:S14"
    assert three.extra["reliance_level"] == "Full reliance | Material reliance"
    assert (
        three.extra["currency"] == "EUR"
        and three.extra["arrangement_type"] == "Standalone arrangement"
    )
    # B_07.01 assessment
    assert three.extra["substitutability"] == "Highly complex substitutability"
    assert three.extra["substitutability_code"] == "eba_ZZ:x960"
    assert three.extra["exit_plan"] == "No" and three.extra["last_audit_date"] == "2025-01-20"
    assert c["CTR-02"].functions == frozenset({"F02", "F06"})
    assert c["CTR-01"].end_date is None  # 9999-12-31: no end date
    assert c["CTR-06"].extra["overarching_arrangement"] == "CTR-01"
    assert "substitutability" not in c["CTR-04"].extra  # no B_07.01 row
    # lots: one stand-in per ICT service type in use, named in words
    assert sorted(reg.lots) == sorted(
        [
            "eba_TA:S19",
            "eba_TA:S17",
            "eba_TA:S13",
            "eba_TA:S10",
            "eba_TA:S04",
            "eba_TA:S06",
            "eba_TA:S14",
            "eba_TA:S02",
        ]
    )
    assert reg.lots["eba_TA:S19"].name == "Cloud services: SaaS"
    assert reg.lots["eba_TA:S19"].prime_contractor == "own-it"
    check_invariant(reg)


def test_supply_chains(package: Path) -> None:
    reg = read_dora(package)
    assert reg.subcontracting == {
        Subcontracting("CTR-01", "LEI-NOVACLOUD-EU", 1, None, "eba_TA:S19"),
        Subcontracting("CTR-01", "LEI-NOVACLOUD-US", 2, "LEI-NOVACLOUD-EU", "eba_TA:S19"),
        Subcontracting("CTR-01", "LEI-DATAVAULT", 3, "LEI-NOVACLOUD-US", "eba_TA:S19"),
        Subcontracting("CTR-01", "LEI-FIBRELINK", 4, "LEI-DATAVAULT", "eba_TA:S19"),
        Subcontracting("CTR-03", "LEI-CORESYS", 1, None, "eba_TA:S13"),
        Subcontracting("CTR-04", "LEI-NETLINE", 1, None, "eba_TA:S10"),
        Subcontracting("CTR-04", "LEI-SECUROPS", 2, "LEI-NETLINE", "eba_TA:S10"),
        Subcontracting("CTR-04", "LEI-FIBRELINK", 3, "LEI-SECUROPS", "eba_TA:S10"),
    }
    [warning] = [w for w in reg.warnings if w.check is None]
    assert "8 of 8 contracts have no collaboration mode" in warning.message


def test_folder_and_zip_read_the_same(tmp_path: Path) -> None:
    folder = read_dora(PACKAGE, overlay=OVERLAY)
    zipped = read_dora(zip_package(PACKAGE, tmp_path / "roi.zip"), overlay=OVERLAY)
    assert len(folder.warnings) == len(zipped.warnings)
    for reg in (folder, zipped):
        reg.source = ""
        reg.warnings = []
        # sources name the file as in the package: a zip member's path has its folders
        for table in (reg.organisations, reg.lots, reg.functions, reg.contracts):
            for entity in table.values():
                entity.source = entity.source and entity.source.rsplit("/", 1)[-1]
        reg.subcontracting = {
            replace(link, source=link.source and link.source.rsplit("/", 1)[-1])
            for link in reg.subcontracting
        }
    assert zipped.contracts["CTR-01"].source == "b_02.01.csv:2"
    assert asdict(folder) == asdict(zipped)


def test_overlay_adds_modes_clauses_lots_and_dependencies() -> None:
    reg = read_any(PACKAGE, overlay=OVERLAY)
    c = reg.contracts
    assert (c["CTR-01"].mode, c["CTR-01"].clauses, c["CTR-01"].lot) == (
        "trust",
        frozenset({"penalty", "sla"}),
        "PAY",
    )
    assert (c["CTR-04"].mode, c["CTR-04"].clauses) == ("distrust", frozenset({"penalty"}))
    assert c["CTR-03"].clauses == frozenset({"open_book", "joint_evaluation"})
    assert c["CTR-02"].mode == "reliability" and c["CTR-02"].lot == "eba_TA:S17"
    assert c["CTR-06"].mode is None and c["CTR-07"].mode is None
    # stand-ins no contract uses any more are gone; the overlay's lots are there
    assert sorted(reg.lots) == [
        "CORE",
        "PAY",
        "eba_TA:S04",
        "eba_TA:S06",
        "eba_TA:S14",
        "eba_TA:S17",
    ]
    assert (reg.lots["PAY"].complexity, reg.lots["CORE"].dynamics) == ("high", "high")
    assert reg.dependencies == {("PAY", "CORE"), ("PAY", "eba_TA:S04"), ("CORE", "eba_TA:S17")}
    assert [w.message for w in reg.warnings][-1].startswith(
        "2 of 8 contracts have no collaboration mode"
    )
    check_invariant(reg)


def test_overlay_as_one_csv_file(tmp_path: Path) -> None:
    overlay = tmp_path / "modes.csv"
    overlay.write_text("reference,mode,clauses\nCTR-05,Vertrouwen,open-book\n", encoding="utf-8")
    reg = read_dora(PACKAGE, overlay=overlay)
    assert (reg.contracts["CTR-05"].mode, reg.contracts["CTR-05"].clauses) == (
        "trust",
        frozenset({"open_book"}),
    )
    assert reg.contracts["CTR-05"].lot == "eba_TA:S04"


@pytest.mark.parametrize(
    ("text", "line", "column", "value", "fragment"),
    [
        ("contract_id,mode\nCTR-01,trust\nCTR-02,partnership\n", 3, 2, "partnership", "a mode: "),
        ("contract_id,clauses\nCTR-01,boete|malus\n", 2, 2, "malus", "clause types"),
        ("contract_id,mode\nCTR-99,trust\n", 2, 1, "CTR-99", "unknown contract 'CTR-99'"),
        (
            "contract_id,mode\nCTR-01,trust\nCTR-01,distrust\n",
            3,
            1,
            "CTR-01",
            "duplicate contract_id",
        ),
        ("mode\ntrust\n", 1, 1, None, "missing required column contract_id"),
    ],
)
def test_bad_overlay_names_file_line_column_value(
    tmp_path: Path, text: str, line: int, column: int, value: str | None, fragment: str
) -> None:
    overlay = tmp_path / "overlay.csv"
    overlay.write_text(text, encoding="utf-8")
    with pytest.raises(RegisterError, match=re.escape(fragment)) as info:
        read_dora(PACKAGE, overlay=overlay)
    [problem] = info.value.problems
    assert (problem.file, problem.line, problem.column, problem.value) == (
        str(overlay),
        line,
        column,
        value,
    )
    assert fragment in problem.message or fragment in (problem.expected or "")


def test_overlay_lot_must_be_known_when_lots_are_given(tmp_path: Path) -> None:
    overlay = Path(tmp_path / "ov")
    overlay.mkdir()
    (overlay / "lots.csv").write_text("lot_id,complexity\nPAY,high\n", encoding="utf-8")
    (overlay / "contracts.csv").write_text("contract_id,lot\nCTR-01,PAYMENTS\n", encoding="utf-8")
    (overlay / "dependencies.csv").write_text("lot,depends_on\nPAY,eba_TA:S99\n", encoding="utf-8")
    with pytest.raises(RegisterError, match=r"unknown lot 'PAYMENTS': not in lots\.csv") as info:
        read_dora(PACKAGE, overlay=overlay)
    assert [
        (p.file.rsplit("/", 1)[-1], p.line, p.column, p.value) for p in info.value.problems
    ] == [
        ("contracts.csv", 2, 2, "PAYMENTS"),
        ("dependencies.csv", 2, 2, "eba_TA:S99"),
    ]


def test_an_overlay_needs_a_dora_package(tmp_path: Path) -> None:
    example = ROOT / "examples" / "acme-retail"
    with pytest.raises(RegisterError, match="an overlay applies to a DORA package only"):
        read_any(example, overlay=OVERLAY)


def test_unknown_codes_are_kept_without_words(tmp_path: Path) -> None:
    package = copy_package(tmp_path)
    replace_in(
        package,
        "b_02.02",
        "eba_ZZ:x795,eba_ZZ:x791,eba_BT:x29",
        "eba_ZZ:x9999,eba_ZZ:x791,eba_BT:x29",
    )
    reg = read_dora(package)
    extra = reg.contracts["CTR-04"].extra
    assert extra["reliance_level_code"] == "eba_ZZ:x9999" and "reliance_level" not in extra
    assert readable("eba_ZZ:x9999") is None and readable("eba_TA:S01") == "ICT project management"


def test_missing_optional_templates(tmp_path: Path) -> None:
    package = copy_package(tmp_path)
    for template in ("b_01.02", "b_02.01", "b_05.01", "b_05.02", "b_06.01", "b_07.01"):
        (package / "reports" / f"{template}.csv").unlink()
    reg = read_dora(package)
    assert len(reg.contracts) == 8 and reg.subcontracting == set()
    # references make their entities, with nothing known about them
    assert reg.organisations["LEI-CORESYS"].name is None
    assert reg.functions["F01"].critical is False
    assert reg.contracts["CTR-01"].annual_value is None
    check_invariant(reg)


def inconsistent_copy(tmp_path: Path) -> Path:
    """The hand-made package with one inconsistency of each kind added."""
    package = copy_package(tmp_path)
    # CTR-06's only B_02.02 row names a provider that B_05.01 does not list (column c0030 is the
    # 4th of that file's shuffled header)
    replace_in(package, "b_02.02", "CTR-06,F05,LEI-NOVACLOUD-EU", "CTR-06,F05,LEI-GHOST")
    add_rows(
        package,
        "b_02.02",
        "eba_TA:S02,CTR-08,F99,LEI-CORESYS,2026-12-31,2025-01-01,LEI-BANK-HOLDING,,,,",
    )
    add_rows(package, "b_05.01", "Again,LEI-NETLINE,,,,,,,")
    add_rows(package, "b_05.02", "CTR-77,eba_TA:S19,LEI-NETLINE,eba_qCO:qx2000,2,LEI-CORESYS,")
    add_rows(package, "b_05.02", "CTR-06,eba_TA:S06,LEI-NOVACLOUD-EU,eba_qCO:qx2000,1,,")
    add_rows(package, "b_07.01", "CTR-04,LEI-SECUROPS,eba_qCO:qx2000,eba_TA:S10,eba_ZZ:x962,,,,,,,")
    add_rows(package, "b_06.01", "F07,,Treasury,LEI-BANK-HOLDING,eba_BT:x29,,31-12-2025,,,")
    return package


EXPECTED_PROBLEMS = [
    # (template, line, column, column code, value)
    ("b_05.01", 11, 2, "c0010", "LEI-NETLINE"),
    ("b_06.01", 8, 7, "c0070", "31-12-2025"),
    ("b_02.02", 9, 4, "c0030", "LEI-GHOST"),
    ("b_02.02", 13, 3, "c0050", "F99"),
    ("b_02.01", 7, 1, "c0010", "CTR-06"),
    ("b_05.02", 10, 1, "c0010", "CTR-77"),
    ("b_05.02", 11, 1, "c0010", "CTR-06"),
    ("b_07.01", 7, 2, "c0020", "LEI-SECUROPS"),
]


def where(problem: Problem) -> tuple[str, int, int, str | None, str | None]:
    assert problem.template is not None and problem.file.endswith(f"{problem.template.lower()}.csv")
    return (problem.template.lower(), problem.line, problem.column, problem.code, problem.value)


def test_strict_rejects_every_inconsistency_with_its_place(tmp_path: Path) -> None:
    package = inconsistent_copy(tmp_path)
    with pytest.raises(
        DoraPackageError, match=r"'NetLine Telecom S\.A\. \(LEI-NETLINE\)' is listed twice"
    ) as info:
        read_dora(package, overlay=OVERLAY)
    problems = [p for p in info.value.problems if p.severity == "error"]
    # CTR-06 is inconsistent in B_02.02, so its rows in B_02.01 and B_05.02 are not reported again
    expected = [e for e in EXPECTED_PROBLEMS if e[:2] not in (("b_05.02", 11), ("b_02.01", 7))]
    assert [where(p) for p in problems] == expected
    ghost = problems[2]
    assert ghost.message == (
        "b_02.02 c0030 (identification code of the ICT third-party service provider) of "
        "arrangement 'CTR-06': 'LEI-GHOST' is not in B_05.01"
    )
    assert ghost.expected == "an identification code of B_05.01"
    assert (ghost.template, ghost.code, ghost.check, ghost.rule) == (
        "B_02.02",
        "c0030",
        "reference",
        None,
    )
    assert ghost.key == "CTR-06 / LEI-BANK-HOLDING / LEI-GHOST / F05 / eba_TA:S06"
    assert info.value.total == len(expected)


def test_lenient_skips_inconsistent_rows_and_reads_the_rest(tmp_path: Path) -> None:
    package = inconsistent_copy(tmp_path)
    reg = read_dora(package, overlay=OVERLAY, skip_inconsistent=True)
    warnings = [w for w in reg.warnings if "row skipped" in w.message]
    assert [where(w) for w in warnings] == EXPECTED_PROBLEMS
    assert all(w.severity == "warning" for w in warnings)
    # CTR-06 had one row, now skipped: the arrangement is gone, and its overlay row only warns
    assert "CTR-06" not in reg.contracts and len(reg.contracts) == 7
    assert any(
        "'CTR-06' was skipped" in w.message and w.file.endswith("contracts.csv")
        for w in reg.warnings
    )
    assert reg.contracts["CTR-08"].functions == frozenset({"F03", "F06"})  # F99 row skipped
    assert reg.organisations["LEI-NETLINE"].name == "NetLine Telecom S.A."  # the first row counts
    assert "F07" not in reg.functions
    assert "substitutability" not in reg.contracts["CTR-04"].extra
    assert len(reg.subcontracting) == 8
    check_invariant(reg)


def test_eba_sample_strict_is_rejected_with_every_dangling_reference() -> None:
    """The EBA's sample (random values): the 18 dangling references it always had, and what the
    checks of the supervisor add: entity LEIs not in B_01.02, an overarching arrangement that does
    not exist (errors), and identifiers typed as LEIs that are not LEIs (warnings)."""
    with pytest.raises(
        DoraPackageError, match=r"the register has 24 error\(s\)\n.*'ljexgeca' is not in B_01\.02"
    ) as info:
        read_dora(EBA_SAMPLE)
    problems = info.value.problems
    errors = [p for p in problems if p.severity == "error"]
    assert info.value.total == len(errors) == 24
    assert [(p.template, p.line, p.code, p.check) for p in errors] == [
        ("B_06.01", 2, "c0040", "entity-in-scope"),
        ("B_06.01", 3, "c0040", "entity-in-scope"),
        ("B_02.01", 2, "c0030", "overarching-arrangement"),
        ("B_02.01", 3, "c0030", "overarching-arrangement"),
        *(
            ("B_02.02", line, code, "entity-in-scope" if code == "c0020" else "reference")
            for line in (2, 3)
            for code in ("c0010", "c0020", "c0030", "c0050")
        ),
        ("B_02.01", 2, "c0010", "arrangement-rows"),
        ("B_02.01", 3, "c0010", "arrangement-rows"),
        *(
            ("B_05.02", line, code, "reference")
            for line in (2, 3)
            for code in ("c0010", "c0030", "c0060")
        ),
        *(("B_07.01", line, code, "reference") for line in (2, 3) for code in ("c0010", "c0020")),
    ]
    provider = errors[6]
    assert provider.file.endswith("reports/b_02.02.csv") and "!" in provider.file
    assert (provider.column, provider.value) == (3, "mzwypstd")
    # every identifier typed as an LEI is 8 random letters: one warning for each distinct one
    warnings = [p for p in problems if p.severity == "warning"]
    assert {p.check for p in warnings} == {"lei"} and len(warnings) == 20
    assert len({p.value for p in warnings}) == 20


def test_eba_sample_lenient_has_nothing_left() -> None:
    with pytest.raises(
        DoraPackageError,
        match=r"no contractual arrangement is left to read after skipping 10 inconsistent row",
    ) as info:
        read_dora(EBA_SAMPLE, skip_inconsistent=True)
    errors = [p for p in info.value.problems if p.severity == "error"]
    skipped = [p for p in info.value.problems if p.message.endswith("row skipped")]
    assert [e.message for e in errors] == [
        "no contractual arrangement is left to read after skipping 10 inconsistent row(s)"
    ]
    assert len(skipped) == 22 and info.value.total == 1
    assert len({(p.file, p.line) for p in skipped}) == 10


def test_structural_errors_are_errors_even_when_lenient(tmp_path: Path) -> None:
    package = copy_package(tmp_path)
    replace_in(package, "b_05.02", "c0010,c0020,c0030,c0040,c0050", "c0010,c0020,c0030,c0040,c0051")
    (package / "reports" / "b_02.02.csv").unlink()
    with pytest.raises(
        DoraPackageError, match=r"no template B_02\.02 .* in the DORA package"
    ) as info:
        read_dora(package, skip_inconsistent=True)
    assert [(p.file.rsplit("/", 1)[-1], p.message) for p in info.value.problems] == [
        (
            package.name,
            "no template B_02.02 (contractual arrangements - specific information) in the DORA package",
        ),
        ("b_05.02.csv", "missing column b_05.02 c0050 (rank)"),
    ]


def test_a_long_report_is_capped_and_counted(tmp_path: Path) -> None:
    package = copy_package(tmp_path)
    add_rows(
        package,
        "b_02.02",
        *(f"eba_TA:S01,CTR-01,F01,LEI-NOBODY-{i},,,,,,," for i in range(150)),
    )
    with pytest.raises(
        DoraPackageError, match=r"has 100 error\(s\) \(and more, not all shown\)"
    ) as info:
        read_dora(package)
    assert info.value.total == 150 and len(info.value.problems) == 100 and info.value.truncated


def test_an_over_long_line_is_named_by_its_own_line(tmp_path: Path) -> None:
    """The line over the limit is reported where it is (here line 4), not as line 1."""
    from sourcing_graph.loaders.limits import Limits

    package = copy_package(tmp_path)
    add_rows(package, "b_05.01", "x" * 500)
    lines = (package / "reports" / "b_05.01.csv").read_text().splitlines()
    long_line = next(i for i, text in enumerate(lines, 1) if text.startswith("xxxx"))
    assert long_line > 2
    with pytest.raises(
        DoraPackageError, match=r"b_05\.01\.csv:\d+:1: error: a line longer than 400 characters"
    ) as info:
        read_dora(package, limits=Limits(max_field_chars=100))
    found = [p for p in info.value.problems if "a line longer than" in p.message]
    assert [(p.file.rsplit("/", 1)[-1], p.line) for p in found] == [("b_05.01.csv", long_line)]


def test_an_over_long_cell_is_named_by_line_and_column(tmp_path: Path) -> None:
    from sourcing_graph.loaders.limits import Limits

    package = copy_package(tmp_path)
    text = (package / "reports" / "b_05.01.csv").read_text()
    header = text.splitlines()[0].split(",")
    row = ["x"] * len(header)
    row[2] = '"' + "long, cell\n" * 20 + '"'  # over 100 characters, across lines
    add_rows(package, "b_05.01", ",".join(row))
    record = len(text.splitlines()) + 1  # add_rows appends after the last line
    with pytest.raises(
        DoraPackageError, match=r"b_05\.01\.csv:\d+:3: error: a cell longer than 100 characters"
    ) as info:
        read_dora(package, limits=Limits(max_field_chars=100))
    found = [p for p in info.value.problems if "a cell longer than 100" in p.message]
    assert [(p.file.rsplit("/", 1)[-1], p.line, p.column) for p in found] == [
        ("b_05.01.csv", record, 3)
    ]
