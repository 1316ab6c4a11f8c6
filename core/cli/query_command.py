"""The ``query`` command: a named query, a .cypher file or Cypher text on Neo4j."""

from __future__ import annotations

from typing import Any

import click

from sourcing_graph.cli.options import Connection, format_option, lang_option, neo4j_options
from sourcing_graph.cli.output import err, warn_if_stale


@click.command()
@click.argument("query", required=False)
@click.option(
    "--param",
    "-p",
    "params",
    multiple=True,
    metavar="KEY=VALUE",
    help="A query parameter (repeatable), typed as written: 2 an integer, 2.5 a float, "
    'true/false, null, JSON lists and maps ([1,"a"], {"k": 1}); in quotes (\'2\', "2") '
    "text; anything else (a date too) text. A named query's declared parameters take their "
    "declared type instead (see --list); an organisation by its id or its name.",
)
@click.option(
    "--list", "list_", is_flag=True, help="List the named queries with their parameters' types."
)
@format_option()
@click.option(
    "--write",
    is_flag=True,
    help="Run the query in a write transaction: it may change the graph. Without it the "
    "server runs it read-only and refuses any change.",
)
@lang_option
@neo4j_options
def query(
    query: str | None,
    params: tuple[str, ...],
    list_: bool,
    fmt: str,
    write: bool,
    lang: str | None,
    conn: Connection,
) -> None:
    """Run a named query, a .cypher file or ad-hoc Cypher on Neo4j, read-only (unless --write).

    Read-only is the server's doing: the query runs in a READ access-mode transaction, so no
    spelling of a write (CALL { CREATE ... }, MERGE, a write procedure, LOAD CSV ... CREATE) gets
    through. With --write it runs in a write transaction and what it changed goes to stderr.

    Parameters (-p KEY=VALUE) are typed as written: -p n=2 is the integer 2, -p n=2.5 a float,
    true, false and null themselves, [1,"a"] and {"k": 1} a JSON list and map; quotes force
    text (-p n="'2'"); anything else, a date too, is text. The parameters a named query
    declares are checked before it runs: each has a type (string, integer, float, boolean, date,
    list, or a vocabulary: mode, severity, clause, level, selection-basis, whose values are the
    ontology's keys or its Dutch and English words: minSeverity=hoog is high); a value that does
    not fit is an error naming the allowed ones. --list shows every parameter's type. A
    parameter of type organisation (supplier, primeContractor) takes the organisation's id or
    its name: -p supplier="CoreSys Banking Software GmbH" is its LEI.

    When the register part of the graph or the rule data changed since the last load or refresh
    (with --write, or in Browser), the stored conclusions (modes, findings) no longer fit: a
    note says so on stderr; run sourcing-graph refresh.

    What Neo4j notices about Cypher you wrote (an unknown label, relationship type or property; a
    cartesian product; a deprecated feature) goes to stderr, each once; the exit code stays 0.

    --lang sets the language of the fixed words around the rows and of the notices (default
    English). A named query's table and Markdown show its columns' headers and its modes,
    reasons, clauses, money and dates in that language too, as analyze does; other queries'
    columns are their own names. JSON and CSV are the same in both.

    \b
    Examples:
      sourcing-graph query --list
      sourcing-graph query mode-mismatches -p minSeverity=hoog
      sourcing-graph query "MATCH (l:Lot) RETURN l.id AS lot, l.name AS name" --format markdown
      sourcing-graph query "MATCH (c:Contract) WHERE c.annualValue > $n RETURN c.id" -p n=100000
      sourcing-graph query --write "MATCH (l:Lot {id: $lot}) SET l.note = $note" -p lot=K03 -p note=x
    """
    # start-up time: rendering rows loads the rule data's rdflib, which other commands do not need
    from sourcing_graph.views.locale import Words
    from sourcing_graph.views.querying import (
        describe_queries,
        is_named,
        notice_line,
        prepare_query,
        render_rows,
        resolve_organisations,
        written_line,
    )

    if list_:
        click.echo(describe_queries(param_prefix="--param "), nl=False)
        return
    if not query:
        raise click.UsageError("give a query name, a .cypher file or Cypher text (or --list)")
    text, values, notices = prepare_query(query, params)
    with conn.connect() as store:
        values = resolve_organisations(query, values, lambda: _names(store))
        if write:
            run = store.query(text, values, write=True, notices=notices)
        else:
            run = _read(store, query, text, values, notices)
        if write and run.changed:
            warn_if_stale(store)  # what it changed may need a refresh
    words = Words(lang or "en")
    for notice in run.notices:
        err(notice_line(notice, words))
    # color=True: click would otherwise strip what looks like ANSI codes from CSV and JSON cells
    # (the table escapes control characters itself)
    named = is_named(query)
    click.echo(render_rows(run.rows, fmt, run.columns, words, named=named), nl=False, color=True)
    if write:
        err(written_line(run.changed, words))


def _names(store: Any) -> list[dict[str, Any]]:
    """The names of the register in ``store`` (an organisation given by name is its id)."""
    # start-up time: the Neo4j engine loads the driver, which --list does not need
    from sourcing_graph.graph.neo4j.engine import register_names

    return register_names(store)


def _read(store: Any, query: str, text: str, values: dict[str, Any], notices: Any) -> Any:
    """Run a read query (``text`` with ``values``) on ``store``, saying first when the stored
    conclusions are stale; a named R10-R14 query reads its stored findings (the same rows) while
    they are fresh."""
    # start-up time: the Neo4j engine loads the driver, which --list does not need
    from sourcing_graph.graph.neo4j.engine import named_or_stored

    stale = warn_if_stale(store)

    def read() -> Any:
        cypher, given = (text, values) if stale else named_or_stored(store, query, text, values)
        return store.query(cypher, given, notices=notices)

    return store.stable(read)
