"""The commands that show what the analyses find: analyze, view and report."""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

import click

from sourcing_graph.cli.inputs import analysed
from sourcing_graph.cli.options import (
    Connection,
    EngineChoice,
    RegisterInput,
    as_of_option,
    engine_options,
    format_option,
    html_options,
    lang_option,
    neo4j_options,
    register_options,
)
from sourcing_graph.cli.output import emit, wrote


@click.command()
@register_options
@neo4j_options
@engine_options
@format_option()
@click.option(
    "--prime-contractor",
    help="Only this prime contractor, by id or name (R5, and R3 rows touching its lots).",
)
@click.option(
    "--min-severity",
    metavar="SEVERITY",
    help="Only R3 mismatches at least this severe: low, medium or high (as the rule data ranks them).",
)
@click.option(
    "--supplier",
    help="Only findings of this supplier, by id or name (R4, R6, R8-R14, D1-D5).",
)
@click.option("--all-rows", is_flag=True, help="Table format: do not truncate long sections.")
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write to a file."
)
@lang_option
@as_of_option
def analyze(
    source: RegisterInput,
    conn: Connection,
    target: EngineChoice,
    fmt: str,
    prime_contractor: str | None,
    min_severity: str | None,
    supplier: str | None,
    all_rows: bool,
    output: Path | None,
    lang: str | None,
    as_of: datetime | None,
) -> None:
    """Run the analyses R3-R15 on a register and print the findings."""
    # start-up time: the formats load the rule data's rdflib, which --help does not need
    from sourcing_graph.views.dora_face import dora_first, lead_lines, modes_unrecorded
    from sourcing_graph.views.formats import render
    from sourcing_graph.views.locale import N_, Words
    from sourcing_graph.views.naming import Names, resolve_reference

    filters = {
        "prime_contractor": prime_contractor,
        "min_severity": min_severity,
        "supplier": supplier,
    }
    with analysed(source, target, conn, as_of=as_of, lang=lang) as (reg, rules, engine):
        # --loaded reads no register: the names are those of the register in Neo4j
        names = Names.of(reg) if reg is not None else Names.of_rows(engine.names())
        for key in ("supplier", "prime_contractor"):  # a name stands for its id
            value = filters[key]
            if value is not None:
                what = key.replace("_", " ")
                filters[key] = resolve_reference(names, "organisation", value, what, known=True)
        result = engine.analyze(**filters)
        # a DORA package without an overlay: D1-D5 and the checks lead, the mode rules are a gap
        # in the data, not findings (the table and Markdown; JSON and CSV are the whole result)
        face = fmt in ("table", "markdown", "md") and modes_unrecorded(
            reg, result, lambda: engine.run("effective_modes")
        )
    words = Words.of(reg, lang)
    text = render(
        dora_first(result) if face else result,
        fmt,
        color=output is None and sys.stdout.isatty(),
        limit=None if all_rows else 20,
        rules=rules,
        words=words,
        names=names,
        more=N_("... {n} more (use --format csv)"),
        lead=lead_lines(reg, result, words) if face else (),
    )
    emit(text, output, words)


@click.command()
@register_options
@neo4j_options
@engine_options
@html_options
@click.option(
    "--focus",
    metavar="KIND:ID",
    help="Only the neighbourhood of one node: lot:K03, supplier:acme, prime:own-it, function:F-ARCH, "
    "contract:C-07, or an id or name that names one node.",
)
@click.option(
    "--depth",
    type=click.IntRange(min=0),
    default=2,
    show_default=True,
    help="With --focus: how many steps from it.",
)
@click.option(
    "--max-nodes",
    type=click.IntRange(min=1),
    default=2500,
    show_default=True,
    help="Above this, draw an aggregated overview.",
)
@lang_option
@as_of_option
def view(
    source: RegisterInput,
    conn: Connection,
    out: Path,
    target: EngineChoice,
    focus: str | None,
    depth: int,
    max_nodes: int,
    lang: str | None,
    as_of: datetime | None,
) -> None:
    """Write an interactive network view (one offline HTML file) of a register and its findings."""
    # start-up time: the view loads networkx, pyvis and jinja2 (~0.35 s)
    from sourcing_graph.views.locale import Words
    from sourcing_graph.views.network import Modes, write_view

    with analysed(source, target, conn, drawn=True, as_of=as_of, lang=lang) as (reg, rules, engine):
        result = write_view(
            reg,
            out,
            engine=engine,
            modes=Modes.of(engine),
            focus=focus,
            depth=depth,
            rules=rules,
            max_nodes=max_nodes,
            lang=lang,
            as_of=as_of.date() if as_of else None,
        )
    counts = result.counts()
    nodes = sum(v for k, v in counts.items() if k != "edges")
    _ = Words.of(reg, lang).gettext
    line = _("wrote {path}: {nodes} nodes, {edges} edges")
    line = line.format(path=out, nodes=nodes, edges=counts.get("edges", 0))
    if result.aggregated:
        line += " " + _("(aggregated overview; use --focus for details)")
    click.echo(line)


@click.command()
@register_options
@neo4j_options
@engine_options
@html_options
@lang_option
@as_of_option
def report(
    source: RegisterInput,
    conn: Connection,
    out: Path,
    target: EngineChoice,
    lang: str | None,
    as_of: datetime | None,
) -> None:
    """Write a one-file HTML report: key figures, sortable tables of findings, the network view."""
    # start-up time: the report loads networkx, pyvis and jinja2 (~0.35 s)
    from sourcing_graph.views.locale import Words
    from sourcing_graph.views.network import Modes
    from sourcing_graph.views.report import write_report

    with analysed(source, target, conn, drawn=True, as_of=as_of, lang=lang) as (reg, rules, engine):
        write_report(
            reg,
            out,
            engine=engine,
            modes=Modes.of(engine),
            rules=rules,
            lang=lang,
            as_of=as_of.date() if as_of else None,
        )
    click.echo(wrote(out, Words.of(reg, lang)))
