"""The views' languages: Dutch and English message catalogs, domain words, numbers, money, dates.

``views/locale/nl.po`` and ``en.po`` hold every fixed word the views and the CLI show (read with
Babel at run time, :mod:`~sourcing_graph.views.locale.catalog`); the domain's words come from the
ontology's labels (:mod:`~sourcing_graph.views.locale.terms`); :class:`Words` gives one language.
"""

from sourcing_graph.views.locale.catalog import DEFAULT_LANGUAGE, LANGUAGES
from sourcing_graph.views.locale.words import N_, Words, check_language, language_of

__all__ = ["DEFAULT_LANGUAGE", "LANGUAGES", "N_", "Words", "check_language", "language_of"]
