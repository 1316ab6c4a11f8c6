"""The Cypher cookbook (docs/cypher-cookbook.md) is true: every question's query, run on the
Waterland example loaded into real Neo4j with its ``:param`` values, returns exactly the rows
documented under it, and Neo4j notices nothing about it: no unknown label, relationship type or
property, no cartesian product. (The document's shape is checked without a server in
tests/unit/test_cookbook_doc.py.)"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from sourcing_graph.loaders.csv_reader import read_register
from tests.support import EXAMPLES
from tests.support.cookbook import Recipe, recipes, run

pytestmark = pytest.mark.neo4j

RECIPES = recipes()
AS_OF = date(2026, 6, 1)
"""The reference date of the load (``load --as-of 2026-06-01``): R14's findings depend on it."""


@pytest.fixture(scope="module")
def waterland_store(neo4j_store: Any) -> Any:
    """The test store holding Waterland with the packaged ontology and its conclusions."""
    neo4j_store.ensure_schema()
    neo4j_store.load_register(read_register(EXAMPLES / "gemeente-waterland"), as_of=AS_OF)
    assert not neo4j_store.conclusions_stale()
    return neo4j_store


@pytest.mark.parametrize("recipe", RECIPES, ids=[r.title.split(".")[0] for r in RECIPES])
def test_each_query_returns_the_documented_rows(waterland_store: Any, recipe: Recipe) -> None:
    columns, rows, notices = run(waterland_store, recipe)
    unknown = [f"{n.unknown_kind} {n.name!r}" for n in notices if n.unknown_kind]
    assert not unknown, f"{recipe.title}: Neo4j knows no {', '.join(unknown)}"
    # nor anything else Browser would show beside the rows (a cartesian product, a deprecation)
    assert [n.description for n in notices] == [], recipe.title
    assert columns == recipe.columns, recipe.title
    assert rows == recipe.rows, recipe.title
