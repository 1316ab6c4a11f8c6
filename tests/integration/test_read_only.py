"""A Neo4j that refuses writes: reads work, a load fails in one clear line, nothing changes.

Reads take the load lock (a write of a singleton node, rolled back) so that they never see half a
register. A database that refuses writes (``server.databases.default_to_read_only``, the
Community way; or a user without write rights) cannot take it: the reads then run unguarded, as
nothing can load meanwhile anyway. The server here is private: loaded while writable, then
restarted read-only (``NEO4J_READ_ONLY=true``).
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from sourcing_graph.loaders import read_any
from tests.support import AS_OF, AS_OF_ARGS, EXAMPLES, ROOT
from tests.support.ontology import SG_PREFIX
from tests.support.private_neo4j import PrivateNeo4j, digest

pytestmark = [pytest.mark.neo4j, pytest.mark.slow]

REGISTER = EXAMPLES / "acme-retail"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PrivateNeo4j]:
    neo4j = PrivateNeo4j(tmp_path_factory.mktemp("neo4j-read-only"))
    neo4j.start()
    try:
        with neo4j.connect() as store:
            store.load_register(read_any(REGISTER), as_of=AS_OF)
        neo4j.stop()
        neo4j.env["NEO4J_READ_ONLY"] = "true"
        neo4j.start()
        yield neo4j
    finally:
        neo4j.stop()


def cli(server: PrivateNeo4j, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sourcing_graph", *args],
        capture_output=True,
        text=True,
        env=server.cli_env(NEO4J_WAIT="0"),
        timeout=300,
    )


def test_the_database_really_refuses_writes(server: PrivateNeo4j) -> None:
    from neo4j.exceptions import ClientError

    with (
        server.connect() as store,
        pytest.raises(
            ClientError, match=r"No write operations are allowed on this database"
        ) as info,
    ):
        store.driver.execute_query("CREATE (:Canary)", database_=store.database)
    assert "ReadOnly" in (info.value.code or "")


def test_analyze_reads_the_loaded_register(server: PrivateNeo4j) -> None:
    result = cli(server, "analyze", str(REGISTER), "--loaded", "--format", "json", *AS_OF_ARGS)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    embedded = cli(
        server, "analyze", str(REGISTER), "--engine", "embedded", "--format", "json", *AS_OF_ARGS
    )
    assert embedded.returncode == 0, embedded.stderr
    assert json.loads(result.stdout) == json.loads(embedded.stdout)
    assert json.loads(result.stdout)["coordination_load"]  # not an empty result
    assert "note:" not in result.stderr and "error" not in result.stderr  # it tries no write


def test_query_reads_too(server: PrivateNeo4j) -> None:
    cypher = "MATCH (c:Contract) RETURN count(c) AS contracts"
    result = cli(server, "query", cypher, "--format", "json")
    assert result.returncode == 0, result.stderr
    contracts = len(read_any(REGISTER).contracts)
    assert json.loads(result.stdout) == [{"contracts": contracts}]


def test_a_load_fails_in_one_clear_line_and_changes_nothing(server: PrivateNeo4j) -> None:
    with server.connect() as store:
        before = digest(store)
    result = cli(server, "load", str(EXAMPLES / "gemeente-waterland"), "--no-progress")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    assert "refuses writes here (a read-only database" in lines[0] and server.uri in lines[0]
    assert server.password not in result.stderr + result.stdout
    with server.connect() as store:
        assert digest(store) == before


def test_changed_rules_cannot_be_applied_and_say_so(server: PrivateNeo4j, tmp_path: Path) -> None:
    rules = tmp_path / "rules.ttl"
    changed = SG_PREFIX + "sg:SlaClause sg:forcesMode sg:Reliability .\n"
    rules.write_text((ROOT / "ontology" / "rules.ttl").read_text() + changed)
    result = cli(server, "analyze", str(REGISTER), "--loaded", "--rules", str(rules))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "is not that of the rules given" in result.stderr
    assert "--engine embedded" in result.stderr
    same = tmp_path / "same.ttl"  # the rules stored there: analysed, nothing to write
    same.write_text((ROOT / "ontology" / "rules.ttl").read_text())
    assert cli(server, "analyze", str(REGISTER), "--loaded", "--rules", str(same)).returncode == 0
