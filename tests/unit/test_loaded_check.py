"""The refusal of a register that is not the one loaded in Neo4j (issue 15): what it says in each
case, and that the library names no CLI option (the CLI's words come from its settings table)."""

from __future__ import annotations

import pytest

from sourcing_graph.cli.settings_words import error_message
from sourcing_graph.errors import NotTheLoadedRegister
from sourcing_graph.graph.neo4j.guard import PreviousLoad
from sourcing_graph.graph.neo4j.loaded import check_loaded

URI = "bolt://127.0.0.1:7687"
LOADED = PreviousLoad(26, "d" * 32, "load-1")


@pytest.mark.parametrize(
    ("previous", "digest", "contracts", "changed", "what"),
    [
        (PreviousLoad(), "d" * 32, 26, False, "no register is loaded there"),
        (LOADED, "e" * 32, 12, False, "another register is loaded there (26 contracts; this one has 12)"),
        (LOADED, "e" * 32, 26, False, "another register is loaded there (26 contracts, as many as this one's)"),
        (LOADED, "d" * 32, 26, True, "the register loaded there was changed since its load"),
    ],
)  # fmt: skip
def test_what_the_refusal_says(
    previous: PreviousLoad, digest: str, contracts: int, changed: bool, what: str
) -> None:
    with pytest.raises(NotTheLoadedRegister, match="not the register loaded") as info:
        check_loaded(previous, digest, uri=URI, contracts=contracts, changed=changed)
    assert error_message(info.value) == (
        f"not the register loaded in Neo4j at {URI}: {what}, so its findings and modes are not "
        "this register's; nothing was made. Use --engine embedded to read this register alone, "
        "or load it first (sourcing-graph load)"
    )
    assert "--" not in str(info.value)  # the library's own words name no option


def test_the_loaded_register_itself_passes() -> None:
    check_loaded(LOADED, "d" * 32, uri=URI, contracts=26, changed=False)
