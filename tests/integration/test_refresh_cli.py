"""The stored conclusions from the command line (issue 14): load reports its findings, a change
made with ``query --write`` is stale (said once on stderr, by every read), ``refresh`` prints
what changed, ``load --rules`` stores the conclusions of those rules, ``export`` writes them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from sourcing_graph.graph.analyses import analyze
from sourcing_graph.loaders.csv_reader import read_register
from sourcing_graph.ontology.rules import load_rules
from sourcing_graph.text import json_text
from tests.support import AS_OF, AS_OF_ARGS, EXAMPLES
from tests.support.cli import cli, neo4j_env, no_neo4j_env
from tests.support.ontology import SG_PREFIX

WATERLAND = str(EXAMPLES / "gemeente-waterland")
STALE = "conclusions are stale: run sourcing-graph refresh"
ADD_PENALTY = (
    "MATCH (c:Contract {id: 'WL-02'}), (t:ClauseType {key: 'penalty'}) "
    "CREATE (c)-[:HAS_CLAUSE]->(t)"
)


@pytest.mark.neo4j
def test_a_change_with_cypher_is_stale_until_refresh(neo4j_store: Any) -> None:
    env = neo4j_env(neo4j_store)
    loaded = cli(
        "load", WATERLAND, "--no-progress", "--as-of", "2026-06-01", "--lang", "en", env=env
    )
    assert loaded.returncode == 0, loaded.stderr
    assert ", 78 findings in " in loaded.stdout  # 27 of R3-R8, 51 of R10-R14 at that date
    fresh = cli("query", "MATCH (f:Finding) RETURN count(f) AS n", "--format", "json", env=env)
    assert json.loads(fresh.stdout) == [{"n": 78}] and STALE not in fresh.stderr

    written = cli("query", "--write", ADD_PENALTY, env=env)
    assert written.returncode == 0, written.stderr
    assert written.stderr.count(STALE) == 1
    for args in (
        ("query", "MATCH (c:Contract {id: 'WL-02'}) RETURN c.effectiveMode AS m"),
        ("analyze", WATERLAND, "--engine", "neo4j", "--loaded", "--format", "json"),
    ):
        read = cli(*args, env=env)
        assert read.returncode == 0, read.stderr
        assert read.stderr.count(STALE) == 1, (args, read.stderr)

    refreshed = cli("refresh", "--as-of", "2026-06-01", env=env)
    assert refreshed.returncode == 0, refreshed.stderr
    assert refreshed.stdout.splitlines()[:2] == ["+ R13|WL-02", "+ R6|WL-02"]
    assert "80 findings, 2 added, 0 removed" in refreshed.stdout
    after = cli("query", "MATCH (c:Contract {id: 'WL-02'}) RETURN c.effectiveMode AS m",
                "--format", "json", env=env)  # fmt: skip
    assert json.loads(after.stdout) == [{"m": "distrust"}]
    assert STALE not in after.stderr


@pytest.mark.neo4j
def test_load_and_refresh_with_rules_store_the_conclusions_of_those_rules(
    neo4j_store: Any, tmp_path: Path
) -> None:
    env = neo4j_env(neo4j_store)
    rules_file = tmp_path / "rules.ttl"
    rules_file.write_text(SG_PREFIX + "sg:SlaClause sg:forcesMode sg:Reliability .\n")
    changed = analyze(read_register(WATERLAND), load_rules(rules_file), as_of=AS_OF)
    assert cli("load", WATERLAND, "--rules", str(rules_file), *AS_OF_ARGS, env=env).returncode == 0
    stored = cli("query", "stored-result", "--format", "json", env=env)
    row = json.loads(stored.stdout)[0]
    assert len(row["mode_mismatches"]) == len(changed["mode_mismatches"])
    assert cli("load", WATERLAND, *AS_OF_ARGS, env=env).returncode == 0  # the packaged rules again
    refreshed = cli("refresh", "--rules", str(rules_file), *AS_OF_ARGS, env=env)
    assert refreshed.returncode == 0, refreshed.stderr
    loaded = cli("analyze", WATERLAND, "--engine", "neo4j", "--loaded", "--rules",
                 str(rules_file), "--format", "json", *AS_OF_ARGS, env=env)  # fmt: skip
    assert json.loads(loaded.stdout) == json.loads(json_text(changed))  # the JSON the tool writes
    assert STALE not in loaded.stderr


def test_export_writes_the_conclusions_unless_asked_not_to(tmp_path: Path) -> None:
    out = tmp_path / "w.ttl"
    result = cli("export", WATERLAND, "-o", str(out), env=no_neo4j_env())
    assert result.returncode == 0, result.stderr
    text = out.read_text(encoding="utf-8")
    assert "sg:Finding" in text and "sg:effectiveMode" in text
    assert '"Lot K03 Netwerk (LAN, WAN en wifi) runs on distrust' in text
    bare = tmp_path / "bare.ttl"
    assert (
        cli("export", WATERLAND, "--no-conclusions", "-o", str(bare), env=no_neo4j_env()).returncode
        == 0
    )
    assert "sg:Finding" not in bare.read_text(encoding="utf-8")
    back = cli("analyze", str(out), "--format", "json", *AS_OF_ARGS, env=no_neo4j_env())
    original = cli("analyze", WATERLAND, "--format", "json", *AS_OF_ARGS, env=no_neo4j_env())
    assert json.loads(back.stdout) == json.loads(original.stdout)


@pytest.mark.neo4j
def test_a_graph_no_register_says_is_refused_by_refresh_with_a_clear_error(
    neo4j_store: Any,
) -> None:
    """A contract put in a second lot with Cypher makes its findings come out twice: refresh says
    so in one line, exits 1 and writes nothing (the conclusions stay stale)."""
    env = neo4j_env(neo4j_store)
    loaded = cli("load", WATERLAND, "--no-progress", *AS_OF_ARGS, "--lang", "en", env=env)
    assert loaded.returncode == 0, loaded.stderr
    two_lots = "MATCH (c:Contract {id: 'WL-01'}), (l:Lot {id: 'K02'}) CREATE (c)-[:PART_OF]->(l)"
    assert cli("query", "--write", two_lots, env=env).returncode == 0
    count = "MATCH (f:Finding) RETURN count(f) AS n, collect(DISTINCT f.loadId) AS v"
    before = neo4j_store.read(count)
    refreshed = cli("refresh", *AS_OF_ARGS, env=env)
    assert refreshed.returncode == 1
    assert "Traceback" not in refreshed.stderr
    assert "R6|WL-01" in refreshed.stderr and "come out twice" in refreshed.stderr
    assert "nothing was written" in refreshed.stderr
    assert neo4j_store.read(count) == before
    assert neo4j_store.conclusions_stale()
