"""The command that tries a scenario of changes on a register: whatif."""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

import click

from sourcing_graph.cli.inputs import day, engine_for, print_warnings, problems_in, read, rules_of
from sourcing_graph.cli.options import (
    Connection,
    EngineChoice,
    RegisterInput,
    as_of_option,
    engine_options,
    format_option,
    lang_option,
    neo4j_options,
    register_options,
)
from sourcing_graph.cli.output import emit


@click.command()
@register_options
@click.argument("scenario", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@neo4j_options
@engine_options
@format_option("json: before, after and delta; the others show the delta.")
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write to a file."
)
@lang_option
@as_of_option
def whatif(
    source: RegisterInput,
    scenario: Path,
    conn: Connection,
    target: EngineChoice,
    fmt: str,
    output: Path | None,
    lang: str | None,
    as_of: datetime | None,
) -> None:
    """Try the changes of SCENARIO (a CSV of target, change, value) on a register, in memory:
    the analysis before and after, and what changed. Nothing on disk changes; with --engine neo4j
    REGISTER is loaded as analyze loads it, and the changes run in a transaction rolled back."""
    # start-up time: the engines load networkx and the views Babel, which --help does not need
    from sourcing_graph.graph.embedded.collector import paused_gc
    from sourcing_graph.graph.whatif import what_if
    from sourcing_graph.loaders.scenario import read_scenario
    from sourcing_graph.views.locale import Words
    from sourcing_graph.views.naming import Names
    from sourcing_graph.views.whatif import render_what_if

    # millions of objects (the register, two results) that form no garbage cycles: no
    # collection scans them all again and again while they are read, analysed and written
    with paused_gc():
        rules = rules_of(source.rules_file)
        with problems_in(lang):
            reg = read(source, rules)
        # a bad scenario is said in the register's language unless --lang says another
        with problems_in(lang or Words.of(reg).lang):
            changes = read_scenario(scenario, reg, rules=rules, limits=source.limits)
        if target.engine == "embedded":  # what_if builds what it needs: no engine opened for it
            out = what_if(reg, changes, rules, as_of=day(as_of))
        else:  # on Neo4j the changes run in a transaction that is rolled back
            loading, shown = (None, reg) if target.loaded else (reg, None)
            with engine_for(
                target, conn, loading, rules, source.rules_file, day(as_of), shown=shown
            ) as t:
                out = what_if(reg, changes, rules, store=t.store, as_of=t.as_of)
        words = Words.of(reg, lang)
        text = render_what_if(
            out,
            fmt,
            color=output is None and sys.stdout.isatty(),
            rules=rules,
            words=words,
            names=Names.of(reg),
        )
    emit(text, output, words)
    print_warnings(reg, source, lang)
