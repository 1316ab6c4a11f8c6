"""The named Cypher queries (``queries/*.cypher``) and the header each one starts with.

A query file starts with comment lines of a fixed form; the file name is the query's name::

    // name: mode-mismatches
    // rule: R3
    // kind: analysis
    // answers: Which interdependent lots run in different collaboration modes, and how severe is it?
    // param: minSeverity (severity, optional) — only findings at least this severe
    // columns: lot, depends_on, lot_mode, depends_on_mode, severity, direction

``kind`` is ``analysis`` (a part of the analysis result), ``helper`` (rows about the register that
the analyses build on), ``ontology`` (reads the ontology only) or ``stored`` (reads the
conclusions the last load or refresh stored, deriving nothing: ``stored-result``). ``param`` lines may repeat; a
parameter is ``required`` unless marked ``optional``, and optional ones are passed as null when not
given. The header ends at the first line that is not a ``//`` comment.

A parameter's type is one of :data:`SCALAR_TYPES` (``string``, ``integer``, ``float``,
``boolean``, ``date``, ``organisation``), one of :data:`VOCABULARY_TYPES` (``mode``, ``severity``, ``clause``,
``level``, ``selection-basis``: the ontology's keys, which the Dutch and English words of the
ontology also name), a choice of words (``nl|en``), or ``list`` / ``list of TYPE``. What each value
may be is checked before the query runs (:mod:`sourcing_graph.views.query_params`).

>>> get_query("mode-mismatches").columns[:2]
['lot', 'depends_on']
>>> get_query("mode-mismatches").params[0].kind
'severity'
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import NamedTuple

from sourcing_graph.errors import QueryError

_HEADER_LINE = re.compile(r"^//\s*(\w+)\s*:\s*(.*?)\s*$")
_PARAM = re.compile(
    r"^(?P<name>\w+)\s*\((?P<type>[\w\[\]| -]+?)(?:\s*,\s*(?P<req>optional|required))?\)"
    r"\s*(?:—|--|-|:)?\s*(?P<description>.*)$"
)
_LIST_TYPE = re.compile(r"^list(?:\s+of\s+(?P<of>[\w|-]+)|\s*\[\s*(?P<inner>[\w|-]+)\s*\])?$")

SCALAR_TYPES = ("string", "integer", "float", "boolean", "date", "organisation")
"""The plain parameter types (``organisation``: an organisation's id, or its name, which the
CLI's ``query`` turns into the id before the query runs)."""
VOCABULARY_TYPES = ("mode", "severity", "clause", "level", "selection-basis")
"""The parameter types whose values are the ontology's keys (or its Dutch and English words)."""
_SYNONYMS = {"str": "string", "text": "string", "int": "integer", "number": "float",
             "bool": "boolean", "clause-type": "clause", "any": ""}  # fmt: skip
# Scanned left to right: string literals, quoted names and comments are skipped, $params kept.
_TOKENS = re.compile(
    r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|`[^`]*`|//[^\n]*|/\*.*?\*/|\$(\w+)", re.S
)


class QueryParam(NamedTuple):
    """One declared parameter: ``(name, type, optional, description, kind, is_list, choices)``.

    ``type`` is the type as written; ``kind`` the type of the value (or of each item of a list):
    one of :data:`SCALAR_TYPES` or :data:`VOCABULARY_TYPES`, ``choice`` (one of ``choices``) or
    ``""`` (any value, typed as written).
    """

    name: str
    type: str
    optional: bool
    description: str
    kind: str = ""
    is_list: bool = False
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class QueryInfo:
    """A Cypher query with what its header says about it."""

    name: str
    rule: str | None
    answers: str
    params: list[QueryParam]
    columns: list[str]
    text: str
    kind: str = "analysis"
    path: str | None = field(default=None, compare=False)

    def used_params(self) -> set[str]:
        """The ``$parameters`` the query text uses (outside comments and string literals)."""
        return {m.group(1) for m in _TOKENS.finditer(self.text) if m.group(1)}

    def bind(self, values: dict[str, object]) -> dict[str, object]:
        """Every declared parameter with its value (None when not given).

        Raises :class:`QueryError` for a missing required parameter or an undeclared one.
        """
        declared = {p.name for p in self.params}
        unknown = sorted(set(values) - declared)
        if unknown:
            known = ", ".join(sorted(declared)) or "none"
            raise QueryError(
                f"query {self.name!r} has no parameter {', '.join(unknown)}; its parameters: {known}"
            )
        missing = [p.name for p in self.params if not p.optional and values.get(p.name) is None]
        if missing:
            raise QueryError(f"query {self.name!r} needs the parameter {', '.join(missing)}")
        return {p.name: values.get(p.name) for p in self.params}


def parse_query(text: str, name: str, path: str | None = None) -> QueryInfo:
    """Read the header of a query's text (``name`` is used when the header names none)."""
    header: dict[str, str] = {}
    params: list[QueryParam] = []
    for number, line in enumerate(text.lstrip("\ufeff").splitlines(), start=1):
        stripped = line.strip()
        if not stripped:
            continue
        if not stripped.startswith("//"):
            break
        match = _HEADER_LINE.match(stripped)
        if not match:
            continue  # a free comment line in the header
        key, value = match.group(1).lower(), match.group(2)
        if key == "param":
            pm = _PARAM.match(value)
            if not pm:
                where = path or name
                raise QueryError(
                    f"{where}:{number}: cannot read the parameter line {value!r}; expected "
                    "'name (type, optional) — description'"
                )
            params.append(_param(pm, f"{path or name}:{number}"))
        else:
            header.setdefault(key, value)
    rule = header.get("rule")
    return QueryInfo(
        name=header.get("name") or name,
        rule=None if rule in (None, "", "-", "—", "none") else rule,
        answers=header.get("answers", ""),
        params=params,
        columns=[c.strip() for c in header.get("columns", "").split(",") if c.strip()],
        text=text,
        kind=header.get("kind", "analysis"),
        path=path,
    )


def _param(match: re.Match[str], where: str) -> QueryParam:
    declared = " ".join(match.group("type").split())
    listed = _LIST_TYPE.match(declared.lower())
    item = (listed.group("of") or listed.group("inner") or "") if listed else declared.lower()
    kind, choices = parse_type(item, where)
    return QueryParam(
        match.group("name"),
        declared,
        match.group("req") == "optional",
        match.group("description").strip(),
        kind,
        listed is not None,
        choices,
    )


def parse_type(text: str, where: str = "<query>") -> tuple[str, tuple[str, ...]]:
    """``(kind, choices)`` of a declared type (not a list): ``("severity", ())``,
    ``("choice", ("nl", "en"))``. Raises :class:`QueryError` for an unknown type.

    >>> parse_type("nl|en"), parse_type("int")
    (('choice', ('nl', 'en')), ('integer', ()))
    """
    text = text.strip().lower()
    if "|" in text:
        choices = tuple(c.strip() for c in text.split("|"))
        if all(choices):
            return "choice", choices
    kind = _SYNONYMS.get(text, text)
    if kind in SCALAR_TYPES or kind in VOCABULARY_TYPES or kind == "":
        return kind, ()
    known = ", ".join((*SCALAR_TYPES, *VOCABULARY_TYPES, "list", "list of TYPE", "a|b"))
    raise QueryError(f"{where}: unknown parameter type {text!r}; the types are: {known}")


def _package_files() -> dict[str, str]:
    """Query name -> text, for every ``.cypher`` file shipped with the package."""
    found = {}
    for entry in files("sourcing_graph.queries").iterdir():
        if entry.name.endswith(".cypher"):
            found[entry.name[: -len(".cypher")]] = entry.read_text(encoding="utf-8")
    return found


def list_queries() -> list[QueryInfo]:
    """Every named query shipped with the package, by name."""
    return [parse_query(text, name) for name, text in sorted(_package_files().items())]


def get_query(name_or_path: str | Path) -> QueryInfo:
    """A named query (``mode-mismatches``; ``mode_mismatches`` works too) or a ``.cypher`` file.

    Raises :class:`QueryError` for an unknown name (listing the known ones) or an unreadable file.
    """
    text_name = str(name_or_path)
    if isinstance(name_or_path, Path) or text_name.endswith(".cypher") or "/" in text_name:
        path = Path(name_or_path)
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise QueryError(f"cannot read the query file {str(path)!r}: {exc.strerror}") from None
        except UnicodeDecodeError:
            raise QueryError(f"the query file {str(path)!r} is not UTF-8 text") from None
        return parse_query(text, path.stem, str(path))
    available = _package_files()
    name = text_name.strip().replace("_", "-")
    if name not in available:
        raise QueryError(
            f"unknown query {text_name!r}; the named queries are: {', '.join(sorted(available))}"
        )
    return parse_query(available[name], name)
