"""Random registers and scenarios for the what-if tests, and the same changes made by hand to the
register's CSV files.

:func:`registers` draws a small register that survives a round trip through CSV (money values of
whole cents, dates, identifiers without list separators). :func:`scenarios` draws changes that
fit it, and :func:`write_scenario` writes them as a scenario file in one of its many forms
(delimiter, encoding, Dutch or English headers and words, any case). :func:`edit_csv` makes the
same changes to the register's CSV files the way a person would in a spreadsheet, without the
code under test: the central test compares ``after`` with ``analyze`` of those edited files.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from hypothesis import strategies as st

from sourcing_graph.model import OWN_IT, Change, Contract, Function, Lot, Organisation, Register

AS_OF = date(2026, 6, 1)
"""The reference date of every what-if test."""

IDS = st.text(alphabet=["a", "B", "é", "1", "-", "Ａ"], min_size=1, max_size=3).filter(
    lambda s: s != OWN_IT and not s.startswith("-")
)
MODES = [None, "distrust", "reliability", "trust"]
CLAUSES = [
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
]
MONEY = st.none() | st.integers(0, 10**9).map(lambda cents: cents / 100)
END_DATES = st.none() | st.integers(-500, 800).map(lambda d: AS_OF + timedelta(days=d))

# The words a scenario may write for a value (all of them the ontology's or the format's).
MODE_WORDS = {
    None: ["", "unknown", "onbekend", "Onbekend"],
    "distrust": ["distrust", "wantrouwen", "Wantrouwen"],
    "reliability": ["reliability", "betrouwbaarheid", "RELIABILITY"],
    "trust": ["trust", "vertrouwen", "Vertrouwen"],
}
CLAUSE_WORDS = {
    "penalty": ["penalty", "boete", "boeteclausule"],
    "bonus": ["bonus", "bonusregeling"],
    "sla": ["sla", "SLA", "service level agreement", "dienstverleningsniveau"],
    "reporting": ["reporting", "rapportage"],
    "obligation": ["obligation", "resultaatverplichting"],
    "open_book": ["open_book", "open boek", "Openheid van zaken"],
    "joint_evaluation": ["joint evaluation", "gezamenlijke evaluatie", "continue verbetering"],
    "innovation": ["innovation", "innovatie", "co-creatie"],
    "freedom_of_movement": ["freedom-of-movement", "bewegingsvrijheid"],
    "exit": ["exit", "beëindiging"],
}
BASIS_WORDS = {
    None: [""],
    "cost": ["cost", "kosten", "prijs"],
    "collaboration": ["collaboration", "samenwerking"],
}
YES_WORDS = {True: ["yes", "ja", "J", "true"], False: ["no", "nee", "N", ""]}
CHANGE_WORDS = {
    "set_mode": ["set_mode", "Set mode", "samenwerkingsvorm instellen", "vorm-instellen"],
    "add_clause": ["add_clause", "ADD CLAUSE", "clausule toevoegen"],
    "drop_clause": ["drop_clause", "clausule schrappen", "Clausule verwijderen"],
    "set_selection_basis": ["set_selection_basis", "selectiebasis instellen"],
    "set_prime_contractor": ["set_prime_contractor", "hoofdaannemer instellen"],
    "set_internal": ["set_internal", "intern instellen"],
}
TARGET_WORDS = {
    "contract": ["contract", "Contract"],
    "lot": ["lot", "kavel", "KAVEL"],
    "supplier": ["supplier", "leverancier", "Leverancier"],
}
HEADERS = [
    ("target", "change", "value"),
    ("doel", "wijziging", "waarde"),
    ("Doel", "Change", "WAARDE"),
]


@st.composite
def registers(draw: st.DrawFn) -> Register:
    """A small register whose references resolve and whose values survive CSV."""
    supplier_ids = draw(st.lists(IDS, min_size=1, max_size=5, unique=True))
    organisations = {s: Organisation(s, None, internal=draw(st.booleans())) for s in supplier_ids}
    organisations[OWN_IT] = Organisation(OWN_IT, None, True)
    orgs = sorted(organisations)
    lot_ids = draw(st.lists(IDS, min_size=1, max_size=5, unique=True))
    lots = {
        lot: Lot(
            lot,
            prime_contractor=draw(st.sampled_from(orgs)),
            complexity=draw(st.sampled_from(["low", "high"])),
            dynamics=draw(st.sampled_from(["low", "high"])),
            commodity=draw(st.booleans()),
        )
        for lot in lot_ids
    }
    function_ids = draw(st.lists(IDS, max_size=4, unique=True))
    functions = {
        f: Function(f, critical=draw(st.booleans()), retained=draw(st.booleans()))
        for f in function_ids
    }
    contracts = {}
    for cid in draw(st.lists(IDS, min_size=1, max_size=12, unique=True)):
        contracts[cid] = Contract(
            cid,
            supplier=draw(st.sampled_from(orgs)),
            lot=draw(st.sampled_from(sorted(lot_ids))),
            mode=draw(st.sampled_from(MODES)),
            clauses=frozenset(draw(st.lists(st.sampled_from(CLAUSES), max_size=4))),
            functions=frozenset(
                draw(st.lists(st.sampled_from(function_ids), max_size=2)) if function_ids else []
            ),
            end_date=draw(END_DATES),
            annual_value=draw(MONEY),
            selection_basis=draw(st.sampled_from([None, "cost", "collaboration"])),
        )
    pairs = st.tuples(st.sampled_from(sorted(lot_ids)), st.sampled_from(sorted(lot_ids)))
    dependencies = {(a, b) for a, b in draw(st.lists(pairs, max_size=6)) if a != b}
    return Register(organisations, lots, functions, contracts, dependencies)


@st.composite
def changes(draw: st.DrawFn, register: Register) -> Change:
    """One change that fits ``register``."""
    kind = draw(st.sampled_from(sorted(CHANGE_WORDS)))
    if kind == "set_prime_contractor":
        target = draw(st.sampled_from(sorted(register.lots)))
        return Change(kind, target, draw(st.sampled_from(sorted(register.organisations))))
    if kind == "set_internal":
        target = draw(st.sampled_from(sorted(register.organisations)))
        value = True if target == OWN_IT else draw(st.booleans())
        return Change(kind, target, value)
    target = draw(st.sampled_from(sorted(register.contracts)))
    if kind == "set_mode":
        return Change(kind, target, draw(st.sampled_from(MODES)))
    if kind == "set_selection_basis":
        return Change(kind, target, draw(st.sampled_from([None, "cost", "collaboration"])))
    return Change(kind, target, draw(st.sampled_from(CLAUSES)))


def scenarios(register: Register) -> st.SearchStrategy[list[Change]]:
    return st.lists(changes(register), min_size=1, max_size=10)


@dataclass(frozen=True)
class Form:
    """How a scenario file is written."""

    delimiter: str
    encoding: str
    headers: tuple[str, str, str]
    choices: tuple[int, ...]  # which word to take, cycled over the rows


FORMS = st.builds(
    Form,
    delimiter=st.sampled_from([",", ";", "\t"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]),
    headers=st.sampled_from(HEADERS),
    choices=st.lists(st.integers(0, 10), min_size=1, max_size=5).map(tuple),
)


def _pick(words: list[str], form: Form, i: int) -> str:
    return words[form.choices[i % len(form.choices)] % len(words)]


def scenario_text(changes: list[Change], form: Form) -> str:
    """The scenario as CSV text in ``form`` (a note column too)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=form.delimiter, lineterminator="\r\n")
    writer.writerow([*form.headers, "note"])
    for i, change in enumerate(changes):
        kind = {"set_prime_contractor": "lot", "set_internal": "supplier"}.get(
            change.kind, "contract"
        )
        target = f"{_pick(TARGET_WORDS[kind], form, i)}: {change.target} "
        words: list[str]
        if change.kind == "set_mode":
            words = MODE_WORDS[change.value]  # type: ignore[index]
        elif change.kind in ("add_clause", "drop_clause"):
            words = CLAUSE_WORDS[str(change.value)]
        elif change.kind == "set_selection_basis":
            words = BASIS_WORDS[change.value]  # type: ignore[index]
        elif change.kind == "set_internal":
            words = YES_WORDS[bool(change.value)]
        else:
            words = [str(change.value)]
        value = _pick(words, form, i + 1)
        writer.writerow([target, _pick(CHANGE_WORDS[change.kind], form, i), value, f"row {i}"])
    return out.getvalue()


def write_scenario(path: Path, changes: list[Change], form: Form) -> Path:
    """Write the scenario file; cp1252 falls back to UTF-8 for text it cannot hold."""
    text = scenario_text(changes, form)
    try:
        data = text.encode(form.encoding)
    except UnicodeEncodeError:
        data = text.encode("utf-8")
    path.write_bytes(data)
    return path


# -- the same changes, made by hand in the register's CSV files ----------------------------------


def _rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def _write_rows(path: Path, rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)


def _edit(path: Path, key: str, column: str, edit: object) -> None:
    """Set the cell ``column`` of the row whose first cell is ``key`` (``edit``: text, or a
    function of the old text)."""
    rows = _rows(path)
    at = rows[0].index(column)
    for row in rows[1:]:
        if row[0] == key:
            row[at] = edit(row[at]) if callable(edit) else str(edit)
    _write_rows(path, rows)


def edit_csv(folder: Path, changes: list[Change]) -> None:
    """Make ``changes`` to the canonical CSV files in ``folder`` (as ``bench.generate`` writes
    them), in order, by editing cells."""
    for change in changes:
        value = change.value
        if change.kind == "set_mode":
            _edit(folder / "contracts.csv", change.target, "mode", value or "")
        elif change.kind == "set_selection_basis":
            _edit(folder / "contracts.csv", change.target, "selection_basis", value or "")
        elif change.kind in ("add_clause", "drop_clause"):

            def clauses(old: str, change: Change = change) -> str:
                items = {c for c in old.split("|") if c}
                if change.kind == "add_clause":
                    items.add(str(change.value))
                else:
                    items.discard(str(change.value))
                return "|".join(sorted(items))

            _edit(folder / "contracts.csv", change.target, "clauses", clauses)
        elif change.kind == "set_prime_contractor":
            _edit(folder / "lots.csv", change.target, "prime_contractor", value)
        else:
            _edit(folder / "suppliers.csv", change.target, "internal", "yes" if value else "no")
