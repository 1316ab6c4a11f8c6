"""The whatif command: the example scenarios' deltas embedded and on Neo4j, its formats and
languages, bad scenarios (file:line:column, nothing computed), and Neo4j left as it was.

On Neo4j the changes run in a transaction that is rolled back: the graph's digest is the same
after a what-if, a reader in another session sees nothing of the changes while they are applied,
and ``after`` equals ``analyze`` of the register's CSV files edited the same way (random
registers and scenarios, as in tests/unit/test_whatif.py; case counts: ``CI=true`` a fixed,
derandomized :data:`CI_CASES`, locally ``SG_WHATIF_NEO4J_EXAMPLES``, default 25).
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench.generate import write_register
from sourcing_graph.graph.analyses import Neo4jEngine, analyze
from sourcing_graph.graph.neo4j.whatif import before_and_after
from sourcing_graph.graph.whatif import what_if
from sourcing_graph.loaders.csv_reader import read_register
from sourcing_graph.loaders.scenario import read_scenario
from sourcing_graph.model import Change
from sourcing_graph.ontology.rules import load_rules
from tests.support import EXAMPLES, IN_CI
from tests.support.cli import cli, neo4j_env, no_neo4j_env
from tests.support.server import snapshot
from tests.support.whatif_cases import AS_OF, FORMS, edit_csv, registers, scenarios, write_scenario

SCENARIOS = EXAMPLES / "scenarios"
CASES = [("gemeente-waterland", "gemeente-waterland-regie"), ("acme-retail", "acme-retail-trust")]
DATE = ("--as-of", AS_OF.isoformat())
CI_CASES = 40
"""Cases of the Neo4j property test in CI (derandomized)."""


def expected_delta(scenario: str) -> Any:
    return json.loads((SCENARIOS / f"{scenario}.delta.json").read_text(encoding="utf-8"))


def whatif(register: str, scenario: str, *args: str, env: dict[str, str]) -> Any:
    return cli(
        "whatif", str(EXAMPLES / register), str(SCENARIOS / f"{scenario}.csv"), *DATE, *args,
        env=env,
    )  # fmt: skip


@pytest.mark.parametrize(("register", "scenario"), CASES)
def test_whatif_json_embedded(register: str, scenario: str) -> None:
    run = whatif(register, scenario, "--engine", "embedded", "--format", "json", env=no_neo4j_env())
    assert run.returncode == 0, run.stderr
    out = json.loads(run.stdout)
    assert list(out) == ["before", "after", "delta"]
    assert out["delta"] == expected_delta(scenario)
    assert out["before"]["as_of"] == out["after"]["as_of"] == "2026-06-01"


def test_whatif_table_speaks_the_registers_language() -> None:
    dutch = whatif("gemeente-waterland", "gemeente-waterland-regie", env=no_neo4j_env())
    assert dutch.returncode == 0, dutch.stderr
    assert "Verandering van de score per hoofdaannemer (R5)" in dutch.stdout
    assert "vervallen" in dutch.stdout and "toegevoegd" in dutch.stdout
    english = whatif("acme-retail", "acme-retail-trust", "--format", "markdown", env=no_neo4j_env())
    assert english.returncode == 0, english.stderr
    assert "## Sourcing option before and after (R15)" in english.stdout
    # Markdown escapes the colon
    assert r"option B\: trust, with the own IT organisation as prime contractor" in english.stdout


def test_a_bad_scenario_computes_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("doel;wijziging;waarde\nkavel:K99;hoofdaannemer instellen;own-it\n", "utf-8")
    waterland = str(EXAMPLES / "gemeente-waterland")
    run = cli("whatif", waterland, str(bad), env=no_neo4j_env())  # the register's language
    assert run.returncode == 1 and run.stdout == ""
    assert f"{bad}:2:1: fout: kavel 'K99' is onbekend (gelezen 'kavel:K99'" in run.stderr
    assert run.stderr.endswith("fout: het scenario heeft 1 fout; er is niets berekend\n")
    run = cli("whatif", waterland, str(bad), "--lang", "en", env=no_neo4j_env())
    assert run.returncode == 1 and run.stdout == ""
    assert f"{bad}:2:1: error: unknown lot 'K99'" in run.stderr
    assert run.stderr.endswith("error: the scenario has 1 error; nothing was computed\n")


# -- Neo4j --------------------------------------------------------------------------------------


@pytest.mark.neo4j
@pytest.mark.parametrize(("register", "scenario"), CASES)
def test_whatif_on_neo4j_gives_the_same_and_changes_nothing(
    neo4j_store, register: str, scenario: str
) -> None:  # type: ignore[no-untyped-def]
    env = neo4j_env(neo4j_store)
    loaded = cli("load", str(EXAMPLES / register), env=env)
    assert loaded.returncode == 0, loaded.stderr
    before = snapshot(neo4j_store)
    run = whatif(register, scenario, "--engine", "neo4j", "--format", "json", env=env)
    assert run.returncode == 0, run.stderr
    out = json.loads(run.stdout)
    assert out["delta"] == expected_delta(scenario)
    embedded = whatif(register, scenario, "--engine", "embedded", "--format", "json", env=env)
    assert json.loads(embedded.stdout) == out
    assert snapshot(neo4j_store) == before


@pytest.mark.neo4j
def test_a_reader_in_another_session_sees_nothing_of_a_what_if(neo4j_store) -> None:  # type: ignore[no-untyped-def]
    reg = read_register(EXAMPLES / "gemeente-waterland")
    neo4j_store.load_register(reg)
    before = snapshot(neo4j_store)
    seen: dict[str, Any] = {}

    class PlainReads:
        """The store's reads without its load lock (which the what-if holds until it ends)."""

        def read(self, cypher: str, params: dict[str, Any] | None = None) -> Any:
            return neo4j_store.read(cypher, params)

    def meanwhile() -> None:
        # the what-if's transaction holds the changes, uncommitted: another session reads
        seen["snapshot"] = snapshot(neo4j_store)
        seen["prime"] = neo4j_store.read(
            "MATCH (:Lot {id: 'K02'})-[:COORDINATED_BY]->(p) RETURN p.id AS id"
        )
        seen["result"] = analyze(None, None, Neo4jEngine(PlainReads(), stored=False, as_of=AS_OF))

    changes = [
        Change("drop_clause", "WL-01", "penalty"),
        Change("set_prime_contractor", "K02", "own-it"),
        Change("set_internal", "werkplekwerf", True),
    ]
    old, new = before_and_after(neo4j_store, changes, as_of=AS_OF, meanwhile=meanwhile)
    assert old != new and new["posture"]["external_prime_contractors"] == ["kwelder"]
    assert seen["snapshot"] == before and seen["prime"] == [{"id": "kwelder"}]
    assert seen["result"] == old
    assert snapshot(neo4j_store) == before


NEO4J_SETTINGS = settings(
    max_examples=CI_CASES if IN_CI else int(os.environ.get("SG_WHATIF_NEO4J_EXAMPLES", "25")),
    derandomize=IN_CI,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@pytest.mark.neo4j
@NEO4J_SETTINGS
@given(data=st.data(), register=registers(), form=FORMS)
def test_after_on_neo4j_is_the_analysis_of_the_edited_csv_files(
    neo4j_store, data, register, form
) -> None:  # type: ignore[no-untyped-def]
    rules = load_rules()
    changes = data.draw(scenarios(register))
    with tempfile.TemporaryDirectory() as tmp:
        folder = write_register(register, Path(tmp) / "register")
        original = read_register(folder)
        read = read_scenario(write_scenario(Path(tmp) / "s.csv", changes, form), original)
        edited = Path(tmp) / "edited"
        shutil.copytree(folder, edited)
        edit_csv(edited, changes)
        by_hand = read_register(edited)
    neo4j_store.load_register(original)
    digest = snapshot(neo4j_store)
    out = what_if(original, read, rules, store=neo4j_store, as_of=AS_OF)
    assert snapshot(neo4j_store) == digest
    neo4j_store.load_register(by_hand)
    expected = analyze(None, None, Neo4jEngine(neo4j_store, as_of=AS_OF))
    assert out["after"] == expected
    assert out["after"] == analyze(by_hand, rules, as_of=AS_OF)
