"""Guessing what the files, columns and values of a foreign export are, for a starter mapping.

The guesses read header words (Dutch and English stems), the sampled values of a column (dates,
amounts, modes, clause types) and the layouts of known exports (the DORA Register of
Information's templates). :mod:`~sourcing_graph.loaders.mapping_starter` writes them down.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sourcing_graph.loaders.columns import FIELDS, LIST_FIELDS, VOCABULARY_FIELDS, YES_NO_FIELDS
from sourcing_graph.loaders.field_words import check_word
from sourcing_graph.loaders.values import (
    LIKELY_SEPARATORS,
    YES_NO,
    Vocabulary,
    list_separators,
    looks_like_date,
    looks_like_number,
    norm,
    split_items,
    split_list,
)

__all__ = [
    "KNOWN_EXPORTS",
    "ColumnSample",
    "Entry",
    "guess_column",
    "guess_file_kind",
    "guess_separator",
    "suggest_values",
]

_DORA = "DORA Register of Information (EBA xBRL-CSV)"
KNOWN_EXPORTS: dict[str, tuple[str | None, str, dict[str, tuple[str, str]]]] = {
    # base file name -> (kind or None, what the file is, {column: (field, what the column is)})
    "b_02.02.csv": (
        "contracts",
        f"{_DORA} template B_02.02, contractual arrangements (specific information)",
        {
            "c0010": ("contract_id", "contractual arrangement reference number"),
            "c0030": ("supplier", "identification code of the ICT third-party service provider"),
            "c0050": ("functions", "function identifier"),
            "c0070": ("start_date", "start date of the contractual arrangement"),
            "c0080": ("end_date", "end date of the contractual arrangement"),
        },
    ),
    "b_05.01.csv": (
        "suppliers",
        f"{_DORA} template B_05.01, ICT third-party service providers",
        {
            "c0010": ("supplier_id", "identification code of the ICT third-party service provider"),
            "c0050": ("name", "legal name of the provider"),
        },
    ),
    "b_06.01.csv": (
        "functions",
        f"{_DORA} template B_06.01, functions",
        {
            "c0010": ("function_id", "function identifier"),
            "c0030": ("name", "function name"),
            "c0050": ("critical", "criticality or importance assessment"),
        },
    ),
    "b_02.01.csv": (
        None,
        f"{_DORA} template B_02.01, contractual arrangements (general information); its "
        "c0050 is the annual expense: join it into the contracts file to read annual_value",
        {},
    ),
}
"""Exports whose layout is known (the EBA's DORA Register of Information templates)."""

# kind -> field -> header word stems that suggest it (checked in this order)
_HINTS: dict[str, list[tuple[str, tuple[str, ...]]]] = {
    "contracts": [
        ("start_date", ("startdatum", "ingangsdatum", "start", "begin", "ingang")),
        ("end_date", ("einddatum", "eind", "end", "einde", "expir", "afloop", "looptijd")),
        (
            "annual_value",
            (
                "jaarwaarde",
                "waarde",
                "value",
                "bedrag",
                "amount",
                "kosten",
                "cost",
                "expense",
                "prijs",
                "price",
                "budget",
            ),
        ),
        ("selection_basis", ("selectie", "selection", "gunning", "award")),
        ("mode", ("samenwerk", "mode", "vorm", "relatie")),
        (
            "clauses",
            (
                "clausule",
                "bepaling",
                "voorwaarde",
                "clause",
                "boete",
                "bonus",
                "sla",
                "penalt",
                "malus",
                "kpi",
            ),
        ),
        ("functions", ("functie", "function", "dienst", "service")),
        ("prime_contractor", ("hoofdaannemer", "regisseur", "prime", "coordinat")),
        ("lot_name", ("kavelnaam", "lotname")),
        ("supplier", ("leverancier", "supplier", "vendor", "opdrachtnemer", "provider", "partner")),
        ("lot", ("kavel", "lot", "perceel", "domein", "domain")),
        ("contract_id", ("contract", "overeenkomst", "agreement", "referentie", "reference")),
    ],
    "lots": [
        ("complexity", ("complex",)),
        ("dynamics", ("dynami",)),
        ("commodity", ("standaard", "commodity")),
        ("prime_contractor", ("hoofdaannemer", "regisseur", "prime", "coordinat")),
        ("name", ("naam", "name", "omschrijving", "description")),
        ("lot_id", ("kavel", "lot", "perceel", "id", "code")),
    ],
    "dependencies": [
        ("depends_on", ("afhankelijk", "depend", "hangt", "needs", "nodig")),
        ("lot", ("kavel", "lot", "perceel")),
    ],
    "functions": [
        (
            "critical",
            (
                "kritie",
                "kritisch",
                "critical",
                "crucial",
                "vitaal",
                "vital",
                "belangrijk",
                "important",
            ),
        ),
        ("retained", ("behoud", "retain", "zelf", "inhouse", "in house")),
        ("name", ("naam", "name", "omschrijving", "description")),
        ("function_id", ("functie", "function", "id", "code")),
    ],
    "suppliers": [
        ("internal", ("intern", "inhouse", "eigen")),
        ("name", ("naam", "name")),
        ("supplier_id", ("leverancier", "supplier", "vendor", "provider", "id", "code")),
    ],
}
# file name stems that suggest a kind
_FILE_HINTS: list[tuple[str, tuple[str, ...]]] = [
    ("dependencies", ("afhankelijk", "depend")),
    ("functions", ("functie", "function")),
    ("suppliers", ("leverancier", "supplier", "vendor", "provider")),
    ("lots", ("kavel", "lot", "perce")),
    ("contracts", ("contract", "overeenkomst", "agreement", "register")),
]
_SHORT = 3  # stems this short must be a whole word (``lot``, ``sla``, ``id``)
_DISTINCT = 10_000  # distinct values kept per column (every row of a vocabulary column is read)


@dataclass
class Entry:
    """One line of a starter mapping: a key, its value (None: a commented-out suggestion), a
    comment saying why and, for a list column, its list separator (None: the register's)."""

    key: str
    value: str | None
    comment: str = ""
    separator: str | None = None


def _words_of(header: str) -> list[str]:
    return [w for w in norm(header).replace(".", " ").replace("/", " ").split() if w]


def _hint_matches(words: list[str], stems: tuple[str, ...]) -> str | None:
    for stem in stems:
        for word in words:
            if (len(stem) <= _SHORT and word == stem) or (len(stem) > _SHORT and stem in word):
                return stem
    return None


@dataclass
class ColumnSample:
    """What a column holds: in its first rows, how many cells are filled, dates, numbers,
    amounts (counted per distinct value); and its distinct values (up to ten thousand, more
    when :meth:`add_value` adds those of the rows after the sample)."""

    header: str
    filled: int = 0
    dates: int = 0
    numbers: int = 0
    money: int = 0
    distinct: dict[str, int] = field(default_factory=dict)
    overflow: bool = False
    """More distinct values than were kept."""

    def add(self, text: str) -> None:
        """Count one filled cell of the sample."""
        self.filled += 1
        if text in self.distinct:
            self.distinct[text] += 1
            return
        if len(self.distinct) >= _DISTINCT:
            self.overflow = True
            return
        self.distinct[text] = 1
        if looks_like_date(text):
            self.dates += 1
        elif looks_like_number(text):
            self.numbers += 1
            if any(sign in text for sign in "€$£") or "," in text or "." in text:
                self.money += 1

    def add_value(self, text: str) -> None:
        """Keep the value of a cell after the sample (its counts stay those of the sample)."""
        if text in self.distinct:
            self.distinct[text] += 1
        elif len(self.distinct) < _DISTINCT:
            self.distinct[text] = 1
        else:
            self.overflow = True

    @property
    def sampled(self) -> int:
        return len(self.distinct)

    def all_dates(self) -> bool:
        return self.filled > 0 and self.dates == self.sampled

    def all_numbers(self) -> bool:
        return self.filled > 0 and self.numbers == self.sampled

    def example(self) -> str:
        return next(iter(self.distinct), "")


def guess_file_kind(base: str) -> tuple[str | None, str]:
    """The kind of file a file name of a foreign export suggests, and why; or (None, "")."""
    known = KNOWN_EXPORTS.get(base.casefold())
    if known is not None:
        return known[0], f"recognised: {known[1]}"
    stem = _words_of(base.rsplit(".", 1)[0].replace("_", " "))
    for kind, stems in _FILE_HINTS:
        hit = _hint_matches(stem, stems)
        if hit:
            return kind, f"guessed: the file name mentions {hit!r}"
    return None, ""


def guess_column(
    kind: str, sample: ColumnSample, vocab: Vocabulary, taken: set[str]
) -> tuple[str | None, str]:
    """A field for a column of a foreign export and why, or (None, "")."""
    guess = _guess_by_header(kind, sample, vocab, taken)
    if guess[0] is None and sample.filled:
        guess = _guess_by_values(kind, sample, vocab, taken)
    return guess


def _guess_by_header(
    kind: str, sample: ColumnSample, vocab: Vocabulary, taken: set[str]
) -> tuple[str | None, str]:
    """A field the header of a column names (its values permitting), or (None, "")."""
    words = _words_of(sample.header)
    values = list(sample.distinct)
    for field_name, stems in _HINTS[kind]:
        stem = _hint_matches(words, stems)
        if stem is None:
            continue
        if field_name == "clauses" and values and all(norm(v) in YES_NO for v in values):
            # a yes/no column about one clause type ("Boete (j/n)"): a flag column
            flag = _clause_flag(words, vocab)
            if flag[0] is not None:
                return flag
            continue
        if field_name in taken:
            continue
        if field_name in ("start_date", "end_date") and sample.filled and not sample.all_dates():
            continue
        if field_name == "annual_value" and sample.filled and not sample.all_numbers():
            continue
        return field_name, f"guessed: the header mentions {stem!r}"
    return None, ""


def _clause_flag(words: list[str], vocab: Vocabulary) -> tuple[str | None, str]:
    """The clause type a yes/no column's header names (``clauses:penalty``), or (None, "")."""
    joined = "".join(words)
    for alias, key in sorted(vocab.clause_words.items(), key=lambda kv: -len(kv[0])):
        if len(alias) > _SHORT and alias.replace("_", "") in joined:
            return f"clauses:{key}", f"guessed: yes/no values, the header mentions {alias!r}"
    return None, ""


def _guess_by_values(
    kind: str, sample: ColumnSample, vocab: Vocabulary, taken: set[str]
) -> tuple[str | None, str]:
    """A field the values of a (filled) column look like, or (None, "")."""
    values = list(sample.distinct)
    example = sample.example()
    free = [f for f in FIELDS[kind] if f not in taken]
    if sample.all_dates():
        for field_name in ("start_date", "end_date"):
            if field_name in free:
                return field_name, f"guessed: the values look like dates ({example!r})"
    if sample.all_numbers() and sample.money and "annual_value" in free:
        return "annual_value", f"guessed: the values look like amounts ({example!r})"
    if "mode" in free and all(vocab.is_mode(v) for v in values):
        return "mode", f"guessed: the values are modes ({example!r})"
    if "clauses" in free:
        items = [i for v in values for i in split_items(v, LIKELY_SEPARATORS)]
        if items and all(vocab.is_clause(i) for i in items):
            return "clauses", f"guessed: the values are clause types ({example!r})"
    return None, ""


def _accepts_word(field_name: str, word: str, vocab: Vocabulary) -> bool:
    ok, _ = check_word(vocab, field_name, word)
    return ok


def guess_separator(sample: ColumnSample, delimiter: str) -> tuple[str | None, str]:
    """The list separator a list column's values seem to use, when it is not the register's
    (``|``, and ``;`` where it does not delimit the file), and why; or (None, "")."""
    own = list_separators(delimiter)
    held = {mark: sum(mark in v for v in sample.distinct) for mark in LIKELY_SEPARATORS}
    if any(held[mark] for mark in own):
        return None, ""
    found = [(n, -LIKELY_SEPARATORS.index(mark), mark) for mark, n in held.items() if n]
    if not found:
        return None, ""
    n, _, mark = max(found)
    shown = "line breaks" if mark == "\n" else repr(mark)
    return mark, f"guessed separator: {n} of {len(sample.distinct)} distinct values hold {shown}"


def suggest_values(
    field_name: str, sample: ColumnSample, separators: tuple[str, ...], vocab: Vocabulary
) -> list[Entry]:
    """Value mappings for every word of a column that the register would not accept (list
    cells split on ``separators``)."""
    if field_name not in VOCABULARY_FIELDS:
        return []
    if field_name in LIST_FIELDS:
        words = list(dict.fromkeys(i for v in sample.distinct for i in split_items(v, separators)))
    else:
        words = list(sample.distinct)
    entries: list[Entry] = []
    for word in words:
        if _accepts_word(field_name, word, vocab):
            continue
        guesses = _guess_clauses(word, vocab) if field_name == "clauses" else []
        if guesses:
            keys = "|".join(dict.fromkeys(key for key, _ in guesses))
            said = ", ".join(repr(alias) for _, alias in guesses)
            entries.append(Entry(word, keys, f"guessed: it mentions {said}"))
        else:
            entries.append(Entry(word, None, f"TODO: {_expected_words(field_name, vocab)}"))
    if sample.overflow:
        entries.append(
            Entry(
                "",
                None,
                f"TODO: the column has more than {_DISTINCT:,} distinct values; only the words of"
                f" the first {_DISTINCT:,} are listed: is it really {field_name}?",
            )
        )
    return entries


def _guess_clauses(word: str, vocab: Vocabulary) -> list[tuple[str, str]]:
    """Clause types a foreign word seems to name: each part of it that is, or contains, a word."""
    found: list[tuple[str, str]] = []
    parts = word
    for sep in (";", ",", "/", "+", "&", " en ", " and "):
        parts = parts.replace(sep, "|")
    aliases = sorted(vocab.clause_words.items(), key=lambda kv: -len(kv[0]))
    for part in split_list(parts, ","):
        if vocab.is_clause(part):
            found.append((vocab.clause(part), part))
            continue
        squashed = norm(part).replace(" ", "")
        for alias, key in aliases:
            stem = alias.replace("_", "")
            if len(stem) > _SHORT and stem in squashed:
                found.append((key, alias))
                break
    return found


def _expected_words(field_name: str, vocab: Vocabulary) -> str:
    if field_name == "mode":
        modes = sorted({k for k in vocab.mode_words.values() if k})
        return f'map to one of {", ".join(modes)}, or "" (not recorded)'
    if field_name == "clauses":
        return f'map to clause types ({", ".join(sorted(set(vocab.clause_words.values())))}), several as "a|b", or ""'
    if field_name in YES_NO_FIELDS:
        return 'map to "yes" or "no"'
    if field_name in ("complexity", "dynamics"):
        return 'map to "low" or "high"'
    return 'map to "cost" or "collaboration"'
