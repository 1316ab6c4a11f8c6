"""``load`` speaks the register's language (or --lang): its warnings and its summary line; a named
``query`` shows the loaded register's names beside ids in its table and Markdown."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support import EXAMPLES
from tests.support.cli import cli, neo4j_env

WATERLAND = str(EXAMPLES / "gemeente-waterland")


@pytest.mark.neo4j
def test_load_summarises_in_the_registers_language(neo4j_store: Any) -> None:
    env = neo4j_env(neo4j_store)
    uri = neo4j_store.settings.uri
    dutch = cli("load", WATERLAND, "--no-progress", env=env)
    assert dutch.returncode == 0, dutch.stderr
    assert dutch.stdout.startswith(
        f"{WATERLAND} geladen in {uri}: 26 contracten, 11 kavels, 11 organisaties, 12 functies, "
        "12 afhankelijkheden, "
    ), dutch.stdout
    warned = dutch.stderr.count(": waarschuwing: ")  # its warnings in Dutch too
    assert warned > 1 and " bevindingen in " in dutch.stdout
    assert dutch.stdout.rstrip().endswith(f" s; {warned} waarschuwingen"), dutch.stdout
    english = cli("load", WATERLAND, "--no-progress", "--lang", "en", env=env)
    assert english.returncode == 0, english.stderr
    assert english.stdout.startswith(f"loaded {WATERLAND} into {uri}: 26 contracts, 11 lots, ")
    assert english.stdout.rstrip().endswith(f" s; {warned} warnings"), english.stdout
    assert english.stderr.count(": warning: ") == warned


@pytest.mark.neo4j
def test_a_named_query_shows_names_beside_ids(neo4j_store: Any) -> None:
    env = neo4j_env(neo4j_store)
    assert cli("load", WATERLAND, "--no-progress", "-q", env=env).returncode == 0
    dutch = cli("query", "concentration", "--lang", "nl", env=env)
    assert dutch.returncode == 0, dutch.stderr
    assert "Kwelder Hosting B.V. (kwelder)" in dutch.stdout
    assert "F-REGIE Regievoering op leveranciers" in dutch.stdout
    assert "K02 Hosting en datacenter" in dutch.stdout and "leverancier" in dutch.stdout
    english = cli("query", "mode-mismatches", "--format", "markdown", "--lang", "en", env=env)
    assert english.returncode == 0, english.stderr
    assert "| K01 Werkplek en servicedesk | K02 Hosting en datacenter |" in english.stdout
    # machine formats keep the ids
    csv = cli("query", "concentration", "--format", "csv", env=env).stdout
    assert "kwelder," in csv and "Kwelder Hosting" not in csv
    json = cli("query", "concentration", "--format", "json", env=env).stdout
    assert '"supplier": "kwelder"' in json and "Kwelder Hosting" not in json
