"""The options the commands share: the Neo4j connection, the register and how it is read, HTML."""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from sourcing_graph.cli.output import err
from sourcing_graph.cli.settings_words import LIMIT_ENV, flag
from sourcing_graph.loaders.limits import Limits
from sourcing_graph.views.format_names import FORMATS

if TYPE_CHECKING:
    from sourcing_graph.graph.neo4j import Neo4jSettings, Neo4jStore

F = TypeVar("F", bound=Callable[..., Any])

ENGINES = ("auto", "embedded", "neo4j")
DEFAULT_WAIT = 30.0
"""Seconds a command waits for a Neo4j that is not (yet) available (--wait, NEO4J_WAIT)."""
DEFAULT_RETRY_TIME = 30.0
"""Seconds a transaction is retried after a passing failure (--retry-time, NEO4J_RETRY_TIME);
the library's default, repeated here for --help."""
NOTIFICATION_LEVELS = ("off", "deprecations", "warnings", "all")
DEFAULT_NOTIFICATIONS = "deprecations"
"""What Neo4j may tell about the tool's own queries (--notifications, NEO4J_NOTIFICATIONS); the
library's levels and default, repeated here for --help (the driver loads only when needed)."""


def stacked(func: Callable[..., Any], decorators: Sequence[Callable[[Any], Any]]) -> Any:
    """``func`` under ``decorators``, the first one outermost (as if written above it in order)."""
    decorated: Any = func
    for decorator in reversed(decorators):
        decorated = decorator(decorated)
    return decorated


# -- the Neo4j connection ---------------------------------------------------------------------


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
    retry_time: float = DEFAULT_RETRY_TIME
    notifications: str = DEFAULT_NOTIFICATIONS

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
            retry_time=self.retry_time,
            notifications=self.notifications,
        )

    def connect(self) -> Neo4jStore:
        """A connected :class:`Neo4jStore`, waiting (with a note on stderr) for a server that
        is not ready yet."""
        # the store loads the Neo4j driver: only for commands that use Neo4j (start-up time)
        from sourcing_graph.graph.neo4j import Neo4jStore

        return Neo4jStore.connect(self.settings(), notify=err)


def seconds_option(name: str, envvar: str, default: float, help_text: str) -> Any:
    """An option of a number of seconds >= 0, with its environment variable."""
    return click.option(
        name,
        envvar=envvar,
        type=click.FloatRange(min=0),
        default=default,
        show_default=True,
        metavar="SECONDS",
        help=f"{help_text} [env {envvar}]",
    )


CONNECTION_OPTIONS = [
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
    seconds_option(
        "--wait",
        "NEO4J_WAIT",
        DEFAULT_WAIT,
        "How long to wait for a Neo4j that is not available yet (0: fail at once)",
    ),
    seconds_option(
        "--retry-time",
        "NEO4J_RETRY_TIME",
        DEFAULT_RETRY_TIME,
        "How long to retry a transaction that failed for a passing reason, such as a "
        "cluster's leader election",
    ),
    click.option(
        "--notifications",
        envvar="NEO4J_NOTIFICATIONS",
        type=click.Choice(NOTIFICATION_LEVELS),
        default=DEFAULT_NOTIFICATIONS,
        show_default=True,
        help="What Neo4j may say about the tool's own queries, logged on stderr: deprecated "
        "features, every warning, everything, or nothing [env NEO4J_NOTIFICATIONS]",
    ),
]
"""The connection options, each named as the :class:`Connection` field it fills."""


def neo4j_options(func: F) -> F:
    """The connection options, each with its environment variable, passed as ``conn``."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        given = {f.name: kwargs.pop(f.name) for f in dataclasses.fields(Connection)}
        kwargs["conn"] = Connection(**given)
        return func(*args, **kwargs)

    return stacked(wrapper, CONNECTION_OPTIONS)


# -- the register and how it is read ----------------------------------------------------------


@dataclass(frozen=True)
class RegisterInput:
    """The register a command reads, as given: its path, a mapping file, a rule data file, a DORA
    package's overlay and leniency, and the reader's limits."""

    path: Path
    mapping: Path | None = None
    rules_file: Path | None = None
    overlay: Path | None = None
    skip_inconsistent: bool = False
    limits: Limits = field(default_factory=Limits)
    quiet: bool = False


def limit_option(name: str, metavar: str, help_text: str) -> Callable[[F], F]:
    """The option of one reader limit (``--max-rows``), with its variable and default."""
    default = getattr(Limits(), name)
    return click.option(
        flag(name),
        name,
        type=click.IntRange(min=1),
        envvar=LIMIT_ENV[name],
        show_envvar=True,
        metavar=metavar,
        help=f"{help_text} (default {default:,}).",
    )


REGISTER_OPTIONS = [
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
    limit_option("max_rows", "N", "Refuse a register file with more rows than this"),
    limit_option("max_field_chars", "N", "Refuse a cell longer than this many characters"),
    limit_option("max_file_mb", "MB", "Refuse a register file larger than this"),
    click.option(
        "-q", "--quiet", is_flag=True, help="Do not print the register's warnings on stderr."
    ),
]


def register_options(func: F) -> F:
    """REGISTER, --mapping, --rules, the DORA options (--overlay, --dora-skip-inconsistent) and the
    reader's limits (--max-rows, --max-field-chars, --max-file-mb), passed as ``source``
    (:class:`RegisterInput`)."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        given = {k: kwargs.pop(k) for k in LIMIT_ENV}
        kwargs["source"] = RegisterInput(
            path=kwargs.pop("register"),
            mapping=kwargs.pop("mapping"),
            rules_file=kwargs.pop("rules_file"),
            overlay=kwargs.pop("overlay"),
            skip_inconsistent=kwargs.pop("dora_skip_inconsistent"),
            limits=Limits(**{k: v for k, v in given.items() if v is not None}),
            quiet=kwargs.pop("quiet"),
        )
        return func(*args, **kwargs)

    return stacked(wrapper, REGISTER_OPTIONS)


# -- HTML output ------------------------------------------------------------------------------


def html_options(func: F) -> F:
    """``--out`` (the HTML file), shared by ``view`` and ``report``."""
    return click.option(
        "-o",
        "--out",
        required=True,
        type=click.Path(dir_okay=False, path_type=Path),
        help="The HTML file to write.",
    )(func)


# -- the engine -------------------------------------------------------------------------------


@dataclass(frozen=True)
class EngineChoice:
    """Where an analysis runs: ``engine`` (``embedded`` or ``neo4j``), ``loaded`` (Neo4j's
    register, REGISTER not loaded) and ``replace`` (the load may replace another register)."""

    engine: str = "embedded"
    loaded: bool = False
    replace: bool = False


ENGINE_OPTIONS = [
    click.option(
        "--engine",
        type=click.Choice(ENGINES),
        default="auto",
        show_default=True,
        help="auto: embedded, or neo4j with --loaded. Only load and refresh write to Neo4j "
        "unless --engine neo4j is given.",
    ),
    click.option(
        "--loaded",
        is_flag=True,
        help="Neo4j: use the register already loaded there (its findings and modes); REGISTER "
        "is not loaded (view, report and whatif refuse a REGISTER that is not the loaded one).",
    ),
    click.option(
        "--replace",
        is_flag=True,
        help="--engine neo4j: load REGISTER even when another register is loaded (it is "
        "replaced); without it the command refuses.",
    ),
]


def engine_options(func: F) -> F:
    """``--engine``, ``--loaded`` and ``--replace``, passed as ``target``
    (:class:`EngineChoice`)."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        engine, loaded = kwargs.pop("engine"), kwargs.pop("loaded")
        if engine == "auto":
            engine = "neo4j" if loaded else "embedded"
        if loaded and engine != "neo4j":
            raise click.UsageError("--loaded needs --engine neo4j")
        kwargs["target"] = EngineChoice(engine, loaded, kwargs.pop("replace"))
        return func(*args, **kwargs)

    return stacked(wrapper, ENGINE_OPTIONS)


# -- language and reference date --------------------------------------------------------------

LANG_ENV = "SOURCING_GRAPH_LANG"
"""The environment variable of ``--lang``."""

LANG_OPTION = click.option(
    "--lang",
    type=click.Choice(["nl", "en"]),
    envvar=LANG_ENV,
    show_envvar=True,
    help="The language of what people read: nl or en (default: the register's; Dutch file names "
    "or headers mean nl). JSON and CSV keys stay English.",
)
AS_OF_OPTION = click.option(
    "--as-of",
    "as_of",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    metavar="DATE",
    help="The reference date (YYYY-MM-DD, default today) of the renegotiation windows (R14); "
    "the view and report mark contracts that ended before it, and those ending within 12 months "
    "of it.",
)


def lang_option(func: F) -> F:
    """``--lang nl|en`` (``SOURCING_GRAPH_LANG``), passed as ``lang`` (None: the register's)."""
    return LANG_OPTION(func)


def as_of_option(func: F) -> F:
    """``--as-of DATE``, passed as ``as_of`` (a ``datetime``; None: today)."""
    return AS_OF_OPTION(func)


def format_option(help_text: str | None = None) -> Callable[[F], F]:
    """``--format table|json|csv|markdown`` (the one table of the names,
    :data:`~sourcing_graph.views.format_names.FORMATS`), passed as ``fmt``."""
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(FORMATS),
        default="table",
        show_default=True,
        help=help_text,
    )
