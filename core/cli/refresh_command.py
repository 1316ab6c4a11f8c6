"""The ``refresh`` command: recompute the conclusions stored with the loaded register."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import click

from sourcing_graph.cli.inputs import day
from sourcing_graph.cli.options import Connection, as_of_option, neo4j_options

SHOWN = 20
"""Finding keys listed per kind of change; the rest counted."""


@click.command()
@click.option(
    "--rules",
    "rules_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Turtle file with changed rule data, stored in the graph first (default: the rule "
    "data the graph holds).",
)
@as_of_option
@neo4j_options
def refresh(rules_file: Path | None, as_of: datetime | None, conn: Connection) -> None:
    """Recompute the conclusions from the graph as it stands, and store them.

    After a change made with Cypher (a clause added, a mode changed in Browser, a lot's
    complexity set), the stored modes, findings and measures no longer fit the graph; reads
    say so ("conclusions are stale"). This recomputes them all in one transaction under the load
    lock, with the rule data in the graph (or that of --rules, which replaces it), and prints
    the findings that appeared and disappeared. R10-R15 are stored as they are at --as-of.
    """
    settings = conn.settings()
    with conn.connect() as store:
        changed = store.refresh(rules_source=rules_file, as_of=day(as_of))
    for sign, key in (("+", "added"), ("-", "removed")):
        keys = changed[key]
        for finding in keys[:SHOWN]:
            click.echo(f"{sign} {finding}")
        if len(keys) > SHOWN:
            click.echo(f"{sign} ... and {len(keys) - SHOWN} more")
    click.echo(
        f"refreshed the conclusions in {settings.uri}: {changed['findings']} findings, "
        f"{len(changed['added'])} added, {len(changed['removed'])} removed, "
        f"in {changed['seconds']:.1f} s"
    )
