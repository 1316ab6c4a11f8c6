"""The ``sourcing-graph`` command line: thin wrappers over the library; environment read here only."""

from __future__ import annotations

import dataclasses
import functools
import logging
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import click

from sourcing_graph import __version__
from sourcing_graph.errors import Problem, RegisterError, SettingAwareError, SourcingGraphError
from sourcing_graph.loaders import read_any
from sourcing_graph.loaders.limits import Limits
from sourcing_graph.loaders.rdf_formats import FORMATS as RDF_FORMATS
from sourcing_graph.text import visible

if TYPE_CHECKING:
    from sourcing_graph.graph.neo4j import Neo4jSettings, Neo4jStore

F = TypeVar("F", bound=Callable[..., Any])

ENGINES = ("auto", "embedded", "neo4j")
DEFAULT_WAIT = 30.0
"""Seconds a command waits for a Neo4j that is not (yet) available (--wait, NEO4J_WAIT)."""


# -- shared options ---------------------------------------------------------------------------


SETTING_WORDS: dict[tuple[str, str], str] = {
    ("uri", "name"): "NEO4J_URI",
    ("user", "name"): "NEO4J_USER",
    ("user", "option"): "NEO4J_USER (--user)",
    ("password", "name"): "NEO4J_PASSWORD",
    ("password", "option"): "NEO4J_PASSWORD (--password-file)",
    ("database", "name"): "NEO4J_DATABASE",
    ("trusted_ca", "name"): "NEO4J_TRUSTED_CA",
    ("trusted_ca", "option"): "--trusted-ca FILE (NEO4J_TRUSTED_CA)",
    ("trusted_ca", "flag"): "--trusted-ca FILE",
    ("wait", "name"): "NEO4J_WAIT",
    ("system_ca", "name"): "SSL_CERT_FILE",
    ("server_heap", "name"): "server.memory.heap.max_size; NEO4J_HEAP for scripts/neo4j",
    ("write", "name"): "sourcing-graph query --write",
    ("embedded", "name"): "--engine embedded",
}
"""How the CLI names the settings and actions that the library's errors mention
(:class:`~sourcing_graph.errors.Mention`): ``(setting, form)`` -> options and variables."""


def error_message(exc: SourcingGraphError) -> str:
    """The message of a library error, naming settings by this CLI's options and variables."""
    if isinstance(exc, SettingAwareError):
        return exc.message(SETTING_WORDS)
    return str(exc)


@dataclass(frozen=True)
class Connection:
    """The connection options as given (the environment read by click); nothing checked yet."""

    uri: str | None
    user: str
    password: str | None = field(repr=False)
    password_file: Path | None
    database: str | None
    trusted_ca: Path | None = None
    wait: float = DEFAULT_WAIT

    def settings(self) -> Neo4jSettings:
        """Checked :class:`Neo4jSettings`; a usage error when no Neo4j is configured."""
        # the store loads the Neo4j driver: only for commands that use Neo4j (start-up time)
        from sourcing_graph.graph.neo4j import Neo4jSettings

        if not self.uri:
            raise click.UsageError(
                "no Neo4j configured: set NEO4J_URI (and NEO4J_PASSWORD) or pass --uri"
            )
        password = self.password
        if self.password_file is not None:
            password = self.password_file.read_text(encoding="utf-8").strip()
        return Neo4jSettings(
            uri=self.uri,
            user=self.user,
            password=password,
            database=self.database or None,
            trusted_ca=str(self.trusted_ca) if self.trusted_ca else None,
            wait=self.wait,
        )

    def connect(self) -> Neo4jStore:
        """A connected :class:`Neo4jStore`, waiting (with a note on stderr) for a server that
        is not ready yet."""
        # the store loads the Neo4j driver: only for commands that use Neo4j (start-up time)
        from sourcing_graph.graph.neo4j import Neo4jStore

        return Neo4jStore.connect(self.settings(), notify=_err)


def neo4j_options(func: F) -> F:
    """The connection options, each with its environment variable, passed as ``conn``."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        kwargs["conn"] = Connection(
            *(
                kwargs.pop(k)
                for k in (
                    "uri",
                    "user",
                    "password",
                    "password_file",
                    "database",
                    "trusted_ca",
                    "wait",
                )
            )
        )
        return func(*args, **kwargs)

    opts = [
        click.option(
            "--uri",
            envvar="NEO4J_URI",
            metavar="URI",
            help="Neo4j URI: bolt://, neo4j://, neo4j+s:// ..., no credentials in it [env NEO4J_URI]",
        ),
        click.option(
            "--user",
            envvar="NEO4J_USER",
            default="neo4j",
            show_default=True,
            help="[env NEO4J_USER]",
        ),
        click.option(
            "--password",
            envvar="NEO4J_PASSWORD",
            metavar="TEXT",
            help="Prefer the environment variable [env NEO4J_PASSWORD]",
        ),
        click.option(
            "--password-file",
            type=click.Path(dir_okay=False, exists=True, path_type=Path),
            help="Read the password from this file (e.g. .neo4j/password).",
        ),
        click.option(
            "--database",
            envvar="NEO4J_DATABASE",
            help="Database name (default: the server's) [env NEO4J_DATABASE]",
        ),
        click.option(
            "--trusted-ca",
            envvar="NEO4J_TRUSTED_CA",
            type=click.Path(dir_okay=False, exists=True, path_type=Path),
            help="PEM file of the CA that signed the server's certificate; encrypts the "
            "connection and trusts only that CA [env NEO4J_TRUSTED_CA]",
        ),
        click.option(
            "--wait",
            envvar="NEO4J_WAIT",
            type=click.FloatRange(min=0),
            default=DEFAULT_WAIT,
            show_default=True,
            metavar="SECONDS",
            help="How long to wait for a Neo4j that is not available yet (0: fail at once) "
            "[env NEO4J_WAIT]",
        ),
    ]
    decorated: Any = wrapper
    for opt in reversed(opts):
        decorated = opt(decorated)
    return decorated


def html_options(func: F) -> F:
    """``--out`` (the HTML file) and ``--engine``, shared by ``view`` and ``report``."""
    func = click.option(
        "--engine",
        type=click.Choice(ENGINES),
        default="auto",
        show_default=True,
        help="Where the findings are computed.",
    )(func)
    return click.option(
        "-o",
        "--out",
        required=True,
        type=click.Path(dir_okay=False, path_type=Path),
        help="The HTML file to write.",
    )(func)


LIMIT_ENV = {
    "max_rows": "SOURCING_GRAPH_MAX_ROWS",
    "max_field_chars": "SOURCING_GRAPH_MAX_FIELD_CHARS",
    "max_file_mb": "SOURCING_GRAPH_MAX_FILE_MB",
}
"""Each reader limit (a field of :class:`Limits`) -> the environment variable that sets it (its
option is the limit's name as a flag, ``--max-rows``)."""


def _flag(setting: str) -> str:
    """The option of a setting: ``max_rows`` -> ``--max-rows``."""
    return "--" + setting.replace("_", "-")


def with_setting_hint(problem: Problem) -> Problem:
    """A reader's problem as the command line shows it: one over a limit says how to raise it
    (``...; raise it with --max-rows or SOURCING_GRAPH_MAX_ROWS``), one about the overlay names
    the option."""
    if problem.setting in LIMIT_ENV:
        hint = f"raise it with {_flag(problem.setting)} or {LIMIT_ENV[problem.setting]}"
        expected = f"{problem.expected}; {hint}" if problem.expected else hint
        return dataclasses.replace(problem, expected=expected)
    if problem.setting == "overlay":
        return dataclasses.replace(problem, message=f"{problem.message} ({_flag('overlay')})")
    return problem


@dataclass(frozen=True)
class ReadOptions:
    """How the commands that read a register read it: a DORA package's overlay and leniency,
    and the reader's limits."""

    overlay: Path | None = None
    skip_inconsistent: bool = False
    limits: Limits = field(default_factory=Limits)


def _limit_option(name: str, metavar: str, help_text: str) -> Callable[[F], F]:
    default = getattr(Limits(), name)
    return click.option(
        _flag(name),
        name,
        type=click.IntRange(min=1),
        envvar=LIMIT_ENV[name],
        show_envvar=True,
        metavar=metavar,
        help=f"{help_text} (default {default:,}).",
    )


def register_options(func: F) -> F:
    """REGISTER, --mapping, --rules, the DORA options (--overlay, --dora-skip-inconsistent) and the
    reader's limits (--max-rows, --max-field-chars, --max-file-mb).

    The DORA options and the limits reach the command as one argument, ``read_options``
    (:class:`ReadOptions`), for :func:`_read`.
    """

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        given = {k: kwargs.pop(k) for k in LIMIT_ENV}
        kwargs["read_options"] = ReadOptions(
            overlay=kwargs.pop("overlay"),
            skip_inconsistent=kwargs.pop("dora_skip_inconsistent"),
            limits=Limits(**{k: v for k, v in given.items() if v is not None}),
        )
        return func(*args, **kwargs)

    opts = [
        click.argument("register", type=click.Path(exists=True, path_type=Path)),
        click.option(
            "--mapping",
            type=click.Path(exists=True, dir_okay=False, path_type=Path),
            help="Mapping file that renames the columns and values of a foreign export.",
        ),
        click.option(
            "--rules",
            "rules_file",
            type=click.Path(exists=True, dir_okay=False, path_type=Path),
            help="Turtle file with changed rule data (weights, forcing clauses, ...).",
        ),
        click.option(
            "--overlay",
            type=click.Path(exists=True, path_type=Path),
            help="DORA package: a CSV (or folder with lots and dependencies) adding modes, "
            "clauses and lots to its contracts.",
        ),
        click.option(
            "--dora-skip-inconsistent",
            is_flag=True,
            help="DORA package: skip inconsistent rows (dangling references, duplicates, bad "
            "values) with a warning each, instead of rejecting the package.",
        ),
        _limit_option("max_rows", "N", "Refuse a register file with more rows than this"),
        _limit_option("max_field_chars", "N", "Refuse a cell longer than this many characters"),
        _limit_option("max_file_mb", "MB", "Refuse a register file larger than this"),
    ]
    decorated: Any = wrapper
    for opt in reversed(opts):
        decorated = opt(decorated)
    return decorated


def _rules(rules_file: Path | None) -> Any:
    from sourcing_graph.ontology.rules import load_rules

    return load_rules(rules_file) if rules_file else load_rules()


def _read(register: Path, mapping_file: Path | None, rules: Any, options: ReadOptions) -> Any:
    """Read a register (CSV folder, zip, CSV file, DORA package or RDF) into the graph model.

    Its problems (errors and warnings) are shown as the command line shows them: with the option
    and environment variable of the setting they concern (:func:`with_setting_hint`).
    """
    try:
        reg = read_any(
            register,
            mapping_file=mapping_file,
            rules=rules,
            overlay=options.overlay,
            skip_inconsistent=options.skip_inconsistent,
            limits=options.limits,
        )
    except RegisterError as exc:
        exc.problems[:] = [with_setting_hint(p) for p in exc.problems]
        raise
    reg.warnings[:] = [with_setting_hint(p) for p in reg.warnings]
    return reg


@contextmanager
def _engine(
    engine: str,
    conn: Connection,
    register: Any = None,
    rules: Any = None,
    rules_file: Path | None = None,
) -> Iterator[Any]:
    """The engine chosen by ``--engine``: ``auto`` means neo4j when a Neo4j URI is configured,
    else embedded. Embedded analyses ``register`` with ``rules``; neo4j is a connected store with
    ``register`` loaded (when given) and the ontology with the rule data of ``rules_file``
    (default: the packaged rules)."""
    from sourcing_graph.graph.analyses import open_engine

    kind = ("neo4j" if conn.uri else "embedded") if engine == "auto" else engine
    if kind != "neo4j":
        yield open_engine(kind, register=register, rules=rules)
        return
    with conn.connect() as store:
        if register is not None:
            # the analysis must read this register, not one another process loaded meanwhile
            store.pinned_load_id = store.load_register(register, rules_source=rules_file)["loadId"]
        else:
            store.ensure_schema(rules_file)
        yield open_engine(kind, store=store)


def _err(message: str) -> None:
    click.echo(message, err=True)


@contextmanager
def _progress_bar(enabled: bool) -> Iterator[Any]:
    """A progress callback that draws a bar on a terminal (stderr), nothing otherwise."""
    if not enabled or not sys.stderr.isatty():
        yield None
        return
    state: dict[str, Any] = {}

    def update(stage: str, done: int, total: int) -> None:
        bar = state.get("bar")
        if bar is None:
            bar = click.progressbar(
                length=max(total, 1), label="loading", file=sys.stderr, show_pos=True
            )
            bar.__enter__()
            state["bar"] = bar
            state["done"] = 0
        bar.label = f"loading {stage:<14}"
        bar.update(done - state["done"])
        state["done"] = done

    try:
        yield update
    finally:
        if "bar" in state:
            state["bar"].__exit__(None, None, None)


# -- the group --------------------------------------------------------------------------------


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, "-V", "--version", prog_name="sourcing-graph")
def cli() -> None:
    """Turn a contract register into a knowledge graph of IT sourcing and its collaboration modes.

    Modes of collaboration (samenwerkingsvormen): distrust (wantrouwen), reliability
    (betrouwbaarheid) and trust (vertrouwen). The analyses run embedded (no server) or on Neo4j.

    \b
    Neo4j is configured with NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD, NEO4J_DATABASE,
    NEO4J_WAIT or the matching options; without NEO4J_URI the embedded engine is used.
    """


@cli.command()
@register_options
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
def validate(
    register: Path,
    mapping: Path | None,
    rules_file: Path | None,
    read_options: ReadOptions,
    fmt: str,
) -> None:
    """Check a register and report its errors and warnings, without loading it anywhere."""
    import json

    rules = _rules(rules_file)
    try:
        reg = _read(register, mapping, rules, read_options)
    except RegisterError as exc:
        if fmt == "json":
            click.echo(
                json.dumps(
                    {"valid": False, "errors": [_problem_dict(p) for p in exc.problems]}, indent=2
                )
            )
            sys.exit(1)
        raise
    if fmt == "json":
        from sourcing_graph.text import json_text

        click.echo(
            json_text(
                {
                    "valid": True,
                    "counts": reg.counts(),
                    "warnings": [_problem_dict(p) for p in reg.warnings],
                },
                indent=2,
            )
        )
        return
    for warning in reg.warnings:
        _err(str(warning))
    click.echo(f"{register}: valid — {_counts_line(reg.counts())}; {len(reg.warnings)} warning(s)")


@cli.command()
@register_options
@neo4j_options
@click.option("--progress/--no-progress", default=True, help="Show a progress bar on a terminal.")
def load(
    register: Path,
    mapping: Path | None,
    rules_file: Path | None,
    read_options: ReadOptions,
    conn: Connection,
    progress: bool,
) -> None:
    """Load a register into Neo4j, replacing the one loaded before (the ontology stays).

    The load is one transaction: if it fails, the previous register is left as it was. A load
    started while another runs waits for it, then replaces it.
    """
    settings = conn.settings()
    reg = _read(register, mapping, _rules(rules_file), read_options)
    with conn.connect() as store, _progress_bar(progress) as bar:
        counts = store.load_register(reg, progress=bar, rules_source=rules_file)
    for warning in reg.warnings:
        _err(str(warning))
    if counts.get("commit_confirmed_after_drop"):
        _err(
            f"note: the connection to {settings.uri} dropped during the commit; "
            "Neo4j confirms the load was committed"
        )
    click.echo(
        f"loaded {register} into {settings.uri}: {_counts_line(counts)} in {counts['seconds']:.1f} s; "
        f"{len(reg.warnings)} warning(s)"
    )


@cli.command()
@register_options
@neo4j_options
@click.option(
    "--engine",
    type=click.Choice(ENGINES),
    default="auto",
    show_default=True,
    help="auto: neo4j when NEO4J_URI is configured, else embedded.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "csv", "markdown"]),
    default="table",
    show_default=True,
)
@click.option(
    "--loaded",
    is_flag=True,
    help="Neo4j: analyse the register already loaded, do not load REGISTER.",
)
@click.option(
    "--prime-contractor", help="Only this prime contractor (R5, and R3 rows touching its lots)."
)
@click.option(
    "--min-severity",
    metavar="SEVERITY",
    help="Only R3 mismatches at least this severe: low, medium or high (as the rule data ranks them).",
)
@click.option("--supplier", help="Only findings of this supplier (R4, R6, R8, R9).")
@click.option("--all-rows", is_flag=True, help="Table format: do not truncate long sections.")
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write to a file."
)
def analyze(
    register: Path,
    mapping: Path | None,
    rules_file: Path | None,
    read_options: ReadOptions,
    conn: Connection,
    engine: str,
    fmt: str,
    loaded: bool,
    prime_contractor: str | None,
    min_severity: str | None,
    supplier: str | None,
    all_rows: bool,
    output: Path | None,
) -> None:
    """Run the analyses R3-R9 on a register and print the findings."""
    from sourcing_graph.views.formats import render

    if loaded and (engine == "embedded" or (engine == "auto" and not conn.uri)):
        raise click.UsageError("--loaded needs --engine neo4j")
    rules = _rules(rules_file)
    filters = {
        "prime_contractor": prime_contractor,
        "min_severity": min_severity,
        "supplier": supplier,
    }
    reg = None if loaded else _read(register, mapping, rules, read_options)
    with _engine(engine, conn, reg, rules, rules_file) as target:
        result = target.analyze(**filters)
    text = render(
        result,
        fmt,
        color=output is None and sys.stdout.isatty(),
        limit=None if all_rows else 20,
        rules=rules,
    )
    _emit(text, output)


@cli.command()
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
    "declared type instead (see --list).",
)
@click.option(
    "--list", "list_", is_flag=True, help="List the named queries with their parameters' types."
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "csv", "markdown"]),
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

    Parameters (-p KEY=VALUE) are typed as written: -p n=2 is the integer 2, -p n=2.5 a float,
    true, false and null themselves, [1,"a"] and {"k": 1} a JSON list and map; quotes force
    text (-p n="'2'"); anything else, a date too, is text. The parameters a named query
    declares are checked before it runs: each has a type (string, integer, float, boolean, date,
    list, or a vocabulary: mode, severity, clause, level, selection-basis, whose values are the
    ontology's keys or its Dutch and English words: minSeverity=hoog is high); a value that does
    not fit is an error naming the allowed ones. --list shows every parameter's type.

    What Neo4j notices about Cypher you wrote (an unknown label, relationship type or property; a
    cartesian product; a deprecated feature) goes to stderr, each once; the exit code stays 0.

    \b
    Examples:
      sourcing-graph query --list
      sourcing-graph query mode-mismatches -p minSeverity=hoog
      sourcing-graph query "MATCH (l:Lot) RETURN l.id AS lot, l.name AS name" --format markdown
      sourcing-graph query "MATCH (c:Contract) WHERE c.annualValue > $n RETURN c.id" -p n=100000
      sourcing-graph query --write "MATCH (l:Lot {id: $lot}) SET l.note = $note" -p lot=K03 -p note=x
    """
    from sourcing_graph.views.querying import (
        describe_queries,
        notice_line,
        prepare_query,
        render_rows,
    )

    if list_:
        click.echo(describe_queries(), nl=False)
        return
    if not query:
        raise click.UsageError("give a query name, a .cypher file or Cypher text (or --list)")
    text, values, notices = prepare_query(query, params)
    with conn.connect() as store:
        if write:
            run = store.query(text, values, write=True, notices=notices)
        else:
            run = store.stable(lambda: store.query(text, values, notices=notices))
    for notice in run.notices:
        _err(notice_line(notice))
    # color=True: click would otherwise strip what looks like ANSI codes from CSV and JSON cells
    # (the table escapes control characters itself)
    click.echo(render_rows(run.rows, fmt, run.columns), nl=False, color=True)
    if write:
        summary = ", ".join(f"{v} {k.replace('_', ' ')}" for k, v in sorted(run.changed.items()))
        _err(f"write transaction committed: {summary or 'nothing changed'}")


@cli.command()
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
def export(
    register: Path,
    mapping: Path | None,
    rules_file: Path | None,
    read_options: ReadOptions,
    fmt: str,
    output: Path | None,
) -> None:
    """Write a register as RDF (Turtle or JSON-LD) using the ontology's vocabulary."""
    from sourcing_graph.loaders.rdf import write_rdf

    reg = _read(register, mapping, _rules(rules_file), read_options)
    write_rdf(reg, output if output is not None else sys.stdout, format=fmt)
    if output is not None:
        _err(f"wrote {output}")


@cli.command()
@register_options
@neo4j_options
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
def view(
    register: Path,
    mapping: Path | None,
    rules_file: Path | None,
    read_options: ReadOptions,
    conn: Connection,
    out: Path,
    engine: str,
    focus: str | None,
    depth: int,
    max_nodes: int,
) -> None:
    """Write an interactive network view (one offline HTML file) of a register and its findings."""
    from sourcing_graph.views.network import Modes, write_view

    rules = _rules(rules_file)
    reg = _read(register, mapping, rules, read_options)
    with _engine(engine, conn, reg, rules, rules_file) as target:
        result = write_view(
            reg,
            out,
            engine=target,
            modes=Modes.of(target),
            focus=focus,
            depth=depth,
            rules=rules,
            max_nodes=max_nodes,
        )
    counts = result.counts()
    nodes = sum(v for k, v in counts.items() if k != "edges")
    note = " (aggregated overview; use --focus for details)" if result.aggregated else ""
    click.echo(f"wrote {out}: {nodes} nodes, {counts.get('edges', 0)} edges{note}")


@cli.command()
@register_options
@neo4j_options
@html_options
def report(
    register: Path,
    mapping: Path | None,
    rules_file: Path | None,
    read_options: ReadOptions,
    conn: Connection,
    out: Path,
    engine: str,
) -> None:
    """Write a one-file HTML report: key figures, sortable tables of findings, the network view."""
    from sourcing_graph.views.network import Modes
    from sourcing_graph.views.report import write_report

    rules = _rules(rules_file)
    reg = _read(register, mapping, rules, read_options)
    with _engine(engine, conn, reg, rules, rules_file) as target:
        write_report(reg, out, engine=target, modes=Modes.of(target), rules=rules)
    click.echo(f"wrote {out}")


@cli.command()
@click.argument("export_path", metavar="EXPORT", type=click.Path(exists=True, path_type=Path))
def mapping(export_path: Path) -> None:
    """Print a starter mapping file for a foreign register export (edit it, then use --mapping)."""
    from sourcing_graph.loaders.mapping_starter import starter_mapping

    click.echo(starter_mapping(export_path), nl=False)


# -- helpers ----------------------------------------------------------------------------------


def _emit(text: str, output: Path | None) -> None:
    if output is None:
        # color=True keeps the text exact: click strips ANSI-like sequences from piped output
        # otherwise, even from CSV cells (render colours the table only for a terminal)
        click.echo(text, nl=not text.endswith("\n"), color=True)
    else:
        output.write_text(text, encoding="utf-8")
        _err(f"wrote {output}")


def _counts_line(counts: dict[str, Any]) -> str:
    keys = ("contracts", "lots", "organisations", "functions", "dependencies")
    line = ", ".join(f"{counts[k]} {k}" for k in keys if k in counts)
    if counts.get("subcontracting"):
        line += f", {counts['subcontracting']} supply-chain links"
    return line


def _problem_dict(p: Any) -> dict[str, Any]:
    return {
        "file": p.file,
        "line": p.line,
        "column": p.column,
        "severity": p.severity,
        "message": p.message,
        "value": p.value,
        "expected": p.expected,
    }


def _fail(exc: SourcingGraphError) -> NoReturn:
    if isinstance(exc, RegisterError):
        for problem in exc.problems:
            _err(str(problem))
        errors = getattr(exc, "total", None) or sum(
            1 for p in exc.problems if p.severity == "error"
        )
        more = " (more not shown)" if exc.truncated else ""
        _err(f"error: the register has {errors} error(s){more}; nothing was loaded")
    else:
        # a message may quote the user's text (Neo4j quotes the query): no control character of
        # it reaches the terminal raw
        _err("\n".join(visible(line) for line in f"error: {error_message(exc)}".split("\n")))
    sys.exit(1)


def main(argv: list[str] | None = None) -> None:
    """Entry point: runs the CLI, turning the package's errors into messages and exit codes."""
    # The driver logs failed routing attempts as warnings; with no handler configured Python
    # would print them to stderr next to our one-line error. Handlers the caller set still work.
    driver_log = logging.getLogger("neo4j")
    if not any(isinstance(h, logging.NullHandler) for h in driver_log.handlers):
        driver_log.addHandler(logging.NullHandler())
    try:
        code = cli.main(args=argv, prog_name="sourcing-graph", standalone_mode=False)
    except click.exceptions.Abort:
        _err("aborted")
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except SourcingGraphError as exc:
        _fail(exc)
    except KeyboardInterrupt:
        _err("interrupted")
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(0)
    except Exception as exc:
        # What the Neo4j driver raises that no store method turned into our errors: one line,
        # not a traceback (the server's message; never the password, which the driver never echoes)
        if not type(exc).__module__.startswith("neo4j"):
            raise
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        _err(f"error: Neo4j: {visible(first)[:500]}")
        sys.exit(1)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    sys.exit(code if isinstance(code, int) else 0)
