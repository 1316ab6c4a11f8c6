"""The ``query`` command: a named query, a .cypher file or Cypher text on Neo4j."""

from __future__ import annotations

import click

from sourcing_graph.cli.options import Connection, neo4j_options
from sourcing_graph.cli.output import err
from sourcing_graph.queries import list_queries


def _list() -> None:
    """``query --list``: each named query, what it answers and its parameters."""
    for info in list_queries():
        click.echo(f"{info.name}" + (f"  ({info.rule})" if info.rule else ""))
        click.echo(f"    {info.answers}")
        for p in info.params:
            click.echo(
                f"    --param {p.name}=...  {p.type}{', optional' if p.optional else ''}: {p.description}"
            )


@click.command()
@click.argument("query", required=False)
@click.option(
    "--param",
    "-p",
    "params",
    multiple=True,
    metavar="KEY=VALUE",
    help="A query parameter (repeatable).",
)
@click.option("--list", "list_", is_flag=True, help="List the named queries with their parameters.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "csv"]),
    default="table",
    show_default=True,
)
@click.option(
    "--write",
    is_flag=True,
    help="Run the query in a write transaction: it may change the graph. Without it the "
    "server runs it read-only and refuses any change.",
)
@neo4j_options
def query(
    query: str | None,
    params: tuple[str, ...],
    list_: bool,
    fmt: str,
    write: bool,
    conn: Connection,
) -> None:
    """Run a named query, a .cypher file or ad-hoc Cypher on Neo4j, read-only (unless --write).

    Read-only is the server's doing: the query runs in a READ access-mode transaction, so no
    spelling of a write (CALL { CREATE ... }, MERGE, a write procedure, LOAD CSV ... CREATE) gets
    through. With --write it runs in a write transaction and what it changed goes to stderr.

    \b
    Examples:
      sourcing-graph query --list
      sourcing-graph query mode-mismatches -p minSeverity=high
      sourcing-graph query "MATCH (l:Lot) RETURN l.id AS lot, l.name AS name"
      sourcing-graph query --write "MATCH (l:Lot {id: $lot}) SET l.note = $note" -p lot=K03 -p note=x
    """
    # start-up time: rendering rows loads the rule data's rdflib, which --list does not need
    from sourcing_graph.views.querying import parse_params, render_rows, resolve_query

    if list_:
        _list()
        return
    if not query:
        raise click.UsageError("give a query name, a .cypher file or Cypher text (or --list)")
    text, declared = resolve_query(query)
    values = parse_params(params, declared)
    with conn.connect() as store:
        if write:
            rows, changed = store.read_write(text, values)
        else:
            rows = store.stable(lambda: store.read(text, values))
    # color=True: click would otherwise strip what looks like ANSI codes from CSV and JSON cells
    # (the table escapes control characters itself)
    click.echo(render_rows(rows, fmt), nl=False, color=True)
    if write:
        summary = ", ".join(f"{v} {k.replace('_', ' ')}" for k, v in sorted(changed.items()))
        err(f"write transaction committed: {summary or 'nothing changed'}")
