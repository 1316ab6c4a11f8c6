"""The realistic bank of :mod:`tests.support.dora_bank` written as a DORA package (the EBA's
xBRL-CSV layout), with deliberate defects when asked: one of each kind the supervisor's checks
find, at a known place."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Collection
from pathlib import Path

from tests.support.dora_bank import Bank, build_bank

Rows = dict[str, list[dict[str, str]]]

DEFECTS = {
    "end-before-start": "ARR-012 (B_02.02) ends on 2010-12-31, before it starts",
    "entity-not-in-scope": "ARR-013 (B_02.02) is used by an entity LEI that is not in B_01.02",
    "missing-overarching": "ARR-040 (B_02.01) names ARR-999 as its overarching arrangement",
    "duplicate-row": "ARR-014's first B_02.02 row is there twice",
    "rank-gap": "ARR-001's rank-2 link is gone, so its rank 3 serves a provider not at rank 2",
    "critical-without-assessment": "ARR-002 (critical F02) has no row in B_07.01",
    "bad-check-digits": "Paysphere Europe S.A.'s LEI has wrong check digits, everywhere",
    "criticality-label": "F04 (Card processing) is assessed 'Yes' instead of eba_BT:x28",
    "exit-plan-label": "ARR-003's exit plan is 'No' instead of eba_BT:x29",
    "missing-filing-indicator": "FilingIndicators.csv does not list B_05.02",
}
"""The defects :func:`write_bank_package` can make, and what each does."""

HEADERS = {
    "b_01.01": [f"c00{i}0" for i in range(1, 7)],
    "b_01.02": [f"c00{i}0" for i in range(1, 9)],
    "b_02.01": [f"c00{i}0" for i in range(1, 6)],
    "b_02.02": [f"c0{i:03d}" for i in range(10, 190, 10)],
    "b_05.01": [f"c0{i:03d}" for i in range(10, 130, 10)],
    "b_05.02": [f"c00{i}0" for i in range(1, 8)],
    "b_06.01": [f"c0{i:03d}" for i in range(10, 110, 10)],
    "b_07.01": [f"c0{i:03d}" for i in range(10, 130, 10)],
}
LEI = "eba_qCO:qx2000"


def _entity_rows(bank: Bank) -> Rows:
    head = bank.entities[0][0]
    return {
        "b_01.01": [dict(zip(HEADERS["b_01.01"], [head, bank.entities[0][1], "eba_GA:NL", "eba_CT:x12", "DNB", "2025-12-31"], strict=True))],
        "b_01.02": [
            dict(zip(HEADERS["b_01.02"], [lei, name, "eba_GA:NL", "eba_CT:x12", "eba_RP:x53", head, "2025-12-01", "2025-01-17"], strict=True))
            for lei, name in bank.entities
        ],
    }  # fmt: skip


def _provider_rows(bank: Bank) -> list[dict[str, str]]:
    rows = []
    for p in bank.providers.values():
        cells = [p.lei, LEI, "", "", p.name, "", "eba_CT:x212", f"eba_GA:{p.country}"]
        cells += [
            "eba_CU:EUR" if p.expense else "",
            p.expense,
            p.parent or "",
            LEI if p.parent else "",
        ]
        rows.append(dict(zip(HEADERS["b_05.01"], cells, strict=True)))
    return rows


def _function_rows(bank: Bank) -> list[dict[str, str]]:
    rows = []
    for ident, (name, critical) in bank.functions.items():
        cells = [ident, "eba_TA:x162", name, bank.entities[0][0]]
        cells += [
            "eba_BT:x28" if critical else "eba_BT:x29",
            "Regulatory obligation" if critical else "",
        ]
        cells += ["2025-06-30", "4" if critical else "72", "1" if critical else "24"]
        cells += ["eba_ZZ:x793" if critical else "eba_ZZ:x791"]
        rows.append(dict(zip(HEADERS["b_06.01"], cells, strict=True)))
    return rows


def _arrangement_rows(bank: Bank) -> Rows:
    rows: Rows = {"b_02.01": [], "b_02.02": [], "b_05.02": [], "b_07.01": []}
    for a in bank.arrangements.values():
        cells = [a.ref, a.kind, a.overarching, "eba_CU:EUR", str(a.expense)]
        rows["b_02.01"].append(dict(zip(HEADERS["b_02.01"], cells, strict=True)))
        for fn in a.functions:
            cells = [a.ref, a.entity, a.provider, LEI, fn, a.service, a.start, a.end, ""]
            cells += ["90", "180", "eba_GA:NL", "eba_GA:NL", "eba_BT:x28", "eba_GA:NL", "eba_GA:IE"]
            cells += ["eba_ZZ:x793" if bank.functions[fn][1] else "eba_ZZ:x792"]
            cells += ["eba_ZZ:x797" if bank.functions[fn][1] else "eba_ZZ:x795"]
            rows["b_02.02"].append(dict(zip(HEADERS["b_02.02"], cells, strict=True)))
        for rank, supplier, recipient in a.chain:
            cells = [
                a.ref,
                a.service,
                supplier,
                LEI,
                str(rank),
                recipient,
                LEI if recipient else "",
            ]
            rows["b_05.02"].append(dict(zip(HEADERS["b_05.02"], cells, strict=True)))
        if a.assessment is not None:
            first = {"c0010": a.ref, "c0020": a.provider, "c0030": LEI, "c0040": a.service}
            rows["b_07.01"].append({**first, **a.assessment})
    return rows


def _first(rows: list[dict[str, str]], ref: str) -> dict[str, str]:
    return next(r for r in rows if r["c0010"] == ref)


def _bad_check_digits(bank: Bank, rows: Rows) -> None:
    good = bank.by_name("Paysphere Europe S.A.").lei
    bad = good[:18] + f"{(int(good[18:]) + 1) % 100:02d}"
    for template_rows in rows.values():
        for row in template_rows:
            row.update({k: bad for k, v in row.items() if v == good})


def _set(template: str, ref: str, code: str, value: str) -> Callable[[Bank, Rows], None]:
    """A defect: one cell of the first row of ``ref`` in ``template`` set to ``value``."""
    return lambda _bank, rows: _first(rows[template], ref).update({code: value})


def _without(template: str, *match: tuple[str, str]) -> Callable[[Bank, Rows], None]:
    """A defect: the rows of ``template`` whose cells match (code, value) pairs removed."""

    def remove(_bank: Bank, rows: Rows) -> None:
        rows[template] = [r for r in rows[template] if any(r[c] != v for c, v in match)]

    return remove


_MAKE: dict[str, Callable[[Bank, Rows], None]] = {
    "end-before-start": _set("b_02.02", "ARR-012", "c0080", "2010-12-31"),
    "entity-not-in-scope": _set("b_02.02", "ARR-013", "c0020", "529900T8BM49AURSDO55"),
    "missing-overarching": _set("b_02.01", "ARR-040", "c0030", "ARR-999"),
    "duplicate-row": lambda _b, rows: rows["b_02.02"].append(
        dict(_first(rows["b_02.02"], "ARR-014"))
    ),
    "rank-gap": _without("b_05.02", ("c0010", "ARR-001"), ("c0050", "2")),
    "critical-without-assessment": _without("b_07.01", ("c0010", "ARR-002")),
    "bad-check-digits": _bad_check_digits,
    "criticality-label": _set("b_06.01", "F04", "c0050", "Yes"),
    "exit-plan-label": _set("b_07.01", "ARR-003", "c0080", "No"),
}


def _defects(bank: Bank, rows: Rows, defects: Collection[str]) -> list[str]:
    """Make the defects in the rows; the templates the filing indicators list."""
    unknown = set(defects) - set(DEFECTS)
    assert not unknown, f"unknown defects {unknown}; known: {sorted(DEFECTS)}"
    for defect in DEFECTS:  # in a fixed order
        if defect in defects and defect in _MAKE:
            _MAKE[defect](bank, rows)
    indicated = sorted(t.upper() for t in rows)
    if "missing-filing-indicator" in defects:
        indicated.remove("B_05.02")
    return indicated


def write_bank_package(
    target: Path, defects: Collection[str] = (), seed: int | None = None
) -> Bank:
    """Write the bank's package into the folder ``target`` (made), with the named
    :data:`DEFECTS`; what it holds (before the defects) is returned."""
    bank = build_bank() if seed is None else build_bank(seed)
    rows: Rows = {
        **_entity_rows(bank),
        "b_05.01": _provider_rows(bank),
        "b_06.01": _function_rows(bank),
    }
    rows |= _arrangement_rows(bank)
    indicated = _defects(bank, rows, defects)
    reports = target / "reports"
    reports.mkdir(parents=True)
    (target / "META-INF").mkdir()
    package = {"documentInfo": {"documentType": "https://xbrl.org/report-package/2023"}}
    (target / "META-INF" / "reportPackage.json").write_text(json.dumps(package), encoding="utf-8")
    for template, template_rows in rows.items():
        with (reports / f"{template}.csv").open("w", encoding="utf-8", newline="") as fh:
            writer = csv.DictWriter(fh, HEADERS[template], lineterminator="\n")
            writer.writeheader()
            writer.writerows(template_rows)
    lines = ["templateID,reported", *(f"{t},true" for t in indicated)]
    (reports / "FilingIndicators.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    lei = bank.entities[0][0]
    parameters = (
        f"name,value\nentityID,rs:{lei}.CON\nrefPeriod,2025-12-31\nbaseCurrency,iso4217:EUR\n"
    )
    (reports / "parameters.csv").write_text(parameters, encoding="utf-8")
    return bank
