"""The Cypher cookbook (``docs/cypher-cookbook.md``) read as test cases: each question's
``:param`` lines, its Cypher and the rows documented under it, and running one on Neo4j as Browser
would (parameters evaluated by the server, rows written as ``sourcing-graph query`` writes them)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from sourcing_graph.views.graph_values import value_text
from tests.support import ROOT

COOKBOOK = ROOT / "docs" / "cypher-cookbook.md"

_FENCE = re.compile(r"^```cypher\n(.*?)^```\n", re.M | re.S)
_PARAM = re.compile(r"^:param\s+([A-Za-z_][A-Za-z0-9_]*)\s*=>\s*(.+?);?\s*$")
_CELL_SPLIT = re.compile(r"(?<!\\)\|")
_ESCAPE = re.compile(r"\\([\\|])")


@dataclass(frozen=True)
class Recipe:
    """One question: its heading, the ``:param`` expressions by name (Cypher text, as Browser
    takes them), the query, and the documented columns and rows (each cell as text)."""

    title: str
    params: dict[str, str]
    cypher: str
    columns: list[str]
    rows: list[list[str]] = field(default_factory=list)


def recipes(text: str | None = None) -> list[Recipe]:
    """Every question of the cookbook (a ``###`` section with a Cypher block), in order."""
    text = COOKBOOK.read_text(encoding="utf-8") if text is None else text
    found = []
    for section in re.split(r"^### ", text, flags=re.M)[1:]:
        title = section.splitlines()[0].strip()
        params: dict[str, str] = {}
        query = None
        for block in _FENCE.finditer(section):
            lines = [line for line in block.group(1).splitlines() if line.strip()]
            if lines and all(line.startswith(":param") for line in lines):
                params.update(_param(line) for line in lines)
            else:
                assert query is None, f"{title}: more than one query block"
                query = block
        assert query is not None, f"{title}: no Cypher block"
        columns, rows = table(section[query.end() :])
        found.append(Recipe(title, params, query.group(1).strip(), columns, rows))
    return found


def _param(line: str) -> tuple[str, str]:
    match = _PARAM.match(line.strip())
    assert match, f"not a ':param name => value' line: {line!r}"
    return match.group(1), match.group(2)


def cells(line: str) -> list[str]:
    """The cells of one Markdown table line, ``\\|`` read as ``|``."""
    inner = line.strip()
    assert inner.startswith("|") and inner.endswith("|") and not inner.endswith("\\|"), line
    return [_ESCAPE.sub(r"\1", c.strip()) for c in _CELL_SPLIT.split(inner[1:-1])]


def table(text: str) -> tuple[list[str], list[list[str]]]:
    """The first Markdown table in ``text``: its header and rows."""
    lines = text.splitlines()
    start = next((i for i, line in enumerate(lines) if line.startswith("|")), None)
    assert start is not None, "no table of expected rows after the query"
    block = []
    for line in lines[start:]:
        if not line.startswith("|"):
            break
        block.append(line)
    assert len(block) >= 2 and set(block[1].replace("|", "").strip()) <= set("-: "), block[:2]
    return cells(block[0]), [cells(line) for line in block[2:]]


def cell_text(value: Any) -> str:
    """A value as the cookbook's tables write it: as ``sourcing-graph query`` does."""
    return value_text(value)


def markdown_table(columns: list[str], rows: list[list[str]]) -> str:
    """The table the cookbook shows for these columns and cell texts (``|`` escaped)."""

    def line(items: list[str]) -> str:
        return "| " + " | ".join(i.replace("\\", "\\\\").replace("|", "\\|") for i in items) + " |"

    return "\n".join([line(columns), "|" + "---|" * len(columns), *map(line, rows)]) + "\n"


def evaluate_params(store: Any, recipe: Recipe) -> dict[str, Any]:
    """The recipe's parameters evaluated by the server, as Browser's ``:param x => expr`` does
    (so ``date('2025-07-01')`` is a date, not text)."""
    values: dict[str, Any] = {}
    with store.driver.session(database=store.database) as session:
        for name, expression in recipe.params.items():
            record = session.run(f"RETURN {expression} AS value").single()
            assert record is not None
            values[name] = record["value"]
    return values


def run(store: Any, recipe: Recipe) -> tuple[list[str], list[list[str]], list[Any]]:
    """Run the recipe read-only with its parameters: its columns, rows as cell texts, and the
    server's notices (:class:`~sourcing_graph.graph.neo4j.notices.Notice`)."""
    result = store.query(recipe.cypher, evaluate_params(store, recipe))
    rows = [[cell_text(row.get(c)) for c in result.columns] for row in result.rows]
    return list(result.columns), rows, list(result.notices)
