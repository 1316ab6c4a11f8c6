"""The commands about a register itself: validate, load, export and mapping."""

from __future__ import annotations

import json
import sys
from datetime import datetime
from pathlib import Path

import click

from sourcing_graph.cli.inputs import day, print_warnings, read, rules_of
from sourcing_graph.cli.options import (
    Connection,
    RegisterInput,
    as_of_option,
    lang_option,
    neo4j_options,
    register_options,
)
from sourcing_graph.cli.output import (
    err,
    problem_dict,
    problems_language,
    progress_bar,
    register_failed,
)
from sourcing_graph.errors import RegisterError
from sourcing_graph.loaders.mapping_starter import starter_mapping
from sourcing_graph.loaders.rdf_formats import FORMATS as RDF_FORMATS
from sourcing_graph.text import json_text


@click.command()
@register_options
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@lang_option
def validate(
    source: RegisterInput,
    fmt: str,
    lang: str | None,
) -> None:
    """Check a register and report its errors and warnings, without loading it anywhere."""
    # start-up time: the words of --lang load Babel and the ontology
    from sourcing_graph.views.locale import Words
    from sourcing_graph.views.messages import valid_line

    rules = rules_of(source.rules_file)
    try:
        reg = read(source, rules)
    except RegisterError as exc:
        if fmt == "json":  # the errors, and the warnings found with them, apart
            found = [problem_dict(p) for p in exc.problems]
            errors = [p for p in found if p["severity"] == "error"]
            warnings = [p for p in found if p["severity"] != "error"]
            click.echo(
                json.dumps({"valid": False, "errors": errors, "warnings": warnings}, indent=2)
            )
            sys.exit(1)
        register_failed(exc, problems_language(exc, lang))
    if fmt == "json":
        click.echo(
            json_text(
                {
                    "valid": True,
                    "counts": reg.counts(),
                    "warnings": [problem_dict(p) for p in reg.warnings],
                },
                indent=2,
            )
        )
        return
    words = Words.of(reg, lang)
    print_warnings(reg, source, lang)
    click.echo(valid_line(str(source.path), reg.counts(), len(reg.warnings), words))


@click.command()
@register_options
@neo4j_options
@click.option("--progress/--no-progress", default=True, help="Show a progress bar on a terminal.")
@click.option(
    "--batched/--single-transaction",
    default=None,
    help="Load in bounded transactions (for a server that caps a transaction's memory), or in "
    "one; default: batched when the server reports such a cap.",
)
@as_of_option
@lang_option
def load(
    source: RegisterInput,
    conn: Connection,
    progress: bool,
    batched: bool | None,
    as_of: datetime | None,
    lang: str | None,
) -> None:
    """Load a register into Neo4j, replacing the one loaded before (the ontology stays).

    The conclusions (each contract's and lot's mode, the findings, R5 and R9, R10-R15 at the
    reference date --as-of) are stored with it, with the rule data of --rules. The load is one
    transaction: if it fails, the previous
    register and its conclusions are left as they were. A load started while another runs waits
    for it, then replaces it. A batched load writes the new register beside the loaded one, then
    switches to it in one small transaction: analyses see the one or the other, whole.
    """
    settings = conn.settings()
    reg = read(source, rules_of(source.rules_file))
    with conn.connect() as store, progress_bar(progress) as bar:
        counts = store.load_register(
            reg, progress=bar, rules_source=source.rules_file, as_of=day(as_of), batched=batched
        )
    print_warnings(reg, source, lang)
    if counts.get("commit_confirmed_after_drop"):
        err(
            f"note: the connection to {settings.uri} dropped during the commit; "
            "Neo4j confirms the load was committed"
        )
    # start-up time: the words of --lang load Babel and the ontology
    from sourcing_graph.views.locale import Words
    from sourcing_graph.views.messages import loaded_line

    summary = loaded_line(
        str(source.path), settings.uri, counts, len(reg.warnings), Words.of(reg, lang)
    )
    click.echo(summary)


@click.command()
@register_options
@click.option(
    "--format",
    "fmt",
    type=click.Choice(sorted(RDF_FORMATS)),
    default="ttl",
)
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write to a file."
)
@click.option(
    "--conclusions/--no-conclusions",
    default=True,
    show_default=True,
    help="Also write what the rules conclude (effective and lot modes, findings); reading the "
    "RDF back ignores them.",
)
def export(
    source: RegisterInput,
    fmt: str,
    output: Path | None,
    conclusions: bool,
) -> None:
    """Write a register as RDF (Turtle or JSON-LD) using the ontology's vocabulary."""
    # start-up time: the RDF writer loads rdflib and pyoxigraph, which only export needs
    from sourcing_graph.loaders.rdf import write_rdf

    rules = rules_of(source.rules_file)
    reg = read(source, rules)
    concluded = None
    if conclusions:
        # start-up time: the engine loads networkx, which the register alone does not need
        from sourcing_graph.graph.analyses import EmbeddedEngine

        concluded = EmbeddedEngine(reg, rules).conclusions().as_data()
    write_rdf(reg, output if output is not None else sys.stdout, format=fmt, conclusions=concluded)
    print_warnings(reg, source)
    if output is not None:
        err(f"wrote {output}")


@click.command()
@click.argument("export_path", metavar="EXPORT", type=click.Path(exists=True, path_type=Path))
def mapping(export_path: Path) -> None:
    """Print a starter mapping file for a foreign register export (edit it, then use --mapping)."""
    click.echo(starter_mapping(export_path), nl=False)
