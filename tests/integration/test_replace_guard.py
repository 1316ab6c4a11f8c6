"""Only load and refresh write to Neo4j (issue 15): analyze, view and report run on the embedded
engine unless ``--engine neo4j``; with it they refuse to replace another loaded register (the
register digests compared) unless ``--replace``, and say on stderr what they loaded."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from sourcing_graph.loaders.csv_reader import read_register
from tests.support import AS_OF, AS_OF_ARGS, EXAMPLES
from tests.support.cli import cli, neo4j_env
from tests.support.ontology import SG_PREFIX
from tests.support.server import wipe

WATERLAND = str(EXAMPLES / "gemeente-waterland")
ACME = str(EXAMPLES / "acme-retail")
META = "MATCH (m:SourcingGraphMeta {key: 'register'}) RETURN m.registerDigest AS d, m.loadId AS id"


def command(name: str, register: str, out: Path) -> list[str]:
    """``name`` run on ``register`` with what it needs to write."""
    if name == "analyze":
        return ["analyze", register, "--format", "json"]
    return [name, register, "-o", str(out / f"{name}.html")]


def loaded(store: Any) -> dict[str, Any]:
    """The digest and load id of the register loaded now."""
    return dict(store.read(META)[0])


@pytest.mark.neo4j
@pytest.mark.parametrize("name", ["analyze", "view", "report"])
def test_another_loaded_register_is_kept_unless_replace_is_given(
    neo4j_store: Any, tmp_path: Path, name: str
) -> None:
    neo4j_store.load_register(read_register(WATERLAND))
    env = neo4j_env(neo4j_store)
    before = loaded(neo4j_store)

    default = cli(*command(name, ACME, tmp_path), env=env)  # NEO4J_URI set, no --engine
    assert default.returncode == 0, default.stderr
    assert "loaded into" not in default.stderr
    assert loaded(neo4j_store) == before

    refused = cli(*command(name, ACME, tmp_path), "--engine", "neo4j", env=env)
    assert refused.returncode == 1
    assert (
        f"error: not loaded into Neo4j at {neo4j_store.settings.uri}: another register is "
        "loaded there (26 contracts), and this would replace it; nothing was changed. Use "
        "--replace to replace it, --loaded to analyse the loaded one, or --engine embedded"
    ) in refused.stderr
    assert loaded(neo4j_store) == before

    same = cli(*command(name, WATERLAND, tmp_path), "--engine", "neo4j", env=env)
    assert same.returncode == 0, same.stderr
    assert (
        f"the same register is loaded in {neo4j_store.settings.uri} (26 contracts); nothing was "
        "written" in same.stderr
    )
    assert loaded(neo4j_store) == before  # not even rewritten: the same load

    replaced = cli(*command(name, ACME, tmp_path), "--engine", "neo4j", "--replace", env=env)
    assert replaced.returncode == 0, replaced.stderr
    assert f"loaded into {neo4j_store.settings.uri} replacing 26 contracts\n" in replaced.stderr
    assert loaded(neo4j_store)["d"] != before["d"]
    counts = neo4j_store.read("MATCH (c:Contract) RETURN count(c) AS n")[0]["n"]
    assert counts == 12


@pytest.mark.neo4j
@pytest.mark.parametrize("name", ["view", "report"])
def test_view_and_report_read_the_loaded_register_without_loading(
    neo4j_store: Any, tmp_path: Path, name: str
) -> None:
    neo4j_store.load_register(read_register(ACME))
    before = loaded(neo4j_store)
    result = cli(*command(name, ACME, tmp_path), "--loaded", env=neo4j_env(neo4j_store))
    assert result.returncode == 0, result.stderr
    assert "loaded into" not in result.stderr
    assert (tmp_path / f"{name}.html").stat().st_size > 10_000
    assert loaded(neo4j_store) == before


@pytest.mark.neo4j
def test_a_loaded_register_changed_with_cypher_is_not_replaced_by_its_file(
    neo4j_store: Any,
) -> None:
    neo4j_store.load_register(read_register(ACME))
    neo4j_store.write("MATCH (c:Contract {id: 'A-01'}) SET c.note = 'changed in Browser'")
    env = neo4j_env(neo4j_store)
    refused = cli("analyze", ACME, "--engine", "neo4j", env=env)
    assert refused.returncode == 1
    assert "the register loaded there was changed since its load" in refused.stderr
    note = "MATCH (c:Contract {id: 'A-01'}) RETURN c.note AS note"
    assert neo4j_store.read(note) == [{"note": "changed in Browser"}]
    assert cli("analyze", ACME, "--engine", "neo4j", "--replace", env=env).returncode == 0
    assert neo4j_store.read(note) == [{"note": None}]


@pytest.mark.neo4j
def test_load_prints_the_warnings_unless_quiet(neo4j_store: Any) -> None:
    env = neo4j_env(neo4j_store)
    said = cli("load", ACME, "--no-progress", env=env)
    assert said.returncode == 0, said.stderr
    assert said.stderr.count(": warning: ") == 3, said.stderr
    assert "contracts.csv:4:10: warning: contract 'A-03' has no mode recorded" in said.stderr
    quiet = cli("load", ACME, "--no-progress", "-q", env=env)
    assert quiet.returncode == 0, quiet.stderr
    assert "warning" not in quiet.stderr


SCENARIO = str(EXAMPLES / "scenarios" / "acme-retail-trust.csv")
NOT_LOADED = "error: not the register loaded in Neo4j at {uri}: {what}, so its findings and modes"


@pytest.mark.neo4j
@pytest.mark.parametrize("name", ["view", "report"])
def test_view_and_report_of_the_loaded_register_refuse_another_register(
    neo4j_store: Any, tmp_path: Path, name: str
) -> None:
    env = neo4j_env(neo4j_store)
    uri = neo4j_store.settings.uri
    wipe(neo4j_store)  # no register loaded
    empty = cli(*command(name, ACME, tmp_path), "--loaded", "-q", env=env)
    assert empty.returncode == 1
    assert NOT_LOADED.format(uri=uri, what="no register is loaded there") in empty.stderr
    neo4j_store.load_register(read_register(WATERLAND))
    before = loaded(neo4j_store)
    other = cli(*command(name, ACME, tmp_path), "--loaded", "-q", env=env)
    assert other.returncode == 1
    what = "another register is loaded there (26 contracts; this one has 12)"
    assert other.stderr == (
        NOT_LOADED.format(uri=uri, what=what) + " are not this register's; nothing was made. "
        "Use --engine embedded to read this register alone, or load it first (sourcing-graph "
        "load)\n"
    )
    assert not (tmp_path / f"{name}.html").exists()
    assert loaded(neo4j_store) == before
    neo4j_store.write("MATCH (c:Contract {id: 'WL-01'}) SET c.note = 'changed in Browser'")
    changed = cli(*command(name, WATERLAND, tmp_path), "--loaded", "-q", env=env)
    assert changed.returncode == 1
    what = "the register loaded there was changed since its load"
    assert NOT_LOADED.format(uri=uri, what=what) in changed.stderr
    assert not (tmp_path / f"{name}.html").exists()


@pytest.mark.neo4j
def test_whatif_keeps_another_loaded_register_unless_replace_is_given(
    neo4j_store: Any,
) -> None:
    neo4j_store.load_register(read_register(WATERLAND))
    env = neo4j_env(neo4j_store)
    uri = neo4j_store.settings.uri
    before = loaded(neo4j_store)
    whatif = ["whatif", ACME, SCENARIO, "--format", "json", "-q"]

    default = cli(*whatif, env=env)  # NEO4J_URI set, no --engine: embedded
    assert default.returncode == 0, default.stderr
    assert loaded(neo4j_store) == before
    refused = cli(*whatif, "--engine", "neo4j", env=env)
    assert refused.returncode == 1
    assert (
        "another register is loaded there (26 contracts), and this would replace it; "
        + ("nothing was changed. Use --replace to replace it")
        in refused.stderr
    )
    assert loaded(neo4j_store) == before
    other = cli(*whatif, "--loaded", env=env)
    assert other.returncode == 1
    what = "another register is loaded there (26 contracts; this one has 12)"
    assert NOT_LOADED.format(uri=uri, what=what) in other.stderr
    assert loaded(neo4j_store) == before

    replaced = cli(*whatif, "--engine", "neo4j", "--replace", env=env)
    assert replaced.returncode == 0, replaced.stderr
    assert f"loaded into {uri} replacing 26 contracts\n" in replaced.stderr
    after = loaded(neo4j_store)
    assert after["d"] != before["d"]
    same = cli(*whatif, "--loaded", env=env)  # the loaded register: nothing loaded, nothing kept
    assert same.returncode == 0, same.stderr
    assert "loaded into" not in same.stderr
    assert loaded(neo4j_store) == after
    assert same.stdout == replaced.stdout


RULES_META = (
    "MATCH (m:SourcingGraphMeta {key: 'register'}) "
    "RETURN m.rulesDigest AS rules, m.registerDigest AS d, m.loadId AS id"
)


@pytest.mark.neo4j
@pytest.mark.parametrize("name", ["analyze", "view"])
def test_the_loaded_register_is_analysed_with_its_stored_rule_data_writing_nothing(
    neo4j_store: Any, tmp_path: Path, name: str
) -> None:
    # it used to write the packaged rule data over the stored one and redraw the conclusions
    changed = tmp_path / "rules.ttl"
    changed.write_text(SG_PREFIX + "sg:SlaClause sg:forcesMode sg:Reliability .\n")
    other = tmp_path / "other.ttl"
    other.write_text(SG_PREFIX + "sg:ReportingClause sg:forcesMode sg:Distrust .\n")
    neo4j_store.load_register(read_register(WATERLAND), rules_source=changed)
    env = neo4j_env(neo4j_store)
    before = neo4j_store.read(RULES_META)
    packaged = cli(*command(name, WATERLAND, tmp_path), "--loaded", "-q", env=env)
    assert packaged.returncode == 0, packaged.stderr
    assert packaged.stderr == (
        "note: the rule data stored with the register loaded in Neo4j at "
        f"{neo4j_store.settings.uri} is not the packaged rule data (a load or refresh with "
        "changed rules); analysing with it as stored\n"
    )
    assert neo4j_store.read(RULES_META) == before
    given = cli(*command(name, WATERLAND, tmp_path), "--loaded", "--rules", str(changed), env=env)
    assert given.returncode == 0, given.stderr
    assert "note:" not in given.stderr
    refused = cli(*command(name, WATERLAND, tmp_path), "--loaded", "--rules", str(other), env=env)
    assert refused.returncode == 1
    assert (
        "is not that of the rules given, and only a load or a refresh changes it; nothing "
        + (
            "was changed. Store them with sourcing-graph refresh --rules FILE, or analyse with "
            "--engine embedded\n"
        )
        in refused.stderr
    )
    assert neo4j_store.read(RULES_META) == before


@pytest.mark.neo4j
def test_the_same_register_with_other_rules_is_analysed_with_those_rules(
    neo4j_store: Any, tmp_path: Path
) -> None:
    # it used to keep the loaded conclusions ("the same register is loaded"), drawn with the
    # packaged rules, and print them as the result of the changed rules
    rules = tmp_path / "rules.ttl"
    rules.write_text(SG_PREFIX + "sg:SlaClause sg:forcesMode sg:Reliability .\n")
    neo4j_store.load_register(read_register(WATERLAND), as_of=AS_OF)
    env = neo4j_env(neo4j_store)
    args = ["analyze", WATERLAND, "--rules", str(rules), "--format", "json", *AS_OF_ARGS, "-q"]
    embedded = cli(*args, env=env)
    on_neo4j = cli(*args, "--engine", "neo4j", env=env)
    assert on_neo4j.returncode == 0, on_neo4j.stderr
    uri = neo4j_store.settings.uri
    assert f"loaded into {uri} replacing 26 contracts (the same register)\n" in on_neo4j.stderr
    assert json.loads(on_neo4j.stdout) == json.loads(embedded.stdout)
    before = loaded(neo4j_store)
    again = cli(*args, "--engine", "neo4j", env=env)  # now the same register and rules: kept
    assert f"the same register is loaded in {uri} (26 contracts)" in again.stderr
    assert again.stdout == on_neo4j.stdout
    assert loaded(neo4j_store) == before
