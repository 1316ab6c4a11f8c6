"""The messages the code asks for, extracted with Babel's extractors (Python and Jinja2 templates),
to compare with the catalogs ``views/locale/<lang>.po``."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir

from tests.support import ROOT

SOURCES = ("views", "core", "loaders")
"""The folders whose code shows words to people (the views and the CLI, and the readers' problems
as :class:`~sourcing_graph.errors.Text`)."""
KEYWORDS = {**DEFAULT_KEYWORDS, "Text": None}
"""Babel's gettext keywords, and ``Text(template, **args)``: its first argument is a message."""
METHODS = [
    ("**/assets/**.j2", "jinja2.ext:babel_extract"),
    ("**.py", "python"),
]

MessageId = tuple[str | None, str | tuple[str, str]]
"""(context, msgid) -- a plural message's msgid is (singular, plural)."""


def extracted(root: Path = ROOT) -> dict[MessageId, list[str]]:
    """Every message the code marks, with where: {(context, msgid): ["views/x.py:12", ...]}."""
    found: dict[MessageId, list[str]] = {}
    for folder in SOURCES:
        for filename, line, message, _comments, context in extract_from_dir(
            root / folder,
            method_map=METHODS,
            options_map={"**/assets/**.j2": {"extensions": "jinja2.ext.i18n"}},
            keywords=KEYWORDS,
        ):
            msgid: str | tuple[str, str] = (
                (message[0], message[1]) if isinstance(message, tuple) else message
            )
            found.setdefault((context, msgid), []).append(f"{folder}/{filename}:{line}")
    return found
