"""Finding sentences: a rule's template (``{field}`` placeholders) filled from a row, ids as the
entities' names, vocabulary keys as words of the language, lists joined, amounts written out.

:class:`Sentences` prepares each rule's template once for one names lookup and wording (a load
writes 467,456 sentences at 100,000 contracts); :class:`~.conclusions.FindingWriter` makes findings
with it and :func:`~.conclusions.sentence` writes one.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from sourcing_graph.errors import OntologyError
from sourcing_graph.model import money
from sourcing_graph.ontology.data import Wording

__all__ = ["MONEY_FIELDS", "Sentences"]

MONEY_FIELDS = frozenset({"annual_value"})
"""Row fields holding an amount."""

_WORD_KIND: dict[str, str] = {
    "lot_mode": "mode",
    "depends_on_mode": "mode",
    "declared_mode": "mode",
    "effective_mode": "mode",
    "mode": "mode",
    "recommended": "mode",
    "target_mode": "mode",
    "blocking": "clause",
    "missing": "clause",
    "severity": "severity",
    "direction": "direction",
    "reasons": "reason",
    "clauses": "clause",
}
"""Row fields whose values are vocabulary keys, and the kind of their labels (``Wording``)."""

_NONE = {"nl": "geen", "en": "none"}
"""An empty list in a sentence."""
_PLACEHOLDER = re.compile(r"\{(\w+)\}")
_NO_NAMES: Mapping[str, str | None] = {}

_Write = Callable[[Any], str]


class Sentences:
    """The sentences of rows for one names lookup ``names`` (``{label: {id: name}}``) and
    ``wording``, ``label_of_field`` saying which row fields hold the ids of which label. Each
    rule's template is split at its placeholders once, each placeholder with the function that
    writes its field's values."""

    def __init__(
        self,
        names: Mapping[str, Mapping[str, str | None]],
        wording: Wording,
        label_of_field: Mapping[str, str],
    ) -> None:
        self.names = names
        self.wording = wording
        self.label_of_field = label_of_field
        self._plans: dict[tuple[str, str], tuple[tuple[str, str, _Write | None], ...]] = {}
        self._writes: dict[tuple[str, str], _Write] = {}

    def sentence(self, rule: str, row: Mapping[str, Any], language: str) -> str:
        """The sentence of ``row`` of ``rule`` in ``language`` (see
        :func:`~.conclusions.sentence`)."""
        plan = self._plans.get((rule, language))
        if plan is None:
            plan = self._plans[rule, language] = self._plan(rule, language)
        if not plan:  # no template
            name = self.wording.rules.get(rule, {}).get(language) or rule
            values = "; ".join(self._write(f, language)(row[f]) for f in row)
            return f"{name}: {values}."
        parts: list[str] = []
        for text, fieldname, write in plan:
            parts.append(text)
            if write is None:
                continue
            if fieldname not in row:
                raise OntologyError(
                    f"the finding sentence of rule {rule} ({language}) names {{{fieldname}}}, "
                    f"which is not a field of its rows ({', '.join(row)})"
                )
            parts.append(write(row[fieldname]))
        return "".join(parts)

    def _plan(self, rule: str, language: str) -> tuple[tuple[str, str, _Write | None], ...]:
        template = self.wording.templates.get(rule, {}).get(language)
        if template is None:
            return ()
        return tuple(
            (text, fieldname or "", self._write(fieldname, language) if fieldname else None)
            for text, fieldname in _template_parts(template)
        )

    def _write(self, fieldname: str, language: str) -> _Write:
        write = self._writes.get((fieldname, language))
        if write is None:
            write = _field_writer(
                fieldname, self.label_of_field.get(fieldname), self.names, self.wording, language
            )
            self._writes[fieldname, language] = write
        return write


@functools.lru_cache(maxsize=256)
def _template_parts(template: str) -> tuple[tuple[str, str | None], ...]:
    """``template`` as ``(text, placeholder)`` pairs, the last placeholder None: the text before
    each ``{field}`` and its field."""
    parts: list[tuple[str, str | None]] = []
    start = 0
    for match in _PLACEHOLDER.finditer(template):
        parts.append((template[start : match.start()], match.group(1)))
        start = match.end()
    parts.append((template[start:], None))
    return tuple(parts)


def _field_writer(
    fieldname: str,
    label: str | None,
    names: Mapping[str, Mapping[str, str | None]],
    wording: Wording,
    language: str,
) -> _Write:
    """The function that writes a value of the row field ``fieldname`` in a sentence: an id as
    the id and the entity's name, a vocabulary key as its word (:meth:`Wording.label`), an amount
    as :func:`_money`, anything else as its text; a list joined by commas, None and an empty list
    as the word for none. A text (most values: one id or key) is written without a further call."""
    none = _NONE[language]
    kind = _WORD_KIND.get(fieldname)
    if label is not None:
        return _entity_writer(names.get(label, _NO_NAMES), none)
    if kind is not None:
        return _word_writer(wording.labels.get(kind, {}), language, none)
    return _other_writer(fieldname in MONEY_FIELDS, language, none)


def _entity_writer(known: Mapping[str, str | None], none: str) -> _Write:
    def entity(value: Any) -> str:
        if value.__class__ is str:
            name = known.get(value)
            return f"{value} {name}" if name and name != value else value
        if isinstance(value, list):
            return ", ".join([entity(v) for v in value]) if value else none
        if value is None:
            return none
        name = known.get(value)
        return f"{value} {name}" if name and name != value else str(value)

    return entity


def _word_writer(words: Mapping[str, Mapping[str, str]], language: str, none: str) -> _Write:
    def word(value: Any) -> str:  # Wording.label, inlined
        if value.__class__ is str:
            return words.get(value, _NO_TEXTS).get(language) or value
        if isinstance(value, list):
            return ", ".join([word(v) for v in value]) if value else none
        return none if value is None else word(str(value))

    return word


def _other_writer(amount: bool, language: str, none: str) -> _Write:
    def other(value: Any) -> str:
        if isinstance(value, list):
            return ", ".join([other(v) for v in value]) if value else none
        if value is None:
            return none
        if amount and isinstance(value, int | float | Decimal):
            return _money(value, language)
        return str(value)

    return other


_NO_TEXTS: Mapping[str, str] = {}


def _money(value: Decimal | float, language: str) -> str:
    """``1324000.00`` -> ``1.324.000`` (nl) or ``1,324,000`` (en); cents when there are any."""
    amount = money(value)
    text = f"{amount:,.0f}" if amount == amount.to_integral_value() else f"{amount:,.2f}"
    if language == "nl":
        text = text.translate(str.maketrans(",.", ".,"))
    return text
