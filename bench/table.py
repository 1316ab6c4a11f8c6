"""The results table: its rows (``bench/table_rows.md``), the cells of each size, the growth rows."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

from bench.results import Results, Row, rate, ratio
from sourcing_graph.graph.analyses import ANALYSES, HELPERS, lookup

ROWS_FILE = Path(__file__).resolve().parent / "table_rows.md"
DERIVED = {"rate": rate, "ratio": ratio}
RDFLIB_DERIVED = ("rate.rdflib", "ratio.rdflib_ours", "ratio.rdflib_loadcsv")
GROWTH_KEYS = (
    ("read", "read_register"),
    ("cli.validate", "`sourcing-graph validate`"),
    ("load.ours", "our load"),
    ("load.loadcsv", "`LOAD CSV` (reference)"),
)


def size_name(n: int) -> str:
    """A size as the table's header names it: ``10k``, ``1,500``."""
    return f"{n // 1000}k" if n >= 1000 and n % 1000 == 0 else f"{n:,}"


def fmt(value: float | None, unit: str) -> str:
    """A value in its unit: s (seconds), MB, rate (rows/s), x (a ratio), n (a count), text."""
    if value is None:
        return "—"
    if unit == "s":
        if value < 0.01:
            return f"{value * 1000:.2f} ms"
        if value < 1:
            return f"{value * 1000:.0f} ms"
        if value < 100:
            return f"{value:.2f} s"
        return f"{value:.0f} s"
    patterns = {"MB": "{:,.0f} MB", "rate": "{:,.0f}/s", "x": "{:.2f}×", "n": "{:,.0f}"}
    return patterns[unit].format(value) if unit in patterns else str(value)


def analysis_rows(queries: list[Any]) -> list[Row]:
    """A Neo4j row for every analysis, helper and named query; an embedded row for each analysis
    and helper (their rule, R1 to R9, in front)."""
    names = [a.query_name for a in [*ANALYSES.values(), *HELPERS.values()]]
    names += [q.name for q in queries if q.name not in names]
    rules = {}
    for name in names:
        with contextlib.suppress(Exception):  # a named query that is no analysis has no rule
            rules[name] = lookup(name).rule
    rows: list[Row] = []
    for name in names:
        tag = f"{rules[name]} " if rules.get(name) else ""
        rows.append(Row(f"neo.{name}", f"{tag}{name}: Neo4j (named query)", "s"))
        if name in rules:
            rows.append(Row(f"emb.{name}", f"{tag}{name}: embedded (graph pre-built)", "s"))
    return rows


def table_rows(queries: list[Any]) -> list[tuple[str, list[Row]]]:
    """The sections of the table, in order (``table_rows.md``, the analyses in their place)."""
    sections: list[tuple[str, list[Row]]] = []
    for line in ROWS_FILE.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            sections.append((line[3:].strip(), []))
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if not line.startswith("| ") or cells[0] in ("key", "---") or not sections:
            continue
        key, unit, derived, label = cells
        rows = sections[-1][1]
        if key == "analyses":
            rows.extend(analysis_rows(queries))
        elif derived:
            kind, *args = derived.split()
            rows.append(Row(key, label, unit, DERIVED[kind](*args)))
        else:
            rows.append(Row(key, label, unit))
    return sections


def fact_cell(res: Results, row: Row, size: int) -> str:
    """The cell of a ``facts.*`` row: what the register and the loads were, not a time."""
    facts = res.facts.get(size, {})
    name = row.key.split(".", 1)[1]
    counts = facts.get("counts") or {}
    if name == "contracts":
        return fmt(counts.get("contracts"), "n")
    if name == "lots":
        if not counts:
            return "—"
        kinds = ("lots", "organisations", "functions", "dependencies")
        return " / ".join(f"{counts.get(k, 0):,}" for k in kinds)
    value = facts.get(name)
    text = fmt(value, row.unit) if value is not None else "—"
    if name == "triples" and facts.get("rdflib_nodes") is not None:
        text += f" → {facts['rdflib_nodes']:,} nodes, {facts['rdflib_rels']:,} rels"
    return text


def cell(res: Results, row: Row, size: int) -> str:
    """The median (or derived value) of ``row`` at ``size``, with its sample count and note."""
    if row.key.startswith("facts."):
        return fact_cell(res, row, size)
    value = row.derived(res, size) if row.derived else res.median(size, row.key)
    text = fmt(value, row.unit)
    n = res.count(size, row.key) if not row.derived else 0
    if value is not None and n and n < res.repeat and row.unit in ("s", "MB"):
        text += f" (n={n})"
    note = res.notes.get((size, row.key))
    if (
        note is None
        and row.key in RDFLIB_DERIVED
        and res.noted(size, "load.rdflib", "extrapolated")
    ):
        note = "from the extrapolated rdflib-neo4j time"
    if note:
        text = f"{text} — {note}" if value is not None else note
    return text


def render_table(res: Results, queries: list[Any]) -> str:
    sizes = res.sizes
    header = "| measure | " + " | ".join(f"{size_name(s)}" for s in sizes) + " |"
    lines = [header, "|---|" + "---:|" * len(sizes)]
    for section, rows in table_rows(queries):
        lines.append(f"| **{section}** |" + " |" * len(sizes))
        for row in rows:
            cells = [cell(res, row, s) for s in sizes]
            if all(c == "—" for c in cells) and not row.key.startswith("facts."):
                continue
            lines.append(f"| {row.label} | " + " | ".join(cells) + " |")
    lines.extend(growth_rows(res))
    return "\n".join(lines)


def growth_pairs(res: Results) -> list[tuple[int, int]]:
    """Each size with the size before it (sorted)."""
    sizes = sorted(res.sizes)
    return [(a, b) for a, b in zip(sizes, sizes[1:], strict=False) if a > 0]


def growth_rows(res: Results) -> list[str]:
    pairs = growth_pairs(res)
    if not pairs:
        return []
    width = len(res.sizes)
    lines = ["| **Growth (time at a size / time at the size before)** |" + " |" * width]
    for key, label in GROWTH_KEYS:
        cells = [
            _growth_cell(res, key, next((p for p in pairs if p[1] == s), None)) for s in res.sizes
        ]
        if any(c != "—" for c in cells):
            lines.append(f"| {label} | " + " | ".join(cells) + " |")
    return lines


def _growth_cell(res: Results, key: str, pair: tuple[int, int] | None) -> str:
    if pair is None:
        return "—"
    a, b = res.median(pair[0], key), res.median(pair[1], key)
    if a and b:
        return f"{b / a:.1f}× for {pair[1] / pair[0]:.0f}× the size"
    return "—"
