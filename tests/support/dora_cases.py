"""The DORA package's defects, one at a time: each edit of a copy of the example package and the
one problem it gives (its check, its place: template, line, column code, value; a fragment of its
message). tests/unit/test_dora_checks.py checks each; test_problems_in_dutch.py their Dutch."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tests.support.dora import add_rows, replace_in

CTR_04_ROW = (
    "eba_TA:S10,CTR-04,F01,LEI-NETLINE,2027-03-31,2023-04-01,LEI-BANK-HOLDING,eba_qCO:qx2000,"
    "eba_ZZ:x795,eba_ZZ:x791,eba_BT:x29"
)


def replace_everywhere(package: Path, old: str, new: str) -> None:
    for path in (package / "reports").glob("b_*.csv"):
        path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")


def remove_line(package: Path, name: str, line: str) -> None:
    path = package / "reports" / name
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join(x for x in lines if x != line) + "\n", encoding="utf-8")


@dataclass(frozen=True)
class Case:
    """A defect, and the one problem it gives: (template, line, column code, value)."""

    edit: Callable[[Path], None]
    check: str
    where: tuple[str | None, int, str | None, str | None]
    fragment: str


CASES = {
    "end before start": Case(
        lambda p: replace_in(
            p, "b_02.02", "CTR-04,F01,LEI-NETLINE,2027-03-31", "CTR-04,F01,LEI-NETLINE,2020-03-31"
        ),
        "date-order",
        ("B_02.02", 7, "c0080", "2020-03-31"),
        "the arrangement ends on 2020-03-31, not after it starts (2023-04-01)",
    ),
    "entity not in B_01.02 (B_02.02)": Case(
        lambda p: replace_in(
            p, "b_02.02", "2024-01-01,LEI-BANK-HOLDING", "2024-01-01,LEI-OTHER-BANK"
        ),
        "entity-in-scope",
        ("B_02.02", 8, "c0020", "LEI-OTHER-BANK"),
        "'LEI-OTHER-BANK' is not in B_01.02",
    ),
    "entity not in B_01.02 (B_06.01)": Case(
        lambda p: replace_in(
            p, "b_06.01", "HR administration,LEI-BANK-HOLDING", "HR administration,LEI-OTHER-BANK"
        ),
        "entity-in-scope",
        ("B_06.01", 5, "c0040", "LEI-OTHER-BANK"),
        "'LEI-OTHER-BANK' is not in B_01.02",
    ),
    "overarching arrangement that does not exist": Case(
        lambda p: replace_in(p, "b_02.01", "CTR-06,eba_CO:x3,CTR-01", "CTR-06,eba_CO:x3,CTR-99"),
        "overarching-arrangement",
        ("B_02.01", 7, "c0030", "CTR-99"),
        "'CTR-99' is not in B_02.01",
    ),
    "associated arrangement without an overarching one": Case(
        lambda p: replace_in(p, "b_02.01", "CTR-06,eba_CO:x3,CTR-01", "CTR-06,eba_CO:x3,"),
        "overarching-missing",
        ("B_02.01", 7, "c0030", ""),
        "names no overarching arrangement",
    ),
    "duplicate B_02.02 row": Case(
        lambda p: add_rows(p, "b_02.02", CTR_04_ROW),
        "duplicate-key",
        ("B_02.02", 13, "c0010", "CTR-04 / LEI-BANK-HOLDING / LEI-NETLINE / F01 / eba_TA:S10"),
        "is listed twice (first at line 7)",
    ),
    "rank 3 without rank 2": Case(
        lambda p: add_rows(
            p,
            "b_05.02",
            "CTR-03,eba_TA:S13,LEI-DATAVAULT,eba_qCO:qx2000,3,LEI-NETLINE,eba_qCO:qx2000",
        ),
        "rank-gap",
        ("B_05.02", 10, "c0060", "LEI-NETLINE"),
        "a rank-3 link in a chain with no rank-2 link",
    ),
    "recipient not one rank above": Case(
        lambda p: add_rows(
            p,
            "b_05.02",
            "CTR-04,eba_TA:S10,LEI-DATAVAULT,eba_qCO:qx2000,2,LEI-CORESYS,eba_qCO:qx2000",
        ),
        "rank-gap",
        ("B_05.02", 10, "c0060", "LEI-CORESYS"),
        "'CoreSys Banking Software GmbH (LEI-CORESYS)' is not at rank 1 of this supply chain",
    ),
    "wrong LEI check digits": Case(
        lambda p: replace_everywhere(p, "LEI-SECUROPS", "5493001KJTIIGC8Y1R13"),
        "lei",
        ("B_05.01", 6, "c0010", "5493001KJTIIGC8Y1R13"),
        "not a valid LEI: its check digits '13' are wrong (ISO 7064 MOD 97-10)",
    ),
    "criticality 'Yes'": Case(
        lambda p: replace_in(
            p, "b_06.01", "LEI-BANK-HOLDING,eba_BT:x28,Payment", "LEI-BANK-HOLDING,Yes,Payment"
        ),
        "criticality-code",
        ("B_06.01", 2, "c0050", "Yes"),
        "'Yes' is a label, not a code: eba_BT:x28 (Yes) is written eba_BT:x28",
    ),
    "exit plan 'No'": Case(
        lambda p: replace_in(p, "b_07.01", "2025-01-20,eba_BT:x29", "2025-01-20,No"),
        "code-list",
        ("B_07.01", 4, "c0080", "No"),
        "'No' is a label, not a code: eba_BT:x29 (No) is written eba_BT:x29",
    ),
    "not substitutable without a reason": Case(
        lambda p: replace_in(p, "b_07.01", "eba_TA:S04,eba_ZZ:x962,", "eba_TA:S04,eba_ZZ:x959,"),
        "substitutability-reason",
        ("B_07.01", 5, "c0060", ""),
        "the provider is not (easily) substitutable and no reason is given",
    ),
    "negative expense": Case(
        lambda p: replace_in(
            p,
            "b_02.01",
            "CTR-07,eba_CO:x1,,eba_CU:EUR,60000",
            "CTR-07,eba_CO:x1,,eba_CU:EUR,-60000",
        ),
        "amount-sign",
        ("B_02.01", 8, "c0050", "-60000"),
        "a negative amount",
    ),
    "template without filing indicator": Case(
        lambda p: remove_line(p, "FilingIndicators.csv", "B_05.02,true"),
        "filing-indicator",
        ("B_05.02", 1, None, None),
        "template B_05.02 is in the package but has no filing indicator",
    ),
    "filing indicator false": Case(
        lambda p: (p / "reports" / "FilingIndicators.csv").write_text(
            (p / "reports" / "FilingIndicators.csv")
            .read_text()
            .replace("B_07.01,true", "B_07.01,false")
        ),
        "filing-indicator",
        ("B_07.01", 9, None, "false"),
        "template B_07.01 is in the package but its filing indicator is not true",
    ),
    "no filing indicators": Case(
        lambda p: (p / "reports" / "FilingIndicators.csv").unlink(),
        "filing-indicator",
        (None, 1, None, None),
        "no reports/FilingIndicators.csv in the DORA package",
    ),
}
