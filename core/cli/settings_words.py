"""How the CLI names the settings the library's errors and problems concern: flags and variables."""

from __future__ import annotations

import dataclasses

from sourcing_graph.errors import Problem, SettingAwareError, SourcingGraphError, Text

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
    ("retry_time", "name"): "NEO4J_RETRY_TIME",
    ("notifications", "name"): "NEO4J_NOTIFICATIONS",
    ("system_ca", "name"): "SSL_CERT_FILE",
    ("server_heap", "name"): "server.memory.heap.max_size; NEO4J_HEAP for scripts/neo4j",
    ("write", "name"): "sourcing-graph query --write",
    ("embedded", "name"): "--engine embedded",
    ("embedded", "flag"): "--engine embedded",
    ("replace", "flag"): "--replace",
    ("loaded", "flag"): "--loaded",
    ("load", "name"): "sourcing-graph load",
    ("refresh", "name"): "sourcing-graph refresh --rules FILE",
    ("batched", "name"): "sourcing-graph load --batched",
}
"""How the CLI names the settings and actions that the library's errors mention
(:class:`~sourcing_graph.errors.Mention`): ``(setting, form)`` -> options and variables."""

LIMIT_ENV = {
    "max_rows": "SOURCING_GRAPH_MAX_ROWS",
    "max_field_chars": "SOURCING_GRAPH_MAX_FIELD_CHARS",
    "max_file_mb": "SOURCING_GRAPH_MAX_FILE_MB",
}
"""Each reader limit (a field of :class:`~sourcing_graph.loaders.limits.Limits`) -> the
environment variable that sets it (its option is the limit's name as a flag, ``--max-rows``)."""


def error_message(exc: SourcingGraphError) -> str:
    """The message of a library error, naming settings by this CLI's options and variables."""
    if isinstance(exc, SettingAwareError):
        return exc.message(SETTING_WORDS)
    return str(exc)


def flag(setting: str) -> str:
    """The option of a setting: ``max_rows`` -> ``--max-rows``."""
    return "--" + setting.replace("_", "-")


def with_setting_hint(problem: Problem) -> Problem:
    """A reader's problem as the command line shows it: one over a limit says how to raise it
    (``...; raise it with --max-rows or SOURCING_GRAPH_MAX_ROWS``), one about the overlay names
    the option."""
    if problem.setting in LIMIT_ENV:
        option, variable = flag(problem.setting), LIMIT_ENV[problem.setting]
        expected = (
            Text(
                "{expected}; raise it with {option} or {variable}",
                expected=problem.expected,
                option=option,
                variable=variable,
            )
            if problem.expected
            else Text("raise it with {option} or {variable}", option=option, variable=variable)
        )
        return dataclasses.replace(problem, expected=expected)
    if problem.setting == "overlay":
        message = Text("{message} ({option})", message=problem.message, option=flag("overlay"))
        return dataclasses.replace(problem, message=message)
    return problem
