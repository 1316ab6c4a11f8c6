"""A seeded generator of realistic contract registers of any size, and a writer of canonical CSV.

>>> reg = generate(1000, seed=7)
>>> len(reg.contracts), len(reg.lots), len(reg.functions)
(1000, 20, 10)

Proportions, for ``n`` contracts:

- lots ≈ n/50 (at least 3), every lot has at least one contract, each depends on 1-3 others
  (about 2 on average; never on itself, never twice);
- suppliers ≈ n/40 (at least 3), about 5 % of them internal (a shared service centre); contracts
  go to suppliers with a long-tailed (Zipf-like) popularity, a few percent to ``own-it`` itself;
- functions ≈ n/100 (at least 5), about 20 % critical and 10 % retained (the retained ones carry
  the names the domain lists: information management, architecture, ...);
- prime contractors: ``own-it`` for about 85 % of the lots, an external supplier for the rest;
- declared modes: about 30 % trust, 30 % reliability, 20 % distrust, 20 % not recorded, with a
  culture per lot (a trust, reliability or distrust lot: most of its contracts run in that mode),
  so lots differ in mode and mode mismatches between dependent lots exist;
- 0-4 clause types per contract, drawn with weights that depend on the declared mode; penalties
  and bonuses are common in distrust lots and rare (~1 %) elsewhere, so some trust and
  reliability contracts carry them (clause conflicts) while about half of those lots keep their
  mode;
- 1-3 functions per contract, start dates 2016-2025, terms of 1-7 years (5 % open-ended),
  lognormal annual values around 100 000 (3 % missing), selection basis cost / collaboration /
  not recorded, and one extra column per file (kept by the loader as a property).

The same ``(n_contracts, seed)`` always gives the same register, and :func:`write_register`
writes it byte for byte the same.

Command line: ``python -m bench.generate 10000 out/register [--seed 42]``.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import random
from collections.abc import Callable, Iterable, Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sourcing_graph.model import (
    OWN_IT,
    Contract,
    Function,
    Lot,
    Organisation,
    Register,
)

FILES = ("contracts.csv", "lots.csv", "dependencies.csv", "functions.csv", "suppliers.csv")

# A lot has a collaboration culture: most of its contracts run in one mode. Lot styles and the
# declared modes of their contracts (weights in percent) give 31 % trust, 27 % reliability,
# 20 % distrust and 22 % not recorded over the whole register, while lots keep different modes
# (so mode mismatches between dependent lots exist, as in real registers).
LOT_STYLES: tuple[tuple[str, int], ...] = (("trust", 35), ("reliability", 35), ("distrust", 30))
MODE_WEIGHTS: dict[str, tuple[tuple[str | None, int], ...]] = {
    "trust": (("trust", 65), (None, 35)),
    "reliability": (("reliability", 65), ("trust", 15), (None, 20)),
    "distrust": (("distrust", 65), ("reliability", 15), ("trust", 10), (None, 10)),
}
FORCING = frozenset({"penalty", "bonus"})
STRAY_FORCING = 0.012
"""Chance that a contract in a trust or reliability lot still carries a penalty or a bonus (a
clause conflict); low enough that about half of those lots keep their mode."""

CLAUSE_TYPES = (
    "penalty",
    "bonus",
    "sla",
    "reporting",
    "obligation",
    "open_book",
    "joint_evaluation",
    "innovation",
    "freedom_of_movement",
    "exit",
)

# Relative weight of each clause type (in CLAUSE_TYPES order) by declared mode.
CLAUSE_WEIGHTS: dict[str | None, tuple[int, ...]] = {
    "distrust": (30, 12, 25, 15, 12, 1, 1, 1, 1, 8),
    "reliability": (6, 2, 30, 25, 20, 3, 5, 2, 2, 10),
    "trust": (2, 2, 6, 6, 3, 22, 22, 18, 14, 8),
    None: (10, 4, 20, 18, 12, 6, 6, 4, 4, 10),
}
CLAUSE_COUNT_WEIGHTS = (15, 25, 30, 20, 10)  # 0, 1, 2, 3, 4 clause types

SELECTION_WEIGHTS: tuple[tuple[str | None, int], ...] = (
    ("cost", 45),
    ("collaboration", 35),
    (None, 20),
)

_NAME_HEADS = (
    "Bright", "North", "Blue", "Quant", "Delta", "Harbor", "Silver", "Iron", "Clear", "Vector",
    "Summit", "Lumen", "Cedar", "Polar", "Nova", "Atlas", "Crest", "Ember", "Granite", "Orbit",
    "Pixel", "Signal", "Tandem", "Upland", "Willow", "Zenith", "Keystone", "Meridian", "Octave",
)  # fmt: skip
_NAME_TAILS = (
    "forge", "line", "works", "bridge", "stack", "point", "field", "gate", "wave", "logic",
    "sys", "cloud", "data", "net", "soft", "ware", "ops", "sense", "craft", "scale",
)  # fmt: skip
_NAME_FORMS = (" B.V.", " Ltd", " GmbH", " N.V.", " Services", " Consulting", " IT", " Group")

_LOT_AREAS = (
    "Workplace and service desk", "Hosting and data centre", "Network (LAN, WAN, wifi)",
    "ERP platform", "CRM and customer contact", "Security operations", "Identity and access",
    "Application management", "Data platform", "Telephony", "Print and scan", "Web and portals",
    "Integration and APIs", "Cloud landing zone", "Document management", "Payroll and HR systems",
    "Geo information", "Test and acceptance", "Licences and software assets", "Mobile devices",
)  # fmt: skip

_FUNCTIONS_RETAINED = (
    "Information management",
    "Information analysis",
    "Architecture",
    "Orchestration of suppliers",
    "Business design",
    "Business process innovation",
)
_FUNCTIONS_OTHER = (
    "Financial accounting", "Order handling", "Payments", "Customer service", "Case handling",
    "Permits", "Workplace support", "Hosting", "Network services", "Security monitoring",
    "Identity management", "Reporting and BI", "Document archiving", "Payroll", "Recruitment",
    "Procurement", "Logistics", "Planning", "Data management", "Application maintenance",
    "Testing", "Telephony", "Printing", "Web content", "Integration",
)  # fmt: skip

_PEOPLE = (
    "A. de Vries", "B. Jansen", "C. Bakker", "D. Visser", "E. Smit", "F. Meijer", "G. de Boer",
    "H. Mulder", "I. de Groot", "J. Bos", "K. Vos", "L. Peters", "M. Hendriks", "N. van Dijk",
    "O. Dekker", "P. Brouwer", "Q. de Wit", "R. Dijkstra", "S. Smits", "T. de Graaf",
)  # fmt: skip
_OWNERS = ("Finance", "Operations", "CIO office", "Customer contact", "HR", "Facilities")


def proportions(n_contracts: int) -> dict[str, int]:
    """How many lots, suppliers (of which internal) and functions a register of ``n`` gets."""
    n_suppliers = max(3, round(n_contracts / 40))
    n_functions = max(5, round(n_contracts / 100))
    return {
        "contracts": n_contracts,
        "lots": max(3, round(n_contracts / 50)),
        "suppliers": n_suppliers,
        "internal_suppliers": max(1, round(n_suppliers * 0.05)),
        "functions": n_functions,
        "critical_functions": max(1, round(n_functions * 0.20)),
        "retained_functions": max(1, round(n_functions * 0.10)),
    }


def _weighted(rng: random.Random, table: Sequence[tuple[str | None, int]]) -> str | None:
    return rng.choices([v for v, _ in table], weights=[w for _, w in table], k=1)[0]


def _slug(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalnum())


def generate(n_contracts: int, seed: int = 42) -> Register:
    """A realistic, valid register of ``n_contracts`` contracts; the same seed gives the same one."""
    if n_contracts < 1:
        raise ValueError("a generated register needs at least one contract")
    rng = random.Random(f"sourcing-graph-bench:{n_contracts}:{seed}")
    size = proportions(n_contracts)
    register = Register(source=f"generated({n_contracts}, seed={seed})")
    register.organisations[OWN_IT] = Organisation(OWN_IT, "Own IT organisation", True)
    internal, external = _add_suppliers(register, rng, size)
    suppliers = _SupplierPool(rng, internal + external)
    function_ids = _add_functions(register, rng, size)
    styles = _add_lots(register, rng, size, external)
    _add_dependencies(register, rng, list(styles))
    _add_contracts(register, rng, n_contracts, styles, suppliers, function_ids)
    return register


def _add_suppliers(
    register: Register, rng: random.Random, size: dict[str, int]
) -> tuple[list[str], list[str]]:
    """The suppliers: the first few internal (shared service centres). Returns (internal, external)."""
    external: list[str] = []
    internal: list[str] = []
    for i in range(size["suppliers"]):
        if i < size["internal_suppliers"]:
            name = f"Shared Service Centre {i + 1}"
            ident = f"ssc-{i + 1:03d}"
            internal.append(ident)
        else:
            name = rng.choice(_NAME_HEADS) + rng.choice(_NAME_TAILS) + rng.choice(_NAME_FORMS)
            ident = f"{_slug(name.split()[0])}-{i + 1:05d}"
            external.append(ident)
        register.organisations[ident] = Organisation(
            ident, name, ident in internal, {"account_manager": rng.choice(_PEOPLE)}
        )
    return internal, external


class _SupplierPool:
    """Long-tailed popularity: a few suppliers hold many contracts; own-it delivers ~3 %."""

    def __init__(self, rng: random.Random, suppliers: list[str]) -> None:
        order = suppliers[:]
        rng.shuffle(order)
        weights = [1.0 / (rank + 1) ** 0.8 for rank in range(len(order))]
        scale = 0.97 / sum(weights)
        self.pool = [*order, OWN_IT]
        self.cum = list(itertools.accumulate([w * scale for w in weights] + [0.03]))

    def draw(self, rng: random.Random) -> str:
        return rng.choices(self.pool, cum_weights=self.cum, k=1)[0]


def _add_functions(register: Register, rng: random.Random, size: dict[str, int]) -> list[str]:
    """The functions, some retained (most of those critical too) and some critical."""
    function_ids = [f"F-{i + 1:04d}" for i in range(size["functions"])]
    retained = set(rng.sample(function_ids, size["retained_functions"]))
    # retained functions are vital, so most of them are critical too
    critical_pool = [f for f in function_ids if f not in retained]
    n_critical_retained = min(len(retained), max(1, size["critical_functions"] // 3))
    critical = set(rng.sample(sorted(retained), n_critical_retained))
    critical |= set(
        rng.sample(
            critical_pool, min(len(critical_pool), size["critical_functions"] - len(critical))
        )
    )
    for number, fid in enumerate(function_ids):
        if fid in retained:
            base = _FUNCTIONS_RETAINED[number % len(_FUNCTIONS_RETAINED)]
        else:
            base = _FUNCTIONS_OTHER[number % len(_FUNCTIONS_OTHER)]
        register.functions[fid] = Function(
            fid,
            f"{base} {number // 25 + 1}" if size["functions"] > 25 else base,
            fid in critical,
            fid in retained,
            {"owner": rng.choice(_OWNERS)},
        )
    return function_ids


def _add_lots(
    register: Register, rng: random.Random, size: dict[str, int], external: list[str]
) -> dict[str, str]:
    """The lots; returns the collaboration style of each, by lot id (in order)."""
    styles: dict[str, str] = {}
    for number in range(size["lots"]):
        lid = f"K{number + 1:04d}"
        complexity = "high" if rng.random() < 0.4 else "low"
        dynamics = "high" if rng.random() < 0.4 else "low"
        commodity = rng.random() < (0.25 if complexity == "low" else 0.05)
        prime = OWN_IT if rng.random() < 0.85 or not external else rng.choice(external)
        area = _LOT_AREAS[number % len(_LOT_AREAS)]
        styles[lid] = _weighted(rng, LOT_STYLES) or "distrust"
        register.lots[lid] = Lot(
            lid,
            f"{area} {number // len(_LOT_AREAS) + 1}",
            prime,
            complexity,
            dynamics,
            commodity,
        )
    return styles


def _add_dependencies(register: Register, rng: random.Random, lot_ids: list[str]) -> None:
    """Each lot depends on 1-3 others (about 2), never on itself."""
    for lid in lot_ids:
        others = [other for other in lot_ids if other != lid] if len(lot_ids) < 50 else None
        k = min(rng.choice((1, 2, 2, 3)), len(lot_ids) - 1)
        targets: set[str] = set()
        while len(targets) < k:
            other = rng.choice(others) if others else rng.choice(lot_ids)
            if other != lid:
                targets.add(other)
        register.dependencies.update((lid, t) for t in sorted(targets))


def _add_contracts(
    register: Register,
    rng: random.Random,
    n_contracts: int,
    styles: dict[str, str],
    suppliers: _SupplierPool,
    function_ids: list[str],
) -> None:
    """The contracts: every lot gets one first, then lots at random; modes after the lot's style."""
    lot_ids = list(styles)
    width = max(6, len(str(n_contracts)))
    for i in range(n_contracts):
        cid = f"C-{i + 1:0{width}d}"
        lot = lot_ids[i] if i < len(lot_ids) else rng.choice(lot_ids)
        supplier = suppliers.draw(rng)
        style = styles[lot]
        mode = _weighted(rng, MODE_WEIGHTS[style])
        clauses = _clauses(rng, style, mode)
        functions = frozenset(rng.sample(function_ids, rng.choice((1, 1, 2, 2, 3))))
        start = date(2016, 1, 1) + timedelta(days=rng.randrange(3653))
        end = (
            None
            if rng.random() < 0.05
            else start + timedelta(days=365 * rng.choice((1, 2, 3, 4, 5, 7)) - 1)
        )
        value = None if rng.random() < 0.03 else round(rng.lognormvariate(11.5, 1.1), 2)
        register.contracts[cid] = Contract(
            id=cid,
            supplier=supplier,
            lot=lot,
            mode=mode,
            clauses=clauses,
            functions=functions,
            start_date=start,
            end_date=end,
            annual_value=value,
            selection_basis=_weighted(rng, SELECTION_WEIGHTS),
            extra={"contract_manager": rng.choice(_PEOPLE)},
        )


def _clauses(rng: random.Random, style: str, mode: str | None) -> frozenset[str]:
    """0-4 clause types, weighted by the declared mode; penalties and bonuses rare outside
    distrust lots."""
    n_clauses = rng.choices(range(len(CLAUSE_COUNT_WEIGHTS)), weights=CLAUSE_COUNT_WEIGHTS, k=1)[0]
    clauses: set[str] = set()
    weights_for_mode = CLAUSE_WEIGHTS[mode]
    if style != "distrust":  # penalties and bonuses are rare outside distrust lots
        weights_for_mode = tuple(
            0 if kind in FORCING else w
            for kind, w in zip(CLAUSE_TYPES, weights_for_mode, strict=True)
        )
        if n_clauses and rng.random() < STRAY_FORCING:
            clauses.add(rng.choice(sorted(FORCING)))
    while len(clauses) < n_clauses:
        clauses.add(rng.choices(CLAUSE_TYPES, weights=weights_for_mode, k=1)[0])
    return frozenset(clauses)


# -- writing ------------------------------------------------------------------------------------


def _yes(value: bool) -> str:
    return "yes" if value else "no"


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return _yes(value)
    if isinstance(value, float):
        return f"{value:.2f}"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _extra_keys(entities: Iterable[object]) -> list[str]:
    keys: set[str] = set()
    for entity in entities:
        keys.update(entity.extra)  # type: ignore[attr-defined]
    return sorted(keys)


def _write(path: Path, header: list[str], rows: Iterable[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def write_register(register: Register, folder: Path | str) -> Path:
    """Write ``register`` as the canonical English CSV files into ``folder`` (created if needed).

    Lists are joined with ``|`` (sorted), dates are ISO, numbers plain (``125000.50``), yes/no
    cells ``yes``/``no``; a lot coordinated by ``own-it`` has an empty ``prime_contractor``.
    Rows are sorted by identifier, so the output depends on the register's content only.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    _write_entities(
        folder / "contracts.csv",
        ["contract_id", "supplier", "lot", "mode", "clauses", "functions"]
        + ["start_date", "end_date", "annual_value", "selection_basis"],
        register.contracts,
        lambda c: [
            c.supplier,
            c.lot,
            _text(c.mode),
            "|".join(sorted(c.clauses)),
            "|".join(sorted(c.functions)),
            _text(c.start_date),
            _text(c.end_date),
            _text(c.annual_value),
            _text(c.selection_basis),
        ],
    )
    _write_entities(
        folder / "lots.csv",
        ["lot_id", "name", "prime_contractor", "complexity", "dynamics", "commodity"],
        register.lots,
        lambda lot: [
            _text(lot.name),
            "" if lot.prime_contractor == OWN_IT else lot.prime_contractor,
            lot.complexity,
            lot.dynamics,
            _yes(lot.commodity),
        ],
    )
    _write(
        folder / "dependencies.csv",
        ["lot", "depends_on"],
        (list(d) for d in sorted(register.dependencies)),
    )
    _write_entities(
        folder / "functions.csv",
        ["function_id", "name", "critical", "retained"],
        register.functions,
        lambda f: [_text(f.name), _yes(f.critical), _yes(f.retained)],
    )
    _write_entities(
        folder / "suppliers.csv",
        ["supplier_id", "name", "internal"],
        register.organisations,
        lambda o: [_text(o.name), _yes(register.is_internal(o.id))],
    )
    return folder


def _write_entities(
    path: Path, columns: list[str], entities: dict[str, Any], cells: Callable[[Any], list[str]]
) -> None:
    """One row per entity, sorted by id: its id, ``cells(entity)``, then its extra columns."""
    rows = [entities[k] for k in sorted(entities)]
    extra = _extra_keys(rows)
    _write(
        path,
        [*columns, *extra],
        ([e.id, *cells(e), *(e.extra.get(k, "") for k in extra)] for e in rows),
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m bench.generate", description="Write a generated register as CSV files."
    )
    parser.add_argument("contracts", type=int, help="number of contracts")
    parser.add_argument("folder", type=Path, help="output folder")
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args(argv)
    register = generate(args.contracts, args.seed)
    write_register(register, args.folder)
    counts = ", ".join(f"{v} {k}" for k, v in register.counts().items())
    print(f"wrote {args.folder}: {counts}")


if __name__ == "__main__":
    main()
