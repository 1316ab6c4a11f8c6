"""Foreign exports for the mapping tests, written as another tool would write them.

:func:`waterland_export` is the example register of Gemeente Waterland as a contract-management
tool exports it: its own file names and headers, and lists separated by ``", "`` (issue 15: a
functions cell ``F-ARCH, F-SEC``). :func:`contracts_export` makes a larger made-up export (a few
hundred to a few thousand rows, accents, empty optional cells) with the clause words and amounts
a test asks for. Both are made from data in this repository, so nothing is downloaded.
"""

from __future__ import annotations

import csv
import random
from collections.abc import Iterable, Sequence
from pathlib import Path

from tests.support import EXAMPLES

WATERLAND = EXAMPLES / "gemeente-waterland"

# the export's file -> (the example's file, the export's headers in the example's column order)
_WATERLAND_FILES = {
    "Contractenoverzicht.csv": (
        "contracten.csv",
        [
            "Contract nr.",
            "Leverancierscode",
            "Domein",
            "Relatievorm",
            "Contractvoorwaarden",
            "Functies",
            "Begindatum",
            "Vervaldatum",
            "Contractwaarde p/j",
            "Gunning",
            "Contractmanager",
            "Opmerking",
        ],
    ),
    "Functielijst.csv": (
        "functies.csv",
        ["Functiecode", "Omschrijving", "Kritisch (j/n)", "In eigen beheer", "Proceseigenaar"],
    ),
    "Domeinen.csv": (
        "kavels.csv",
        [
            "Domeincode",
            "Domeinnaam",
            "Regisseur",
            "Complexiteit",
            "Dynamiek",
            "Standaarddienst",
            "Domeineigenaar",
        ],
    ),
    "Domeinrelaties.csv": ("afhankelijkheden.csv", ["Domeincode", "Steunt op", "Toelichting"]),
    "Partijen.csv": ("leveranciers.csv", ["Partijcode", "Partijnaam", "Intern", "Plaats"]),
}
_LIST_COLUMNS = {"Contractvoorwaarden", "Functies", "Steunt op"}

WATERLAND_MAPPING = """\
# The Waterland export of tests/support/foreign.py: its files, columns and separators.
version = 1
{default}

[files]
"Contractenoverzicht.csv" = "contracts"
"Functielijst.csv" = "functions"
"Domeinen.csv" = "lots"
"Domeinrelaties.csv" = "dependencies"
"Partijen.csv" = "suppliers"

[contracts.columns]
"Contract nr." = "contract_id"
"Leverancierscode" = "supplier"
"Domein" = "lot"
"Relatievorm" = "mode"
"Contractvoorwaarden" = {clauses}
"Functies" = {functions}
"Begindatum" = "start_date"
"Vervaldatum" = "end_date"
"Contractwaarde p/j" = "annual_value"
"Gunning" = "selection_basis"

[functions.columns]
"Functiecode" = "function_id"
"Omschrijving" = "name"
"Kritisch (j/n)" = "critical"
"In eigen beheer" = "retained"

[lots.columns]
"Domeincode" = "lot_id"
"Domeinnaam" = "name"
"Regisseur" = "prime_contractor"
"Standaarddienst" = "commodity"

[dependencies.columns]
"Domeincode" = "lot"
"Steunt op" = {depends_on}

[suppliers.columns]
"Partijcode" = "supplier_id"
"Partijnaam" = "name"
"""


def waterland_mapping(separators: str = "column", without: Sequence[str] = ()) -> str:
    """The Waterland export's mapping: the list separator ``,`` given per column (``"column"``;
    not for the list fields in ``without``) or once for the file (``"file"``)."""

    def target(field: str) -> str:
        if separators == "column" and field not in without:
            return f'{{field = "{field}", separator = ","}}'
        return f'"{field}"'

    default = 'list_separator = ","' if separators == "file" else ""
    return WATERLAND_MAPPING.format(
        default=default,
        clauses=target("clauses"),
        functions=target("functions"),
        depends_on=target("depends_on"),
    )


def _read(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.reader(f, delimiter=";"))


def write_csv(path: Path, rows: Iterable[Sequence[str]], delimiter: str = ";") -> Path:
    """Write rows as CSV (UTF-8, quoted only where needed)."""
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return path


def waterland_export(folder: Path, *, files: Sequence[str] | None = None) -> Path:
    """Write the Waterland export into ``folder`` (only ``files`` of it, when given)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, (example, headers) in _WATERLAND_FILES.items():
        if files is not None and name not in files:
            continue
        header, *rows = _read(WATERLAND / example)
        assert len(header) == len(headers), example
        lists = [i for i, h in enumerate(headers) if h in _LIST_COLUMNS]
        out = [headers]
        for row in rows:
            row = list(row)
            for i in lists:
                row[i] = ", ".join(item.strip() for item in row[i].split("|") if item.strip())
            out.append(row)
        write_csv(folder / name, out)
    return folder


SUPPLIERS = [
    "Bèta Hosting",
    "Öztürk ICT",
    "Société Générale Services",
    "Zeeuwse Zaakgerichte Diensten",
    "Acme Solutions",
    "own-it",
]
MODES = ["trust", "vertrouwen", "betrouwbaarheid", "distrust", "", ""]
KNOWN_CLAUSES = ["SLA", "boeteclausule", "rapportage", "open boek", "exit"]
UNKNOWN_CLAUSES = [
    "Geheimhouding",
    "Aansprakelijkheid",
    "Verwerkersovereenkomst (AVG)",
    "Escrow",
    "Prijsindexatie",
    "Overname personeel",
    "Exclusiviteit",
    "Concurrentiebeding",
    "Intellectueel eigendom",
    "Garantie",
    "Overmacht",
    "Auditrecht",
    "Continuïteitsplan",
    "Bèta-testfase",
    "Façadebeheer",
    "Coöperatieve afstemming",
    "Kwaliteitsborging",
]
"""Seventeen clause words no register reads (issue 15: the starter listed five of them)."""


def contracts_export(
    path: Path,
    *,
    rows: int = 300,
    dutch: bool = True,
    grouped: bool = True,
    late_words_after: int = 0,
    amounts: dict[int, str] | None = None,
    drop: Sequence[str] = (),
    seed: int = 15,
) -> Path:
    """A made-up contracts export of ``rows`` rows: Dutch (``;``, Dutch headers and amounts) or
    English (``,``). Its clause cells (column ``Voorwaarden`` or ``Terms``) hold known words and
    :data:`UNKNOWN_CLAUSES`, separated by ``", "``; the last three unknown words only after row
    ``late_words_after``, when given. Amounts are written with thousands marks and cents
    (``€ 12.050,00``, ``12,050.00``) when ``grouped``, else as plain whole numbers; ``amounts``
    puts a given text in a given row (0-based). The columns in ``drop`` are left out."""
    rnd = random.Random(seed)
    header = (
        ["contractnummer", "leverancier", "kavel", "samenwerkingsvorm", "Voorwaarden"]
        + ["ingangsdatum", "jaarwaarde", "omschrijving"]
        if dutch
        else ["contract_id", "supplier", "lot", "mode", "Terms", "start_date", "annual_value"]
        + ["description"]
    )
    early = UNKNOWN_CLAUSES[:-3] if late_words_after else UNKNOWN_CLAUSES
    out: list[list[str]] = [header]
    for n in range(rows):
        words = early if n < late_words_after else UNKNOWN_CLAUSES
        clauses = rnd.sample(KNOWN_CLAUSES, rnd.randint(0, 2)) + [words[n % len(words)]]
        euros = rnd.randint(1, 900) * 1000 + rnd.choice([0, 50])
        amount = _amount(euros, dutch) if grouped else str(euros)
        if n % 7 == 3:
            amount = ""  # an empty optional cell
        if amounts and n in amounts:
            amount = amounts[n]
        day = f"{1 + n % 28:02d}-{1 + n % 12:02d}-{2019 + n % 6}"
        out.append(
            [
                f"C-{n + 1:04d}",
                rnd.choice(SUPPLIERS),
                f"K{1 + n % 9:02d}",
                rnd.choice(MODES),
                ", ".join(clauses),
                day if dutch else "-".join(reversed(day.split("-"))),
                amount,
                rnd.choice(["Beheer werkplekken", "Hosting", "", "Licenties café-systeem"]),
            ]
        )
    keep = [i for i, h in enumerate(header) if h not in drop]
    return write_csv(path, ([row[i] for i in keep] for row in out), ";" if dutch else ",")


def _amount(euros: int, dutch: bool) -> str:
    english = f"{euros:,}.00"
    if not dutch:
        return english
    return "€ " + english.replace(",", "#").replace(".", ",").replace("#", ".")
