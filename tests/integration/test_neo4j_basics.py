"""The real Neo4j: write and read back with the official driver; refused credentials."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys

import neo4j
import pytest

from sourcing_graph.errors import Neo4jUnavailableError
from sourcing_graph.graph.neo4j import Neo4jSettings, Neo4jStore

pytestmark = pytest.mark.neo4j


def test_write_and_read_back_with_the_official_driver(neo4j_store) -> None:  # type: ignore[no-untyped-def]
    settings = neo4j_store.settings
    with (
        neo4j.GraphDatabase.driver(settings.uri, auth=(settings.user, settings.password)) as driver,
        driver.session(database=settings.database) as session,
    ):
        session.run("CREATE (:SmokeTest {greeting: $g})", g="hallo wereld").consume()
        rows = session.run("MATCH (s:SmokeTest) RETURN s.greeting AS g").data()
        session.run("MATCH (s:SmokeTest) DELETE s").consume()
    assert rows == [{"g": "hallo wereld"}]


def test_wrong_password_is_refused_naming_the_uri(neo4j_store) -> None:  # type: ignore[no-untyped-def]
    wrong = "wrong-" + secrets.token_urlsafe(8)
    bad = Neo4jSettings(uri=neo4j_store.settings.uri, user="neo4j", password=wrong)
    with pytest.raises(
        Neo4jUnavailableError, match=r"refused the credentials of user 'neo4j'"
    ) as info:
        Neo4jStore.connect(bad)
    message = str(info.value)
    assert neo4j_store.settings.uri in message
    assert wrong not in message
    assert "\n" not in message


def test_cli_wrong_password_is_one_line_without_traceback(neo4j_store, tmp_path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "contracts.csv").write_text(
        "contract_id,supplier,lot\nC1,acme,K1\n", encoding="utf-8"
    )
    wrong = "wrong-" + secrets.token_urlsafe(8)
    env = dict(os.environ, NEO4J_URI=neo4j_store.settings.uri, NEO4J_PASSWORD=wrong)
    result = subprocess.run(
        [sys.executable, "-m", "sourcing_graph", "load", str(tmp_path)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1, result.stderr
    assert "refused the credentials" in result.stderr
    assert neo4j_store.settings.uri in result.stderr
    assert wrong not in result.stderr
