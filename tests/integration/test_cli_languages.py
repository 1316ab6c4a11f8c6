"""The CLI in both languages: --lang, SOURCING_GRAPH_LANG, the register's language by default, and
the report's --as-of."""

from __future__ import annotations

from pathlib import Path

from tests.support import AS_OF_ARGS
from tests.support.cli import cli, no_neo4j_env

WATERLAND = "examples/gemeente-waterland"


def test_analyze_speaks_the_register_language_unless_told() -> None:
    dutch = cli("analyze", WATERLAND, env=no_neo4j_env())
    assert dutch.returncode == 0, dutch.stderr
    assert "R5  Regielast per hoofdaannemer  — 3 hoofdaannemers" in dutch.stdout
    assert "K05 Zaaksysteem en e-formulieren" in dutch.stdout  # names beside ids
    assert "geen samenwerkingsvorm vastgelegd" in dutch.stdout
    assert "€\xa01.324.000,00" in dutch.stdout
    english = cli("analyze", WATERLAND, "--lang", "en", *AS_OF_ARGS, env=no_neo4j_env())
    assert "R5  Coordination load per prime contractor  — 3 prime contractors" in english.stdout
    assert "no collaboration mode recorded" in english.stdout and "€1,324,000.00" in english.stdout
    by_env = cli(
        "analyze", WATERLAND, *AS_OF_ARGS, env={**no_neo4j_env(), "SOURCING_GRAPH_LANG": "en"}
    )
    assert by_env.stdout == english.stdout
    acme = cli("analyze", "examples/acme-retail", "--format", "markdown", env=no_neo4j_env())
    assert "## R5 Coordination load per prime contractor" in acme.stdout


def test_machine_formats_keep_their_keys() -> None:
    dutch = cli("analyze", WATERLAND, "--format", "csv", env=no_neo4j_env())
    assert dutch.stdout.splitlines()[0].startswith("analysis,prime_contractor,lots")
    assert "mode_not_recorded" in dutch.stdout


def test_a_bad_language_is_refused() -> None:
    run = cli("analyze", WATERLAND, "--lang", "de", env=no_neo4j_env())
    assert run.returncode == 2 and "'de' is not one of 'nl', 'en'" in run.stderr


def test_report_and_view_take_a_language_and_a_reference_date(tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    run = cli("report", WATERLAND, "-o", str(out), "--as-of", "2026-06-01", env=no_neo4j_env())
    assert run.returncode == 0, run.stderr
    page = out.read_text(encoding="utf-8")
    assert "<dt>Peildatum</dt><dd>1 juni 2026</dd>" in page and 'data-status="ended"' in page
    assert run.stdout == f"{out} geschreven\n"
    run = cli(
        "report", WATERLAND, "-o", str(out), "--lang", "en", "--as-of", "2025-01-01",
        env=no_neo4j_env(),
    )  # fmt: skip
    page = out.read_text(encoding="utf-8")
    assert "<dt>Reference date</dt><dd>1 January 2025</dd>" in page
    assert run.stdout == f"wrote {out}\n"
    view = tmp_path / "view.html"
    run = cli("view", WATERLAND, "-o", str(view), "--lang", "en", env=no_neo4j_env())
    assert run.returncode == 0, run.stderr
    assert '<html lang="en">' in view.read_text(encoding="utf-8")
    assert run.stdout.startswith(f"wrote {view}: ") and " nodes, " in run.stdout
    run = cli("view", WATERLAND, "-o", str(view), env=no_neo4j_env())
    assert run.stdout.startswith(f"{view} geschreven: ") and " knopen, " in run.stdout
    table = tmp_path / "findings.md"
    run = cli("analyze", WATERLAND, "--format", "markdown", "-o", str(table), env=no_neo4j_env())
    assert run.returncode == 0 and f"{table} geschreven" in run.stderr
    bad = cli("report", WATERLAND, "-o", str(out), "--as-of", "1-6-2026", env=no_neo4j_env())
    assert bad.returncode == 2 and "--as-of" in bad.stderr


def test_validate_words_in_both_languages(tmp_path: Path) -> None:
    folder = tmp_path / "kapot"
    folder.mkdir()
    (folder / "contracten.csv").write_text(
        "contractnummer;leverancier;kavel;samenwerkingsvorm\nC1;acme;K1;vertrouwelijk\n",
        encoding="utf-8",
    )
    run = cli("validate", str(folder), "--lang", "nl", env=no_neo4j_env())
    assert run.returncode == 1
    assert ":2:4: fout: " in run.stderr and "(gelezen 'vertrouwelijk'; verwacht " in run.stderr
    assert "fout: het register heeft 1 fout; er is niets geladen" in run.stderr
    plain = {**no_neo4j_env(), "SOURCING_GRAPH_LANG": ""}
    # without --lang: the register's language (Dutch file names), as for a valid register
    assert cli("validate", str(folder), env=plain).stderr == run.stderr
    english = cli("validate", str(folder), "--lang", "en", env=plain)
    assert ":2:4: error: " in english.stderr and "(read 'vertrouwelijk'" in english.stderr
