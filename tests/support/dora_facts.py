"""What a DORA package says, as facts, two ways: read from the register the reader made, and
worked out from the template files by the mapping of docs/dora.md (an oracle written for the
tests, apart from the reader). "Nothing lost" is the two being equal, also with any cell emptied.

A fact is ``(kind, id, field, value)``: ``("org", "LEI-X", "name", "X AB")``,
``("contract", "CTR-01", "extra:exit_plan_code", "eba_BT:x29")``, ``("link", "CTR-01",
"2|LEI-B|LEI-A|eba_TA:S19", "")``. A joined extra (``"a | b"``) gives one fact per value.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path

from sourcing_graph.loaders.dora.codes import readable
from sourcing_graph.loaders.dora.extras import (
    ASSESSMENT_EXTRAS,
    FUNCTION_EXTRAS,
    GENERAL_EXTRAS,
    PROVIDER_EXTRAS,
    SPECIFIC_EXTRAS,
)
from sourcing_graph.model import OWN_IT, Register, money

Fact = tuple[str, str, str, str]
Rows = dict[str, list[dict[str, str]]]
"""Template (``b_05.01``) -> its rows, each ``{column code: cell}``."""

CRITICAL = "eba_BT:x28"
OPEN_END = "9999-12-31"


def read_rows(package: Path) -> Rows:
    """The rows of every template file of a package folder, by column code."""
    rows: Rows = {}
    for path in sorted((package / "reports").glob("b_*.csv")):
        with path.open(encoding="utf-8", newline="") as fh:
            records = list(csv.reader(fh))
        header = [h.strip().lower() for h in records[0]]
        rows[path.stem.lower()] = [
            {code: cell.strip() for code, cell in zip(header, record, strict=False)}
            for record in records[1:]
            if any(cell.strip() for cell in record)
        ]
    return rows


def _extras(
    kind: str, ident: str, row: dict[str, str], spec: Iterable[tuple[str, str, bool]]
) -> set[Fact]:
    facts: set[Fact] = set()
    for code, name, closed in spec:
        text = row.get(code, "")
        if not text:
            continue
        word = readable(text) if closed else None
        if closed:
            facts.add((kind, ident, f"extra:{name}_code", text))
            if word:
                facts.add((kind, ident, f"extra:{name}", word))
        else:
            facts.add((kind, ident, f"extra:{name}", text))
    return facts


def _providers(rows: Rows, group: set[str]) -> set[Fact]:
    facts: set[Fact] = set()
    for row in rows.get("b_05.01", []):
        ident = row["c0010"]
        name = row.get("c0050") or row.get("c0060")
        if name:
            facts.add(("org", ident, "name", name))
        if row.get("c0110"):
            facts.add(("org", ident, "parent", row["c0110"]))
        facts.add(("org", ident, "internal", str(ident in group)))
        facts |= _extras("org", ident, row, PROVIDER_EXTRAS)
    return facts


def _functions(rows: Rows) -> set[Fact]:
    facts: set[Fact] = set()
    for row in rows.get("b_06.01", []):
        ident = row["c0010"]
        if row.get("c0030"):
            facts.add(("function", ident, "name", row["c0030"]))
        facts.add(("function", ident, "critical", str(row.get("c0050") == CRITICAL)))
        facts |= _extras("function", ident, row, FUNCTION_EXTRAS)
    return facts


def _contracts(rows: Rows) -> tuple[set[Fact], dict[str, str]]:
    """The contracts' facts, and each contract's provider."""
    facts: set[Fact] = set()
    specific: dict[str, list[dict[str, str]]] = {}
    for row in rows.get("b_02.02", []):
        specific.setdefault(row["c0010"], []).append(row)
    general = {row["c0010"]: row for row in rows.get("b_02.01", [])}
    providers: dict[str, str] = {}
    for ref, mine in specific.items():
        providers[ref] = mine[0]["c0030"]
        facts.add(("contract", ref, "supplier", mine[0]["c0030"]))
        lot = min(r["c0060"] for r in mine)
        facts.add(("contract", ref, "lot", lot))
        facts.add(("lot", lot, "name", readable(lot) or lot))
        facts |= {("contract", ref, "function", r["c0050"]) for r in mine if r.get("c0050")}
        starts = [r["c0070"] for r in mine if r.get("c0070") and r["c0070"] != OPEN_END]
        if starts:
            facts.add(("contract", ref, "start_date", min(starts)))
        ends = [r.get("c0080", "") for r in mine]
        if all(e and e != OPEN_END for e in ends):
            facts.add(("contract", ref, "end_date", max(ends)))
        for r in mine:
            facts |= _extras("contract", ref, r, SPECIFIC_EXTRAS)
        if ref in general:
            if general[ref].get("c0050"):
                facts.add(("contract", ref, "annual_value", str(money(general[ref]["c0050"]))))
            facts |= _extras("contract", ref, general[ref], GENERAL_EXTRAS)
    for row in rows.get("b_07.01", []):
        facts |= _extras("contract", row["c0010"], row, ASSESSMENT_EXTRAS)
    return facts, providers


def package_facts(rows: Rows) -> set[Fact]:
    """What a consistent package says, by the mapping of docs/dora.md (the oracle)."""
    group = {r["c0010"] for r in rows.get("b_01.02", [])}
    group |= {r["c0020"] for r in rows.get("b_03.03", [])}
    facts = _providers(rows, group) | _functions(rows)
    contract_facts, providers = _contracts(rows)
    facts |= contract_facts
    named = {r["c0010"] for r in rows.get("b_05.01", [])}
    made = set(providers.values())
    for row in rows.get("b_05.02", []):
        rank = int(row["c0050"])
        recipient = row.get("c0060", "") if rank > 1 else ""
        link = f"{rank}|{row['c0030']}|{recipient}|{row.get('c0020', '')}"
        facts.add(("link", row["c0010"], link, ""))
        made |= {row["c0030"], row.get("c0060", "")} - {""}
    # providers and functions named but not described are made from the reference
    facts |= {("org", org, "internal", str(org in group)) for org in made - named}
    functions = {r["c0010"] for r in rows.get("b_06.01", [])}
    facts |= {
        ("function", f, "critical", "False")
        for _k, _i, field, f in contract_facts
        if field == "function" and f not in functions
    }
    return facts


def _extra_facts(kind: str, ident: str, extra: dict[str, str]) -> set[Fact]:
    return {(kind, ident, f"extra:{k}", part) for k, v in extra.items() for part in v.split(" | ")}


def _named_facts(kind: str, ident: str, **fields: object) -> set[Fact]:
    """A fact per field that is not None (its value as text)."""
    return {(kind, ident, name, str(v)) for name, v in fields.items() if v is not None}


def register_facts(register: Register) -> set[Fact]:
    """What a register holds, as facts (``own-it`` left out: every register has it)."""
    facts: set[Fact] = set()
    for org in register.organisations.values():
        if org.id != OWN_IT:
            facts |= _named_facts(
                "org", org.id, name=org.name, parent=org.parent, internal=org.internal
            )
            facts |= _extra_facts("org", org.id, org.extra)
    for fn in register.functions.values():
        facts |= _named_facts("function", fn.id, name=fn.name, critical=fn.critical)
        facts |= _extra_facts("function", fn.id, fn.extra)
    for c in register.contracts.values():
        facts |= _named_facts(
            "contract",
            c.id,
            supplier=c.supplier,
            lot=c.lot,
            start_date=c.start_date.isoformat() if c.start_date else None,
            end_date=c.end_date.isoformat() if c.end_date else None,
            annual_value=str(c.annual_value) if c.annual_value is not None else None,
        )
        facts |= {("contract", c.id, "function", f) for f in c.functions}
        facts |= _extra_facts("contract", c.id, c.extra)
    facts |= {("lot", lot.id, "name", lot.name or lot.id) for lot in register.lots.values()}
    for link in register.subcontracting:
        text = f"{link.rank}|{link.supplier}|{link.recipient or ''}|{link.service_type or ''}"
        facts.add(("link", link.contract, text, ""))
    return facts


def write_rows(package: Path, template: str, rows: list[dict[str, str]], header: list[str]) -> None:
    """Write a template's rows back (``header``: its column codes, in the file's order)."""
    with (package / "reports" / f"{template}.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(header)
        writer.writerows([row.get(code, "") for code in header] for row in rows)


def header_of(package: Path, template: str) -> list[str]:
    with (package / "reports" / f"{template}.csv").open(encoding="utf-8", newline="") as fh:
        return [h.strip().lower() for h in next(csv.reader(fh))]
