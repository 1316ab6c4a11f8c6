"""How the words of the ontology and the register are compared: :func:`normalise_word`."""

from __future__ import annotations

import re
import unicodedata

__all__ = ["normalise_word"]

_WORD_SEPARATORS = re.compile(r"[\s_\-]+")


def normalise_word(word: str) -> str:
    """Normalise a vocabulary word or header name for matching.

    Unicode NFC, lower case, outer spaces stripped, and every run of ``_``, ``-`` and white space
    made one ``_``: ``" Open-Book "``, ``"open book"`` and ``"open_book"`` all give
    ``"open_book"``. The ontology's keys are already normalised.
    """
    text = unicodedata.normalize("NFC", word).strip().lower()
    return _WORD_SEPARATORS.sub("_", text)
