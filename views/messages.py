"""The fixed words of the messages about a register (``validate`` and every command that prints a
register's problems), in Dutch or English. The problem's own sentence stays as the library wrote
it (English); its position, its severity and the words around the value are translated.

>>> from sourcing_graph.errors import Problem
>>> problem = Problem("kavels.csv", 3, 2, "unknown level", "middel", "laag or hoog", "warning")
>>> problem_line(problem, Words("nl"))
"kavels.csv:3:2: waarschuwing: unknown level (gelezen 'middel'; verwacht laag or hoog)"
>>> problem_line(problem, Words("en")) == str(problem)
True
"""

from __future__ import annotations

from collections.abc import Mapping

from sourcing_graph.errors import Problem
from sourcing_graph.views.locale import Words


def problem_line(problem: Problem, words: Words) -> str:
    """A problem as one line: ``file:line:column: severity: message (read …; expected …)``, and
    the validation rule it matches at the end (``[v8816_m]``), as :meth:`Problem.__str__` has it."""
    _ = words.gettext
    severity = _("error") if problem.severity == "error" else _("warning")
    text = f"{problem.file}:{problem.line}:{problem.column}: {severity}: {problem.message}"
    expected = _("expected {what}").format(what=problem.expected) if problem.expected else None
    if problem.value is not None:
        read = _("read {value}").format(value=repr(problem.value))
        text += f" ({read}; {expected})" if expected else f" ({read})"
    elif expected:
        text += f" ({expected})"
    return f"{text} [{problem.rule}]" if problem.rule else text


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


def failed_line(errors: int, truncated: bool, words: Words) -> str:
    """The last line about a register with errors: how many, and that nothing was loaded."""
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
