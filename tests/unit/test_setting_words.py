"""The library names settings, not options: the Neo4j store's errors carry the setting and the CLI
words it, and no library module names a flag or a variable (no server needed).

A library user reads the setting (``the URI``, ``Neo4jSettings.user``) and gets ``error.setting``;
the CLI turns the same error into its options and variables (``NEO4J_URI``, ``--user``), word for
word as before the library stopped naming them.
"""

from __future__ import annotations

import ast
import re
import secrets
import ssl
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from neo4j import exceptions as nx
from rdflib import Graph

from sourcing_graph.cli import error_message
from sourcing_graph.errors import QueryError, ReadOnlyViolation, SettingAwareError
from sourcing_graph.graph.neo4j import Neo4jSettings, Neo4jStore
from sourcing_graph.graph.neo4j.diagnosis import load_failed, unavailable
from sourcing_graph.graph.neo4j.settings import driver_security

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10 (tomli is a dependency there)
    import tomli as tomllib

# the repository (found upwards, so that the file may move within tests/)
ROOT = next(p for p in Path(__file__).resolve().parents if (p / "pyproject.toml").is_file())
CLI_WORDS = re.compile(r"NEO4J_\w+|SOURCING_GRAPH_\w+|SSL_CERT_FILE|(?<![\w-])--[a-z][\w-]*")


def _refused(build: Callable[[], object]) -> SettingAwareError:
    with pytest.raises(SettingAwareError, match=".") as info:
        build()
    return info.value


def _untrusted(settings: Neo4jSettings, detail: str) -> SettingAwareError:
    cause = ssl.SSLCertVerificationError(1, detail)
    cause.verify_message = detail
    failure = nx.ServiceUnavailable("Couldn't connect")
    failure.__cause__ = cause
    return unavailable(settings, failure)


def _memory(settings: Neo4jSettings) -> SettingAwareError:
    error = nx.Neo4jError._hydrate_neo4j(
        code="Neo.DatabaseError.Database.Unknown", message="Unable to complete transaction."
    )
    failed = load_failed(settings, error, 100_000)
    assert failed is not None
    return failed


def _auth(settings: Neo4jSettings) -> SettingAwareError:
    return unavailable(settings, nx.AuthError("The client is unauthorized"))


def _cases(tmp_path: Path) -> list[tuple[str, SettingAwareError, str, str]]:
    """(setting, error, library message, CLI message)."""
    not_pem = tmp_path / "not-a-ca.pem"
    not_pem.write_text("no certificate here\n", encoding="utf-8")
    plain = Neo4jSettings(uri="neo4j+s://db:7687")
    with_ca = Neo4jSettings(uri="neo4j+s://db:7687", trusted_ca=str(not_pem))
    heap = "give it more heap (server.memory.heap.max_size{}) or a higher"
    return [
        (
            "uri",
            _refused(
                lambda: Neo4jSettings(uri="bolt://neo4j:" + secrets.token_hex(8) + "@db:7687")
            ),
            "the URI 'bolt://***@db:7687' holds credentials; put the user in Neo4jSettings.user "
            "and the password in Neo4jSettings.password, never in the URI",
            "NEO4J_URI 'bolt://***@db:7687' holds credentials; put the user in NEO4J_USER (--user) "
            "and the password in NEO4J_PASSWORD (--password-file), never in the URI",
        ),
        (
            "uri",
            _refused(lambda: Neo4jSettings(uri="bolt://")),
            "the URI 'bolt://' names no host",
            "NEO4J_URI 'bolt://' names no host",
        ),
        (
            "trusted_ca",
            _refused(lambda: Neo4jSettings(uri="bolt+ssc://db", trusted_ca=str(not_pem))),
            "the trusted CA file cannot be used with bolt+ssc:// (which accepts any certificate); "
            "use bolt+s:// or bolt:// with it",
            "NEO4J_TRUSTED_CA cannot be used with bolt+ssc:// (which accepts any certificate); "
            "use bolt+s:// or bolt:// with it",
        ),
        (
            "trusted_ca",
            _refused(lambda: Neo4jSettings(uri="bolt://db", trusted_ca=str(tmp_path / "no.pem"))),
            f"the trusted CA file {str(tmp_path / 'no.pem')!r} is not a file (expected the PEM "
            "certificate of the CA that signed the server's certificate)",
            f"NEO4J_TRUSTED_CA {str(tmp_path / 'no.pem')!r} is not a file (expected the PEM "
            "certificate of the CA that signed the server's certificate)",
        ),
        (
            "trusted_ca",
            _refused(lambda: driver_security(with_ca)),
            f"the trusted CA file {str(not_pem)!r} holds no usable PEM certificate: ",
            f"NEO4J_TRUSTED_CA {str(not_pem)!r} holds no usable PEM certificate: ",
        ),
        (
            "trusted_ca",
            _untrusted(plain, "unable to get local issuer certificate"),
            "trust the CA that signed it with a trusted CA file (Neo4jSettings.trusted_ca) or the "
            "system's trusted CAs, or use neo4j+ssc:// to accept any certificate",
            "cannot reach Neo4j at neo4j+s://db:7687: the server's TLS certificate is not trusted "
            "(unable to get local issuer certificate); trust the CA that signed it with "
            "--trusted-ca FILE (NEO4J_TRUSTED_CA) or SSL_CERT_FILE, or use neo4j+ssc:// to accept "
            "any certificate",
        ),
        (
            "password",
            _auth(plain),
            "refused the credentials of user 'neo4j' (check the user name and the password)",
            "Neo4j at neo4j+s://db:7687 refused the credentials of user 'neo4j' (check NEO4J_USER "
            "and NEO4J_PASSWORD)",
        ),
        (
            None,
            _memory(plain),
            heap.format(""),
            heap.format("; NEO4J_HEAP for scripts/neo4j"),
        ),
    ]


def test_errors_name_the_setting_and_the_cli_its_options(tmp_path: Path) -> None:
    for setting, error, library, cli in _cases(tmp_path):
        assert error.setting == setting, error
        assert library in str(error)
        assert not CLI_WORDS.search(str(error)), str(error)
        assert cli in error_message(error)


def _library_modules() -> list[Path]:
    """Every module of the package but the CLI's (``core/cli``): the folders of
    ``[tool.setuptools.package-dir]`` in pyproject.toml."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    folders = config["tool"]["setuptools"]["package-dir"].values()
    return sorted(
        {
            path
            for folder in folders
            if folder != "core/cli"
            for path in (ROOT / folder).glob("*.py")
        }
    )


def test_the_library_names_no_option_or_variable() -> None:
    """Scanned: every string literal of the library (every module outside core/cli/) but its
    documentation (a string standing alone as a statement: docstrings, attribute docstrings)."""
    modules = _library_modules()
    assert ROOT / "graph" / "neo4j" / "store.py" in modules
    assert ROOT / "views" / "network.py" in modules
    assert not any("cli" in path.relative_to(ROOT).parts for path in modules)
    found = []
    for path in modules:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        documentation = {
            id(node.value)
            for node in ast.walk(tree)
            if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
        }
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and id(node) not in documentation
                and CLI_WORDS.search(node.value)
            ):
                where = path.relative_to(ROOT).as_posix()
                found.append(f"{where}:{node.lineno}: {node.value!r}")
    assert not found, "\n".join(found)


class _Refusing:
    """A driver whose every session fails with the server's error ``code``."""

    def __init__(self, code: str) -> None:
        self.code = code

    def session(self, **_: object) -> _Refusing:
        return self

    def __enter__(self) -> _Refusing:
        return self

    def __exit__(self, *_: object) -> None:
        return None

    def _refuse(self, *_: object, **__: object) -> None:
        raise nx.Neo4jError._hydrate_neo4j(code=self.code, message="refused")

    run = execute_read = execute_write = _refuse


def test_refused_writes_name_the_action_that_helps() -> None:
    settings = Neo4jSettings(uri="bolt://db:7687")
    read_only = Neo4jStore(_Refusing("Neo.ClientError.Statement.AccessMode"), settings)
    with pytest.raises(ReadOnlyViolation, match="Neo4jStore.read_write runs it") as info:
        read_only.read("CREATE (n)")
    assert info.value.hint == "write"
    assert "(sourcing-graph query --write runs it in a write transaction)" in error_message(
        info.value
    )
    forbidden = Neo4jStore(_Refusing("Neo.ClientError.Security.Forbidden"), settings)
    with pytest.raises(QueryError, match="analyse with the embedded engine, or") as info:
        forbidden.ensure_schema(Graph())
    assert info.value.hint == "embedded"
    assert "analyse with --engine embedded, or" in error_message(info.value)
