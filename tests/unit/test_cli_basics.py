"""The command line's frame: help, version, settings and error handling (no server needed)."""

from __future__ import annotations

import re
import secrets
import subprocess

import pytest

from sourcing_graph import __version__
from sourcing_graph.cli import error_message
from sourcing_graph.errors import ConnectionSettingsError
from sourcing_graph.graph.neo4j import Neo4jSettings
from tests.support.cli import cli

COMMANDS = ["validate", "load", "refresh", "analyze", "query", "export", "mapping"]


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """``sourcing-graph ARGS`` (its ``main``, in this process: the frame is what is tested)."""
    return cli(*args, env=env)


def test_help_lists_every_command() -> None:
    result = run("--help")
    assert result.returncode == 0
    for command in COMMANDS:
        assert command in result.stdout


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command: str) -> None:
    result = run(command, "--help")
    assert result.returncode == 0, result.stderr
    assert "Usage: sourcing-graph" in result.stdout
    # The first help line says what the command does (sqlite-utils' test_docs habit).
    assert len(result.stdout.split("\n\n")[1].strip()) > 20


def test_version() -> None:
    result = run("--version")
    assert result.returncode == 0
    assert __version__ in result.stdout


@pytest.mark.parametrize(
    "uri", ["bolt://localhost:7687", "neo4j://db.example:7687", "neo4j+s://abc.databases.neo4j.io"]
)
def test_any_neo4j_uri_is_accepted(uri: str) -> None:
    assert Neo4jSettings(uri=uri).uri == uri


@pytest.mark.parametrize("uri", ["http://localhost:7474", "localhost:7687", "bolt://"])
def test_bad_uri_is_refused_with_the_value(uri: str) -> None:
    with pytest.raises(ConnectionSettingsError, match=re.escape(repr(uri))) as refused:
        Neo4jSettings(uri=uri)
    # the error says which setting; the library names no variable, the CLI names NEO4J_URI
    assert refused.value.setting == "uri"
    assert "NEO4J_URI" not in str(refused.value)
    assert error_message(refused.value).startswith("NEO4J_URI ")


def test_password_is_not_in_repr() -> None:
    password = secrets.token_urlsafe(12)
    settings = Neo4jSettings(uri="bolt://localhost:7687", password=password)
    assert password not in repr(settings)


def test_unreachable_server_is_one_line_naming_the_uri(tmp_path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "contracts.csv").write_text(
        "contract_id,supplier,lot\nC1,acme,K1\n", encoding="utf-8"
    )
    password = secrets.token_urlsafe(12)
    env = {
        "PATH": "/usr/bin:/bin",
        "NEO4J_URI": "bolt://127.0.0.1:9",
        "NEO4J_PASSWORD": password,
        "NEO4J_WAIT": "0",  # fail at once (waiting: tests/integration/test_neo4j_faults.py)
    }
    result = run("load", str(tmp_path), env=env)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "bolt://127.0.0.1:9" in lines[0]
    assert password not in result.stderr + result.stdout
    assert "Traceback" not in result.stderr
