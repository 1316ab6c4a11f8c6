"""What the commands write: results to stdout or a file, notes and errors to stderr, a progress bar."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NoReturn

import click

from sourcing_graph.cli.settings_words import error_message
from sourcing_graph.errors import Problem, RegisterError, ScenarioError, SourcingGraphError
from sourcing_graph.loaders.columns import written_language
from sourcing_graph.text import visible


def err(message: str) -> None:
    """One line (or more) on stderr."""
    click.echo(message, err=True)


STALE = "conclusions are stale: run sourcing-graph refresh"
"""What a read of the loaded register says, once, when its stored conclusions no longer fit."""


def warn_if_stale(store: Any) -> bool:
    """Say once on stderr when the conclusions stored with the loaded register are stale;
    whether they are."""
    stale = bool(store.conclusions_stale())
    if stale:
        err(STALE)
    return stale


def emit(text: str, output: Path | None, words: Any = None) -> None:
    """``text`` exactly, to stdout or to the file ``output`` (with a note on stderr, in the
    language of ``words``, a :class:`~sourcing_graph.views.locale.Words`, when given)."""
    if output is None:
        # color=True keeps the text exact: click strips ANSI-like sequences from piped output
        # otherwise, even from CSV cells (render colours the table only for a terminal)
        click.echo(text, nl=not text.endswith("\n"), color=True)
    else:
        output.write_text(text, encoding="utf-8")
        err(wrote(output, words))


def wrote(path: Path, words: Any = None) -> str:
    """``wrote PATH`` in the language of ``words`` (English without)."""
    if words is None:
        return f"wrote {path}"
    return str(words.gettext("wrote {path}").format(path=path))


@contextmanager
def progress_bar(enabled: bool) -> Iterator[Any]:
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


def problem_dict(p: Problem) -> dict[str, Any]:
    """A register problem as ``validate --format json`` shows it: where (file, line, column; in a
    DORA package also the template, the row's key and the column's code), what (severity, check,
    message, value read, what was expected) and the published rule it matches (or null)."""
    return {
        "file": p.file,
        "line": p.line,
        "column": p.column,
        "template": p.template,
        "key": p.key,
        "column_code": p.code,
        "severity": p.severity,
        "check": p.check,
        "message": p.message,
        "value": p.value,
        "expected": p.expected,
        "rule": p.rule,
    }


def problems_language(exc: RegisterError, lang: str | None) -> Any:
    """The words a command with ``--lang`` says a bad register in: ``lang``, else Dutch for a
    register whose files have Dutch names (the register's language, as a register read whole
    would say), else None (English, as the library writes them)."""
    if not lang and any(written_language(p.file, []) == "nl" for p in exc.problems):
        lang = "nl"
    if not lang:
        return None
    # start-up time: the views' words load Babel and the ontology, which errors rarely need
    from sourcing_graph.views.locale import Words

    return Words(lang)


def register_failed(exc: RegisterError, words: Any = None) -> NoReturn:
    """Exit 1 with a register's problems, one a line, and how many errors it has, on stderr;
    ``words`` (:class:`~sourcing_graph.views.locale.Words`): their language (default: English,
    as the library writes them; :func:`problems_language` is the one a presenting command uses)."""
    errors = getattr(exc, "total", None) or sum(1 for p in exc.problems if p.severity == "error")
    if words is None:
        for problem in exc.problems:
            err(str(problem))
        more = " (more not shown)" if exc.truncated else ""
        if isinstance(exc, ScenarioError):
            err(f"error: the scenario has {errors} error(s){more}; nothing was computed")
        else:
            err(f"error: the register has {errors} error(s){more}; nothing was loaded")
    else:
        # start-up time: the views' words load Babel and the ontology, which errors rarely need
        from sourcing_graph.views.messages import failed_line, problem_line

        for problem in exc.problems:
            err(problem_line(problem, words))
        err(failed_line(errors, exc.truncated, words, isinstance(exc, ScenarioError)))
    sys.exit(1)


def fail(exc: SourcingGraphError) -> NoReturn:
    """Exit 1 with the error's message (a register's problems one a line) on stderr."""
    if isinstance(exc, RegisterError):
        register_failed(exc)
    else:
        # a message may quote the user's text (Neo4j quotes the query): no control character of
        # it reaches the terminal raw
        err("\n".join(visible(line) for line in f"error: {error_message(exc)}".split("\n")))
    sys.exit(1)


def fail_on_driver_error(exc: Exception) -> NoReturn:
    """Exit 1 with one line for an error of the Neo4j driver that no store method turned into the
    package's errors: the server's message (never the password, which the driver never echoes),
    not a traceback."""
    first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    err(f"error: Neo4j: {visible(first)[:500]}")
    sys.exit(1)
