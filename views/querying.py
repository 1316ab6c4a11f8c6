"""Running user queries: resolve a name, file or Cypher text; render rows and the server's notices.

Parameters are typed and checked by :mod:`sourcing_graph.views.query_params` (``parse_params``
is re-exported here); nodes, relationships and paths are written by
:mod:`sourcing_graph.views.graph_values`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from sourcing_graph.errors import QueryError
from sourcing_graph.graph.engine import Notice
from sourcing_graph.ontology.rules import Rules, load_rules
from sourcing_graph.queries import QueryInfo, QueryParam, get_query, list_queries
from sourcing_graph.text import json_text, visible
from sourcing_graph.views.columns import COLUMNS, cell_text, header, kind_of
from sourcing_graph.views.format_names import FORMATS
from sourcing_graph.views.formats import csv_text, md_text, spreadsheet_safe
from sourcing_graph.views.graph_values import value_text
from sourcing_graph.views.locale import N_, Words
from sourcing_graph.views.naming import Names, resolve_reference
from sourcing_graph.views.query_params import allowed_text, parse_params, vocabulary

__all__ = [
    "QUERY_FORMATS",
    "describe_queries",
    "is_named",
    "notice_line",
    "parse_params",
    "prepare_query",
    "readable_rows",
    "render_rows",
    "resolve_query",
    "written_line",
]

QUERY_FORMATS = FORMATS
"""The formats of a query's rows: a result's (:data:`~sourcing_graph.views.format_names.FORMATS`)."""


def resolve_query(query: str) -> tuple[str, dict[str, QueryParam]]:
    """Return the Cypher text and the declared parameters (by name) for a name, file or text.

    A known name (``mode-mismatches``) or a ``.cypher`` file gives the file's text and the
    parameters its header declares; anything else is taken as Cypher text with no declarations.
    """
    info = resolve_info(query)
    if info is None:
        return query, {}
    return info.text, {p.name: p for p in info.params}


class PreparedQuery(NamedTuple):
    """A query ready to run: its Cypher, its checked parameters, and whether the server's notices
    about it concern the user (Cypher they wrote: text or a ``.cypher`` file; not the shipped
    named queries, whose notices -- a deliberate cartesian product -- are known)."""

    text: str
    params: dict[str, Any]
    notices: bool


def prepare_query(query: str, pairs: Iterable[str], rules: Rules | None = None) -> PreparedQuery:
    """Resolve ``query`` (a name, a ``.cypher`` file or Cypher text) and type and check the
    ``key=value`` parameters (see :func:`~sourcing_graph.views.query_params.parse_params`)."""
    info = resolve_info(query)
    if info is None:
        return PreparedQuery(query, parse_params(pairs, {}, rules), True)
    declared = {p.name: p for p in info.params}
    values = parse_params(pairs, declared, rules, query_name=info.name)
    return PreparedQuery(info.text, values, info.path is not None)


def resolve_organisations(
    query: str, values: dict[str, Any], names: Callable[[], list[dict[str, Any]]]
) -> dict[str, Any]:
    """``values`` with each given parameter the query declares an ``organisation`` turned from
    a name into its id (:func:`~sourcing_graph.views.naming.resolve_reference`, without case;
    an id, or a text naming nothing, stays as it is; a name of several raises). ``names()`` gives
    the register's names (read only when such a parameter is given)."""
    info = resolve_info(query)
    declared = [p.name for p in info.params if p.kind == "organisation"] if info else []
    given = [k for k in declared if isinstance(values.get(k), str)]
    if not given:
        return values
    table = Names.of_rows(names())
    return {**values, **{k: resolve_reference(table, "organisation", values[k], k) for k in given}}


def is_named(query: str) -> bool:
    """Whether ``query`` is the name of one of the shipped queries (``queries/``)."""
    return query in {info.name for info in list_queries()}


def resolve_info(query: str) -> QueryInfo | None:
    """The named query or ``.cypher`` file ``query`` names; None for Cypher text."""
    names = {info.name for info in list_queries()}
    if query in names or query.endswith(".cypher"):
        if query.endswith(".cypher") and not Path(query).is_file() and query not in names:
            raise QueryError(f"no query file {query!r}")
        return get_query(query)
    if " " not in query.strip() and "(" not in query:
        raise QueryError(
            f"unknown query name {query!r}; the named queries are: " + ", ".join(sorted(names))
        )
    return None


def describe_queries(rules: Rules | None = None, *, param_prefix: str = "") -> str:
    """The named queries: name, rule, question, and each parameter with its type, whether it is
    optional, its description and the values it takes (``rules``' words). A parameter's line
    starts with ``param_prefix`` and ``name=...`` (the CLI's ``query --list`` passes its option)."""
    vocab = vocabulary(rules if rules is not None else load_rules())
    lines = []
    for info in list_queries():
        lines.append(info.name + (f"  ({info.rule})" if info.rule else ""))
        lines.append(f"    {info.answers}")
        for p in info.params:
            kind = f"{p.type}{', optional' if p.optional else ''}"
            lines.append(f"    {param_prefix}{p.name}=...  ({kind}) {p.description}".rstrip())
            if p.kind not in ("string", "") or p.is_list:
                lines.append(f"        takes: {allowed_text(p, vocab)}")
    return "\n".join(lines) + "\n"


def notice_line(notice: Notice, words: Words | None = None) -> str:
    """One line for a notice: ``warning: unknown label 'Lott' (line 1, column 10); did you mean
    'Lot'?``, or the server's description; control characters shown as escapes. The fixed words
    are ``words``' language (English by default); the server's own description stays as it is."""
    _ = (words or Words("en")).gettext
    where = (
        " " + _("(line {line}, column {column})").format(line=notice.line, column=notice.column)
        if notice.line
        else ""
    )
    if notice.unknown_kind in _UNKNOWN and notice.name is not None:
        unknown, no_such = _UNKNOWN[notice.unknown_kind]
        text = _(unknown).format(name=repr(notice.name)) + where
        if notice.suggestions:
            text += "; " + _("did you mean {names}?").format(
                names=(" " + _("or") + " ").join(repr(s) for s in notice.suggestions)
            )
        else:
            text += "; " + _(no_such)
    else:
        text = f"{notice.description}{where}"
    severity = _("warning") if notice.severity == "warning" else _("note")
    return visible(f"{severity}: {text}")


_UNKNOWN = {
    "label": (N_("unknown label {name}"), N_("the database has no label of that name")),
    "relationship type": (
        N_("unknown relationship type {name}"),
        N_("the database has no relationship type of that name"),
    ),
    "property": (N_("unknown property {name}"), N_("the database has no property of that name")),
}
"""For each kind of name a notice can call unknown (as the store names it): the two sentences."""


def render_rows(
    rows: Sequence[dict[str, Any]],
    fmt: str,
    columns: Sequence[str] = (),
    words: Words | None = None,
    *,
    named: bool = False,
) -> str:
    """Rows as an aligned text table, JSON (a list of objects), CSV or a Markdown table.

    ``columns`` names the columns when there may be no rows (the query's own names). Nodes,
    relationships and paths are written in Cypher notation in the table, CSV and Markdown
    (:mod:`~sourcing_graph.views.graph_values`) and as objects in JSON. CSV cells hold the text as
    it is, except that text which a spreadsheet could run as a formula gets a leading ``'``
    (numbers stay numbers); the table shows control characters as escapes, and Markdown escapes
    what could be read as markup, as :func:`~sourcing_graph.views.formats.md_text` does. The
    table's and Markdown's fixed words ("(no rows)", "(3 rows)") are ``words``' language (English
    by default); the columns are the query's own names, except for a ``named`` query (one of
    ``queries/``): there the table and Markdown show the headers and words a person reads, as
    ``analyze`` does (:func:`readable_rows`).
    """
    words = words or Words("en")
    if fmt == "json":
        return json_text(list(rows), indent=2, default=str) + "\n"
    names = list(rows[0].keys()) if rows else list(columns)
    if named and fmt in ("table", "markdown", "md"):
        rows, names = readable_rows(rows, names, words)
    if fmt == "csv":
        records = [[spreadsheet_safe(c) for c in names]] if names else []
        records += [[_csv_cell(row.get(c)) for c in names] for row in rows]
        return csv_text(records)
    if fmt in ("markdown", "md"):
        return _markdown(rows, names, words)
    if fmt != "table":
        raise QueryError(f"unknown format {fmt!r}; expected one of {', '.join(QUERY_FORMATS)}")
    if not rows:
        return words.gettext("(no rows)") + "\n"
    cells = [[visible(value_text(row.get(c))) for c in names] for row in rows]
    headers = [visible(c) for c in names]
    widths = [max(len(c), *(len(r[i]) for r in cells)) for i, c in enumerate(headers)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(headers, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)).rstrip() for r in cells]
    lines.append(words.ngettext("({n} row)", "({n} rows)", len(rows)))
    return "\n".join(lines) + "\n"


def readable_rows(
    rows: Sequence[dict[str, Any]], names: Sequence[str], words: Words
) -> tuple[list[dict[str, Any]], list[str]]:
    """A named query's rows for a person: each column the analyses know gets its header in
    ``words``' language (``declared_mode`` -> ``vastgelegde vorm``) and its values as words
    (modes, reasons, clauses, yes/no, money, dates); numbers and other columns stay as they are."""
    headers = [header(c, words) if c in COLUMNS else c for c in names]
    if len(set(headers)) < len(headers):  # two columns would read the same: keep the names
        return list(rows), list(names)
    out = []
    for row in rows:
        out.append(
            {h: _readable(c, row.get(c), words) for c, h in zip(names, headers, strict=True)}
        )
    return out, headers


def _readable(column: str, value: Any, words: Words) -> Any:
    if column not in COLUMNS or kind_of(column) in ("number", "text") or value is None:
        return value
    try:
        return cell_text(column, value, words, NO_NAMES)
    except (TypeError, ValueError):  # not the shape the analyses give (a date with a time, ...)
        return value


NO_NAMES = Names()
"""A query's rows carry ids only: they are shown as they are."""


def written_line(changed: dict[str, int], words: Words | None = None) -> str:
    """What a write transaction changed: ``write transaction committed: 2 nodes created, ...``
    (the counters as the server names them, in ``words``' language)."""
    _ = (words or Words("en")).gettext
    parts = [
        f"{count} {_(_COUNTERS[key]) if key in _COUNTERS else key.replace('_', ' ')}"
        for key, count in sorted(changed.items())
    ]
    return _("write transaction committed: {summary}").format(
        summary=", ".join(parts) or _("nothing changed")
    )


_COUNTERS = {
    "nodes_created": N_("nodes created"),
    "nodes_deleted": N_("nodes deleted"),
    "relationships_created": N_("relationships created"),
    "relationships_deleted": N_("relationships deleted"),
    "properties_set": N_("properties set"),
    "labels_added": N_("labels added"),
    "labels_removed": N_("labels removed"),
    "indexes_added": N_("indexes added"),
    "indexes_removed": N_("indexes removed"),
    "constraints_added": N_("constraints added"),
    "constraints_removed": N_("constraints removed"),
}
"""The server's change counters (``SummaryCounters``) in words."""


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _csv_cell(value: Any) -> str:
    if _number(value):
        return str(value)
    return spreadsheet_safe(value_text(value))


def _markdown(rows: Sequence[dict[str, Any]], names: list[str], words: Words) -> str:
    """A GitHub table (numbers right-aligned); "No rows." when there is not even a column."""
    if not names:
        return words.gettext("No rows.") + "\n"
    numeric = [bool(rows) and all(_number(r.get(c)) for r in rows) for c in names]
    lines = ["| " + " | ".join(md_text(c) for c in names) + " |"]
    lines.append("|" + "|".join("---:" if n else "---" for n in numeric) + "|")
    lines += ["| " + " | ".join(md_text(value_text(r.get(c))) for c in names) + " |" for r in rows]
    return "\n".join(lines) + "\n"
