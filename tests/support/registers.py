"""Registers built in code for the tests: small hand-made ones, and a large contracts file."""

from __future__ import annotations

from pathlib import Path

from sourcing_graph.model import Contract, Function, Lot, Organisation, Register


def make_register(
    lots: list[Lot] | None = None,
    contracts: list[Contract] | None = None,
    functions: list[Function] | None = None,
    organisations: list[Organisation] | None = None,
    dependencies: list[tuple[str, str]] | None = None,
) -> Register:
    """A register with every referenced entity present (lots, functions, external suppliers)."""
    contracts = contracts or []
    reg = Register(
        organisations={o.id: o for o in organisations or []},
        lots={lot.id: lot for lot in lots or []},
        functions={f.id: f for f in functions or []},
        contracts={c.id: c for c in contracts},
        dependencies=set(dependencies or []),
    )
    for c in contracts:
        reg.organisations.setdefault(c.supplier, Organisation(c.supplier))
        reg.lots.setdefault(c.lot, Lot(c.lot))
        for f in c.functions:
            reg.functions.setdefault(f, Function(f))
    for lot in list(reg.lots.values()):
        reg.organisations.setdefault(lot.prime_contractor, Organisation(lot.prime_contractor))
    for a, b in dependencies or []:
        reg.lots.setdefault(a, Lot(a))
        reg.lots.setdefault(b, Lot(b))
    return reg


def C(
    cid: str, supplier: str, lot: str, mode: str | None = None, clauses=(), functions=(), value=None
) -> Contract:
    return Contract(
        cid, supplier, lot, mode, frozenset(clauses), frozenset(functions), annual_value=value
    )


HEADER = "contract_id,supplier,lot,mode,clauses,functions,start_date,annual_value\n"


def write_contracts(path: Path, rows: int, bad_at: int | None = None) -> Path:
    """A valid wide contracts file of ``rows`` rows (500 suppliers, 200 lots), streamed to disk;
    row ``bad_at`` (1-based) has the mode ``partnership``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write(HEADER)
        for i in range(1, rows + 1):
            mode = "partnership" if i == bad_at else ("trust", "reliability", "distrust")[i % 3]
            out.write(
                f"C-{i:07d},sup-{i % 500},K{i % 200},{mode},penalty|sla,F-{i % 100},"
                f"2024-01-{i % 28 + 1:02d},{i % 997}.50\n"
            )
    return path
