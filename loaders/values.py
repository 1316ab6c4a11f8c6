"""Reading the values in a register's cells: numbers, dates, yes/no, levels, selection basis, lists.

Each parser takes a cell's text with outer spaces already removed and returns the value, or raises
:class:`ValueError` whose message says what was expected. Vocabulary words (yes/no, levels,
selection basis) match like headers: any case, outer spaces ignored, ``_``, ``-`` and space alike.

>>> parse_number("€ 125.000,50")
Decimal('125000.50')
>>> parse_number("125,000")
Decimal('125000')
>>> parse_number("1,5")
Decimal('1.5')
>>> parse_date("31-01-2025")
datetime.date(2025, 1, 31)
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from sourcing_graph.errors import Text
from sourcing_graph.ontology.words import normalise_word

if TYPE_CHECKING:
    from sourcing_graph.ontology.rules import Rules

NUMBER_EXPECTED = Text("a number such as 125000, 125000.50, 125.000,50 or 125,000.50")
DATE_EXPECTED = Text("a real day written yyyy-mm-dd, dd-mm-yyyy or dd/mm/yyyy")
YES_NO_EXPECTED = Text("yes/no, ja/nee, j/n, y/n, true/false, waar/onwaar or 1/0 (empty means no)")
LEVEL_EXPECTED = Text("low/high or laag/hoog (empty means low)")
SELECTION_EXPECTED = Text("cost (kosten, prijs) or collaboration (samenwerking)")

_SPACE_AND_CURRENCY = str.maketrans("", "", " \t\u00a0\u202f\u2009€$£")


def norm(text: str) -> str:
    """Normalise a header or vocabulary word: lower case, ``_``/``-``/spaces alike, outer spaces gone.

    >>> norm("  Contract_Nr ")
    'contract nr'
    >>> norm("open-book") == norm("Open Book")
    True
    """
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
    return " ".join(text.casefold().replace("_", " ").replace("-", " ").split())


def _digits(text: str) -> bool:
    return text.isascii() and text.isdigit()


def _groups_thousands(whole: str, frac: str) -> bool:
    """Whether a single mark between ``whole`` and ``frac`` groups thousands (the thousands rule):
    after a 1-3 digit integer part not starting with 0, before exactly three digits."""
    return 1 <= len(whole) <= 3 and whole[0] != "0" and len(frac) == 3 and _digits(whole)


def parse_number(text: str) -> Decimal:
    """Read a Dutch or English number; spaces and the signs € $ £ are ignored.

    - With both ``.`` and ``,`` the last is the decimal mark (the other groups thousands).
    - One kind of mark occurring twice or more groups thousands (``1.000.000``).
    - A single mark after a 1-3 digit integer part not starting with 0 and followed by exactly
      three digits groups thousands (``125.000``); otherwise it is the decimal mark (``1,5``).
      :func:`thousands_readings` gives both readings of such a number.

    A leading ``-`` or ``+`` is accepted. The number is exact: a :class:`~decimal.Decimal`.
    """
    if _digits(text):  # the common cases, fast: 125000
        return Decimal(text)
    whole, dot, frac = text.partition(".")
    if dot and _digits(whole) and _digits(frac) and not _groups_thousands(whole, frac):
        return Decimal(text)  # 125000.50: the decimal mark, as below
    s = text.translate(_SPACE_AND_CURRENCY)
    sign = ""
    if s[:1] in ("-", "+"):
        sign, s = s[:1], s[1:]
    if not s:
        raise ValueError(NUMBER_EXPECTED)
    if _digits(s):
        return Decimal(sign + s)
    groups, frac = _groups_and_fraction(s)
    for g in groups:
        if not _digits(g):
            raise ValueError(NUMBER_EXPECTED)
    if frac and not _digits(frac):
        raise ValueError(NUMBER_EXPECTED)
    return Decimal(sign + "".join(groups) + ("." + frac if frac else ""))


def _groups_and_fraction(s: str) -> tuple[list[str], str]:
    """A number's digit groups and its fraction, by the marks of :func:`parse_number`."""
    dots = s.count(".")
    commas = s.count(",")
    if dots and commas:
        decimal = "." if s.rfind(".") > s.rfind(",") else ","
        group = "," if decimal == "." else "."
        whole, _, frac = s.rpartition(decimal)
        if decimal in whole or not frac:
            raise ValueError(NUMBER_EXPECTED)
        return whole.split(group), frac
    mark = "." if dots else ","
    if dots + commas >= 2:
        groups = s.split(mark)
        if not groups[0]:
            raise ValueError(NUMBER_EXPECTED)
        return groups, ""
    whole, _, frac = s.partition(mark)
    if _groups_thousands(whole, frac):
        return [whole, frac], ""
    if not frac:
        raise ValueError(NUMBER_EXPECTED)
    return [whole] if whole else ["0"], frac


def thousands_readings(text: str) -> tuple[str, str] | None:
    """The two readings of a number whose reading depends on the thousands rule, as text: how
    :func:`parse_number` reads it (the mark groups thousands) and the other reading (the mark is
    the decimal mark); None for any other text. Works on the text alone, not on a float.

    >>> thousands_readings("12,400")
    ('12400', '12.4')
    >>> thousands_readings("€ 125.000")
    ('125000', '125')
    >>> thousands_readings("-1.234")
    ('-1234', '-1.234')
    >>> thousands_readings("125.000,50") is None, thousands_readings("1,5") is None
    (True, True)
    """
    if _digits(text) or ("." not in text and "," not in text):  # the common cases, fast
        return None
    s = text.translate(_SPACE_AND_CURRENCY)
    sign = ""
    if s[:1] in ("-", "+"):
        sign, s = s[:1], s[1:]
    if s.count(".") + s.count(",") != 1:
        return None
    whole, _, frac = s.partition("." if "." in s else ",")
    if not (_groups_thousands(whole, frac) and _digits(frac)):
        return None
    sign = "-" if sign == "-" else ""
    decimals = frac.rstrip("0")
    return sign + whole + frac, sign + whole + ("." + decimals if decimals else "")


def _day_month(text: str) -> int:
    if 1 <= len(text) <= 2 and _digits(text):
        return int(text)
    raise ValueError(DATE_EXPECTED)


def parse_date(text: str) -> date:
    """Read ``yyyy-mm-dd``, ``dd-mm-yyyy`` or ``dd/mm/yyyy`` (day and month of one or two digits)."""
    if "/" in text:
        parts = text.split("/")
        if len(parts) != 3 or len(parts[2]) != 4:
            raise ValueError(DATE_EXPECTED)
        day, month, year = parts
    else:
        parts = text.split("-")
        if len(parts) != 3:
            raise ValueError(DATE_EXPECTED)
        if len(parts[0]) == 4:
            year, month, day = parts
        elif len(parts[2]) == 4:
            day, month, year = parts
        else:
            raise ValueError(DATE_EXPECTED)
    if len(year) != 4 or not _digits(year):
        raise ValueError(DATE_EXPECTED)
    try:
        return date(int(year), _day_month(month), _day_month(day))
    except ValueError:
        raise ValueError(DATE_EXPECTED) from None


YES_NO: dict[str, bool] = {
    **dict.fromkeys(("yes", "ja", "j", "y", "true", "waar", "1"), True),
    **dict.fromkeys(("no", "nee", "n", "false", "onwaar", "0"), False),
}
LEVELS: dict[str, str] = {"low": "low", "laag": "low", "high": "high", "hoog": "high"}
SELECTION_BASES: dict[str, str] = {
    "cost": "cost",
    "kosten": "cost",
    "prijs": "cost",
    "collaboration": "collaboration",
    "samenwerking": "collaboration",
}


def parse_yes_no(text: str) -> bool:
    """Read a yes/no word (``ja``, ``N``, ``TRUE``, ``1``...)."""
    try:
        return YES_NO[norm(text)]
    except KeyError:
        raise ValueError(YES_NO_EXPECTED) from None


LIST_SEPARATOR = "|"
"""The register's list separator (``;`` separates too, where it does not delimit the file)."""

LIKELY_SEPARATORS = (",", ";", "|", "\n")
"""Marks that likely separate the items of a list cell: a list cell holding one that does not
separate its items gets a warning (:func:`stray_separator`)."""


def list_separators(delimiter: str) -> tuple[str, ...]:
    """The register's list separators in a file delimited by ``delimiter``: ``|``, and ``;``
    unless ``;`` delimits the file.

    >>> list_separators(","), list_separators(";")
    (('|', ';'), ('|',))
    """
    return (LIST_SEPARATOR,) if delimiter == ";" else (LIST_SEPARATOR, ";")


def split_items(text: str, separators: tuple[str, ...]) -> list[str]:
    """Split a list cell on each of ``separators`` (one or more characters each).

    Items are trimmed; empty and repeated items are dropped; the first order is kept.

    >>> split_items("F-ARCH, F-SEC,,F-ARCH", (",",))
    ['F-ARCH', 'F-SEC']
    """
    first = separators[0]
    for other in separators[1:]:
        if other in text:
            text = text.replace(other, first)
    if first not in text:
        item = text.strip()
        return [item] if item else []
    return list(dict.fromkeys(item for part in text.split(first) if (item := part.strip())))


def split_list(text: str, delimiter: str) -> list[str]:
    """Split a list cell on the register's separators: ``|`` (and ``;`` unless the file's
    delimiter is ``;``). Items as in :func:`split_items`.

    >>> split_list(" a | b;a ;; ", ",")
    ['a', 'b']
    """
    return split_items(text, list_separators(delimiter))


def stray_separator(text: str, separators: tuple[str, ...]) -> str | None:
    """A likely list separator (:data:`LIKELY_SEPARATORS`) in ``text`` that is not one of
    ``separators``, or None.

    >>> stray_separator("F-ARCH, F-SEC", ("|", ";")), stray_separator("a|b", ("|",))
    (',', None)
    """
    for mark in LIKELY_SEPARATORS:
        if mark in text and mark not in separators:
            return mark
    return None


def reads_as(parse: Callable[[str], object], text: str) -> bool:
    """Whether ``parse`` reads ``text`` (raises no ValueError)."""
    try:
        parse(text)
    except ValueError:
        return False
    return True


def looks_like_number(text: str) -> bool:
    """Whether a cell reads as a number (used to guess columns of a foreign export)."""
    return reads_as(parse_number, text)


def looks_like_date(text: str) -> bool:
    """Whether a cell reads as a date (used to guess columns of a foreign export)."""
    return reads_as(parse_date, text)


class Vocabulary:
    """The ontology's words for modes and clause types, with cached look-ups.

    ``rules`` is an :class:`~sourcing_graph.ontology.rules.Rules`; its ``mode_words`` and
    ``clause_words`` map words normalised by the ontology's ``normalise_word`` to keys.
    """

    def __init__(self, rules: Rules) -> None:
        self._normalise = normalise_word
        self.mode_words = rules.mode_words
        self.clause_words = rules.clause_words
        self._modes: dict[str, str | None] = {}
        self._clauses: dict[str, str] = {}
        known = sorted(w for w, key in self.mode_words.items() if key is not None)
        self.mode_expected = Text(
            "a mode: {words}; or empty, unknown or onbekend when not recorded",
            words=", ".join(known),
        )
        self.clause_expected = Text(
            "clause types: {words}", words=", ".join(sorted(self.clause_words))
        )
        # levels and selection bases: the ontology's words when it has them, else the format's
        self.level_words = getattr(rules, "level_words", None) or {
            self._normalise(w): key for w, key in LEVELS.items()
        }
        self.selection_basis_words = getattr(rules, "selection_basis_words", None) or {
            self._normalise(w): key for w, key in SELECTION_BASES.items()
        }
        self._levels: dict[str, str] = {}
        self._bases: dict[str, str] = {}

    def level(self, text: str) -> str:
        """``low`` or ``high`` for a level word; ValueError for another word."""
        known = self._levels.get(text)  # the common case, fast
        if known is not None:
            return known
        return self._look_up(self._levels, self.level_words, text, LEVEL_EXPECTED)

    def selection_basis(self, text: str) -> str:
        """``cost`` or ``collaboration`` for a selection-basis word; ValueError for another."""
        known = self._bases.get(text)  # the common case, fast
        if known is not None:
            return known
        return self._look_up(self._bases, self.selection_basis_words, text, SELECTION_EXPECTED)

    def _look_up(
        self, cache: dict[str, str], words: dict[str, str], text: str, expected: Text
    ) -> str:
        """The key of ``text`` in ``words`` (normalised), remembered in ``cache`` (at most 1,000
        texts); ValueError with ``expected`` for a word ``words`` does not hold."""
        try:
            key = words[self._normalise(text)]
        except KeyError:
            raise ValueError(expected) from None
        if len(cache) < 1_000:
            cache[text] = key
        return key

    def mode(self, text: str) -> str | None:
        """The mode key of a word, None for a mode not recorded; ValueError for an unknown word."""
        try:
            return self._modes[text]
        except KeyError:
            pass
        word = self._normalise(text)
        if word in self.mode_words:
            key = self.mode_words[word]
        elif norm(text) in ("unknown", "onbekend", ""):
            key = None
        else:
            raise ValueError(self.mode_expected)
        if len(self._modes) < 1_000:
            self._modes[text] = key
        return key

    def is_mode(self, text: str) -> bool:
        return reads_as(self.mode, text)

    def clause(self, text: str) -> str:
        """The clause type key of a word; ValueError for an unknown word."""
        known = self._clauses.get(text)  # the common case, fast
        if known is not None:
            return known
        return self._look_up(self._clauses, self.clause_words, text, self.clause_expected)

    def is_clause(self, text: str) -> bool:
        return reads_as(self.clause, text)


def default_rules() -> Rules:
    """The rules of the packaged ontology."""
    # start-up time: the rules import rdflib (~0.15 s), needed only once a register is read
    from sourcing_graph.ontology.rules import load_rules

    return load_rules()
