"""Every command that reads a register prints its warnings on stderr, as validate does; --quiet
silences them (issue 15)."""

from __future__ import annotations

import secrets
from pathlib import Path

import pytest

from tests.support import EXAMPLES
from tests.support.cli import cli, no_neo4j_env
from tests.support.leaks import free_port

ACME = str(EXAMPLES / "acme-retail")
WATERLAND = str(EXAMPLES / "gemeente-waterland")
SCENARIO = EXAMPLES / "scenarios" / "acme-retail-trust.csv"
WARNINGS = [
    "examples/acme-retail/contracts.csv:4:10: warning: contract 'A-03' has no mode recorded",
    "examples/acme-retail/contracts.csv:5:10: warning: contract 'A-04' has no mode recorded",
    "examples/acme-retail/contracts.csv:2:5: warning: lot 'ERP' has no prime contractor "
    "recorded: own-it coordinates it (the default)",
]


def commands(out: Path) -> dict[str, list[str]]:
    return {
        "validate": ["validate", ACME],
        "analyze": ["analyze", ACME, "--format", "json"],
        "view": ["view", ACME, "-o", str(out / "v.html")],
        "report": ["report", ACME, "-o", str(out / "r.html")],
        "export": ["export", ACME, "-o", str(out / "x.ttl")],
        "whatif": ["whatif", ACME, str(SCENARIO), "--as-of", "2026-06-01"],
    }


@pytest.mark.parametrize("name", ["validate", "analyze", "view", "report", "export", "whatif"])
def test_each_command_prints_the_warnings_unless_quiet(tmp_path: Path, name: str) -> None:
    args = commands(tmp_path)[name]
    said = cli(*args, env=no_neo4j_env())
    assert said.returncode == 0, said.stderr
    lines = said.stderr.splitlines()
    for warning in WARNINGS:
        assert sum(line.endswith(warning) or warning in line for line in lines) == 1, (
            warning,
            said.stderr,
        )
    quiet = cli(*args, "--quiet", env=no_neo4j_env())
    assert quiet.returncode == 0, quiet.stderr
    assert "warning" not in quiet.stderr
    assert quiet.stdout == said.stdout or name in ("view", "report")


@pytest.mark.parametrize("name", ["validate", "analyze", "view", "report", "whatif"])
def test_the_warnings_speak_the_asked_language(tmp_path: Path, name: str) -> None:
    """--lang wins over the register's language (English acme in Dutch, Dutch Waterland in
    English) on every command that presents, the warnings included."""
    args = commands(tmp_path)[name]
    dutch = cli(*args, "--lang", "nl", env=no_neo4j_env())
    assert dutch.returncode == 0, dutch.stderr
    assert dutch.stderr.count(": waarschuwing: ") == len(WARNINGS), dutch.stderr
    assert ": warning: " not in dutch.stderr
    waterland = [WATERLAND if arg == ACME else arg for arg in args]
    if name == "whatif":
        waterland[2] = str(EXAMPLES / "scenarios" / "gemeente-waterland-regie.csv")
    english = cli(*waterland, "--lang", "en", env=no_neo4j_env())
    assert english.returncode == 0, english.stderr
    assert english.stderr.count(": warning: ") == 7, english.stderr
    assert "waarschuwing" not in english.stderr


@pytest.mark.parametrize("option", ["--supplier", "--prime-contractor"])
def test_analyze_refuses_an_organisation_the_register_does_not_have(option: str) -> None:
    said = cli("analyze", ACME, option, "Nobody B.V.", "-q", env=no_neo4j_env())
    assert said.returncode == 1
    what = option.removeprefix("--").replace("-", " ")
    assert said.stderr.strip() == (
        f"error: unknown {what} 'Nobody B.V.': no organisation of the register has that id or name"
    )
    assert said.stdout == ""


def test_analyze_says_so_for_an_empty_register_in_dutch(tmp_path: Path) -> None:
    (tmp_path / "contracten.csv").write_text(
        "contract_id;leverancier;kavel;modus\n", encoding="utf-8"
    )
    result = cli("analyze", str(tmp_path), "--format", "json", env=no_neo4j_env())
    assert result.returncode == 0, result.stderr
    assert ": waarschuwing: " in result.stderr


def test_a_failed_load_is_one_line_without_the_warnings() -> None:
    password = secrets.token_urlsafe(9)  # made at run time: no password literal in files
    env = no_neo4j_env() | {"NEO4J_URI": f"bolt://127.0.0.1:{free_port()}"}
    result = cli("load", ACME, "--wait", "0", env=env | {"NEO4J_PASSWORD": password})
    assert result.returncode == 1
    assert len(result.stderr.splitlines()) == 1, result.stderr
    assert "cannot reach Neo4j" in result.stderr
