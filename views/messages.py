"""The messages about a register (``validate`` and every command that prints a register's
problems), in Dutch or English: the problem's position, its severity, the words around the value
and the problem's own sentence (a :class:`~sourcing_graph.errors.Text`, translated from the
catalogs; a plain string stays as the library wrote it).

>>> from sourcing_graph.errors import Problem, Text
>>> message = Text("contract {ident!r} has no mode recorded", ident="WL-03")
>>> problem = Problem("contracten.csv", 4, 4, message, severity="warning")
>>> problem_line(problem, Words("nl"))
"contracten.csv:4:4: waarschuwing: geen samenwerkingsvorm vastgelegd voor contract 'WL-03'"
>>> problem = Problem("kavels.csv", 3, 2, "unknown level", "middel", "laag or hoog", "warning")
>>> problem_line(problem, Words("nl"))
"kavels.csv:3:2: waarschuwing: unknown level (gelezen 'middel'; verwacht laag or hoog)"
>>> problem_line(problem, Words("en")) == str(problem)
True
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from babel.numbers import format_decimal

from sourcing_graph.errors import Problem, Text
from sourcing_graph.views.locale import Words


def problem_line(problem: Problem, words: Words) -> str:
    """A problem as one line: ``file:line:column: severity: message (read …; expected …)``, and
    the validation rule it matches at the end (``[v8816_m]``), as :meth:`Problem.__str__` has it."""
    _ = words.gettext
    severity = _("error") if problem.severity == "error" else _("warning")
    message = in_words(problem.message, words)
    text = f"{problem.file}:{problem.line}:{problem.column}: {severity}: {message}"
    what = in_words(problem.expected, words)
    expected = _("expected {what}").format(what=what) if what else None
    if problem.value is not None:
        read = _("read {value}").format(value=repr(problem.value))
        text += f" ({read}; {expected})" if expected else f" ({read})"
    elif expected:
        text += f" ({expected})"
    return f"{text} [{problem.rule}]" if problem.rule else text


def in_words(text: str | None, words: Words) -> str | None:
    """A library's sentence in ``words``' language: a :class:`~sourcing_graph.errors.Text`'s
    template from the catalog, its args filled in (a ``Text`` arg translated too, a number with
    a format written the language's way); any other string (and any English) as it is."""
    if not isinstance(text, Text) or words.lang == "en":
        return text  # the library's own words are English: exactly as it wrote them
    return _filled(words.gettext(text.template), text.args, words)


def _filled(template: str, args: Mapping[str, object], words: Words) -> str:
    parts = []
    for literal, name, spec, conversion in string.Formatter().parse(template):
        parts.append(literal)
        if name is None:
            continue
        value = args[name]
        if isinstance(value, Text):
            value = in_words(value, words)
        if conversion == "r":
            parts.append(repr(value))
        elif spec and isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
            parts.append(_number(value, spec, words))
        else:
            parts.append(format(value, spec or ""))
    return "".join(parts)


def _number(value: float | Decimal, spec: str, words: Words) -> str:
    """A number formatted by ``spec`` (``,`` or ``,.1f``), in the language's way."""
    decimals = int(spec.rpartition(".")[2].rstrip("f") or 0) if "." in spec else 0
    pattern = ("#,##0" if "," in spec else "0") + ("." + "0" * decimals if decimals else "")
    return format_decimal(value, format=pattern, locale=words.locale)


def counts_line(counts: Mapping[str, int], words: Words) -> str:
    """What a register holds: ``26 contracts, 11 lots, 11 organisations, …``."""
    n = words.ngettext
    parts = {
        "contracts": lambda k: n("{n} contract", "{n} contracts", k),
        "lots": lambda k: n("{n} lot", "{n} lots", k),
        "organisations": lambda k: n("{n} organisation", "{n} organisations", k),
        "functions": lambda k: n("{n} function", "{n} functions", k),
        "dependencies": lambda k: n("{n} dependency", "{n} dependencies", k),
    }
    line = ", ".join(say(counts[key]) for key, say in parts.items() if key in counts)
    if counts.get("subcontracting"):
        links = n("{n} supply-chain link", "{n} supply-chain links", counts["subcontracting"])
        line += f", {links}"
    return line


def loaded_line(
    register: str, uri: str, counts: Mapping[str, Any], warnings: int, words: Words
) -> str:
    """``load``'s last line: what was loaded where (with the findings stored, and whether in
    batches), how long it took, how many warnings."""
    held = counts_line(counts, words)
    if "findings" in counts:
        held += ", " + words.ngettext("{n} finding", "{n} findings", int(counts["findings"]))
    if counts.get("batched"):
        held += " " + words.gettext("(batched)")
    return words.gettext(
        "loaded {register} into {uri}: {counts} in {seconds} s; {warnings}"
    ).format(
        register=register,
        uri=uri,
        counts=held,
        seconds=format_decimal(counts["seconds"], format="#,##0.0", locale=words.locale),
        warnings=words.ngettext("{n} warning", "{n} warnings", warnings),
    )


def failed_line(errors: int, truncated: bool, words: Words, scenario: bool = False) -> str:
    """The last line about a register (or a what-if ``scenario``) with errors: how many, and
    that nothing was loaded (computed)."""
    if scenario:
        text = words.ngettext(
            "error: the scenario has {n} error; nothing was computed",
            "error: the scenario has {n} errors; nothing was computed",
            errors,
        )
    else:
        text = words.ngettext(
            "error: the register has {n} error; nothing was loaded",
            "error: the register has {n} errors; nothing was loaded",
            errors,
        )
    if truncated:
        text += " " + words.gettext("(more not shown)")
    return text


def valid_line(register: str, counts: Mapping[str, int], warnings: int, words: Words) -> str:
    """``validate``'s last line: the register is valid, what it holds, how many warnings."""
    return words.gettext("{register}: valid — {counts}; {warnings}").format(
        register=register,
        counts=counts_line(counts, words),
        warnings=words.ngettext("{n} warning", "{n} warnings", warnings),
    )
