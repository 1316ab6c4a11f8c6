"""Whether the register reads a word in a cell of a field, and what it expects there.

For the words of a mapping file (its value tables and constants) and for the starter mapping,
which lists the words of an export that the register would not read.
"""

from __future__ import annotations

from collections.abc import Callable

from sourcing_graph.loaders.columns import VOCABULARY_FIELDS, YES_NO_FIELDS
from sourcing_graph.loaders.values import (
    LEVEL_EXPECTED,
    SELECTION_EXPECTED,
    YES_NO,
    YES_NO_EXPECTED,
    Vocabulary,
    norm,
    parse_date,
    parse_number,
    reads_as,
)
from sourcing_graph.model import MAX_ID_LENGTH

__all__ = ["check_word", "constant_expected"]


def check_word(vocab: Vocabulary | None, field_name: str, word: str) -> tuple[bool, str]:
    """Whether the register accepts ``word`` in a cell of ``field_name``, and what it expects
    there (``vocab`` None: only yes/no words are checked)."""
    if field_name in YES_NO_FIELDS:
        return norm(word) in YES_NO, YES_NO_EXPECTED
    if vocab is None:
        return True, ""
    if field_name in ("complexity", "dynamics"):
        return reads_as(vocab.level, word), LEVEL_EXPECTED
    if field_name == "selection_basis":
        return reads_as(vocab.selection_basis, word), SELECTION_EXPECTED
    if field_name == "mode":
        return vocab.is_mode(word), vocab.mode_expected
    if field_name == "clauses":
        return vocab.is_clause(word), vocab.clause_expected
    return True, ""


def constant_expected(vocab: Vocabulary, field_name: str, word: str) -> str | None:
    """What a constant (or one item of a list constant) of ``field_name`` should be, when
    ``word`` is not that; None when the register reads it."""
    ok, expected = check_word(vocab, field_name, word)
    if not ok:
        return expected
    parse = _CHECKED_PARSERS.get(field_name)
    if parse is not None:
        try:
            parse(word)
        except ValueError as exc:
            return str(exc)
    if field_name not in VOCABULARY_FIELDS and len(word) > MAX_ID_LENGTH:
        return f"at most {MAX_ID_LENGTH} characters"
    return None


_CHECKED_PARSERS: dict[str, Callable[[str], object]] = {
    "start_date": parse_date,
    "end_date": parse_date,
    "annual_value": parse_number,
}
