"""Random registers for the tests that compare (hypothesis strategies): small registers whose
references all resolve, with identifiers that collide and sort differently by UTF-16 and by code
point, money in whole cents, end dates around the reference date, DORA assessments; the filters an
analysis takes; and a strict JSON form to compare results by.

Used by the parity test (both engines, ``tests/integration/test_parity.py``) and the what-if test
(``tests/unit/test_whatif.py``).
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

from hypothesis import strategies as st

from sourcing_graph.model import (
    OWN_IT,
    Contract,
    Function,
    Lot,
    Organisation,
    Register,
    Subcontracting,
)
from sourcing_graph.ontology.rules import load_rules

# Identifiers from a small alphabet, so that they collide often: mixed case, a Latin-1 letter,
# a full-width letter (U+FF21) and an emoji outside the BMP (UTF-16 and code-point order differ).
IDENTIFIER = st.text(
    alphabet=["a", "A", "b", "B", "é", "Ａ", "😀", "-", "1"], min_size=1, max_size=3
)
MODES = [None, "distrust", "reliability", "trust"]
CLAUSES = sorted(load_rules().clause_signals)
MONEY = st.integers(-(10**11), 10**11).map(lambda cents: cents / 100)
"""Amounts of whole cents, as registers write money (R15 sums them exactly)."""
VALUES = (
    st.none()
    | st.floats(-1e9, 1e9, allow_nan=False, allow_infinity=False)
    | st.integers(0, 10**6)
    | MONEY
    | st.sampled_from([0.1, 0.2, 0.3, 0.7])  # whose float sums are not their decimal sums
)
AS_OF = date(2026, 6, 1)
"""The reference date of every parity run (R14), and of its loads."""
WINDOW = load_rules().window_days
END_DATES = (
    st.none()
    | st.sampled_from(
        [AS_OF + timedelta(days=d) for d in (-400, -1, 0, 1, WINDOW - 1, WINDOW, WINDOW + 1)]
    )
    | st.integers(-800, 800).map(lambda d: AS_OF + timedelta(days=d))
)
"""End dates around the reference date, its window's edges included."""
ENABLING = ["freedom_of_movement", "joint_evaluation", "open_book", "sla"]


ASSESSMENTS = st.fixed_dictionaries(
    {},
    optional={  # DORA B_07.01 (D5): codes that count, codes that do not, several joined, a label
        "substitutability_code": st.sampled_from(
            ["eba_ZZ:x959", "eba_ZZ:x960", "eba_ZZ:x962 | eba_ZZ:x959"]
        ),
        "exit_plan_code": st.sampled_from(["eba_BT:x28", "eba_BT:x29", "No"]),
        "alternative_providers_code": st.sampled_from(["eba_BT:x29", "eba_BT:x28 | eba_BT:x29"]),
    },
)


@st.composite
def registers(draw: st.DrawFn) -> Register:
    """A small random register whose references all resolve (as the loader guarantees)."""
    supplier_ids = draw(st.lists(IDENTIFIER.filter(lambda s: s != OWN_IT), max_size=6, unique=True))
    organisations = {
        s: Organisation(
            s,
            draw(st.none() | IDENTIFIER),
            internal=draw(st.booleans()),
            parent=draw(st.none() | IDENTIFIER),  # DORA: the ultimate parent, often another id
        )
        for s in supplier_ids
    }
    organisations[OWN_IT] = Organisation(OWN_IT, None, True)
    orgs = sorted(organisations)
    lot_ids = draw(st.lists(IDENTIFIER, max_size=8, unique=True))
    lots = {
        lot: Lot(
            lot,
            prime_contractor=draw(st.sampled_from(orgs)),
            # None: not recorded (an empty cell), which both engines read as low / no
            complexity=draw(st.sampled_from([None, "low", "high"])),
            dynamics=draw(st.sampled_from([None, "low", "high"])),
            commodity=draw(st.none() | st.booleans()),
        )
        for lot in lot_ids
    }
    function_ids = draw(st.lists(IDENTIFIER, max_size=6, unique=True))
    functions = {
        f: Function(f, critical=draw(st.booleans()), retained=draw(st.booleans()))
        for f in function_ids
    }
    contracts: dict[str, Contract] = {}
    if lot_ids:
        for cid in draw(st.lists(IDENTIFIER, max_size=25, unique=True)):
            contracts[cid] = Contract(
                cid,
                supplier=draw(st.sampled_from(orgs)),
                lot=draw(st.sampled_from(sorted(lot_ids))),
                mode=draw(st.sampled_from(MODES)),
                clauses=draw(clause_sets()),
                functions=frozenset(
                    draw(st.lists(st.sampled_from(function_ids), max_size=3))
                    if function_ids
                    else []
                ),
                annual_value=draw(VALUES),
                extra=draw(ASSESSMENTS),
                selection_basis=draw(st.sampled_from([None, "cost", "collaboration"])),
                end_date=draw(END_DATES),
            )
    dependencies: set[tuple[str, str]] = set()
    if len(lot_ids) >= 2:
        pairs = st.tuples(st.sampled_from(sorted(lot_ids)), st.sampled_from(sorted(lot_ids)))
        dependencies = {(a, b) for a, b in draw(st.lists(pairs, max_size=12)) if a != b}
    subcontracting: set[Subcontracting] = set()
    if contracts:
        links = st.builds(
            Subcontracting,
            contract=st.sampled_from(sorted(contracts)),
            supplier=st.sampled_from(orgs),
            rank=st.integers(1, 5),
            recipient=st.none() | st.sampled_from(orgs),
            service_type=st.none() | st.sampled_from(["eba_TA:S01", "eba_TA:S02"]),
        )
        subcontracting = set(draw(st.lists(links, max_size=10)))
    return Register(organisations, lots, functions, contracts, dependencies, subcontracting)


@st.composite
def clause_sets(draw: st.DrawFn) -> frozenset[str]:
    """A contract's clause types: random ones, or (trust and reliability contracts with and
    without what enables them) every enabling type, or all of them but one."""
    kind = draw(st.sampled_from(["random", "enabling", "all but one"]))
    if kind == "random":
        return frozenset(draw(st.lists(st.sampled_from(CLAUSES), max_size=4)))
    clauses = set(ENABLING) | set(draw(st.lists(st.sampled_from(CLAUSES), max_size=2)))
    if kind == "all but one":
        clauses.discard(draw(st.sampled_from(ENABLING)))
    return frozenset(clauses)


@st.composite
def filters(draw: st.DrawFn, register: Register) -> dict[str, Any]:
    """Filter values: existing identifiers mostly, sometimes absent ones."""
    names = sorted(register.organisations) + ["nobody"]
    return {
        "prime_contractor": draw(st.none() | st.sampled_from(names)),
        "min_severity": draw(st.sampled_from([None, "low", "medium", "high"])),
        "supplier": draw(st.none() | st.sampled_from(names)),
    }


def as_json(value: object) -> str:
    """Strict comparison: key order, int versus float versus Decimal and list order all count."""
    return json.dumps(value, ensure_ascii=False, indent=1, default=lambda d: f"Decimal({d!s})")
