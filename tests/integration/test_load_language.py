"""``load`` speaks the register's language (or --lang): its warnings and its summary line."""

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
