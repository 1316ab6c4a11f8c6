"""Mapping files for foreign exports: rename files, columns and values to the register's names.

A mapping file is TOML (or JSON with the same structure)::

    version = 1

    [files]                                # file name in the export -> kind of file
    "Export_Contracten.csv" = "contracts"

    [contracts.columns]                    # header in the export -> field of that kind of file
    "Leveranciersnaam" = "supplier"
    "Contract nr." = "contract_id"
    "Boete (j/n)" = "clauses:penalty"      # a yes/no column: adds the item to a list when yes

    [contracts.values.clauses]             # cell value -> register word (several: "a|b")
    "Boeteregeling" = "penalty"

    [contracts.values.mode]
    "Partnerschap" = "trust"
    "n.v.t." = ""                          # empty: not recorded

Headers and vocabulary words match as in the register (any case, ``_``/``-``/space alike); values of
identifier fields match exactly (after trimming). In JSON, keys starting with ``_`` are comments.
See ``docs/mapping.md``.
"""

from __future__ import annotations

import csv
import itertools
import json
import os
import sys
from collections.abc import Callable
from collections.abc import Mapping as MappingABC
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sourcing_graph.errors import MappingError
from sourcing_graph.loaders.columns import (
    FIELDS,
    FILE_NAMES,
    HEADERS,
    KINDS,
    LIST_FIELDS,
    VOCABULARY_FIELDS,
    YES_NO_FIELDS,
)
from sourcing_graph.loaders.columns import (
    REQUIRED as REQUIRED_FIELDS,
)
from sourcing_graph.loaders.values import (
    LEVEL_EXPECTED,
    SELECTION_EXPECTED,
    YES_NO,
    YES_NO_EXPECTED,
    Vocabulary,
    default_rules,
    norm,
    split_list,
)
from sourcing_graph.text import json_text

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

if TYPE_CHECKING:
    from sourcing_graph.ontology.rules import Rules

MAPPING_VERSION = 1


@dataclass(frozen=True)
class Mapping:
    """A parsed mapping file.

    - ``files``: file name (lower case; a base name or a path inside a zip) -> kind.
    - ``columns``: kind -> normalised header -> target: a field (``"supplier"``) or a flag
      ``"clauses:penalty"`` (a yes/no column that adds ``penalty`` to the list when yes).
    - ``values``: kind -> field -> cell value (normalised for vocabulary fields, trimmed for
      others) -> replacement text.
    """

    files: dict[str, str] = field(default_factory=dict)
    columns: dict[str, dict[str, str]] = field(default_factory=dict)
    values: dict[str, dict[str, dict[str, str]]] = field(default_factory=dict)
    source: str = ""

    def kind_of_file(self, name: str) -> str | None:
        """The kind the mapping gives a file (by path inside a zip, or base name), if any."""
        lowered = name.replace("\\", "/").casefold()
        return self.files.get(lowered) or self.files.get(lowered.rsplit("/", 1)[-1])

    def column(self, kind: str, header: str) -> str | None:
        """The target the mapping gives a header of a kind of file, if any."""
        return self.columns.get(kind, {}).get(norm(header))

    def value_map(self, kind: str, field_name: str) -> dict[str, str] | None:
        """The value replacements of a field, if any."""
        return self.values.get(kind, {}).get(field_name)


def value_key(field_name: str, text: str) -> str:
    """How a cell value is matched against a mapping's value table."""
    return norm(text) if field_name in VOCABULARY_FIELDS else text.strip()


def _fail(source: str, key: str, value: object, expected: str) -> MappingError:
    return MappingError(f"{source}: {key} = {value!r}: expected {expected}")


def _table(source: str, key: str, value: object) -> MappingABC[str, Any]:
    if not isinstance(value, MappingABC):
        raise _fail(source, key, value, "a table")
    return {k: v for k, v in value.items() if not str(k).startswith("_")}


def _text(source: str, key: str, value: object) -> str:
    if not isinstance(value, str):
        raise _fail(source, key, value, "a text value in quotes")
    return value


def _kinds_text() -> str:
    return ", ".join(KINDS)


def _field_of(kind: str, name: str) -> str | None:
    """A field named by its canonical name or an alias."""
    return HEADERS[kind].get(norm(name))


def _check_word(
    vocab: Vocabulary | None, field_name: str, word: str
) -> tuple[bool, str]:  # (ok, expected)
    if field_name in YES_NO_FIELDS:
        return norm(word) in YES_NO, YES_NO_EXPECTED
    if vocab is None:
        return True, ""
    if field_name in ("complexity", "dynamics"):
        return _accepts(vocab.level, word), LEVEL_EXPECTED
    if field_name == "selection_basis":
        return _accepts(vocab.selection_basis, word), SELECTION_EXPECTED
    if field_name == "mode":
        return vocab.is_mode(word), vocab.mode_expected
    if field_name == "clauses":
        return vocab.is_clause(word), vocab.clause_expected
    return True, ""


def _accepts(parse: Callable[[str], object], word: str) -> bool:
    try:
        parse(word)
    except ValueError:
        return False
    return True


def parse_mapping(
    data: MappingABC[str, Any], source: str = "<mapping>", rules: Rules | None = None
) -> Mapping:
    """Check and read a mapping given as nested dicts (the parsed TOML or JSON)."""
    vocab = Vocabulary(rules if rules is not None else default_rules())
    data = _table(source, "(top level)", data)
    files: dict[str, str] = {}
    columns: dict[str, dict[str, str]] = {}
    values: dict[str, dict[str, dict[str, str]]] = {}
    for top, body in data.items():
        if top == "version":
            if body != MAPPING_VERSION:
                raise _fail(source, "version", body, f"{MAPPING_VERSION}")
        elif top == "files":
            for name, kind in _table(source, "files", body).items():
                kind_text = _text(source, f"files.{name!r}", kind).strip().casefold()
                kind_text = FILE_NAMES.get(kind_text, kind_text)  # "contracts.csv" works too
                if kind_text not in KINDS:
                    raise _fail(source, f"files.{name!r}", kind, f"a kind of file: {_kinds_text()}")
                files[name.replace("\\", "/").strip().casefold()] = kind_text
        elif top in KINDS:
            kind = top
            for section, table in _table(source, kind, body).items():
                if section == "columns":
                    columns[kind] = _columns(source, kind, table, vocab)
                elif section == "values":
                    values[kind] = _values(source, kind, table, vocab)
                else:
                    raise _fail(source, f"{kind}.{section}", table, "a 'columns' or 'values' table")
        else:
            raise _fail(source, top, body, f"version, files, or a kind of file ({_kinds_text()})")
    return Mapping(files, columns, values, source)


def _columns(source: str, kind: str, table: object, vocab: Vocabulary) -> dict[str, str]:
    out: dict[str, str] = {}
    fields = ", ".join(FIELDS[kind])
    for header, target in _table(source, f"{kind}.columns", table).items():
        key = f"{kind}.columns.{header!r}"
        text = _text(source, key, target).strip()
        name, flag, item = text.partition(":")
        field_name = _field_of(kind, name)
        if field_name is None:
            raise _fail(source, key, target, f"a field of {kind}: {fields}")
        if flag:
            item = item.strip()
            if field_name not in LIST_FIELDS or not item:
                raise _fail(
                    source, key, target, "a list field and an item, such as 'clauses:penalty'"
                )
            if field_name == "clauses":
                if not vocab.is_clause(item):
                    raise _fail(source, key, target, vocab.clause_expected)
                item = vocab.clause(item)
            field_name = f"{field_name}:{item}"
        if not norm(header):
            raise _fail(source, key, target, "a non-empty column name")
        out[norm(header)] = field_name
    return out


def _values(source: str, kind: str, table: object, vocab: Vocabulary) -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for name, replacements in _table(source, f"{kind}.values", table).items():
        field_name = _field_of(kind, name)
        if field_name is None:
            raise _fail(
                source,
                f"{kind}.values.{name}",
                replacements,
                f"a field of {kind}: {', '.join(FIELDS[kind])}",
            )
        out_field = out.setdefault(field_name, {})
        for value, target in _table(source, f"{kind}.values.{name}", replacements).items():
            key = f"{kind}.values.{name}.{value!r}"
            text = _text(source, key, target).strip()
            words = split_list(text, ",") if field_name in LIST_FIELDS else [text]
            if not text and field_name != "mode" and field_name not in LIST_FIELDS:
                raise _fail(source, key, target, "a non-empty value")
            for word in words:
                ok, expected = _check_word(vocab, field_name, word)
                if not ok:
                    raise _fail(source, key, target, expected)
            out_field[value_key(field_name, value)] = text
    return out


def load_mapping(path: str | os.PathLike[str], rules: Rules | None = None) -> Mapping:
    """Read a mapping file: TOML (``.toml``) or JSON (``.json``); other names are tried as both.

    Raises :class:`~sourcing_graph.errors.MappingError` naming the file, the key, the value read
    and what was expected.
    """
    p = Path(path)
    source = str(path)
    try:
        raw = p.read_bytes()
    except OSError as exc:
        raise MappingError(f"{source}: cannot read the mapping file ({exc.strerror})") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise MappingError(f"{source}: the mapping file is not UTF-8 text") from None
    suffix = p.suffix.casefold()
    data: object
    if suffix == ".json" or (suffix != ".toml" and text.lstrip().startswith("{")):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise MappingError(
                f"{source}:{exc.lineno}:{exc.colno}: not valid JSON ({exc.msg})"
            ) from None
        except RecursionError:
            raise MappingError(f"{source}: not a mapping file (nested too deeply)") from None
    else:
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise MappingError(f"{source}: not valid TOML ({exc})") from None
        except RecursionError:
            raise MappingError(f"{source}: not a mapping file (nested too deeply)") from None
    if not isinstance(data, MappingABC):
        raise _fail(source, "(top level)", data, "a table (a JSON object)")
    return parse_mapping(data, source, rules)


# ------------------------------------------------------------------------------ starter mapping

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
_SAMPLE_ROWS = 2000
_DISTINCT = 200
_SUGGEST = 5  # value suggestions per column


def _words_of(header: str) -> list[str]:
    return [w for w in norm(header).replace(".", " ").replace("/", " ").split() if w]


def _hint_matches(words: list[str], stems: tuple[str, ...]) -> str | None:
    for stem in stems:
        for word in words:
            if (len(stem) <= _SHORT and word == stem) or (len(stem) > _SHORT and stem in word):
                return stem
    return None


@dataclass
class _ColumnSample:
    header: str
    filled: int = 0
    dates: int = 0
    numbers: int = 0
    money: int = 0
    distinct: dict[str, int] = field(default_factory=dict)

    def add(self, text: str) -> None:
        from sourcing_graph.loaders.values import looks_like_date, looks_like_number

        self.filled += 1
        if text in self.distinct:
            self.distinct[text] += 1
            return
        if len(self.distinct) < _DISTINCT:
            self.distinct[text] = 1
        if looks_like_date(text):
            self.dates += 1
        elif looks_like_number(text):
            self.numbers += 1
            if any(sign in text for sign in "€$£") or "," in text or "." in text:
                self.money += 1

    @property
    def sampled(self) -> int:
        return len(self.distinct)

    def all_dates(self) -> bool:
        return self.filled > 0 and self.dates == self.sampled

    def all_numbers(self) -> bool:
        return self.filled > 0 and self.numbers == self.sampled

    def example(self) -> str:
        return next(iter(self.distinct), "")


@dataclass
class _Entry:
    key: str
    value: str | None  # None: a commented-out suggestion
    comment: str = ""


@dataclass
class _FileScan:
    name: str
    display: str
    kind: str | None
    how: str
    delimiter: str = ","
    columns: list[_ColumnSample] = field(default_factory=list)
    error: str = ""


def _scan(path: str) -> tuple[list[_FileScan], str]:
    from contextlib import ExitStack

    from sourcing_graph.loaders.csv_reader import _READ_ERRORS, _LineTooLong, locate_files
    from sourcing_graph.loaders.limits import Limits

    scans: list[_FileScan] = []
    with ExitStack() as stack:
        try:
            sources, what = locate_files(path, stack)
        except FileNotFoundError:
            raise MappingError(f"{path}: no such file or folder") from None
        except Exception as exc:  # a bad zip, an unreadable folder
            raise MappingError(f"{path}: cannot open the export ({exc})") from None
        for src in sources:
            base = src.name.rsplit("/", 1)[-1]
            known = KNOWN_EXPORTS.get(base.casefold())
            if src.kind is not None:
                how = (
                    "recognised: a register file name"
                    if what != "file"
                    else "a single file is the contracts file"
                )
                kind: str | None = src.kind
            elif known is not None:
                kind, how = known[0], f"recognised: {known[1]}"
            else:
                stem = _words_of(base.rsplit(".", 1)[0].replace("_", " "))
                kind, how = None, ""
                for k, stems in _FILE_HINTS:
                    hit = _hint_matches(stem, stems)
                    if hit:
                        kind, how = k, f"guessed: the file name mentions {hit!r}"
                        break
            scan = _FileScan(base if what != "file" else src.name, src.display, kind, how)
            scans.append(scan)
            try:
                _scan_file(src, scan, stack)
            except _READ_ERRORS as exc:  # a damaged zip member, ...
                scan.error = f"cannot read the file ({getattr(exc, 'strerror', None) or exc})"
            except _LineTooLong:
                scan.error = f"a line longer than {Limits().max_line_chars:,} characters"
    return scans, what


def _scan_file(src: Any, scan: _FileScan, stack: Any) -> None:
    """Sample the header and the first rows of one file of a foreign export into ``scan``."""
    from sourcing_graph.loaders.csv_reader import detect_encoding, open_csv
    from sourcing_graph.loaders.limits import Limits

    encoding, reason = detect_encoding(src)
    if encoding is None:
        scan.error = reason
        return
    rows, scan.delimiter = open_csv(src, stack, encoding, Limits().max_line_chars)
    try:
        header = next((r for r in rows if any(c.strip() for c in r)), None)
        if header is None:
            scan.error = "the file has no header"
            return
        scan.columns = [_ColumnSample(h.strip()) for h in header]
        for row in itertools.islice(rows, _SAMPLE_ROWS):
            for sample, text in zip(scan.columns, row, strict=False):
                text = text.strip()
                if text:
                    sample.add(text)
    except csv.Error as exc:
        scan.error = f"cannot read it as CSV ({exc})"


def _guess_column(
    kind: str, sample: _ColumnSample, vocab: Vocabulary, taken: set[str]
) -> tuple[str | None, str]:
    """A field for a column of a foreign export and why, or (None, "")."""
    words = _words_of(sample.header)
    values = list(sample.distinct)
    for field_name, stems in _HINTS[kind]:
        stem = _hint_matches(words, stems)
        if stem is None:
            continue
        if field_name == "clauses" and values and all(norm(v) in YES_NO for v in values):
            # a yes/no column about one clause type ("Boete (j/n)"): a flag column
            joined = "".join(words)
            for alias, key in sorted(vocab.clause_words.items(), key=lambda kv: -len(kv[0])):
                if len(alias) > _SHORT and alias.replace("_", "") in joined:
                    return (
                        f"clauses:{key}",
                        f"guessed: yes/no values, the header mentions {alias!r}",
                    )
            continue
        if field_name in taken:
            continue
        if field_name in ("start_date", "end_date") and sample.filled and not sample.all_dates():
            continue
        if field_name == "annual_value" and sample.filled and not sample.all_numbers():
            continue
        return field_name, f"guessed: the header mentions {stem!r}"
    if not sample.filled:
        return None, ""
    example = sample.example()
    if sample.all_dates():
        for field_name in ("start_date", "end_date"):
            if field_name in FIELDS[kind] and field_name not in taken:
                return field_name, f"guessed: the values look like dates ({example!r})"
    if (
        sample.all_numbers()
        and sample.money
        and "annual_value" in FIELDS[kind]
        and "annual_value" not in taken
    ):
        return "annual_value", f"guessed: the values look like amounts ({example!r})"
    if "mode" in FIELDS[kind] and "mode" not in taken and all(vocab.is_mode(v) for v in values):
        return "mode", f"guessed: the values are modes ({example!r})"
    if "clauses" in FIELDS[kind] and "clauses" not in taken:
        items = [i for v in values for i in split_list(v, ",")]
        if items and all(vocab.is_clause(i) for i in items):
            return "clauses", f"guessed: the values are clause types ({example!r})"
    return None, ""


def _accepts_word(field_name: str, word: str, vocab: Vocabulary) -> bool:
    ok, _ = _check_word(vocab, field_name, word)
    return ok


def _suggest_values(
    field_name: str, sample: _ColumnSample, delimiter: str, vocab: Vocabulary
) -> list[_Entry]:
    """Value mappings for the words of a column that the register would not accept."""
    if field_name not in VOCABULARY_FIELDS:
        return []
    if field_name in LIST_FIELDS:
        words = list(dict.fromkeys(i for v in sample.distinct for i in split_list(v, delimiter)))
    else:
        words = list(sample.distinct)
    unknown = [w for w in words if not _accepts_word(field_name, w, vocab)]
    entries: list[_Entry] = []
    for word in unknown[:_SUGGEST]:
        guesses = _guess_clauses(word, vocab) if field_name == "clauses" else []
        if guesses:
            keys = "|".join(dict.fromkeys(key for key, _ in guesses))
            said = ", ".join(repr(alias) for _, alias in guesses)
            entries.append(_Entry(word, keys, f"guessed: it mentions {said}"))
        else:
            entries.append(_Entry(word, None, f"TODO: {_expected_words(field_name, vocab)}"))
    if len(unknown) > _SUGGEST:
        entries.append(_Entry("", None, f"... and {len(unknown) - _SUGGEST} more unknown values"))
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


def starter_mapping(
    path: str | os.PathLike[str], *, format: str = "toml", rules: Rules | None = None
) -> str:
    """A starter mapping for a foreign export (a folder, a ``.zip`` or one CSV file), as text.

    Recognised columns are mapped with a comment on how; columns it can guess are mapped with a
    ``# guessed`` comment; unknown columns are left as ``# TODO`` comments, as are the mode,
    clause and yes/no words the register would not accept (a few per column). ``format`` is
    ``"toml"`` or ``"json"``. Raises :class:`~sourcing_graph.errors.MappingError` when the export
    cannot be opened.
    """
    if format not in ("toml", "json"):
        raise MappingError(f"format = {format!r}: expected toml or json")
    vocab = Vocabulary(rules if rules is not None else default_rules())
    source = os.fspath(path)
    scans, what = _scan(source)
    header_notes = [
        f"Starter mapping for {source}, written by sourcing-graph.",
        'Check every line marked "guessed" and every TODO; then read the export with this mapping.',
    ]
    file_entries: list[_Entry] = []
    sections: list[tuple[str, list[_Entry]]] = []
    kinds_seen: dict[str, str] = {}
    for scan in scans:
        if scan.kind is not None and scan.kind in kinds_seen:
            file_entries.append(
                _Entry(
                    scan.name,
                    None,
                    f"TODO: a second {scan.kind} file ({kinds_seen[scan.kind]} is the first): keep one",
                )
            )
            continue
        if scan.kind is None:
            note = (
                "TODO: unknown file: give its kind ("
                + ", ".join(KINDS)
                + ") or leave it out (ignored)"
            )
            known = KNOWN_EXPORTS.get(scan.name.casefold())
            if known:
                note = f"{known[1]}; not a register file: ignored"
            cols = ", ".join(c.header for c in scan.columns[:12]) + (
                " ..." if len(scan.columns) > 12 else ""
            )
            file_entries.append(
                _Entry(scan.name, None, note + (f"; columns: {cols}" if cols else ""))
            )
            continue
        kinds_seen[scan.kind] = scan.name
        if what == "file":
            file_entries.append(_Entry("", None, f"{scan.name}: {scan.how}; no entry needed"))
        else:
            recognised_name = FILE_NAMES.get(scan.name.casefold()) == scan.kind
            file_entries.append(
                _Entry(
                    scan.name,
                    None if recognised_name else scan.kind,
                    scan.how + ("; no entry needed" if recognised_name else ""),
                )
            )
        if scan.error:
            sections.append(
                (f"{scan.kind}.columns", [_Entry("", None, f"TODO: {scan.name}: {scan.error}")])
            )
            continue
        entries, value_sections = _map_columns(scan, vocab)
        sections.append((f"{scan.kind}.columns", entries))
        sections.extend(value_sections)
    if "contracts" not in kinds_seen:
        file_entries.append(
            _Entry(
                "",
                None,
                "TODO: no contracts file found: name the file that holds one row per contract",
            )
        )
    if format == "json":
        return _render_json(header_notes, file_entries, sections)
    return _render_toml(header_notes, file_entries, sections)


def _map_columns(
    scan: _FileScan, vocab: Vocabulary
) -> tuple[list[_Entry], list[tuple[str, list[_Entry]]]]:
    kind = scan.kind
    assert kind is not None
    known = KNOWN_EXPORTS.get(scan.name.casefold())
    known_columns = known[2] if known and known[0] == kind else {}
    entries: list[_Entry] = []
    taken: dict[str, str] = {}
    decided: dict[int, tuple[str | None, str]] = {}
    field_name: str | None
    # first what is certain (known names, a known export), then guesses, column by column
    for i, sample in enumerate(scan.columns):
        key = norm(sample.header)
        if not key:
            continue
        if key in HEADERS[kind] and HEADERS[kind][key] not in taken:
            field_name = HEADERS[kind][key]
            how = (
                "the canonical name" if key == norm(field_name) else f"a known name of {field_name}"
            )
            decided[i] = (field_name, f"recognised: {how}")
        elif sample.header.casefold() in known_columns:
            field_name, what = known_columns[sample.header.casefold()]
            decided[i] = (
                field_name,
                f"recognised: {what} ({known[1].split(',')[0] if known else ''})",
            )
        else:
            continue
        taken[field_name] = sample.header
    for i, sample in enumerate(scan.columns):
        if i in decided or not norm(sample.header):
            continue
        field_name, why = _guess_column(kind, sample, vocab, set(taken))
        decided[i] = (field_name, why)
        if field_name and ":" not in field_name:
            taken[field_name] = sample.header
    value_sections: list[tuple[str, list[_Entry]]] = []
    for i, sample in enumerate(scan.columns):
        if i not in decided:
            continue
        field_name, why = decided[i]
        if field_name is None:
            example = f" (e.g. {sample.example()!r})" if sample.filled else " (empty in the sample)"
            entries.append(
                _Entry(
                    sample.header,
                    None,
                    f"TODO: unknown — map to a field or leave as extra{example}",
                )
            )
            continue
        entries.append(_Entry(sample.header, field_name, why))
        if ":" in field_name:
            continue
        suggestions = _suggest_values(field_name, sample, scan.delimiter, vocab)
        if suggestions:
            value_sections.append((f"{kind}.values.{field_name}", suggestions))
    for required in REQUIRED_FIELDS[kind]:
        if required not in taken:
            entries.append(
                _Entry("", None, f"TODO: no column found for the required field {required}")
            )
    return entries, value_sections


def _toml_key(text: str) -> str:
    return json_text(text)  # a JSON string is a TOML basic string


def _render_toml(
    notes: list[str], files: list[_Entry], sections: list[tuple[str, list[_Entry]]]
) -> str:
    out = [f"# {n}" for n in notes]
    out += ["", f"version = {MAPPING_VERSION}", ""]

    def emit(entries: list[_Entry]) -> None:
        for e in entries:
            if not e.key:
                out.append(f"# {e.comment}")
            elif e.value is None:
                out.append(f'# {_toml_key(e.key)} = ""  # {e.comment}')
            else:
                out.append(
                    f"{_toml_key(e.key)} = {_toml_key(e.value)}"
                    + (f"  # {e.comment}" if e.comment else "")
                )

    out.append("[files]")
    emit(files)
    for name, entries in sections:
        out += ["", f"[{name}]"]
        emit(entries)
    return "\n".join(out) + "\n"


def _render_json(
    notes: list[str], files: list[_Entry], sections: list[tuple[str, list[_Entry]]]
) -> str:
    doc: dict[str, Any] = {"_comment": notes, "version": MAPPING_VERSION}

    def table(entries: list[_Entry]) -> dict[str, Any]:
        body: dict[str, Any] = {}
        todo: dict[str, str] = {}
        explain: dict[str, str] = {}
        for e in entries:
            if e.value is not None:
                body[e.key] = e.value
                if e.comment:
                    explain[e.key] = e.comment
            else:
                todo[e.key or f"({len(todo) + 1})"] = e.comment
        if explain:
            body["_notes"] = explain
        if todo:
            body["_todo"] = todo
        return body

    doc["files"] = table(files)
    for name, entries in sections:
        node = doc
        parts = name.split(".")
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = table(entries)
    return json_text(doc, indent=2) + "\n"
