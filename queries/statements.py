"""The Cypher statements the Neo4j store runs itself (``queries/internal/*.cypher``), by name.

They are not named queries: :func:`~sourcing_graph.queries.list_queries` and
:func:`~sourcing_graph.queries.get_query` see only the files directly in ``queries/``. A file holds
several statements; each starts at a ``// name: NAME`` line and runs to the next one. Comment lines
(``//``) describe; they are not sent to the server. Values are always parameters. A statement
written once per label or relationship type (Cypher cannot take a label as a parameter) has the
label in its name: ``merge:ClauseType``.

>>> statements("store")["counts"].startswith("CALL ()")
True
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from importlib.resources import files
from types import MappingProxyType

_NAME_LINE = re.compile(r"^//\s*name\s*:\s*(\S+)\s*$")


def parse_statements(text: str, where: str = "<text>") -> dict[str, str]:
    """Statement name -> Cypher text (without comment lines) of a statements file's ``text``.

    Raises :class:`ValueError` for a statement named twice or one without Cypher.
    """
    found: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in text.splitlines():
        stripped = line.strip()
        named = _NAME_LINE.match(stripped)
        if named:
            if named.group(1) in found:
                raise ValueError(f"{where}: the statement {named.group(1)!r} is named twice")
            current = found[named.group(1)] = []
        elif current is not None and stripped and not stripped.startswith("//"):
            current.append(line.rstrip())
    empty = [name for name, lines in found.items() if not lines]
    if empty:
        raise ValueError(f"{where}: no Cypher in the statement(s) {', '.join(empty)}")
    return {name: "\n".join(lines) for name, lines in found.items()}


@functools.cache
def statements(group: str) -> Mapping[str, str]:
    """The statements of ``queries/internal/<group>.cypher`` (read once), by name."""
    entry = files("sourcing_graph.queries") / "internal" / f"{group}.cypher"
    text = entry.read_text(encoding="utf-8")
    return MappingProxyType(parse_statements(text, f"queries/internal/{group}.cypher"))
