"""The one error hierarchy of sourcing-graph.

::

    SourcingGraphError                 every error this package raises on purpose
    ├── RegisterError                  a register (files or RDF) has problems; nothing is loaded
    │   └── ScenarioError              a what-if scenario file has problems; nothing is computed
    ├── MappingError                   a mapping file for a foreign export is wrong
    ├── OntologyError                  the ontology or its rule data is missing or inconsistent
    ├── SettingAwareError              its message may name settings (:class:`Mention`)
    │   ├── ConnectionSettingsError    a connection setting (URI, user, ...) is not usable
    │   ├── Neo4jUnavailableError      Neo4j cannot be reached or refuses the credentials
    │   ├── LoadError                  Neo4j refused a load or could not complete it
    │   │   └── RegisterReplaceRefused another register is loaded and replacing it was not asked
    │   ├── NotTheLoadedRegister       a register is not the one loaded, whose findings it would show
    │   └── QueryError                 a named query is unknown, a parameter is wrong, a query fails
    │       └── ReadOnlyViolation      a query tried to write in read-only mode
    └── ViewError                      a view cannot be made (unknown focus, ...)

The CLI turns each of these into a one-line (or, for registers, one-line-per-problem) message and a
non-zero exit code; tracebacks are kept for real bugs. The library never names a CLI option or an
environment variable: an error carries the ``setting`` it concerns, its message names settings as
:class:`Mention` parts, and the CLI names them its way (:meth:`SettingAwareError.message`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

MAX_VALUE_CHARS = 200
"""A value longer than this is shown clipped in a problem (a cell may hold megabytes)."""
MAX_MESSAGE_CHARS = 1000


def clip(text: str, limit: int = MAX_VALUE_CHARS) -> str:
    """``text``, or its head and tail around ``…[N characters]…`` when longer than ``limit``.

    >>> clip("x" * 1000, 20)
    'xxxxxxxxxx…[1000 characters]…xxxxxxxxxx'
    """
    if len(text) <= limit:
        return text
    half = limit // 2
    return f"{text[:half]}…[{len(text)} characters]…{text[-half:]}"


class Text(str):
    """A sentence of the library's: its value is the English text, and it keeps its ``template``
    and ``args`` so that an application can say it in another language (the views translate the
    template and fill in the same args; an arg that is itself a :class:`Text` is translated too).

    Templates are ``str.format`` templates: ``{ident!r}`` quotes an id, ``{rows:,}`` groups a
    number's digits (each language its own way). The library itself stays English.

    >>> text = Text("contract {ident!r} has no mode recorded", ident="WL-03")
    >>> text, text.template, text.args
    ("contract 'WL-03' has no mode recorded", 'contract {ident!r} has no mode recorded', {'ident': 'WL-03'})
    """

    template: str
    args: dict[str, object]

    def __new__(cls, template: str, /, **args: object) -> Text:
        return cls._made(template.format(**args), template, args)

    @classmethod
    def _made(cls, value: str, template: str, args: dict[str, object]) -> Text:
        text = super().__new__(cls, value)
        text.template = template
        text.args = args
        return text

    def __reduce__(self) -> tuple[object, ...]:
        return (_text, (str(self), self.template, self.args))

    def clipped(self, limit: int) -> Text:
        """This text clipped to ``limit`` characters (:func:`clip`), its long values too (for a
        translation of it)."""
        args = {
            key: clip(value) if isinstance(value, str) and not isinstance(value, Text) else value
            for key, value in self.args.items()
        }
        return Text._made(clip(str(self), limit), self.template, args)


def alternatives(items: Sequence[str]) -> str:
    """``a or b or c``: the items (at least one) with ``or`` between them, a :class:`Text`.

    >>> alternatives(["contracts.csv", "contracten.csv"])
    'contracts.csv or contracten.csv'
    """
    if len(items) == 1:
        return items[0]
    return Text("{items} or {last}", items=alternatives(items[:-1]), last=items[-1])


def _text(value: str, template: str, args: dict[str, object]) -> Text:
    """A :class:`Text` as pickled (its value, which may be clipped, kept as it is)."""
    return Text._made(value, template, args)


def said(exc: BaseException) -> str:
    """What an exception says: its message, a :class:`Text` kept as one (``str(exc)`` would make
    it a plain string)."""
    first = exc.args[0] if len(exc.args) == 1 else None
    return first if isinstance(first, Text) else str(exc)


@dataclass(frozen=True, slots=True)
class Problem:
    """One error or warning found in a register, with its position.

    ``line`` is the line where the record starts (the header is line 1) and ``column`` is 1-based;
    a problem with a whole file is at line 1, column 1. ``setting`` names the reader setting the
    problem concerns (``"max_rows"`` for a file over the row limit), for the caller to say how to
    change it.

    A register of templates (a DORA package) says more: the ``template`` (``B_02.02``), the row's
    ``key`` (``CTR-04``; the cells of a key of several columns joined by `` / ``), the column's
    ``code`` (``c0080``), the ``check`` that found the problem (``date-order``) and the published
    validation ``rule`` it matches (``v8816_m``), when there is one.

    ``message`` and ``expected`` are English; the readers give them as :class:`Text`, which an
    application can say in another language.
    """

    file: str
    line: int
    column: int
    message: str
    value: str | None = None
    expected: str | None = None
    severity: str = "error"  # "error" or "warning"
    setting: str | None = None
    template: str | None = None
    key: str | None = None
    code: str | None = None
    check: str | None = None
    rule: str | None = None

    def __post_init__(self) -> None:
        # a problem is for people to read: a value of megabytes is clipped (and values quoted in
        # the message with it)
        if self.value is not None and len(self.value) > MAX_VALUE_CHARS:
            object.__setattr__(self, "value", clip(self.value))
        if self.key is not None and len(self.key) > MAX_VALUE_CHARS:
            object.__setattr__(self, "key", clip(self.key))
        if len(self.message) > MAX_MESSAGE_CHARS:
            message = self.message
            clipped = (
                message.clipped(MAX_MESSAGE_CHARS)
                if isinstance(message, Text)
                else clip(message, MAX_MESSAGE_CHARS)
            )
            object.__setattr__(self, "message", clipped)

    def __str__(self) -> str:
        text = f"{self.file}:{self.line}:{self.column}: {self.severity}: {self.message}"
        if self.value is not None:
            text += f" (read {self.value!r}"
            text += f"; expected {self.expected})" if self.expected else ")"
        elif self.expected:
            text += f" (expected {self.expected})"
        if self.rule:
            text += f" [{self.rule}]"
        return text


class SourcingGraphError(Exception):
    """Base class of every error raised on purpose by sourcing-graph."""


class RegisterError(SourcingGraphError):
    """A register has errors; it carries every problem found (up to a limit)."""

    def __init__(self, problems: list[Problem], truncated: bool = False) -> None:
        self.problems = problems
        self.truncated = truncated
        errors = [p for p in problems if p.severity == "error"]
        head = f"the register has {len(errors)} error(s){' (and more, not all shown)' if truncated else ''}"
        super().__init__(head + ("\n" + "\n".join(str(p) for p in problems) if problems else ""))


class ScenarioError(RegisterError):
    """A what-if scenario file has errors (each with file, line and column); nothing is computed."""

    def __init__(self, problems: list[Problem], truncated: bool = False) -> None:
        super().__init__(problems, truncated)
        errors = [p for p in problems if p.severity == "error"]
        head = f"the scenario has {len(errors)} error(s){' (and more, not all shown)' if truncated else ''}"
        self.args = (head + ("\n" + "\n".join(str(p) for p in problems) if problems else ""),)


class MappingError(SourcingGraphError):
    """A mapping file for a foreign export is unreadable or names unknown fields."""


class OntologyError(SourcingGraphError):
    """The ontology or its rule parameters are missing or inconsistent."""


@dataclass(frozen=True, slots=True)
class Mention:
    """A setting (or an action) named in an error message.

    ``text`` is how the library names it (``"the URI"``). An application names it its own way,
    looked up by ``(setting, form)``: the CLI names ``("trusted_ca", "option")``
    ``--trusted-ca FILE (NEO4J_TRUSTED_CA)``. ``setting`` is a setting's name (``uri``, ``user``,
    ``password``, ``database``, ``trusted_ca``, ``wait``...) or an action's (``write``: run the
    query in a write transaction; ``embedded``: use the embedded engine). ``form`` is ``"name"``
    (the setting itself), ``"option"`` (how to give it) or ``"flag"`` (the same, in short).
    """

    setting: str
    text: str
    form: str = "name"


Words = Mapping[tuple[str, str], str]
"""How an application names settings: ``(setting, form)`` -> its words."""


class SettingAwareError(SourcingGraphError):
    """An error whose message may name settings; each reader names them its own way.

    The message is given in parts: text and mentions (:class:`Mention`). ``str(error)`` names
    the settings the library's way; :meth:`message` names them with an application's words.
    ``setting`` is the setting the error concerns (None: none in particular) and ``hint`` an
    action that would help (``"write"``: run the query in a write transaction).

    >>> error = SettingAwareError(Mention("uri", "the URI"), " names no host", setting="uri")
    >>> str(error), error.message({("uri", "name"): "NEO4J_URI"})
    ('the URI names no host', 'NEO4J_URI names no host')
    """

    def __init__(
        self, *parts: str | Mention, setting: str | None = None, hint: str | None = None
    ) -> None:
        self.parts = parts
        self.setting = setting
        self.hint = hint
        super().__init__(self.message())

    def message(self, words: Words | None = None) -> str:
        """The message, each mention in ``words`` (those it lacks: the library's way)."""
        named = words or {}
        return "".join(
            part if isinstance(part, str) else named.get((part.setting, part.form), part.text)
            for part in self.parts
        )


class ConnectionSettingsError(SettingAwareError):
    """A connection setting has a value that cannot be used."""


class Neo4jUnavailableError(SettingAwareError):
    """Neo4j cannot be reached, or refused the credentials (the message never holds the password)."""


class LoadError(SettingAwareError):
    """Neo4j refused a load or could not complete it; nothing of that load was committed."""


class RegisterReplaceRefused(LoadError):
    """Another register is loaded (or the loaded one was changed since its load) and the load was
    not asked to replace it; the load was rolled back, the loaded register is intact."""


class NotTheLoadedRegister(SettingAwareError):
    """A register drawn with the findings and modes of the register loaded in Neo4j is not that
    register (the register digests differ, or none is loaded): nothing was drawn or computed."""


class QueryError(SettingAwareError):
    """A named query is unknown, a parameter is wrong, or Neo4j refused the query."""


class ReadOnlyViolation(QueryError):
    """A query tried to write while the session was read-only."""


class ViewError(SourcingGraphError):
    """A view cannot be made (an unknown focus, an empty graph, ...)."""
