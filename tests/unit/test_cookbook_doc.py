"""The Cypher cookbook's shape, without a server: at least twenty questions, each with one query
and the rows it returns, every ``:param`` used, and its tables read back cell for cell (the rows
themselves are checked on Neo4j by tests/integration/test_cookbook.py)."""

from __future__ import annotations

import pytest

from tests.support.cookbook import markdown_table, recipes, table

RECIPES = recipes()


def test_at_least_twenty_questions_each_with_documented_rows() -> None:
    assert len(RECIPES) >= 20
    assert len({r.title for r in RECIPES}) == len(RECIPES)
    assert all(r.rows for r in RECIPES), [r.title for r in RECIPES if not r.rows]
    assert all(len(row) == len(r.columns) for r in RECIPES for row in r.rows)


def test_every_parameter_is_used_and_its_value_is_cypher() -> None:
    assert any(r.params.get("today", "").startswith("date(") for r in RECIPES)
    for recipe in RECIPES:
        for name in recipe.params:
            assert f"${name}" in recipe.cypher, f"{recipe.title}: ${name} not used"


def test_a_table_reads_back_what_was_written_pipes_and_backslashes_too() -> None:
    rows = [["R6|WL-01", "a \\ b", ""], ["K03", "Netwerk (LAN, WAN en wifi)", "x|"]]
    assert table(markdown_table(["key", "text", "end"], rows)) == (["key", "text", "end"], rows)


def test_a_question_without_rows_or_with_a_bad_param_line_is_refused() -> None:
    with pytest.raises(AssertionError, match="no table"):
        recipes("### 1. Q\n\n```cypher\nRETURN 1 AS n\n```\n")
    with pytest.raises(AssertionError, match="not a ':param"):
        recipes("### 1. Q\n\n```cypher\n:param n = 1\n```\n\n```cypher\nRETURN $n\n```\n")
