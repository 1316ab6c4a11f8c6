"""The message catalogs (``views/locale/<lang>.po``), read with Babel at run time.

The ``.po`` files are the only copy: nothing is compiled at build time. :func:`translations`
reads one with :func:`babel.messages.pofile.read_po`, writes it as a ``.mo`` in memory and opens
that with the standard :class:`gettext.GNUTranslations` (plural forms and contexts included).
"""

from __future__ import annotations

import gettext
import io
from functools import cache
from importlib import resources

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from sourcing_graph.errors import ViewError

LANGUAGES = ("nl", "en")
"""The languages the views speak."""
DEFAULT_LANGUAGE = "en"
"""The language when neither the caller nor the register says one."""


def po_text(lang: str) -> str:
    """The text of a language's catalog."""
    return (resources.files("sourcing_graph.views.locale") / f"{lang}.po").read_text("utf-8")


def read_catalog(lang: str) -> Catalog:
    """A language's catalog as Babel reads it."""
    return read_po(io.StringIO(po_text(lang)), locale=lang)


@cache
def translations(lang: str) -> gettext.GNUTranslations:
    """The translations of a language (read once); an unknown language is an error."""
    if lang not in LANGUAGES:
        raise ViewError(f"unknown language {lang!r}; expected one of {', '.join(LANGUAGES)}")
    buffer = io.BytesIO()
    write_mo(buffer, read_catalog(lang), use_fuzzy=False)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)
