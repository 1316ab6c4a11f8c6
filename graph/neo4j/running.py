"""Running one query in a transaction: its rows as plain values, its columns, what it changed and
what the server noticed about it (:class:`QueryRun`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sourcing_graph.graph.neo4j.notices import Notice, notices
from sourcing_graph.graph.neo4j.values import PlainValues
from sourcing_graph.queries.statements import statements

__all__ = ["QueryRun", "run_in"]


@dataclass(frozen=True)
class QueryRun:
    """The outcome of a query: ``rows`` (plain dicts, see :mod:`.values`), ``columns`` (the
    names it returns, also when no row came back), ``changed`` (the server's counters that are
    not zero: ``nodes_created``, ``properties_set``...) and ``notices`` (see :mod:`.notices`)."""

    rows: list[dict[str, Any]]
    columns: list[str] = field(default_factory=list)
    changed: dict[str, int] = field(default_factory=dict)
    notices: list[Notice] = field(default_factory=list)


def run_in(tx: Any, cypher: str, params: dict[str, Any], *, with_notices: bool) -> QueryRun:
    """Run ``cypher`` in ``tx`` and read everything of its result (see :class:`QueryRun`)."""
    result = tx.run(cypher, params)
    plain = PlainValues()
    rows = [{k: plain.value(v) for k, v in record.items()} for record in result]
    columns = list(result.keys())
    summary = result.consume()
    plain.fill(tx)
    counters = summary.counters
    changed = {
        name: value
        for name in dir(counters)
        if not name.startswith("_")
        and isinstance(value := getattr(counters, name), int)
        and not isinstance(value, bool)
        and value
    }
    found = notices(summary, lambda: _names(tx)) if with_notices else []
    return QueryRun(rows, columns, changed, found)


def _names(tx: Any) -> dict[str, list[str]]:
    record = tx.run(statements("query")["schema-names"]).single()
    if record is None:
        return {}
    return {
        "label": record["labels"],
        "relationship type": record["types"],
        "property": record["keys"],
    }
