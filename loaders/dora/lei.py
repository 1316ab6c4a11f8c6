"""Legal Entity Identifiers (ISO 17442): their form and check digits, and where a package has them.

An LEI is 20 characters: 18 capital letters or digits, then two check digits computed as ISO 7064
MOD 97-10 prescribes (letters count as 10 to 35; the whole, read as a number, is 1 modulo 97).
"""

from __future__ import annotations

import re

from sourcing_graph.errors import Text

__all__ = ["LEI_CELLS", "LEI_CODE", "check_digits", "lei_problem"]

LEI_CODE = "eba_qCO:qx2000"
"""The "type of code" that says a code is an LEI."""

LEI_CELLS: dict[str, tuple[tuple[str, str | None], ...]] = {
    "b_01.02": (("c0010", None),),
    "b_02.02": (("c0020", None), ("c0030", "c0040")),
    "b_03.03": (("c0020", None),),
    "b_05.01": (("c0010", "c0020"), ("c0030", "c0040"), ("c0110", "c0120")),
    "b_05.02": (("c0030", "c0040"), ("c0060", "c0070")),
    "b_06.01": (("c0040", None),),
    "b_07.01": (("c0020", "c0030"),),
}
"""Per template, the columns that hold an LEI: (column, the column of its type of code). A
column without a type column always holds an LEI; the others do when their type is
:data:`LEI_CODE`."""

_FORM = re.compile(r"[A-Z0-9]{18}[0-9]{2}")
_FORM_TEXT = Text("an LEI: 18 capital letters or digits and 2 check digits (ISO 17442)")


def _number(text: str) -> int:
    return int("".join(str(int(ch, 36)) for ch in text))


def check_digits(base: str) -> str:
    """The two check digits of the first 18 characters of an LEI (ISO 7064 MOD 97-10).

    >>> check_digits("5493001KJTIIGC8Y1R")
    '12'
    """
    return f"{98 - _number(base + '00') % 97:02d}"


def lei_problem(text: str) -> tuple[str, str] | None:
    """What is wrong with an LEI, as (message, expected); None when it is a valid LEI.

    >>> lei_problem("5493001KJTIIGC8Y1R12") is None
    True
    >>> lei_problem("5493001KJTIIGC8Y1R13")[0]
    "not a valid LEI: its check digits '13' are wrong (ISO 7064 MOD 97-10)"
    """
    if not _FORM.fullmatch(text):
        return Text("not in the form of an LEI"), _FORM_TEXT
    if _number(text) % 97 != 1:
        right = check_digits(text[:18])
        return (
            Text(
                "not a valid LEI: its check digits {digits!r} are wrong (ISO 7064 MOD 97-10)",
                digits=text[18:],
            ),
            Text(
                "an LEI whose check digits are right (with these 18 characters: {right!r})",
                right=right,
            ),
        )
    return None
