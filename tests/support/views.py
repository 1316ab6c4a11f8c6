"""Registers for the view tests, built in code: hostile names, synthetic registers of any size,
and the number of nodes a full view of a register holds."""

from __future__ import annotations

import random

from sourcing_graph.model import OWN_IT, Contract, Function, Lot, Organisation, Register
from sourcing_graph.ontology.rules import load_rules

MODES = tuple(load_rules().mode_rank)  # the ontology's modes, by rank: distrust, reliability, trust

HOSTILE = (
    "<script>window.__pwned=1</script>",
    '<img src=x onerror="window.__pwned=1">',
    '<a href="javascript:window.__pwned=1">x</a>',
    "</script><script>window.__pwned=1</script>",
    "\"double\" 'single' `back${alert(1)}tick`",
    "line\u2028separator\u2029paragraph <!-- &amp; -->",
    "<svg onload=window.__pwned=1>",
)
"""Names that would run script if any of them reached the page as markup."""


def hostile_register() -> Register:
    """Suppliers, lots, functions (and a few ids) named like an attack; hand-made for these tests."""
    orgs = {f"evil-{i}": Organisation(f"evil-{i}", name) for i, name in enumerate(HOSTILE)}
    odd_id = '"><img src=x onerror=window.__pwned=1>'
    orgs[odd_id] = Organisation(odd_id, "Supplier with a markup id", extra={"note": HOSTILE[0]})
    lots = {
        f"L{i}": Lot(f"L{i}", name, complexity="high", extra={"owner": HOSTILE[2]})
        for i, name in enumerate(HOSTILE[:4])
    }
    lots["<b>L9</b>"] = Lot("<b>L9</b>", HOSTILE[4], prime_contractor="evil-1")
    functions = {
        f"F{i}": Function(f"F{i}", name, critical=True, retained=i == 0)
        for i, name in enumerate(HOSTILE[3:])
    }
    lot_ids = list(lots)
    contracts = {}
    suppliers = list(orgs)
    for i in range(12):
        cid = f"C{i}" if i != 5 else "<i>C5</i>"
        contracts[cid] = Contract(
            cid,
            suppliers[i % len(suppliers)],
            lot_ids[i % len(lot_ids)],
            mode=MODES[i % 3] if i % 4 else None,
            clauses=frozenset({"penalty"}) if i % 5 == 0 else frozenset({"open_book"}),
            functions=frozenset({list(functions)[i % len(functions)]}),
            annual_value=1000.0 * i,
            extra={"opmerking": HOSTILE[i % len(HOSTILE)]},
        )
    return Register(
        organisations=orgs,
        lots=lots,
        functions=functions,
        contracts=contracts,
        dependencies={("L0", "L1"), ("L1", "<b>L9</b>"), ("L2", "L0")},
        source='hostile <img src=x onerror="window.__pwned=1">',  # becomes the page title
    )


def synthetic_register(contracts: int, seed: int = 1) -> Register:
    """A random register in the proportions of a large client: a lot per 50 contracts, a supplier
    per 40, a function per 100, two dependencies per lot."""
    rnd = random.Random(seed)
    n_lots, n_suppliers, n_functions = (max(1, contracts // k) for k in (50, 40, 100))
    reg = Register(source=f"synthetic-{contracts}")
    for i in range(n_suppliers):
        reg.organisations[f"S{i:04d}"] = Organisation(
            f"S{i:04d}", f"Supplier {i} B.V.", internal=rnd.random() < 0.05
        )
    for i in range(n_lots):
        reg.lots[f"K{i:04d}"] = Lot(
            f"K{i:04d}",
            f"Lot {i}",
            prime_contractor=rnd.choice([OWN_IT, OWN_IT, OWN_IT, "S0000"]),
            complexity=rnd.choice(["low", "high"]),
            dynamics=rnd.choice(["low", "high"]),
        )
    for i in range(n_functions):
        reg.functions[f"F{i:04d}"] = Function(
            f"F{i:04d}", f"Function {i}", critical=rnd.random() < 0.3, retained=rnd.random() < 0.1
        )
    clause_types = ["penalty", "bonus", "sla", "reporting", "open_book", "innovation", "exit"]
    for i in range(contracts):
        reg.contracts[f"C{i:05d}"] = Contract(
            f"C{i:05d}",
            f"S{rnd.randrange(n_suppliers):04d}",
            f"K{rnd.randrange(n_lots):04d}",
            mode=rnd.choice([*MODES, None]),
            clauses=frozenset(c for c in clause_types if rnd.random() < 0.04),
            functions=frozenset(
                f"F{rnd.randrange(n_functions):04d}" for _ in range(rnd.randrange(3))
            ),
            annual_value=float(rnd.randrange(10_000, 2_000_000)),
        )
    for _ in range(2 * n_lots):
        a, b = rnd.randrange(n_lots), rnd.randrange(n_lots)
        if a != b:
            reg.dependencies.add((f"K{a:04d}", f"K{b:04d}"))
    return reg


def expected_nodes(reg: Register) -> int:
    """The nodes a full view of ``reg`` holds: every entity, and ``own-it`` only when it is used."""
    lots = set(reg.lots) | {c.lot for c in reg.contracts.values()}
    lots |= {x for pair in reg.dependencies for x in pair}
    functions = set(reg.functions) | {f for c in reg.contracts.values() for f in c.functions}
    orgs = set(reg.organisations) | {c.supplier for c in reg.contracts.values()}
    primes = {reg.lots[lot].prime_contractor if lot in reg.lots else OWN_IT for lot in lots}
    orgs |= primes
    if OWN_IT not in primes and all(c.supplier != OWN_IT for c in reg.contracts.values()):
        orgs.discard(OWN_IT)
    return len(orgs) + len(lots) + len(functions) + len(reg.contracts)
