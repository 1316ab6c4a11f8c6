"""What a command works on: the rule data, the register read as the CLI shows it, the engine."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sourcing_graph.cli.options import Connection, EngineChoice, RegisterInput
from sourcing_graph.cli.output import err, problems_language, register_failed, warn_if_stale
from sourcing_graph.cli.settings_words import with_setting_hint
from sourcing_graph.errors import RegisterError
from sourcing_graph.loaders import read_any


def rules_of(rules_file: Path | None) -> Any:
    """The rule data: the packaged rules, or those of ``--rules``."""
    # start-up time: the rules load rdflib (~0.05 s), which --help and --version do not need
    from sourcing_graph.ontology.rules import load_rules

    return load_rules(rules_file) if rules_file else load_rules()


@contextmanager
def problems_in(lang: str | None) -> Iterator[None]:
    """A register's (or a scenario's) problems raised inside, printed in ``lang`` (``--lang``;
    without it, the register's language: :func:`problems_language`) before exiting 1."""
    try:
        yield
    except RegisterError as exc:
        words = problems_language(exc, lang)
        if words is None:
            raise
        register_failed(exc, words)


def read(source: RegisterInput, rules: Any) -> Any:
    """Read a register (CSV folder, zip, CSV file, DORA package or RDF) into the graph model.

    Its problems (errors and warnings) are shown as the command line shows them: with the option
    and environment variable of the setting they concern (:func:`with_setting_hint`). The
    command prints its warnings (:func:`print_warnings`) once it has done its work, so that an
    error stays one line.
    """
    try:
        reg = read_any(
            source.path,
            mapping_file=source.mapping,
            rules=rules,
            overlay=source.overlay,
            skip_inconsistent=source.skip_inconsistent,
            limits=source.limits,
        )
    except RegisterError as exc:
        exc.problems[:] = [with_setting_hint(p) for p in exc.problems]
        raise
    reg.warnings[:] = [with_setting_hint(p) for p in reg.warnings]
    return reg


def print_warnings(reg: Any, source: RegisterInput, lang: str | None = None) -> None:
    """Each of the register's warnings on stderr, one line each, as ``validate`` prints them
    (nothing when the command is ``--quiet``)."""
    if reg is None or not reg.warnings or source.quiet:
        return
    # start-up time: the words load Babel and the ontology, which a register without warnings
    # does not need
    from sourcing_graph.views.locale import Words
    from sourcing_graph.views.messages import problem_line

    words = Words.of(reg, lang)
    for warning in reg.warnings:
        err(problem_line(warning, words))


@contextmanager
def engine_for(
    target: EngineChoice,
    conn: Connection,
    register: Any = None,
    rules: Any = None,
    rules_file: Path | None = None,
    as_of: date | None = None,
    shown: Any = None,
) -> Iterator[Any]:
    """The engine of ``target``. Embedded analyses ``register`` with ``rules``; neo4j is a
    connected store with ``register`` loaded (when given; refused when another register is
    loaded, unless ``target.replace``; said on stderr) and the ontology with the rule data of
    ``rules_file`` (default: the packaged rules). ``as_of``: the reference date (default today).
    ``shown``: a register read to be shown with the loaded register's conclusions (``--loaded``),
    refused unless it is the loaded one."""
    # start-up time: the engines load networkx (~0.25 s), which --help and query do not need
    from sourcing_graph.graph.analyses import open_engine

    if target.engine != "neo4j":
        yield open_engine(target.engine, register=register, rules=rules, as_of=as_of)
        return
    with conn.connect() as store:
        if register is not None:
            counts = store.load_register(
                register, rules_source=rules_file, replace=target.replace, as_of=as_of
            )
            err(loaded_line(store.settings.uri, counts))
            # the analysis must read this register, not one another process loaded meanwhile
            store.pinned_load_id = counts["loadId"]
        else:
            store.use_loaded(rules_file)  # only load and refresh write to Neo4j
            if shown is not None:  # its files drawn with the stored findings and modes
                store.check_loaded(shown, rules_file)
            warn_if_stale(store)  # the register loaded before, perhaps changed since
        yield open_engine(target.engine, store=store, as_of=as_of)


def loaded_line(uri: str, counts: dict[str, Any]) -> str:
    """What an analysis says on stderr when it loaded its register into Neo4j."""
    replaced = counts.get("replaced")
    if counts.get("kept"):
        return f"the same register is loaded in {uri} ({replaced} contracts); nothing was written"
    if replaced is None:
        return f"loaded into {uri} (no register was loaded there)"
    same = " (the same register)" if counts.get("sameRegister") else ""
    return f"loaded into {uri} replacing {replaced} contracts{same}"


def day(as_of: datetime | None) -> date | None:
    """The date of ``--as-of`` (None: not given, today)."""
    return as_of.date() if as_of is not None else None


@contextmanager
def analysed(
    source: RegisterInput,
    target: EngineChoice,
    conn: Connection,
    *,
    drawn: bool = False,
    as_of: datetime | None = None,
    lang: str | None = None,
) -> Iterator[tuple[Any, Any, Any]]:
    """``(register, rules, engine)``: the register read (with ``target.loaded`` only when it is
    ``drawn``, by a view or report, and then not loaded; else None), the rule data, and the
    engine of ``target`` holding the register, at ``as_of`` (the reference date). The register's
    warnings are printed once the command's work is done (in ``lang``, default the register's)."""
    rules = rules_of(source.rules_file)
    with problems_in(lang):
        reg = read(source, rules) if drawn or not target.loaded else None
    loading, shown = (None, reg) if target.loaded else (reg, None)
    with engine_for(
        target, conn, loading, rules, source.rules_file, day(as_of), shown=shown
    ) as engine:
        yield reg, rules, engine
    print_warnings(reg, source, lang)
