"""What a command works on: the rule data, the register read as the CLI shows it, the engine."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sourcing_graph.cli.options import Connection, RegisterInput
from sourcing_graph.cli.output import warn_if_stale
from sourcing_graph.cli.settings_words import with_setting_hint
from sourcing_graph.errors import RegisterError
from sourcing_graph.loaders import read_any


def rules_of(rules_file: Path | None) -> Any:
    """The rule data: the packaged rules, or those of ``--rules``."""
    # start-up time: the rules load rdflib (~0.05 s), which --help and --version do not need
    from sourcing_graph.ontology.rules import load_rules

    return load_rules(rules_file) if rules_file else load_rules()


def read(source: RegisterInput, rules: Any) -> Any:
    """Read a register (CSV folder, zip, CSV file, DORA package or RDF) into the graph model.

    Its problems (errors and warnings) are shown as the command line shows them: with the option
    and environment variable of the setting they concern (:func:`with_setting_hint`).
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


@contextmanager
def engine_for(
    engine: str,
    conn: Connection,
    register: Any = None,
    rules: Any = None,
    rules_file: Path | None = None,
    as_of: date | None = None,
) -> Iterator[Any]:
    """The engine chosen by ``--engine``: ``auto`` means neo4j when a Neo4j URI is configured,
    else embedded. Embedded analyses ``register`` with ``rules``; neo4j is a connected store with
    ``register`` loaded (when given) and the ontology with the rule data of ``rules_file``
    (default: the packaged rules). ``as_of``: the reference date (default today)."""
    # start-up time: the engines load networkx (~0.25 s), which --help and query do not need
    from sourcing_graph.graph.analyses import open_engine

    kind = ("neo4j" if conn.uri else "embedded") if engine == "auto" else engine
    if kind != "neo4j":
        yield open_engine(kind, register=register, rules=rules, as_of=as_of)
        return
    with conn.connect() as store:
        if register is not None:
            # the analysis must read this register, not one another process loaded meanwhile
            store.pinned_load_id = store.load_register(register, rules_source=rules_file)["loadId"]
        else:
            store.ensure_schema(rules_file)
            warn_if_stale(store)  # the register loaded before, perhaps changed since
        yield open_engine(kind, store=store, as_of=as_of)


def day(as_of: datetime | None) -> date | None:
    """The date of ``--as-of`` (None: not given, today)."""
    return as_of.date() if as_of is not None else None


@contextmanager
def analysed(
    source: RegisterInput,
    engine: str,
    conn: Connection,
    *,
    loaded: bool = False,
    as_of: datetime | None = None,
) -> Iterator[tuple[Any, Any, Any]]:
    """``(register, rules, engine)``: the register read (None when ``loaded``: Neo4j's), the rule
    data, and the engine chosen by ``--engine`` holding the register, at ``--as-of``."""
    rules = rules_of(source.rules_file)
    reg = None if loaded else read(source, rules)
    with engine_for(engine, conn, reg, rules, source.rules_file, day(as_of)) as target:
        yield reg, rules, target
