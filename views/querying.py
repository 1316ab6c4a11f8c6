"""Running user queries: resolve a name, file or Cypher text; parse ``--param``; render rows."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from sourcing_graph.errors import QueryError
from sourcing_graph.queries import get_query, list_queries
from sourcing_graph.text import json_text, visible
from sourcing_graph.views.formats import csv_text, spreadsheet_safe


def resolve_query(query: str) -> tuple[str, dict[str, str]]:
    """Return the Cypher text and the declared parameters (name -> type) for a name, file or text.

    A known name (``mode-mismatches``) or a ``.cypher`` file gives the file's text and the
    parameters its header declares; anything else is taken as Cypher text with no declarations.
    """
    names = {info.name for info in list_queries()}
    if query in names or query.endswith(".cypher"):
        if query.endswith(".cypher") and not Path(query).is_file() and query not in names:
            raise QueryError(f"no query file {query!r}")
        info = get_query(query)
        return info.text, {p.name: p.type for p in info.params}
    if " " not in query.strip() and "(" not in query:
        raise QueryError(
            f"unknown query name {query!r}; the named queries are: " + ", ".join(sorted(names))
        )
    return query, {}


def parse_params(pairs: Iterable[str], declared: dict[str, str]) -> dict[str, Any]:
    """Turn ``key=value`` strings into typed parameters; declared parameters default to None."""
    values: dict[str, Any] = dict.fromkeys(declared)
    for pair in pairs:
        key, sep, raw = pair.partition("=")
        key = key.strip()
        if not sep or not key:
            raise QueryError(f"parameter {pair!r} is not of the form key=value")
        if declared and key not in declared:
            raise QueryError(
                f"unknown parameter {key!r}; this query takes: " + ", ".join(sorted(declared))
            )
        values[key] = _typed(key, raw, declared.get(key, ""))
    return values


def _typed(key: str, raw: str, kind: str) -> Any:
    kind = kind.lower()
    if "int" in kind:
        try:
            return int(raw)
        except ValueError:
            raise QueryError(f"parameter {key}={raw!r}: expected a whole number") from None
    if "float" in kind or "number" in kind:
        try:
            return float(raw)
        except ValueError:
            raise QueryError(f"parameter {key}={raw!r}: expected a number") from None
    if "bool" in kind:
        if raw.lower() in ("true", "yes", "1", "ja"):
            return True
        if raw.lower() in ("false", "no", "0", "nee"):
            return False
        raise QueryError(f"parameter {key}={raw!r}: expected true or false")
    if "list" in kind:
        return [item.strip() for item in raw.split(",") if item.strip()]
    if kind == "" and raw.startswith(("[", "{")):
        try:
            return json.loads(raw)
        except json.JSONDecodeError:
            return raw
    return raw


def render_rows(rows: Sequence[dict[str, Any]], fmt: str) -> str:
    """Rows as an aligned text table, JSON (a list of objects) or CSV.

    CSV cells hold the text as it is, except that text which a spreadsheet could run as a formula
    gets a leading ``'`` (numbers stay numbers); the table shows control characters as escapes
    (see :mod:`sourcing_graph.views.formats`).
    """
    if fmt == "json":
        return json_text(list(rows), indent=2, default=str) + "\n"
    columns = list(rows[0].keys()) if rows else []
    if fmt == "csv":
        records = [[spreadsheet_safe(c) for c in columns]]
        records += [[_csv_cell(row[c]) for c in columns] for row in rows]
        return csv_text(records)
    if not rows:
        return "(no rows)\n"
    cells = [[visible(_cell(row[c])) for c in columns] for row in rows]
    columns = [visible(c) for c in columns]
    widths = [max(len(c), *(len(r[i]) for r in cells)) for i, c in enumerate(columns)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)).rstrip() for r in cells]
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(lines) + "\n"


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(_cell(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)


def _csv_cell(value: Any) -> str:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return spreadsheet_safe(_cell(value))
