"""Every named query under an explicit Cypher version (issue 19): ``CYPHER 5`` on every server,
``CYPHER 25`` where the server has it, each giving the rows the query gives without a prefix.

The one skip allowed: a server that refuses the ``CYPHER 25`` prefix (Neo4j 5.26 knows only
Cypher 5) skips those cases, naming its version. Any other failure fails."""

from __future__ import annotations

from typing import Any

import pytest
from neo4j import exceptions as nx

from sourcing_graph.graph.registry import DORA_ANALYSES
from sourcing_graph.loaders.csv_reader import read_register
from sourcing_graph.queries import QueryInfo, list_queries
from tests.support import EXAMPLES

pytestmark = pytest.mark.neo4j

VERSIONS = ("5", "25")


@pytest.fixture(scope="module")
def loaded(neo4j_store: Any) -> Any:
    neo4j_store.load_register(read_register(EXAMPLES / "gemeente-waterland"))
    return neo4j_store


def server_version(store: Any) -> str:
    row = store.read("CALL dbms.components() YIELD versions, edition RETURN versions, edition")[0]
    return f"Neo4j {'/'.join(row['versions'])} {row['edition']}"


def refusal(store: Any, version: str) -> str | None:
    """Why the server refuses the ``CYPHER <version>`` prefix; None when it accepts it."""
    try:
        store.driver.execute_query(f"CYPHER {version} RETURN 1", database_=store.database)
    except nx.ClientError as exc:
        message = exc.message or str(exc)
        if f"{version} is not a valid option for cypher version" not in message:
            raise
        return message
    return None


DORA_RULES = {analysis.rule for analysis in DORA_ANALYSES.values()}
"""D1-D5."""


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("query", list_queries(), ids=lambda q: q.name)
def test_every_named_query_runs_under_the_version(
    loaded: Any, query: QueryInfo, version: str
) -> None:
    refused = refusal(loaded, version)
    if refused is not None:
        pytest.skip(f"{server_version(loaded)} refuses the CYPHER {version} prefix: {refused}")
    params = query.bind({})
    plain = loaded.read(query.text, params)
    prefixed = loaded.read(f"CYPHER {version}\n{query.text}", params)
    assert sorted(map(repr, prefixed)) == sorted(map(repr, plain))
    # the DORA analyses find nothing in a register without DORA data
    assert plain or query.rule in DORA_RULES, "rows to compare"
