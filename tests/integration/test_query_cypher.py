"""`sourcing-graph query` for people who write Cypher, against the real server with the Waterland
example loaded: typed parameters, checked named-query parameters, Neo4j's notifications on stderr,
and nodes, relationships (with their endpoints) and paths in every format."""

from __future__ import annotations

import csv
import io
import json

import pytest

from sourcing_graph.loaders.csv_reader import read_register
from tests.support import EXAMPLES
from tests.support.cli import cli, neo4j_env
from tests.support.markdown import markdown_tables

pytestmark = pytest.mark.neo4j


@pytest.fixture(scope="module")
def env(neo4j_store) -> dict[str, str]:  # type: ignore[no-untyped-def]
    neo4j_store.load_register(read_register(EXAMPLES / "gemeente-waterland"))
    return neo4j_env(neo4j_store)


def run(env: dict[str, str], *args: str) -> tuple[str, str]:
    result = cli("query", *args, env=env)
    assert result.returncode == 0, result.stderr
    return result.stdout, result.stderr


# -- parameters ------------------------------------------------------------------------------------

COUNT_ABOVE = "MATCH (c:Contract) WHERE c.annualValue > $n RETURN count(c) AS contracts"


def test_a_number_parameter_arrives_as_a_number(env: dict[str, str]) -> None:
    out, _ = run(env, COUNT_ABOVE, "-p", "n=200000", "--format", "json")
    assert json.loads(out) == [{"contracts": 8}]
    out, _ = run(env, COUNT_ABOVE, "-p", "n=2.5e5", "--format", "json")
    assert json.loads(out) == [{"contracts": 6}]
    out, _ = run(env, COUNT_ABOVE, "-p", "n='200000'", "--format", "json")
    assert json.loads(out) == [{"contracts": 0}]  # quoted: text, which no number exceeds


def test_list_map_boolean_and_null_parameters(env: dict[str, str]) -> None:
    cypher = (
        "MATCH (l:Lot) WHERE l.id IN $ids AND l.commodity = $flag "
        "RETURN l.id AS lot, $m.k AS k, $nothing IS NULL AS none ORDER BY lot"
    )
    out, _ = run(env, cypher, "-p", 'ids=["K01","K03"]', "-p", "flag=false",
                 "-p", 'm={"k": 1}', "-p", "nothing=null", "--format", "json")  # fmt: skip
    assert json.loads(out) == [
        {"lot": "K01", "k": 1, "none": True},
        {"lot": "K03", "k": 1, "none": True},
    ]


def test_min_severity_takes_dutch_words_and_refuses_others(env: dict[str, str]) -> None:
    english, _ = run(env, "mode-mismatches", "-p", "minSeverity=high", "--format", "json")
    dutch, err = run(env, "mode-mismatches", "-p", "minSeverity=hoog", "--format", "json")
    assert dutch == english and json.loads(dutch) and err == ""
    assert {r["severity"] for r in json.loads(dutch)} == {"high"}
    medium, _ = run(env, "mode-mismatches", "-p", "minSeverity=gemiddeld", "--format", "json")
    assert {r["severity"] for r in json.loads(medium)} == {"high", "medium"}
    refused = cli("query", "mode-mismatches", "-p", "minSeverity=bogus", env=env)
    assert refused.returncode == 1 and refused.stdout == ""
    assert refused.stderr.splitlines() == [
        "error: parameter minSeverity: 'bogus' is not a severity; allowed: low, medium, high "
        "(or laag, licht, gemiddeld, middel, middelzwaar, ernstig, hoog)"
    ]


# -- notifications ---------------------------------------------------------------------------------


def test_an_unknown_label_is_a_warning_on_stderr_and_exit_0(env: dict[str, str]) -> None:
    out, err = run(env, "MATCH (n:Lott) RETURN n")
    assert out == "(no rows)\n"
    assert err.splitlines() == [
        "warning: unknown label 'Lott' (line 1, column 10); did you mean 'Lot'?"
    ]


@pytest.mark.deprecated_cypher  # id() on purpose: its notice is shown
def test_each_notification_once_and_all_kinds(env: dict[str, str]) -> None:
    _, err = run(env, "MATCH (a:Lott), (b:Lott) RETURN a, b")
    lines = err.splitlines()
    assert sum("unknown label 'Lott'" in line for line in lines) == 1
    assert any(line.startswith("note: cartesian product.") for line in lines), lines
    _, err = run(env, "MATCH (l:Lot)-[:DEPENDSON]->(m) RETURN l.nmae, m")
    assert "warning: unknown relationship type 'DEPENDSON'" in err
    assert "did you mean 'DEPENDS_ON'?" in err
    assert "warning: unknown property 'nmae'" in err and "did you mean 'name'" in err
    _, err = run(env, "MATCH (n:Lot) WHERE id(n) = -1 RETURN n")
    assert err.startswith("warning: feature deprecated") and "id is deprecated" in err
    # whatever the store's own queries are set to hear, Cypher you wrote gets every notification
    for level in ("off", "deprecations"):
        _, err = run({**env, "NEO4J_NOTIFICATIONS": level}, "MATCH (a:Lott), (b:Lott) RETURN a, b")
        assert "unknown label 'Lott'" in err and "note: cartesian product." in err, level


def test_a_silent_miss_has_no_notification(env: dict[str, str]) -> None:
    # the cookbook explains this one: the graph holds the English key, not the Dutch word
    out, err = run(env, "MATCH (l:Lot {complexity: 'hoog'}) RETURN l.id AS lot")
    assert out == "(no rows)\n" and err == ""
    out, _ = run(
        env, "MATCH (l:Lot {complexity: 'high'}) RETURN count(l) AS lots", "--format", "json"
    )
    assert json.loads(out)[0]["lots"] > 0


def test_shipped_named_queries_print_no_notifications(env: dict[str, str]) -> None:
    for name in ("mode-mismatches", "lot-modes", "effective-modes", "mode-fit"):
        _, err = run(env, name)
        assert err == "", name


# -- nodes, relationships and paths ----------------------------------------------------------------

GRAPH = (
    "MATCH p = (a:Lot {id: 'K06'})-[r:DEPENDS_ON]->(b:Lot {id: 'K02'})<-[:PART_OF]-(c:Contract) "
    "RETURN a, r, p ORDER BY c.id"
)


def test_json_gives_nodes_relationships_with_endpoints_and_paths(env: dict[str, str]) -> None:
    out, _ = run(env, GRAPH, "--format", "json")
    rows = json.loads(out)
    assert [row["p"]["_nodes"][-1]["id"] for row in rows] == ["WL-04", "WL-05", "WL-06", "WL-07"]
    first = rows[0]
    assert first["a"]["_labels"] == ["Lot"] and first["a"]["name"] == "GIS en geo-informatie"
    assert {k: v for k, v in first["r"].items() if k.startswith("_")} == {
        "_type": "DEPENDS_ON",
        "_start": {"_labels": ["Lot"], "id": "K06"},
        "_end": {"_labels": ["Lot"], "id": "K02"},
    }
    path = first["p"]
    assert [n["id"] for n in path["_nodes"]] == ["K06", "K02", "WL-04"]
    assert [r["_type"] for r in path["_relationships"]] == ["DEPENDS_ON", "PART_OF"]
    assert path["_relationships"][1]["_start"] == {"_labels": ["Contract"], "id": "WL-04"}


def test_a_relationship_alone_still_names_its_endpoints(env: dict[str, str]) -> None:
    out, _ = run(env, "MATCH ()-[r:DEPENDS_ON]->() RETURN r", "--format", "json")
    got = sorted((r["r"]["_start"]["id"], r["r"]["_end"]["id"]) for r in json.loads(out))
    out, _ = run(
        env, "MATCH (a)-[:DEPENDS_ON]->(b) RETURN a.id AS a, b.id AS b", "--format", "json"
    )
    assert got == sorted((r["a"], r["b"]) for r in json.loads(out))
    assert len(got) > 10
    out, _ = run(
        env, "MATCH (:Contract {id: 'WL-01'})-[r:DECLARED_MODE]->() RETURN r", "--format", "json"
    )
    assert json.loads(out)[0]["r"]["_end"] == {
        "_labels": ["CollaborationMode", "OntologyTerm"],  # every ontology node (issue 14)
        "key": "reliability",
    }


PATH_TEXT = (
    "(:Lot {id: 'K06', name: 'GIS en geo-informatie'})-[:DEPENDS_ON]->"
    "(:Lot {id: 'K02', name: 'Hosting en datacenter'})<-[:PART_OF]-(:Contract {id: 'WL-04'})"
)
# a relationship with its properties (its source: the dependency's row); a path without them
REL_TEXT = "(:Lot {id: 'K06'})-[:DEPENDS_ON {source: 'afhankelijkheden.csv:8'}]->(:Lot {id: 'K02'})"


def _first_cells(fmt: str, out: str) -> list[str]:
    if fmt == "csv":
        return list(csv.reader(io.StringIO(out)))[1]
    if fmt == "markdown":
        return markdown_tables(out)[0][1]
    return [out.splitlines()[2]]


@pytest.mark.parametrize("fmt", ["table", "csv", "markdown"])
def test_table_csv_and_markdown_write_them_readably(env: dict[str, str], fmt: str) -> None:
    out, _ = run(env, GRAPH, "--format", fmt)
    cells = _first_cells(fmt, out)
    text = " ".join(cells)
    assert "(:Lot {id: 'K06', name: 'GIS en geo-informatie', " in text
    assert REL_TEXT in text and PATH_TEXT in text
    if fmt != "table":
        assert cells[1:] == [REL_TEXT, PATH_TEXT]


def test_no_rows_in_markdown_and_csv_keep_the_columns(env: dict[str, str]) -> None:
    cypher = "MATCH (l:Lot {id: 'none'}) RETURN l.id AS lot, l.name AS name"
    assert run(env, cypher, "--format", "csv")[0] == "lot,name\n"
    assert run(env, cypher, "--format", "markdown")[0] == "| lot | name |\n|---|---|\n"
