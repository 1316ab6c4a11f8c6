"""The ``sourcing-graph`` command line: thin wrappers over the library; environment read here only.

One module per job: :mod:`~sourcing_graph.cli.options` (the shared options),
:mod:`~sourcing_graph.cli.settings_words` (the library's settings as flags and variables),
:mod:`~sourcing_graph.cli.inputs` (rules, register, engine), :mod:`~sourcing_graph.cli.output`
(stdout, stderr, errors) and the commands by group: ``register_commands`` (validate, load,
export, mapping), ``analysis_commands`` (analyze, view, report), ``whatif_command``,
``query_command`` and ``refresh_command``.
"""

from __future__ import annotations

import logging
import sys

import click

from sourcing_graph import __version__
from sourcing_graph.cli.analysis_commands import analyze, report, view
from sourcing_graph.cli.output import err, fail, fail_on_driver_error
from sourcing_graph.cli.query_command import query
from sourcing_graph.cli.refresh_command import refresh
from sourcing_graph.cli.register_commands import export, load, mapping, validate
from sourcing_graph.cli.settings_words import SETTING_WORDS, error_message, with_setting_hint
from sourcing_graph.cli.whatif_command import whatif
from sourcing_graph.errors import SourcingGraphError

__all__ = ["SETTING_WORDS", "cli", "error_message", "main", "with_setting_hint"]


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, "-V", "--version", prog_name="sourcing-graph")
def cli() -> None:
    """Turn a contract register into a knowledge graph of IT sourcing and its collaboration modes.

    Modes of collaboration (samenwerkingsvormen): distrust (wantrouwen), reliability
    (betrouwbaarheid) and trust (vertrouwen). The analyses run embedded (no server) or on Neo4j.

    \b
    Neo4j is configured with NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD, NEO4J_DATABASE,
    NEO4J_WAIT or the matching options. Only load and refresh write to Neo4j; analyze, view
    and report run embedded unless --engine neo4j is given.
    """


for command in (validate, load, refresh, analyze, whatif, query, export, view, report, mapping):
    cli.add_command(command)


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
        err("aborted")
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except SourcingGraphError as exc:
        fail(exc)
    except KeyboardInterrupt:
        err("interrupted")
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(0)
    except Exception as exc:
        # what the Neo4j driver raises that no store method turned into our errors: one line;
        # anything else is a bug and keeps its traceback
        if not type(exc).__module__.startswith("neo4j"):
            raise
        fail_on_driver_error(exc)
    sys.exit(code if isinstance(code, int) else 0)
