"""The closed list of each coded column the reader reads, and what is wrong with a value outside it.

A label where a code belongs (``Yes`` for ``eba_BT:x28``) is reported with the code it names;
it is never read as the code, nor as another one. The lists are the members of
:data:`~sourcing_graph.loaders.dora.codes.CODES` each column takes (where they come from:
``docs/dora.md``); countries, currencies and licensed activities are checked by their form.
"""

from __future__ import annotations

import re

from sourcing_graph.errors import Text
from sourcing_graph.loaders.dora.codes import CODES, readable

__all__ = ["LISTS", "code_problem"]

_YES_NO = ("eba_BT:x28", "eba_BT:x29")
_YES_NO_NOT_ASSESSED = (*_YES_NO, "eba_BT:x21")
_CODE_TYPES = tuple(c for c in CODES if c.startswith("eba_qCO:")) + ("eba_GA:qx2007",)
_SERVICES = tuple(c for c in CODES if c.startswith("eba_TA:S"))
_LEVELS = ("eba_ZZ:x791", "eba_ZZ:x792", "eba_ZZ:x793", "eba_ZZ:x799")
_RELIANCE = ("eba_ZZ:x794", "eba_ZZ:x795", "eba_ZZ:x796", "eba_ZZ:x797", "eba_ZZ:x799")
_COUNTRY = re.compile(r"eba_GA:[A-Z]{2}")
_CURRENCY = re.compile(r"(eba_CU|iso4217):[A-Z]{3}")
_LICENSED = re.compile(r"eba_TA:x\d+")

LISTS: dict[tuple[str, str], tuple[str, ...] | re.Pattern[str]] = {
    ("b_02.01", "c0020"): ("eba_CO:x1", "eba_CO:x2", "eba_CO:x3"),
    ("b_02.01", "c0040"): _CURRENCY,
    ("b_02.02", "c0040"): _CODE_TYPES,
    ("b_02.02", "c0060"): _SERVICES,
    ("b_02.02", "c0090"): tuple(f"eba_CO:x{i}" for i in range(4, 10)),
    ("b_02.02", "c0120"): _COUNTRY,
    ("b_02.02", "c0130"): _COUNTRY,
    ("b_02.02", "c0140"): _YES_NO,
    ("b_02.02", "c0150"): _COUNTRY,
    ("b_02.02", "c0160"): _COUNTRY,
    ("b_02.02", "c0170"): _LEVELS,
    ("b_02.02", "c0180"): _RELIANCE,
    ("b_05.01", "c0020"): _CODE_TYPES,
    ("b_05.01", "c0040"): _CODE_TYPES,
    ("b_05.01", "c0070"): ("eba_CT:x212", "eba_CT:x213"),
    ("b_05.01", "c0080"): _COUNTRY,
    ("b_05.01", "c0090"): _CURRENCY,
    ("b_05.01", "c0120"): _CODE_TYPES,
    ("b_05.02", "c0020"): _SERVICES,
    ("b_05.02", "c0040"): _CODE_TYPES,
    ("b_05.02", "c0070"): _CODE_TYPES,
    ("b_06.01", "c0020"): _LICENSED,
    ("b_06.01", "c0050"): _YES_NO_NOT_ASSESSED,
    ("b_06.01", "c0100"): _LEVELS,
    ("b_07.01", "c0030"): _CODE_TYPES,
    ("b_07.01", "c0040"): _SERVICES,
    ("b_07.01", "c0050"): ("eba_ZZ:x959", "eba_ZZ:x960", "eba_ZZ:x961", "eba_ZZ:x962"),
    ("b_07.01", "c0060"): ("eba_ZZ:x963", "eba_ZZ:x964", "eba_ZZ:x965"),
    ("b_07.01", "c0080"): _YES_NO,
    ("b_07.01", "c0090"): ("eba_ZZ:x798", "eba_ZZ:x966", "eba_ZZ:x967", "eba_ZZ:x0"),
    ("b_07.01", "c0100"): _LEVELS,
    ("b_07.01", "c0110"): _YES_NO_NOT_ASSESSED,
}
"""(template, column) -> its codes, or the form of its codes (countries ``eba_GA:NL``,
currencies ``eba_CU:EUR``, licensed activities ``eba_TA:x28``)."""

_FORMS = {
    _COUNTRY.pattern: Text("a country code such as eba_GA:NL"),
    _CURRENCY.pattern: Text("a currency code such as eba_CU:EUR"),
    _LICENSED.pattern: Text("a licensed activity code such as eba_TA:x28"),
}
_NOT_A_CODE = Text("not a code of its list")


def _named(code: str) -> str:
    word = readable(code)
    return f"{code} ({word})" if word else code


def code_problem(template: str, column: str, text: str) -> tuple[str, str] | None:
    """What is wrong with a coded cell, as (message, expected); None when it is one of its codes
    (or the column has no closed list).

    >>> code_problem("b_07.01", "c0080", "No")
    ("'No' is a label, not a code: eba_BT:x29 (No) is written eba_BT:x29", 'eba_BT:x29')
    >>> code_problem("b_07.01", "c0080", "eba_BT:x29") is None
    True
    """
    allowed = LISTS.get((template, column))
    if allowed is None:
        return None
    if isinstance(allowed, re.Pattern):
        if allowed.fullmatch(text):
            return None
        return _NOT_A_CODE, _FORMS[allowed.pattern]
    if text in allowed:
        return None
    folded = text.casefold().strip()
    for code in allowed:
        word = readable(code)
        if word is not None and word.casefold() == folded:
            message = Text(
                "{text!r} is a label, not a code: {named} is written {code}",
                text=text,
                named=_named(code),
                code=code,
            )
            return message, code
    return _NOT_A_CODE, Text("one of {codes}", codes=", ".join(_named(c) for c in allowed))
