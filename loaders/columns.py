"""The register's file and column names: English and Dutch names, aliases, required columns.

These names are the *format's* vocabulary (how an export is laid out), not domain knowledge; the
words that fill the cells (modes, clause types) come from the ontology.
"""

from __future__ import annotations

from dataclasses import dataclass

from sourcing_graph.errors import Text
from sourcing_graph.loaders.values import norm

KINDS = ("contracts", "lots", "dependencies", "functions", "suppliers")
"""The kinds of file a register holds, in the order the reader reads them."""

FILE_NAMES: dict[str, str] = {
    "contracts.csv": "contracts",
    "contracten.csv": "contracts",
    "lots.csv": "lots",
    "kavels.csv": "lots",
    "dependencies.csv": "dependencies",
    "afhankelijkheden.csv": "dependencies",
    "functions.csv": "functions",
    "functies.csv": "functions",
    "suppliers.csv": "suppliers",
    "leveranciers.csv": "suppliers",
}
"""File name (lower case) -> kind."""


DUTCH_FILE_NAMES = frozenset(
    {"contracten.csv", "kavels.csv", "afhankelijkheden.csv", "functies.csv", "leveranciers.csv"}
)
DUTCH_CONTRACT_HEADERS = frozenset(
    {"contractnummer", "leverancier", "opdrachtnemer", "kavel", "perceel", "samenwerkingsvorm"}
)
ENGLISH_CONTRACT_HEADERS = frozenset({"contract id", "supplier", "lot", "mode"})


def written_language(file_name: str, header: list[str]) -> str | None:
    """The language a contracts file is written in: ``"nl"`` for a Dutch file name or Dutch
    headers, ``"en"`` for English ones, None when neither says.

    >>> written_language("contracten.csv", []), written_language("x.csv", ["Contract_ID", "lot"])
    ('nl', 'en')
    """
    base = file_name.replace("\\", "/").rsplit("/", 1)[-1].casefold()
    headers = {norm(cell) for cell in header}
    if base in DUTCH_FILE_NAMES or headers & DUTCH_CONTRACT_HEADERS:
        return "nl"
    if base in FILE_NAMES or headers & ENGLISH_CONTRACT_HEADERS:
        return "en"
    return None


def file_names_of(kind: str) -> list[str]:
    """The accepted file names of a kind, English first."""
    return [name for name, k in FILE_NAMES.items() if k == kind]


@dataclass(frozen=True, slots=True)
class Column:
    """One field of a file kind: its canonical (English) name, its aliases, whether it is required."""

    field: str
    aliases: tuple[str, ...] = ()
    required: bool = False

    @property
    def names(self) -> tuple[str, ...]:
        return (self.field, *self.aliases)


# The lot columns a wide contracts file may carry, with the aliases of the lots file.
_WIDE_LOT = (
    Column("lot_name", ("kavelnaam",)),
    Column("prime_contractor", ("hoofdaannemer", "regisseur")),
    Column("complexity", ("complexiteit",)),
    Column("dynamics", ("dynamiek",)),
    Column("commodity", ("standaard",)),
    Column("depends_on", ("afhankelijk van", "hangt af van")),
)

COLUMNS: dict[str, tuple[Column, ...]] = {
    "contracts": (
        Column("contract_id", ("contract", "contractnummer", "contract nr"), True),
        Column("supplier", ("leverancier", "opdrachtnemer"), True),
        Column("lot", ("kavel", "perceel"), True),
        Column("mode", ("samenwerkingsvorm", "samenwerking")),
        Column("clauses", ("clausules", "bepalingen")),
        Column("functions", ("functies",)),
        Column("start_date", ("startdatum", "ingangsdatum")),
        Column("end_date", ("einddatum",)),
        Column("annual_value", ("jaarwaarde", "waarde")),
        Column("selection_basis", ("selectie", "selectiebasis")),
        *_WIDE_LOT,
    ),
    "lots": (
        Column("lot_id", ("kavel", "lot"), True),
        Column("name", ("naam",)),
        Column("prime_contractor", ("hoofdaannemer", "regisseur")),
        Column("complexity", ("complexiteit",)),
        Column("dynamics", ("dynamiek",)),
        Column("commodity", ("standaard",)),
    ),
    "dependencies": (
        Column("lot", ("kavel",), True),
        Column("depends_on", ("afhankelijk van", "hangt af van"), True),
    ),
    "functions": (
        Column("function_id", ("functie", "function"), True),
        Column("name", ("naam",)),
        Column("critical", ("kritiek", "kritisch")),
        Column("retained", ("behouden", "zelf doen")),
    ),
    "suppliers": (
        Column("supplier_id", ("leverancier", "supplier"), True),
        Column("name", ("naam",)),
        Column("internal", ("intern",)),
    ),
    # the contracts file of an overlay on a DORA package (loaders/dora/overlay.py): it names
    # contracts that exist and adds what DORA does not record
    "overlay": (
        Column("contract_id", ("contract", "contractnummer", "contract nr", "reference"), True),
        Column("mode", ("samenwerkingsvorm", "samenwerking")),
        Column("clauses", ("clausules", "bepalingen")),
        Column("lot", ("kavel", "perceel")),
        Column("selection_basis", ("selectie", "selectiebasis")),
    ),
}
"""Kind -> its columns."""

HEADERS: dict[str, dict[str, str]] = {
    kind: {norm(name): col.field for col in cols for name in col.names}
    for kind, cols in COLUMNS.items()
}
"""Kind -> normalised header -> field."""

FIELDS: dict[str, dict[str, Column]] = {
    kind: {col.field: col for col in cols} for kind, cols in COLUMNS.items()
}
"""Kind -> field -> column."""

REQUIRED: dict[str, tuple[str, ...]] = {
    kind: tuple(col.field for col in cols if col.required) for kind, cols in COLUMNS.items()
}
"""Kind -> its required fields."""

LIST_FIELDS = frozenset({"clauses", "functions", "depends_on"})
"""Fields whose cells hold lists."""

NUMBER_FIELDS = frozenset({"annual_value"})
"""Fields whose cells hold numbers."""

YES_NO_FIELDS = frozenset({"commodity", "critical", "retained", "internal"})
LEVEL_FIELDS = frozenset({"complexity", "dynamics"})
VOCABULARY_FIELDS = frozenset({"mode", "clauses", "selection_basis"} | YES_NO_FIELDS | LEVEL_FIELDS)
"""Fields whose cells hold words of a vocabulary (matched case-insensitively, like headers)."""


_FIELD_WORDS = {
    "annual_value": Text("annual_value"),
    "clauses": Text("clauses"),
    "commodity": Text("commodity"),
    "complexity": Text("complexity"),
    "contract_id": Text("contract_id"),
    "critical": Text("critical"),
    "depends_on": Text("depends_on"),
    "dynamics": Text("dynamics"),
    "end_date": Text("end_date"),
    "function_id": Text("function_id"),
    "functions": Text("functions"),
    "internal": Text("internal"),
    "lot": Text("lot"),
    "lot_id": Text("lot_id"),
    "lot_name": Text("lot_name"),
    "mode": Text("mode"),
    "name": Text("name"),
    "prime_contractor": Text("prime_contractor"),
    "retained": Text("retained"),
    "selection_basis": Text("selection_basis"),
    "start_date": Text("start_date"),
    "supplier": Text("supplier"),
    "supplier_id": Text("supplier_id"),
    "target": Text("target"),
    "change": Text("change"),
    "value": Text("value"),
}
"""The fields (and a scenario's columns) as a problem names them: the field's name, which an
application may say in its language (Dutch: the column's usual Dutch header)."""


def field_word(name: str) -> str:
    """How a problem names the field ``name`` (see :data:`_FIELD_WORDS`; another name as it is).

    >>> field_word("contract_id"), field_word("c0010")
    ('contract_id', 'c0010')
    """
    return _FIELD_WORDS.get(name, name)


def describe(kind: str, field: str) -> str:
    """``contract_id (or contract, contractnummer, contract nr)`` for messages."""
    col = FIELDS[kind][field]
    if not col.aliases:
        return col.field
    return Text("{field} (or {aliases})", field=col.field, aliases=", ".join(col.aliases))
