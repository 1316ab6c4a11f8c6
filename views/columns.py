"""The columns of the analyses' rows as a person reads them: a header and a cell text per column,
in the chosen language, with names beside ids and modes, reasons and clauses as words.

Machine formats (JSON, CSV) keep the keys and values as they are and, given the register's names,
add each name beside its id (:func:`with_names`); the terminal table, Markdown and the report go
through :func:`header` and :func:`cell_text`.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from sourcing_graph.graph.registry import ANALYSES, AS_OF, DORA_ANALYSES, HELPERS, Analysis
from sourcing_graph.views.locale import N_, Words
from sourcing_graph.views.locale.terms import term_label
from sourcing_graph.views.naming import Names

COLUMNS: dict[str, tuple[str, str]] = {
    "prime_contractor": (N_("prime contractor"), "organisation"),
    "lots": (N_("lots"), "lot"),
    "suppliers": (N_("suppliers"), "organisation"),
    "interfaces": (N_("interfaces"), "number"),
    "distrust_lots": (N_("distrust lots"), "number"),
    "mismatches": (N_("mismatches"), "number"),
    "penalty_bonus_clauses": (N_("penalty/bonus clauses"), "number"),
    "score": (N_("score"), "number"),
    "external": (N_("external"), "bool"),
    "lot": (N_("lot"), "lot"),
    "depends_on": (N_("depends on"), "lot"),
    "lot_mode": (N_("lot mode"), "mode"),
    "depends_on_mode": (N_("mode depended on"), "mode"),
    "severity": (N_("severity"), "severity"),
    "direction": (N_("direction"), "direction"),
    "supplier": (N_("supplier"), "organisation"),
    "function": (N_("function"), "function"),
    "contract": (N_("contract"), "contract"),
    "contracts": (N_("contracts"), "contract"),
    "reasons": (N_("reasons"), "reason"),
    "reason": (N_("basis"), "mode_basis"),
    "declared_mode": (N_("declared mode"), "mode"),
    "effective_mode": (N_("effective mode"), "mode"),
    "clauses": (N_("clauses"), "clause"),
    "forcing_clauses": (N_("forcing clauses"), "clause"),
    "mode": (N_("mode"), "mode"),
    "recommended": (N_("recommended"), "mode"),
    "critical_functions": (N_("critical functions"), "function"),
    "annual_value": (N_("annual value"), "money"),
    "parent": (N_("ultimate parent"), "organisation"),
    "depth": (N_("depth"), "number"),
    "providers": (N_("providers"), "organisation"),
    "organisation": (N_("organisation"), "organisation"),
    "level": (N_("level"), "word"),
    "members": (N_("members"), "organisation"),
    "direct_functions": (N_("direct critical functions"), "function"),
    "subcontractor": (N_("subcontractor"), "organisation"),
    "direct_providers": (N_("direct providers"), "organisation"),
    "groups": (N_("groups"), "organisation"),
    "target_mode": (N_("target mode"), "mode"),
    "blocking": (N_("blocking clauses"), "clause"),
    "missing": (N_("missing clauses"), "clause"),
    "end_date": (N_("end date"), "date"),
    "days_left": (N_("days left"), "number"),
    "status": (N_("status"), "window_status"),
    "in_review": (N_("on the review list"), "bool"),
    "verdict": (N_("sourcing option"), "verdict"),
    "basis": (N_("mode with the most external value"), "mode"),
    "external_prime_contractors": (N_("external prime contractors"), "organisation"),
    "distrust_value": (N_("external value on distrust"), "money"),
    "reliability_value": (N_("external value on reliability"), "money"),
    "trust_value": (N_("external value on trust"), "money"),
    "unknown_value": (N_("external value, mode unknown"), "money"),
    "as_of": (N_("reference date"), "date"),
    "change": (N_("change"), "change"),
    "before": (N_("before"), "number"),
    "after": (N_("after"), "number"),
    "verdict_before": (N_("sourcing option before"), "verdict"),
    "verdict_after": (N_("sourcing option after"), "verdict"),
    "reasons_before": (N_("reasons before"), "reason"),
    "reasons_after": (N_("reasons after"), "reason"),
}
"""Column key -> (header, what its values are: an id's kind, ``mode``, ``money``, ...)."""

LEVELS = {"provider": N_("provider"), "group": N_("group")}
"""D3's levels, as words."""

WORD_KINDS = {"reason", "direction", "mode_basis", "clause", "verdict", "window_status"}
"""Kinds of value written as the ontology's words."""

CHANGE_WORDS = {"added": N_("added"), "removed": N_("removed")}
"""The two kinds of row of a what-if's delta."""

EXTRA_TITLES = {
    "as_of": N_("Reference date"),
    "score_change": N_("Score change per prime contractor (R5)"),
    "verdict": N_("Sourcing option before and after (R15)"),
}
"""Titles of the parts of a result that are no analysis: the reference date, and what a what-if
adds."""


def header(column: str, words: Words) -> str:
    """A column's header in ``words``' language (an unknown column: its key, spaced)."""
    known = COLUMNS.get(column)
    return words.gettext(known[0]) if known else column.replace("_", " ")


def kind_of(column: str) -> str:
    return COLUMNS.get(column, ("", "text"))[1]


def value_text(kind: str, value: Any, words: Words, names: Names) -> str:
    """One value (not a list) of a column of ``kind`` as text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return words.yes_no(value)
    if isinstance(value, (int, float, Decimal)):
        return words.money(value) if kind == "money" else words.number(value)
    text = str(value)
    if kind == "date":
        return words.date(date.fromisoformat(text))
    if kind == "change":
        return words.gettext(CHANGE_WORDS.get(text, text))
    if kind in ("lot", "organisation", "function"):
        return names.show(kind, text)
    if kind == "mode":
        return words.mode(text)
    if kind == "severity":
        return words.severity(text)
    if kind in WORD_KINDS:
        return term_label(kind, text, words.lang) or text
    if kind == "word":  # a fixed word of ours (D3's level: provider, group)
        return words.gettext(LEVELS.get(text, text))
    return text


def cell_text(column: str, value: Any, words: Words, names: Names, sep: str = ", ") -> str:
    """A cell: its value as text, a list's items joined with ``sep``."""
    kind = kind_of(column)
    if isinstance(value, (list, tuple, set, frozenset)):
        return sep.join(value_text(kind, v, words, names) for v in value)
    return value_text(kind, value, words, names)


def is_number(value: Any) -> bool:
    return isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)


def analysis_of(key: str) -> Analysis | None:
    return ANALYSES.get(key) or DORA_ANALYSES.get(key) or HELPERS.get(key)


def analysis_title(key: str, words: Words) -> tuple[str, str]:
    """(rule, title) of an analysis in ``words``' language: the ontology's label of the rule when
    it has one, else the registry's title (English) or Dutch term; an unknown key spaced."""
    found = analysis_of(key)
    if found is None:
        extra = EXTRA_TITLES.get(key)
        return "", words.gettext(extra) if extra else key.replace("_", " ").capitalize()
    label = term_label("rule", found.rule, words.lang) if found.rule else None
    if label:
        return found.rule or "", label[:1].upper() + label[1:]
    title = found.dutch if words.lang == "nl" else found.title
    return found.rule or "", title[:1].upper() + title[1:]


def count_text(key: str, n: int, words: Words) -> str:
    """How many rows an analysis has, in words: ``2 findings``, ``no findings``, ``1 supplier``."""
    found = analysis_of(key)
    noun = found.noun[0] if found is not None else "row"
    phrase = COUNTS.get(noun, COUNTS["row"])
    return phrase(words, n)


COUNTS: dict[str, Any] = {
    "finding": lambda w, n: (
        w.ngettext("{n} finding", "{n} findings", n) if n else w.gettext("no findings")
    ),
    "prime contractor": lambda w, n: (
        w.ngettext("{n} prime contractor", "{n} prime contractors", n)
        if n
        else w.gettext("no prime contractors")
    ),
    "supplier": lambda w, n: (
        w.ngettext("{n} supplier", "{n} suppliers", n) if n else w.gettext("no suppliers")
    ),
    "group": lambda w, n: w.ngettext("{n} group", "{n} groups", n) if n else w.gettext("no groups"),
    "function": lambda w, n: (
        w.ngettext("{n} function", "{n} functions", n) if n else w.gettext("no functions")
    ),
    "contract": lambda w, n: (
        w.ngettext("{n} contract", "{n} contracts", n) if n else w.gettext("no contracts")
    ),
    "lot": lambda w, n: w.ngettext("{n} lot", "{n} lots", n) if n else w.gettext("no lots"),
    "row": lambda w, n: w.ngettext("{n} row", "{n} rows", n) if n else w.gettext("no rows"),
    "organisation": lambda w, n: (
        w.ngettext("{n} organisation", "{n} organisations", n)
        if n
        else w.gettext("no organisations")
    ),
    "subcontractor": lambda w, n: (
        w.ngettext("{n} subcontractor", "{n} subcontractors", n)
        if n
        else w.gettext("no subcontractors")
    ),
}
"""Noun of an analysis's rows -> how to count them."""


NAMED_KINDS = frozenset({"lot", "organisation", "function"})
"""The kinds of id a register names (:class:`~sourcing_graph.views.naming.Names`)."""


def with_names(row: dict[str, Any], names: Names) -> dict[str, Any]:
    """The row with each lot's, organisation's and function's name beside its id, for JSON and
    CSV: ``supplier_name`` right after ``supplier``, ``providers_names`` (a list aligned with
    ``providers``) after ``providers``; None where an id has no name. Counts (R5's ``lots``) and
    other columns are left as they are.

    >>> names = Names({"organisation": {"5299": "CoreSys GmbH"}, "function": {"F01": "Payments"}})
    >>> with_names({"supplier": "5299", "critical_functions": ["F01", "F09"], "lots": 3}, names)
    {'supplier': '5299', 'supplier_name': 'CoreSys GmbH', 'critical_functions': ['F01', 'F09'], \
'critical_functions_names': ['Payments', None], 'lots': 3}
    """
    out: dict[str, Any] = {}
    for column, value in row.items():
        out[column] = value
        kind = kind_of(column)
        if kind not in NAMED_KINDS:
            continue
        if isinstance(value, str):
            out[f"{column}_name"] = names.name(kind, value)
        elif isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value):
            out[f"{column}_names"] = [names.name(kind, v) for v in value]
    return out


def named_result(result: dict[str, Any], names: Names) -> dict[str, Any]:
    """An analysis result with :func:`with_names` applied to every row (R15's one object too);
    the reference date and anything else as it is."""
    out: dict[str, Any] = {}
    for key, value in result.items():
        if isinstance(value, list):
            out[key] = [with_names(r, names) if isinstance(r, dict) else r for r in value]
        elif isinstance(value, dict):
            out[key] = with_names(value, names)
        else:
            out[key] = value
    return out


def section_rows(key: str, value: Any) -> list[dict[str, Any]]:
    """A part of the result as rows to show: an analysis's rows as they are, R15's object as one
    flat row (its values per mode as ``distrust_value``...), the reference date as one row."""
    if isinstance(value, list):
        return value
    if value is None:
        return []
    if key == AS_OF:
        return [{AS_OF: value}]
    if isinstance(value, dict):
        row = {k: v for k, v in value.items() if k != "external_value_by_mode"}
        for mode, amount in (value.get("external_value_by_mode") or {}).items():
            row[f"{mode}_value"] = amount
        return [row]
    return [{key: value}]
