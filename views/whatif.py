"""A what-if's output: the whole object as JSON, or what changed as a table, CSV or Markdown.

:func:`render_what_if` takes what :func:`~sourcing_graph.graph.whatif.what_if` returns. JSON is
the object itself (``before``, ``after``, ``delta``). The other formats show the delta: per
analysis the rows added and removed (a first column ``change``), the score change per prime
contractor (R5) and the sourcing option before and after (R15), in the words of ``words``.
"""

from __future__ import annotations

from typing import Any

from sourcing_graph.ontology.rules import Rules
from sourcing_graph.text import json_text
from sourcing_graph.views.formats import render
from sourcing_graph.views.locale import Words
from sourcing_graph.views.naming import Names

__all__ = ["delta_sections", "render_what_if"]


def delta_sections(out: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """The delta of a what-if ``out`` as sections of rows: the analyses that changed, then
    ``score_change`` (the prime contractors whose score changed) and ``verdict`` (with R15's
    reasons before and after)."""
    delta = out["delta"]
    sections: dict[str, list[dict[str, Any]]] = {}
    for key, change in delta.items():
        if key in ("score_change", "verdict"):
            continue
        rows = [{"change": "added", **row} for row in change["added"]]
        rows += [{"change": "removed", **row} for row in change["removed"]]
        if rows:
            sections[key] = rows
    sections["score_change"] = [row for row in delta["score_change"] if row["change"]]
    verdict = delta["verdict"]
    sections["verdict"] = [
        {
            "verdict_before": verdict["before"],
            "reasons_before": (out["before"].get("posture") or {}).get("reasons", []),
            "verdict_after": verdict["after"],
            "reasons_after": (out["after"].get("posture") or {}).get("reasons", []),
        }
    ]
    return sections


def render_what_if(
    out: dict[str, Any],
    fmt: str,
    *,
    color: bool = False,
    limit: int | None = None,
    rules: Rules | None = None,
    words: Words | None = None,
    names: Names | None = None,
) -> str:
    """The what-if ``out`` as text in ``fmt`` (``json``, ``table``, ``csv``, ``markdown``)."""
    if fmt == "json":
        return json_text(out, indent=2)
    sections = delta_sections(out)
    return render(sections, fmt, color=color, limit=limit, rules=rules, words=words, names=names)
