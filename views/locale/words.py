"""One language's words: messages from the catalogs, domain words from the ontology, and numbers,
money and dates written the way that language writes them (Babel's CLDR data).

>>> from datetime import date
>>> nl = Words("nl")
>>> nl.money(1324000), nl.date(date(2026, 3, 31)), nl.mode("distrust")
('€\\xa01.324.000,00', '31 maart 2026', 'wantrouwen')
>>> en = Words("en")
>>> en.money(1324000), en.date(date(2026, 3, 31)), en.gettext("Key figures")
('€1,324,000.00', '31 March 2026', 'Key figures')
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from babel.dates import format_date
from babel.numbers import format_currency, format_decimal

from sourcing_graph.errors import ViewError
from sourcing_graph.model import Register
from sourcing_graph.views.locale.catalog import DEFAULT_LANGUAGE, LANGUAGES, translations
from sourcing_graph.views.locale.terms import term_label

LOCALES = {"nl": "nl_NL", "en": "en_GB"}
"""The CLDR locale of each language (English dates as ``31 March 2026``)."""
DEFAULT_CURRENCY = "EUR"


def N_(message: str) -> str:  # noqa: N802 - gettext's name for "mark for translation"
    """Mark ``message`` for the catalogs without translating it (translate it where it is shown)."""
    return message


def check_language(lang: str) -> str:
    """``lang`` when the views speak it; a :class:`ViewError` naming the choices otherwise."""
    if lang not in LANGUAGES:
        raise ViewError(f"unknown language {lang!r}; expected one of {', '.join(LANGUAGES)}")
    return lang


def language_of(register: Register | None, lang: str | None = None) -> str:
    """The language to speak: ``lang`` when given, else the register's, else English."""
    if lang:
        return check_language(lang)
    written = register.language if register is not None else None
    return written if written in LANGUAGES else DEFAULT_LANGUAGE


@dataclass(frozen=True)
class Words:
    """The words of one language (``nl`` or ``en``); ``currency`` is the amounts' ISO 4217 code."""

    lang: str
    currency: str = DEFAULT_CURRENCY

    def __post_init__(self) -> None:
        check_language(self.lang)

    @classmethod
    def of(cls, register: Register | None, lang: str | None = None) -> Words:
        """The words for ``register``: its language unless ``lang`` says one, its currency."""
        currency = register.currency if register is not None else None
        return cls(language_of(register, lang), currency or DEFAULT_CURRENCY)

    @property
    def locale(self) -> str:
        return LOCALES[self.lang]

    # -- messages ----------------------------------------------------------------------------

    def gettext(self, message: str) -> str:
        return translations(self.lang).gettext(message)

    def ngettext(self, singular: str, plural: str, n: int, **values: object) -> str:
        """The form for ``n``, with ``{n}`` filled in as a number of this language (and the other
        ``{name}`` placeholders from ``values``)."""
        text = translations(self.lang).ngettext(singular, plural, n)
        return text.format(n=self.number(n), **values)

    def pgettext(self, context: str, message: str) -> str:
        return translations(self.lang).pgettext(context, message)

    # -- numbers, money, dates ---------------------------------------------------------------

    def number(self, value: float | int | Decimal) -> str:
        """``1234567`` -> ``1.234.567`` (nl), ``1,234,567`` (en); floats with two decimals."""
        if isinstance(value, float):
            return format_decimal(value, format="#,##0.00", locale=self.locale)
        return format_decimal(value, locale=self.locale)

    def money(self, value: float | int | Decimal, currency: str | None = None) -> str:
        """An amount in the register's currency (or ``currency``): ``€ 1.324.000,00``."""
        return format_currency(value, currency or self.currency, locale=self.locale)

    def date(self, value: date) -> str:
        """``31 maart 2026`` (nl), ``31 March 2026`` (en)."""
        return format_date(value, "long", locale=self.locale)

    def yes_no(self, value: object) -> str:
        return self.gettext("yes") if value else self.gettext("no")

    # -- the domain's words ------------------------------------------------------------------

    def term(self, kind: str, key: str) -> str:
        """A domain word (see :mod:`~sourcing_graph.views.locale.terms`); the key if unknown."""
        return term_label(kind, key, self.lang) or key

    def mode(self, key: str | None) -> str:
        """A mode's name; ``unknown`` (or None) as this language's word for it."""
        if key in (None, "", "unknown"):
            return self.gettext("unknown")
        return self.term("mode", key)

    def severity(self, key: str) -> str:
        """An R3 severity as the ontology names it (``sg:SeverityLevel``)."""
        return self.term("severity", key)
