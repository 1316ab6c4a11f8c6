"""Registers whose amounts add up differently in floats and in decimals (exact money)."""

from __future__ import annotations

from pathlib import Path

from sourcing_graph.loaders.csv_reader import read_register
from sourcing_graph.model import Register

NOISY_PARTS = ("758384.80", "4252425.31", "3842495.63", "1349838.23", "3759466.25")
"""Added up as floats in this order: 13962610.219999999; as decimals: 13962610.22."""

HEADER = "contract_id,supplier,lot,functions,annual_value\n"


def money_register(folder: Path) -> Register:
    """Read from CSV (the reader's own number parsing): zz 0.10 + 0.20 and aa 0.30 (equal sums,
    so R9 orders them aa, zz), and big with five parts that float-sum to 13962610.219999999.
    The suppliers ``zz`` and ``aa`` belong to no group; ``big`` to the group ``holding``."""
    folder.mkdir(parents=True, exist_ok=True)
    rows = ["C1,zz,K1,,0.10", 'C2,zz,K1,,"0,20"', "C3,aa,K1,,0.30"]
    rows += [f"B{i},big,K2,F-CRIT,{part}" for i, part in enumerate(NOISY_PARTS, start=1)]
    (folder / "contracts.csv").write_text(HEADER + "\n".join(rows) + "\n", encoding="utf-8")
    (folder / "functions.csv").write_text("function_id,critical\nF-CRIT,yes\n", encoding="utf-8")
    register = read_register(str(folder))
    register.organisations["big"].parent = "holding"  # DORA's ultimate parent (D1)
    return register
