"""Render an analysis result as JSON, a terminal table, CSV or Markdown.

``render(result, fmt)`` takes the object :func:`~sourcing_graph.graph.analyses.analyze` returns
(analysis key -> list of row dicts; any subset of analyses, or a custom key, works too; R15's one
object and the reference date ``as_of`` are shown as one row each, :func:`section_rows`):

- ``json``: the object (a DORA one with names beside ids, below), ``json.dumps(result, indent=2, ensure_ascii=False)`` with the
  invisible characters JSON leaves raw written as ``\\uXXXX`` (the same JSON value; see
  :func:`sourcing_graph.text.json_text`).
- ``table``: one section per analysis: a title line with the rule, its title and the number of
  rows; then an aligned table with the worst first (mode mismatches re-sorted most severe first by
  the rules' ``severity_rank`` -- ``rules=`` or the packaged ontology's -- ties in JSON order; the
  other analyses are already worst first or in key order); numbers right-aligned, lists joined
  with ", ". Past ``limit`` rows (20 by default; None for all) a line says how many more there
  are. ``color=True`` adds ANSI bold titles and coloured severities (only ask for it on a
  terminal).
- ``csv``: ONE rectangular table, so a spreadsheet can filter and pivot it: the first column
  ``analysis`` (the JSON key), then the union of all analyses' columns in order of first appearance
  (``lot``, ``supplier``, ``contracts``... are shared); a cell is empty where a column does not apply
  to the row's analysis. Lists are joined with ``|`` (the register's own list separator), booleans
  are ``true``/``false``, numbers as in the JSON. Rows keep the JSON order. An analysis with no rows
  contributes no row. Text is written as it is (line breaks too, quoted), except that a text cell
  starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading ``'`` so a
  spreadsheet shows it instead of running it as a formula (:func:`spreadsheet_safe`); numbers are
  numbers and keep their sign.
- ``markdown``: one ``##`` section per analysis (rule, title), a line with the count and a GitHub
  table (lists joined with ", "), or "No findings." for an empty one. Every character that
  Markdown or HTML could read as markup (``| \\ ` * _ [ ] ( ) ! ~ : @ $``, ``www.``) is
  backslash-escaped and ``< > &`` are entities, so a cell renders as its text: no raw HTML, links,
  images or emphasis.

The table and Markdown formats speak ``words``' language (:class:`~sourcing_graph.views.locale.Words`,
English by default): titles, headers, yes/no, modes, severities, reasons and clause types as words,
numbers and amounts as that language writes them, names beside ids when ``names`` gives them
(:mod:`~sourcing_graph.views.columns`). JSON and CSV keep the result's keys and values; for a
result with the DORA analyses (D1-D5: a register whose ids are LEIs and codes), when ``names`` is
given (the CLI always gives the register's), they add each lot's, organisation's and function's
name beside its id, in every section: ``supplier_name`` after ``supplier``, ``providers_names`` (a
list aligned with ``providers``, null where an id has no name) after ``providers``
(:func:`~sourcing_graph.views.columns.with_names`). Any other result is exactly the object.

In the table and Markdown formats, control characters (ANSI escapes included), line breaks and the
bidirectional-text controls are shown as escapes (``\\n``, ``\\x1b``, ``\\u202e``, see
:func:`visible`), so a register value can neither break a table nor drive the terminal.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from typing import Any

from sourcing_graph.errors import QueryError
from sourcing_graph.graph.registry import DORA_ANALYSES
from sourcing_graph.ontology.rules import Rules, load_rules
from sourcing_graph.text import decimal_text, json_text, visible
from sourcing_graph.views.columns import (
    analysis_title,
    cell_text,
    count_text,
    header,
    is_number,
    named_result,
    section_rows,
    with_names,
)
from sourcing_graph.views.format_names import FORMATS
from sourcing_graph.views.locale import N_, Words
from sourcing_graph.views.naming import Names

__all__ = ["FORMATS", "csv_cell", "csv_text", "md_text", "render", "spreadsheet_safe", "visible"]

DEFAULT_LIMIT = 20
MORE = N_("... {n} more")
"""The table's last line of a section cut at ``limit`` rows (the CLI's says how to see them all)."""

_BOLD, _DIM, _RESET = "\033[1m", "\033[2m", "\033[0m"
_SEVERITY_COLOUR = {"high": "\033[31m", "medium": "\033[33m", "low": "\033[36m"}


def render(
    result: dict[str, Any],
    fmt: str,
    *,
    color: bool = False,
    limit: int | None = DEFAULT_LIMIT,
    rules: Rules | None = None,
    words: Words | None = None,
    names: Names | None = None,
    more: str = MORE,
    lead: Sequence[str] = (),
) -> str:
    """The result as text in ``fmt`` (one of :data:`FORMATS`); no final newline (``click.echo`` adds it).

    ``rules`` gives the severity order of the table format (default: the packaged ontology's);
    ``words`` the language of the table and Markdown (default English), ``names`` the names shown
    beside ids (default: none); ``more`` the message (with ``{n}``, translated by ``words``) that
    ends a table section cut at ``limit`` rows; ``lead`` the lines the table and Markdown open
    with (as they are, each a paragraph of Markdown; JSON and CSV are the result alone).
    """
    face = _Face(words or Words("en"), names or Names())
    # names beside ids in JSON and CSV: for a DORA result (LEIs and codes; the result of the
    # domain spec, R3-R15 alone, stays exactly its object)
    beside = names if names is not None and any(k in DORA_ANALYSES for k in result) else None
    if fmt == "json":
        return json_text(result if beside is None else named_result(result, beside), indent=2)
    sections = {key: section_rows(key, value) for key, value in result.items()}
    opening = "".join(f"{visible(line)}\n\n" for line in lead)
    if fmt == "table":
        table = _table(sections, face, color=color, limit=limit, rules=rules, more=more)
        return opening + table
    if fmt == "csv":
        if beside is not None:
            sections = {k: [with_names(r, beside) for r in rows] for k, rows in sections.items()}
        return _csv(sections)
    if fmt in ("markdown", "md"):
        return "".join(f"{md_text(line)}\n\n" for line in lead) + _markdown(sections, face)
    raise QueryError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")


# -- what every format needs to know about an analysis --------------------------------------------


class _Face:
    """The language and the names a person-readable format is written with."""

    def __init__(self, words: Words, names: Names) -> None:
        self.words, self.names = words, names

    def heading(self, key: str, sep: str) -> str:
        rule, title = analysis_title(key, self.words)
        return f"{rule}{sep}{title}" if rule else title

    def count(self, key: str, rows: list[dict[str, Any]]) -> str:
        """How many rows a section has; R15 and the reference date: what their one row says."""
        if key == "posture" and rows:
            return self.cell("verdict", rows[0].get("verdict"))
        if key == "as_of" and rows:
            return self.cell("as_of", rows[0].get("as_of"))
        return count_text(key, len(rows), self.words)

    def cell(self, column: str, value: Any) -> str:
        return cell_text(column, value, self.words, self.names)


def _columns(rows: Sequence[dict[str, Any]]) -> list[str]:
    columns: list[str] = []
    for row in rows:
        columns.extend(k for k in row if k not in columns)
    return columns


def _text(value: Any, list_sep: str = ", ", yes_no: bool = True) -> str:
    """A value as text: lists joined, booleans as yes/no (or true/false); strings as they are."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return ("yes" if value else "no") if yes_no else ("true" if value else "false")
    if isinstance(value, (list, tuple, set, frozenset)):
        return list_sep.join(_text(v, list_sep, yes_no) for v in value)
    return str(value)


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""What a spreadsheet may read as the start of a formula (OWASP's CSV-injection list)."""


def spreadsheet_safe(text: str) -> str:
    r"""A CSV text cell a spreadsheet shows as text: a leading ``'`` when it could start a formula.

    Only for text: numbers are written from numbers and keep their sign (``-3`` stays ``-3``).

    >>> spreadsheet_safe('=HYPERLINK("http://x")'), spreadsheet_safe("C-07")
    ('\'=HYPERLINK("http://x")', 'C-07')
    """
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_text(records: Iterable[list[str]]) -> str:
    """CSV text with ``\\n`` line ends; a record with a carriage return in a cell is quoted whole.

    (With ``\\n`` line ends the csv module leaves a lone ``\\r`` unquoted, and readers take it for
    the end of the record.)
    """
    out = io.StringIO()
    minimal = csv.writer(out, lineterminator="\n")
    quoted = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_ALL)
    for cells in records:
        (quoted if any("\r" in cell for cell in cells) else minimal).writerow(cells)
    return out.getvalue()


def csv_cell(value: Any, list_sep: str = "|") -> str:
    """A value as a CSV cell: numbers as numbers, booleans true/false, text made spreadsheet-safe."""
    if isinstance(value, Decimal):
        return decimal_text(value)  # an amount, exact and spelt as in the JSON
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return spreadsheet_safe(_text(value, list_sep, yes_no=False))


# -- table ---------------------------------------------------------------------------------------


def _worst_first(key: str, rows: list[dict[str, Any]], rules: Rules | None) -> list[dict[str, Any]]:
    if key != "mode_mismatches" or not rows:
        return rows
    rank = (rules if rules is not None else load_rules()).severity_rank

    def order(row: dict[str, Any]) -> tuple[int, int]:
        severity = row.get("severity")
        if severity in rank:
            return (0, -rank[severity])
        return (1, 0)  # a severity without a rank goes last

    return sorted(rows, key=order)


def _table(
    result: dict[str, list[dict[str, Any]]],
    face: _Face,
    *,
    color: bool,
    limit: int | None,
    rules: Rules | None = None,
    more: str = MORE,
) -> str:
    def paint(text: str, code: str) -> str:
        return f"{code}{text}{_RESET}" if color and code else text

    out: list[str] = []
    for key, rows in result.items():
        heading = face.heading(key, "  ")
        count = face.count(key, rows)
        out.append(f"{paint(heading, _BOLD)}  {paint('— ' + count, _DIM)}")
        if key in _ONE_ROW:
            out.extend(_fields(rows, face))
        elif rows:
            shown = _worst_first(key, rows, rules)
            hidden = 0
            if limit is not None and len(shown) > limit:
                shown, hidden = shown[:limit], len(shown) - limit
            out.extend(_aligned(shown, paint, face))
            if hidden:
                line = face.words.gettext(more).format(n=face.words.number(hidden))
                out.append("  " + line)
        out.append("")
    return "\n".join(out).rstrip("\n")


_ONE_ROW = {"as_of": (), "posture": ("verdict",)}
"""Sections of one row shown field by field (leaving out the fields their heading shows)."""


def _fields(rows: list[dict[str, Any]], face: _Face) -> list[str]:
    """One row as aligned ``header: value`` lines (the table format of R15)."""
    if not rows:
        return []
    key_of = {k: v for k, v in _ONE_ROW.items() if set(v) <= set(rows[0])}
    skip = {f for fields in key_of.values() for f in fields} | {"as_of"}
    pairs = [(header(c, face.words), face.cell(c, v)) for c, v in rows[0].items() if c not in skip]
    width = max((len(h) for h, _ in pairs), default=0)
    return [f"  {h.ljust(width)}  {visible(v) or '—'}" for h, v in pairs]


def _aligned(
    rows: list[dict[str, Any]], paint: Callable[[str, str], str], face: _Face
) -> list[str]:
    columns = _columns(rows)
    cells = [[visible(face.cell(c, row.get(c))) for c in columns] for row in rows]
    numeric = [all(is_number(row.get(c)) for row in rows) for c in columns]
    headers = [header(c, face.words) for c in columns]
    widths = [max(len(h), *(len(r[i]) for r in cells)) for i, h in enumerate(headers)]

    def line(values: list[str], row: dict[str, Any] | None = None) -> str:
        parts = []
        for i, (value, width) in enumerate(zip(values, widths, strict=True)):
            text = value.rjust(width) if numeric[i] else value.ljust(width)
            if row is not None and columns[i] == "severity":
                text = paint(text, _SEVERITY_COLOUR.get(row.get("severity") or "", ""))
            parts.append(text)
        return ("  " + "  ".join(parts)).rstrip()

    lines = [line(headers), "  " + "  ".join("-" * w for w in widths)]
    lines += [line(values, row) for values, row in zip(cells, rows, strict=True)]
    return lines


# -- csv -----------------------------------------------------------------------------------------


def _csv(result: dict[str, list[dict[str, Any]]]) -> str:
    columns = _columns([row for rows in result.values() for row in rows])
    records = [[spreadsheet_safe(c) for c in ["analysis", *columns]]]
    for key, rows in result.items():
        for row in rows:
            records.append([spreadsheet_safe(key), *(csv_cell(row.get(c)) for c in columns)])
    return csv_text(records).removesuffix("\n")


# -- markdown ------------------------------------------------------------------------------------


# The ASCII punctuation that can start or end Markdown markup in a table cell (emphasis, code,
# links, images, strikethrough, math, autolinks, cell ends) is backslash-escaped, as CommonMark
# allows for any ASCII punctuation (``_`` inside a word never emphasises, so it stays as it is);
# ``<`` ``>`` ``&`` become entities, so no renderer reads a tag.
_MD_SPECIAL = re.compile(r"[\\`*\[\]()!|~:@$]|(?<![^\W_])_|_(?![^\W_])|(?i:(?<=www)\.)")
_MD_ENTITIES = {"<": "&lt;", ">": "&gt;", "&": "&amp;"}


def md_text(text: str) -> str:
    r"""Text for a Markdown table cell: renders as exactly ``visible(text)``, never as markup.

    >>> print(md_text("<b>x</b> | [y](javascript:z)"))
    &lt;b&gt;x&lt;/b&gt; \| \[y\]\(javascript\:z\)
    """
    escaped = _MD_SPECIAL.sub(lambda m: "\\" + m.group(), visible(text))
    return re.sub("[<>&]", lambda m: _MD_ENTITIES[m.group()], escaped)


def _markdown(result: dict[str, list[dict[str, Any]]], face: _Face) -> str:
    out: list[str] = []
    for key, rows in result.items():
        out.append(f"## {face.heading(key, ' ')}")
        out.append("")
        count = face.count(key, rows)
        out.append(f"{md_text(count[:1].upper() + count[1:])}.")
        out.append("")
        if key in _ONE_ROW:
            fields = [line.strip().split("  ", 1) for line in _fields(rows, face)]
            if fields:
                out += ["| | |", "|---|---|"]
                out += [f"| {md_text(h)} | {md_text(v.strip())} |" for h, v in fields]
                out.append("")
            continue
        if not rows:
            continue
        columns = _columns(rows)
        numeric = [all(is_number(r.get(c)) for r in rows) for c in columns]
        out.append("| " + " | ".join(md_text(header(c, face.words)) for c in columns) + " |")
        out.append("|" + "|".join("---:" if n else "---" for n in numeric) + "|")
        for row in rows:
            out.append("| " + " | ".join(md_text(face.cell(c, row.get(c))) for c in columns) + " |")
        out.append("")
    return "\n".join(out).rstrip("\n")
