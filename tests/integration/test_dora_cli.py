"""DORA packages through the real CLI: the EBA sample under both policies (a clear report, exit 1,
no traceback, Neo4j unchanged), and the hand-made package with its overlay giving the hand-checked
result on both engines."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from sourcing_graph.loaders.csv_reader import read_register
from tests.support import DATA, ROOT, codes_only
from tests.support.cli import cli, neo4j_env, no_neo4j_env
from tests.support.dora import EBA_SAMPLE, OVERLAY, PACKAGE, copy_package, replace_in, zip_package
from tests.support.dora_bank_files import write_bank_package
from tests.support.server import snapshot

EXPECTED = json.loads((DATA / "expected" / "dora-bank-roi.json").read_text("utf-8"))
AS_OF = ("--as-of", "2026-06-01")
"""The reference date of the hand-checked result."""


@pytest.fixture(scope="module")
def zipped(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return zip_package(PACKAGE, tmp_path_factory.mktemp("dora") / "roi.zip")


def test_eba_sample_strict_report() -> None:
    result = cli("validate", str(EBA_SAMPLE), env=no_neo4j_env())
    assert result.returncode == 1 and "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert sum(": error: " in line for line in lines) == 24
    assert (
        sum(": warning: " in line and "not in the form of an LEI" in line for line in lines) == 20
    )
    assert any(
        line.endswith(
            "reports/b_02.02.csv:2:3: error: b_02.02 c0030 (identification code of the ICT "
            "third-party service provider) of arrangement 'tyivioyi': 'mzwypstd' is not in "
            "B_05.01 (read 'mzwypstd'; expected an identification code of B_05.01)"
        )
        for line in lines
    )
    assert lines[-1] == "error: the register has 24 error(s); nothing was loaded"
    as_json = cli("validate", str(EBA_SAMPLE), "--format", "json", env=no_neo4j_env())
    report = json.loads(as_json.stdout)
    errors = [e for e in report["errors"] if e["severity"] == "error"]
    assert report["valid"] is False and len(errors) == 24
    assert {e["file"].rsplit("/", 1)[-1] for e in errors} == {
        "b_02.01.csv",
        "b_02.02.csv",
        "b_05.02.csv",
        "b_06.01.csv",
        "b_07.01.csv",
    }


def test_eba_sample_lenient_report() -> None:
    result = cli(
        "analyze", str(EBA_SAMPLE), "--dora-skip-inconsistent", "--engine", "embedded",
        env=no_neo4j_env(),
    )  # fmt: skip
    assert result.returncode == 1 and "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert sum(": warning: " in line and "row skipped" in line for line in lines) == 22
    assert any(
        "error: no contractual arrangement is left to read after skipping 10 inconsistent row(s)"
        in line
        for line in lines
    )
    assert lines[-1] == "error: the register has 1 error(s); nothing was loaded"


@pytest.mark.neo4j
@pytest.mark.parametrize("lenient", [False, True], ids=["strict", "lenient"])
def test_eba_sample_leaves_neo4j_unchanged(neo4j_store, lenient: bool) -> None:  # type: ignore[no-untyped-def]
    neo4j_store.load_register(read_register(ROOT / "examples" / "acme-retail"))
    before = snapshot(neo4j_store)
    extra = ["--dora-skip-inconsistent"] if lenient else []
    result = cli("load", str(EBA_SAMPLE), *extra, env=neo4j_env(neo4j_store))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "nothing was loaded" in result.stderr
    assert snapshot(neo4j_store) == before


@pytest.mark.parametrize("form", ["folder", "zip"])
def test_hand_checked_result_embedded(form: str, zipped: Path) -> None:
    package = PACKAGE if form == "folder" else zipped
    result = cli(
        "analyze", str(package), "--overlay", str(OVERLAY), "--engine", "embedded",
        "--format", "json", *AS_OF, env=no_neo4j_env(),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert codes_only(json.loads(result.stdout)) == EXPECTED


@pytest.mark.neo4j
def test_hand_checked_result_on_neo4j(neo4j_store, zipped: Path) -> None:  # type: ignore[no-untyped-def]
    env = neo4j_env(neo4j_store)
    loaded = cli("load", str(zipped), "--overlay", str(OVERLAY), env=env)
    assert loaded.returncode == 0, loaded.stderr
    assert "loaded" in loaded.stdout and "8 contracts, 6 lots" in loaded.stdout
    result = cli(
        "analyze", str(zipped), "--loaded", "--engine", "neo4j", "--format", "json", *AS_OF, env=env
    )
    assert result.returncode == 0, result.stderr
    assert codes_only(json.loads(result.stdout)) == EXPECTED
    parents = neo4j_store.read(
        "MATCH (o:Organisation) WHERE o.parent IS NOT NULL RETURN o.id AS id, o.parent AS parent "
        "ORDER BY id"
    )
    assert parents[0] == {"id": "LEI-GROUPIT", "parent": "LEI-BANK-HOLDING"}
    again = cli(
        "analyze", str(PACKAGE), "--overlay", str(OVERLAY), "--engine", "neo4j", "--replace",
        "--format", "json", *AS_OF, env=env,
    )  # fmt: skip
    assert codes_only(json.loads(again.stdout)) == EXPECTED


@pytest.mark.neo4j
def test_lenient_load_reads_what_is_consistent(neo4j_store, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    package = copy_package(tmp_path)
    replace_in(package, "b_02.02", "CTR-06,F05,LEI-NOVACLOUD-EU", "CTR-06,F05,LEI-GHOST")
    env = neo4j_env(neo4j_store)
    strict = cli("load", str(package), env=env)
    assert strict.returncode == 1 and "'LEI-GHOST' is not in B_05.01" in strict.stderr
    lenient = cli("load", str(package), "--dora-skip-inconsistent", env=env)
    assert lenient.returncode == 0, lenient.stderr
    assert "'LEI-GHOST' is not in B_05.01; row skipped" in lenient.stderr
    assert "7 contracts" in lenient.stdout
    ids = neo4j_store.read("MATCH (c:Contract) RETURN c.id AS id ORDER BY id")
    assert [r["id"] for r in ids] == [
        "CTR-01",
        "CTR-02",
        "CTR-03",
        "CTR-04",
        "CTR-05",
        "CTR-07",
        "CTR-08",
    ]


def test_view_report_and_export_accept_a_package(zipped: Path, tmp_path: Path) -> None:
    env = no_neo4j_env()
    view = cli(
        "view", str(zipped), "--overlay", str(OVERLAY), "-o", str(tmp_path / "v.html"), env=env
    )
    assert view.returncode == 0, view.stderr
    assert (tmp_path / "v.html").stat().st_size > 10_000
    report = cli("report", str(PACKAGE), "-o", str(tmp_path / "r.html"), env=env)
    assert report.returncode == 0, report.stderr
    export = cli("export", str(zipped), "--overlay", str(OVERLAY), "--format", "nt", env=env)
    assert export.returncode == 0, export.stderr
    assert "LEI-NOVACLOUD-EU" in export.stdout


def test_rdf_export_of_a_package_analyses_the_same(tmp_path: Path) -> None:
    env = no_neo4j_env()
    ttl = tmp_path / "roi.ttl"
    export = cli("export", str(PACKAGE), "--overlay", str(OVERLAY), "-o", str(ttl), env=env)
    assert export.returncode == 0, export.stderr
    result = cli("analyze", str(ttl), "--engine", "embedded", "--format", "json", *AS_OF, env=env)
    assert codes_only(json.loads(result.stdout)) == EXPECTED


def test_validate_json_gives_template_key_column_and_message_apart(tmp_path: Path) -> None:
    """validate --format json on the realistic bank with two defects: an error (the package is
    rejected) and a warning, each with its template, row key, column code, check, message, value,
    expectation and rule as separate fields."""
    folder = tmp_path / "bank"
    write_bank_package(folder, ["criticality-label", "end-before-start"])
    result = cli("validate", str(folder), "--format", "json", env=no_neo4j_env())
    assert result.returncode == 1 and "Traceback" not in result.stderr
    report = json.loads(result.stdout)
    assert report["valid"] is False
    # the errors and the warnings found with them apart, each with its severity
    assert [(e["check"], e["severity"]) for e in report["errors"]] == [
        ("criticality-code", "error")
    ]
    assert [(w["check"], w["severity"]) for w in report["warnings"]] == [("date-order", "warning")]
    [error], [warning] = report["errors"], report["warnings"]
    assert {
        k: error[k] for k in ("severity", "template", "key", "column_code", "value", "rule")
    } == {
        "severity": "error",
        "template": "B_06.01",
        "key": "F04",
        "column_code": "c0050",
        "value": "Yes",
        "rule": None,
    }
    assert error["message"].startswith("b_06.01 c0050 (criticality or importance assessment)")
    assert error["expected"] == "eba_BT:x28" and error["file"].endswith("reports/b_06.01.csv")
    assert (warning["severity"], warning["template"], warning["column_code"], warning["rule"]) == (
        "warning",
        "B_02.02",
        "c0080",
        "v8816_m",
    )
    assert warning["key"].startswith("ARR-012 / ") and warning["value"] == "2010-12-31"
    # a valid package: its warnings have the same fields
    clean = tmp_path / "clean"
    write_bank_package(clean, ["end-before-start"])
    valid = json.loads(cli("validate", str(clean), "--format", "json", env=no_neo4j_env()).stdout)
    assert valid["valid"] is True
    [found] = [w for w in valid["warnings"] if w["check"] == "date-order"]
    assert (found["template"], found["column_code"], found["rule"]) == (
        "B_02.02",
        "c0080",
        "v8816_m",
    )


def test_analyze_takes_a_supplier_by_name() -> None:
    """``--supplier`` takes a provider's name as well as its code; both give the same rows, and
    the tables show the name beside the code."""
    by_name = cli(
        "analyze", str(PACKAGE), "--engine", "embedded", "--format", "json",
        "--supplier", "CoreSys Banking Software GmbH", env=no_neo4j_env(),
    )  # fmt: skip
    by_code = cli(
        "analyze", str(PACKAGE), "--engine", "embedded", "--format", "json",
        "--supplier", "LEI-CORESYS", env=no_neo4j_env(),
    )  # fmt: skip
    assert by_name.returncode == 0, by_name.stderr
    assert json.loads(by_name.stdout) == json.loads(by_code.stdout)
    rows = json.loads(by_name.stdout)
    assert [r["contract"] for r in rows["exit_risks"]] == ["CTR-08", "CTR-03"]
    table = cli(
        "analyze", str(PACKAGE), "--engine", "embedded",
        "--supplier", "coresys banking software gmbh", env=no_neo4j_env(),
    )  # fmt: skip
    assert "CoreSys Banking Software GmbH (LEI-CORESYS)" in table.stdout
    assert "no suppliers" not in table.stdout


def test_json_and_csv_give_names_beside_codes(tmp_path: Path) -> None:
    """On the realistic bank, JSON and CSV give each provider's and function's name beside its
    code (``supplier_name`` after ``supplier``, ``providers_names`` aligned with ``providers``);
    a parent outside the register has none (null, an empty cell)."""
    folder = tmp_path / "bank"
    bank = write_bank_package(folder)
    fibre = bank.by_name("FibreLink Backbone SE").lei
    args = ("analyze", str(folder), "--engine", "embedded", "-q", *AS_OF)
    rows = json.loads(cli(*args, "--format", "json", env=no_neo4j_env()).stdout)
    top = rows["indirect_concentration"][0]
    assert list(top)[:2] == ["organisation", "organisation_name"]
    assert (top["organisation"], top["organisation_name"]) == (fibre, "FibreLink Backbone SE")
    assert top["critical_functions_names"][:2] == ["Payments processing", "Core banking ledger"]
    for row in rows["exit_risks"]:
        assert row["supplier_name"] == bank.providers[row["supplier"]].name
        assert row["function_name"] == bank.functions[row["function"]][0]
    named = {
        group: name
        for r in rows["shared_subcontractors"]
        for group, name in zip(r["groups"], r["groups_names"], strict=True)
    }
    outside = bank.by_name("Paysphere Europe S.A.").parent  # Paysphere Holdings Ltd: no row
    assert outside not in bank.providers and outside in named and named[outside] is None
    assert named[bank.by_name("Stratus Cloud Inc.").lei] == "Stratus Cloud Inc."
    table = list(
        csv.DictReader(io.StringIO(cli(*args, "--format", "csv", env=no_neo4j_env()).stdout))
    )
    header = list(table[0])
    assert header[header.index("supplier") + 1] == "supplier_name"
    d5 = [r for r in table if r["analysis"] == "exit_risks"]
    assert [r["supplier_name"] for r in d5] == [r["supplier_name"] for r in rows["exit_risks"]]
    d3 = next(r for r in table if r["analysis"] == "indirect_concentration")
    assert d3["organisation_name"] == "FibreLink Backbone SE"
    assert d3["critical_functions_names"].startswith("Payments processing|Core banking ledger|")


@pytest.mark.neo4j
def test_loaded_register_gives_names_and_takes_a_supplier_by_name(
    neo4j_store, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    """``analyze --loaded`` reads no register file: the names beside codes and a ``--supplier``
    given by name come from the register in Neo4j, as the embedded engine has them."""
    folder = tmp_path / "bank"
    write_bank_package(folder)
    env = neo4j_env(neo4j_store)
    assert cli("load", str(folder), "-q", *AS_OF, env=env).returncode == 0
    name = ("--supplier", "CoreSys Banking Software GmbH")
    loaded = cli(
        "analyze", str(folder), "--loaded", "-q", "--format", "json", *name, *AS_OF, env=env
    )
    embedded = cli(
        "analyze", str(folder), "--engine", "embedded", "-q", "--format", "json", *name, *AS_OF,
        env=no_neo4j_env(),
    )  # fmt: skip
    assert loaded.returncode == 0, loaded.stderr
    assert loaded.stdout == embedded.stdout
    rows = json.loads(loaded.stdout)
    assert [r["supplier_name"] for r in rows["exit_risks"]] == ["CoreSys Banking Software GmbH"]
    table = cli("analyze", str(folder), "--loaded", "-q", *name, *AS_OF, env=env)
    assert "CoreSys Banking Software GmbH (5299" in table.stdout
    assert "F02 Core banking ledger" in table.stdout
    unknown = cli("analyze", str(folder), "--loaded", "-q", "--supplier", "Nobody", env=env)
    assert unknown.returncode == 1 and "unknown supplier 'Nobody'" in unknown.stderr


@pytest.mark.neo4j
def test_loaded_package_without_overlay_leads_with_d1_to_d5(neo4j_store) -> None:  # type: ignore[no-untyped-def]
    """``analyze --loaded`` of a package loaded without an overlay: Neo4j says no contract has a
    mode, so the table and Markdown lead with D1-D5 and leave the mode rules out, as the embedded
    engine's do (the checks are the register file's: not read with --loaded); with an overlay
    loaded, R4 is listed again."""
    env = neo4j_env(neo4j_store)
    assert cli("load", str(PACKAGE), "-q", *AS_OF, env=env).returncode == 0
    note = "This DORA package records no collaboration modes"
    for fmt in ("table", "markdown"):
        loaded = cli("analyze", str(PACKAGE), "--loaded", "-q", "--format", fmt, *AS_OF, env=env)
        embedded = cli(
            "analyze", str(PACKAGE), "--engine", "embedded", "-q", "--format", fmt, *AS_OF,
            env=no_neo4j_env(),
        )  # fmt: skip
        assert loaded.returncode == 0, loaded.stderr
        assert loaded.stdout.startswith("DORA · D1 ") and loaded.stdout.count(note) == 1
        assert "supervisor's checks" not in loaded.stdout.split("\n", 1)[0]
        assert loaded.stdout.split(note, 1)[1] == embedded.stdout.split(note, 1)[1]
        assert "Critical functions without a trust basis" not in loaded.stdout
    again = cli("load", str(PACKAGE), "--overlay", str(OVERLAY), "-q", *AS_OF, env=env)
    assert again.returncode == 0, again.stderr
    table = cli("analyze", str(PACKAGE), "--loaded", "-q", *AS_OF, env=env)
    assert note not in table.stdout and "Critical functions without a trust basis" in table.stdout


@pytest.mark.neo4j
def test_named_query_takes_an_organisation_by_name(neo4j_store) -> None:  # type: ignore[no-untyped-def]
    """A named query's parameter of type organisation (supplier, primeContractor) takes the
    name as well as the id: the CLI turns the name into the id from the register in Neo4j;
    an id stays itself, an unknown text names nothing, ad-hoc Cypher's ``$supplier`` is as given."""
    env = neo4j_env(neo4j_store)
    loaded = cli("load", str(PACKAGE), "--overlay", str(OVERLAY), "-q", *AS_OF, env=env)
    assert loaded.returncode == 0, loaded.stderr

    def rows(*args: str) -> list[dict[str, object]]:
        done = cli("query", *args, "--format", "json", env=env)
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)  # type: ignore[no-any-return]

    by_id = rows("concentration", "-p", "supplier=LEI-CORESYS")
    assert [r["supplier"] for r in by_id] == ["LEI-CORESYS"]
    assert rows("concentration", "-p", "supplier=CoreSys Banking Software GmbH") == by_id
    assert rows("concentration", "-p", "supplier=coresys banking software gmbh") == by_id
    assert rows("exit-risks", "-p", "supplier=NetLine Telecom S.A.") == rows(
        "exit-risks", "-p", "supplier=LEI-NETLINE"
    )
    assert rows("concentration", "-p", "supplier=Nobody GmbH") == []
    adhoc = "MATCH (o:Organisation {id: $supplier}) RETURN o.id AS id"
    assert rows(adhoc, "-p", "supplier=CoreSys Banking Software GmbH") == []
    listed = cli("query", "--list")
    assert "--param supplier=...  (organisation, optional)" in listed.stdout
