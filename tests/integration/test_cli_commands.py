"""The commands end to end, as a user runs them: analyze, validate, export, mapping, query."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from sourcing_graph.graph.analyses import EmbeddedEngine
from sourcing_graph.loaders.csv_reader import read_register
from sourcing_graph.loaders.rdf import register_to_rdf
from sourcing_graph.ontology.rules import load_rules
from tests.support import DATA, ROOT, days_of
from tests.support.cli import cli, neo4j_env, no_neo4j_env

EXAMPLES = ["gemeente-waterland", "acme-retail"]


AS_OF = ("--as-of", "2026-06-01")
"""The reference date of the hand-checked results (tests never use today)."""


def expected(name: str) -> object:
    return json.loads((DATA / "expected" / f"{name}.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", EXAMPLES)
def test_analyze_json_embedded_is_the_hand_checked_result(name: str) -> None:
    result = cli("analyze", f"examples/{name}", "--format", "json", *AS_OF, env=no_neo4j_env())
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == expected(name)


@pytest.mark.neo4j
@pytest.mark.parametrize("name", EXAMPLES)
def test_analyze_json_on_neo4j_is_the_hand_checked_result(neo4j_store, name: str) -> None:  # type: ignore[no-untyped-def]
    result = cli(
        "analyze",
        f"examples/{name}",
        "--engine",
        "neo4j",
        "--replace",
        "--format",
        "json",
        *AS_OF,
        env=neo4j_env(neo4j_store),
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == expected(name)
    # --loaded analyses what is in the database without reading the register again
    again = cli(
        "analyze",
        "examples/acme-retail",
        "--engine",
        "neo4j",
        "--loaded",
        "--format",
        "json",
        *AS_OF,
        env=neo4j_env(neo4j_store),
    )
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout) == expected(name)


def test_analyze_table_has_a_section_per_analysis() -> None:
    result = cli("analyze", "examples/gemeente-waterland", env=no_neo4j_env())
    assert result.returncode == 0, result.stderr
    for title in ("R5", "R3", "R4", "R6", "R7", "R8", "R9"):
        assert f"{title}  " in result.stdout


@pytest.mark.parametrize("fmt", ["csv", "markdown"])
def test_analyze_other_formats(fmt: str) -> None:
    result = cli("analyze", "examples/acme-retail", "--format", fmt, env=no_neo4j_env())
    assert result.returncode == 0, result.stderr
    marker = "analysis," if fmt == "csv" else "## "
    assert marker in result.stdout


def test_validate_reports_counts_and_warnings() -> None:
    result = cli("validate", "examples/gemeente-waterland", "--lang", "en")
    assert result.returncode == 0, result.stderr
    assert "valid" in result.stdout and "26 contracts" in result.stdout
    dutch = cli("validate", "examples/gemeente-waterland")  # the register's language
    assert "geldig" in dutch.stdout and "26 contracten" in dutch.stdout
    as_json = json.loads(cli("validate", "examples/gemeente-waterland", "--format", "json").stdout)
    assert as_json["valid"] is True
    assert as_json["counts"]["contracts"] == 26
    assert all({"file", "line", "column", "message"} <= set(w) for w in as_json["warnings"])


@pytest.mark.parametrize("name", EXAMPLES)
@pytest.mark.parametrize(
    ("fmt", "suffix", "rdf_format"), [("ttl", "ttl", "turtle"), ("jsonld", "jsonld", "json-ld")]
)
def test_export_round_trip_is_isomorphic_on_the_examples(  # type: ignore[no-untyped-def]
    tmp_path: Path, name: str, fmt: str, suffix: str, rdf_format: str
) -> None:
    out = tmp_path / f"{name}.{suffix}"
    result, days = days_of(
        lambda: cli("export", f"examples/{name}", "--format", fmt, "-o", str(out))
    )
    assert result.returncode == 0, result.stderr
    register = read_register(ROOT / "examples" / name)

    def original(day: date) -> Graph:
        """The register with its conclusions as the embedded engine draws them on ``day`` (the
        export draws them today: R14's depend on the date)."""
        conclusions = EmbeddedEngine(register, load_rules(), as_of=day).conclusions().as_data()
        return register_to_rdf(register, conclusions=conclusions)

    # the export carries the register's conclusions (issue 14), as the embedded engine draws them
    assert any(isomorphic(Graph().parse(out, format=rdf_format), original(d)) for d in days)
    # RDF instance data is a register too: exporting it again gives the same graph (the
    # conclusions read back are ignored and drawn again), and the analyses on it give the
    # hand-checked result.
    again = tmp_path / f"again.{suffix}"
    exported, days = days_of(lambda: cli("export", str(out), "--format", fmt, "-o", str(again)))
    assert exported.returncode == 0, exported.stderr
    assert any(isomorphic(Graph().parse(again, format=rdf_format), original(d)) for d in days)
    analysed = cli("analyze", str(out), "--format", "json", *AS_OF, env=no_neo4j_env())
    assert analysed.returncode == 0, analysed.stderr
    assert json.loads(analysed.stdout) == expected(name)


def test_mapping_prints_a_starter_for_a_foreign_export() -> None:
    foreign = DATA / "registers" / "foreign"
    target = next(
        p for p in sorted(foreign.iterdir()) if p.suffix in (".csv", ".zip") or p.is_dir()
    )
    result = cli("mapping", str(target))
    assert result.returncode == 0, result.stderr
    assert "contracts" in result.stdout


def test_query_list_shows_names_descriptions_and_parameters() -> None:
    result = cli("query", "--list")
    assert result.returncode == 0, result.stderr
    for name in ("coordination-load", "mode-mismatches", "critical-without-trust", "concentration"):
        assert name in result.stdout
    assert "--param minSeverity=" in result.stdout


@pytest.mark.neo4j
def test_query_runs_named_file_and_adhoc_cypher(neo4j_store) -> None:  # type: ignore[no-untyped-def]
    neo4j_store.load_register(read_register(ROOT / "examples" / "gemeente-waterland"))
    env = neo4j_env(neo4j_store)
    named = cli("query", "mode-mismatches", "-p", "minSeverity=high", "--format", "json", env=env)
    assert named.returncode == 0, named.stderr
    rows = json.loads(named.stdout)
    assert rows and {r["severity"] for r in rows} == {"high"}
    path = str(ROOT / "queries" / "mode-fit.cypher")
    from_file = cli("query", path, "--format", "csv", env=env)
    assert from_file.returncode == 0, from_file.stderr
    assert from_file.stdout.splitlines()[0] == "lot,mode,recommended"
    adhoc = cli("query", "MATCH (l:Lot) RETURN count(l) AS lots", env=env)
    assert adhoc.returncode == 0, adhoc.stderr
    assert "11" in adhoc.stdout


@pytest.mark.neo4j
@pytest.mark.parametrize(
    "cypher",
    [
        "CREATE (:Intruder {name: 'x'})",
        "MATCH (l:Lot) SET l.name = 'changed'",
        "MATCH (c:Contract) DETACH DELETE c",
    ],
)
def test_query_refuses_to_write(neo4j_store, cypher: str) -> None:  # type: ignore[no-untyped-def]
    neo4j_store.load_register(read_register(ROOT / "examples" / "acme-retail"))
    before = neo4j_store.read("MATCH (n) RETURN count(n) AS n, collect(DISTINCT n.name) AS names")
    result = cli("query", cypher, env=neo4j_env(neo4j_store))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "read-only" in result.stderr
    assert (
        neo4j_store.read("MATCH (n) RETURN count(n) AS n, collect(DISTINCT n.name) AS names")
        == before
    )


@pytest.mark.neo4j
def test_unknown_query_name_lists_the_known_ones(neo4j_store) -> None:  # type: ignore[no-untyped-def]
    result = cli("query", "mode-mismatch", env=neo4j_env(neo4j_store))
    assert result.returncode == 1
    assert "mode-mismatches" in result.stderr


CHANGED_RULES = """@prefix sg: <https://w3id.org/sourcing-graph/ontology#> .
sg:SlaClause sg:forcesMode sg:Reliability .
sg:WeightLots sg:weight 5 .
"""


@pytest.mark.neo4j
def test_changed_rules_give_the_same_changed_result_on_both_engines(neo4j_store, tmp_path) -> None:  # type: ignore[no-untyped-def]
    rules = tmp_path / "rules.ttl"
    rules.write_text(CHANGED_RULES, encoding="utf-8")
    args = [
        "analyze",
        "examples/gemeente-waterland",
        "--format",
        "json",
        "--rules",
        str(rules),
        *AS_OF,
    ]
    embedded = cli(*args, "--engine", "embedded")
    on_neo4j = cli(*args, "--engine", "neo4j", "--replace", env=neo4j_env(neo4j_store))
    assert embedded.returncode == 0 and on_neo4j.returncode == 0, embedded.stderr + on_neo4j.stderr
    changed = json.loads(embedded.stdout)
    assert json.loads(on_neo4j.stdout) == changed
    assert changed != expected("gemeente-waterland")
    default = expected("gemeente-waterland")["coordination_load"]  # type: ignore[index]
    scores = {r["prime_contractor"]: r for r in changed["coordination_load"]}
    for row in default:
        # each lot now weighs 5 instead of 1; the other measures may move with sla forcing
        assert scores[row["prime_contractor"]]["lots"] == row["lots"]
    # and a later run without --rules is back on the packaged rules, on Neo4j too
    again = cli(
        "analyze",
        "examples/gemeente-waterland",
        "--format",
        "json",
        "--engine",
        "neo4j",
        "--replace",
        *AS_OF,
        env=neo4j_env(neo4j_store),
    )
    assert json.loads(again.stdout) == expected("gemeente-waterland")
