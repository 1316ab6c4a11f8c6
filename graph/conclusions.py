"""The conclusions of an analysis result: findings with their sentences, and what each entity gets.

One definition, three carriers: the Neo4j store writes these as ``:Finding`` nodes and properties
in the load transaction, the embedded engine as networkx node attributes, the RDF export as
``sg:Finding`` resources. Nothing here knows an engine; the input is plain data:

- the analysis result (the dict of ``--format json``, unfiltered);
- the modes rows: R1 (``effective_modes``) and R2 with R7's recommendation (``lot_modes``);
- a names lookup ``{label: {id: name}}`` (labels ``Lot``, ``Contract``, ``Organisation``,
  ``Function``; a name may be None). It also says which entities exist: a finding is ABOUT an
  entity only when its id is there (a DORA parent need not be an organisation of the register);
- the :class:`~sourcing_graph.ontology.data.Wording` of the rule data (labels, templates).

Which rows become findings is the data table :data:`FINDING_RULES`. A finding's key is
``rule|id|id...`` with each id percent-encoded (:func:`finding_key`), so it is the same for every
load of the same register and unique whatever the ids hold (``|``, ``/``, accents, emoji).

>>> from sourcing_graph.ontology.rules import load_rules
>>> row = {"lot": "K7", "mode": "distrust", "recommended": "trust"}
>>> found = findings({"mode_fit": [row]}, {"Lot": {"K7": "Netwerk"}}, load_rules().wording)
>>> found[0].key, found[0].text_en
('R7|K7', 'Lot K7 Netwerk runs on distrust, but given its complexity, dynamics and commodity it calls for at least trust.')
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple
from urllib.parse import quote

from sourcing_graph.graph.sentences import MONEY_FIELDS, Sentences
from sourcing_graph.model import cents, instance_uri
from sourcing_graph.ontology.data import Wording

__all__ = [
    "BASIS_OF_REASON",
    "FINDING_RULES",
    "LANGUAGES",
    "MAX_KEY_LENGTH",
    "ORGANISATION_PROPERTIES",
    "Conclusions",
    "Finding",
    "FindingRow",
    "FindingWriter",
    "FindingRule",
    "Names",
    "conclude",
    "entity_conclusions",
    "finding_key",
    "finding_properties",
    "finding_rows",
    "findings",
    "named",
    "names_needed",
    "row_json",
    "sentence",
    "used_names",
]

Names = Mapping[str, Mapping[str, str | None]]
"""``{label: {id: name or None}}``: the entities that exist, and their names."""

LANGUAGES = ("nl", "en")
"""The languages every finding is written in (``text_nl``, ``text_en``)."""


@dataclass(frozen=True)
class FindingRule:
    """Which rows of the result become findings, and how.

    ``key_fields`` make the finding's key; ``about`` maps a row field to the role and label of
    the entities it names (a list field names one entity per element); ``severity_field`` is the
    field holding the finding's severity, when the rule has one. Every finding also keeps its
    row whole (:attr:`Finding.order`, :meth:`Finding.properties`), for a store that reads the
    analysis back from them (:func:`row_json`).
    """

    rule: str
    result_key: str
    key_fields: tuple[str, ...]
    about: tuple[tuple[str, str, str], ...]
    severity_field: str | None = None


_LOT = ("lot", "lot", "Lot")
_SUPPLIER = ("supplier", "supplier", "Organisation")
_FUNCTION = ("function", "function", "Function")
_CONTRACT = ("contract", "contract", "Contract")
_CONTRACTS = ("contracts", "contract", "Contract")

FINDING_RULES: tuple[FindingRule, ...] = (
    FindingRule(
        "R3",
        "mode_mismatches",
        ("lot", "depends_on"),
        (_LOT, ("depends_on", "depends_on", "Lot")),
        "severity",
    ),
    FindingRule(
        "R4", "critical_without_trust", ("supplier", "function"), (_SUPPLIER, _FUNCTION, _CONTRACTS)
    ),
    FindingRule("R6", "clause_conflicts", ("contract",), (_CONTRACT, _LOT, _SUPPLIER)),
    FindingRule("R7", "mode_fit", ("lot",), (_LOT,)),
    FindingRule(
        "R8", "retained_functions", ("function", "supplier"), (_FUNCTION, _SUPPLIER, _CONTRACTS)
    ),
    FindingRule(
        "D1",
        "parent_concentration",
        ("parent",),
        (
            ("parent", "parent", "Organisation"),
            ("suppliers", "supplier", "Organisation"),
            ("critical_functions", "function", "Function"),
            _CONTRACTS,
        ),
    ),
    FindingRule(
        "D2",
        "supply_chains",
        ("function",),
        (_FUNCTION, ("providers", "provider", "Organisation"), _CONTRACTS),
    ),
    FindingRule(
        "D3",
        "indirect_concentration",
        ("level", "organisation"),
        (
            ("organisation", "organisation", "Organisation"),
            ("members", "provider", "Organisation"),
            ("critical_functions", "function", "Function"),
        ),
    ),
    FindingRule(
        "D4",
        "shared_subcontractors",
        ("subcontractor",),
        (
            ("subcontractor", "subcontractor", "Organisation"),
            ("direct_providers", "provider", "Organisation"),
            ("critical_functions", "function", "Function"),
            _CONTRACTS,
        ),
    ),
    FindingRule("D5", "exit_risks", ("function", "contract"), (_FUNCTION, _CONTRACT, _SUPPLIER)),
    *(
        FindingRule(rule, key, ("contract",), (_CONTRACT, _LOT, _SUPPLIER))
        for rule, key in (
            ("R10", "cost_selection"),
            ("R11", "unbounded_trust"),
            ("R12", "reliability_without_evaluation"),
            ("R13", "contract_review"),
            ("R14", "renegotiation_windows"),
        )
    ),
)
"""The rules whose rows are findings (D1-D4 are observations rather than faults); a later rule
that yields rows adds a line here. R14's rows depend on the reference date of the analysis; R15
(one object, not rows) is no finding (the Neo4j store keeps it on its meta node)."""

_MONEY = MONEY_FIELDS
_ROW_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False)
"""The encoder of :func:`row_json` (one encoder: ``json.dumps`` with options makes a new one per
call)."""
_C_ENCODER = getattr(json.encoder, "c_make_encoder", None)
_ROW_JSON_C = (
    _C_ENCODER(
        None, _ROW_JSON.default, json.encoder.encode_basestring, None, ":", ",", False, False, False
    )
    if _C_ENCODER is not None
    else None
)
"""The C encoder ``_ROW_JSON.encode`` makes anew on every call (most of the cost of a short row),
made once: the same text."""


def _encode_row(value: Any) -> str:
    if _ROW_JSON_C is None:  # pragma: no cover - CPython has it
        return _ROW_JSON.encode(value)
    return "".join(_ROW_JSON_C(value, 0))


def row_json(row: Mapping[str, Any]) -> str:
    """A row of the result as the compact JSON text a store keeps it whole in (``rowJson``): its
    fields in the row's order; an amount (``annual_value``) as the float Neo4j gives it
    (``cents / 100.0``, its shortest spelling the amount itself below 10^13), so that decoding it
    and reading the amount back (``exact_amounts``) gives the row exactly.

    >>> from decimal import Decimal
    >>> row_json({"supplier": "s", "contracts": ["C1"], "annual_value": Decimal("12.30")})
    '{"supplier":"s","contracts":["C1"],"annual_value":12.3}'
    """
    if _MONEY.isdisjoint(row):
        return _encode_row(row)
    return _encode_row(
        {k: float(v) if k in _MONEY and v is not None else v for k, v in row.items()}
    )


ORGANISATION_PROPERTIES: dict[str, tuple[str, str]] = {
    "coordinationLots": ("coordination_load", "lots"),
    "coordinationSuppliers": ("coordination_load", "suppliers"),
    "coordinationInterfaces": ("coordination_load", "interfaces"),
    "coordinationDistrustLots": ("coordination_load", "distrust_lots"),
    "coordinationMismatches": ("coordination_load", "mismatches"),
    "coordinationPenaltyBonusClauses": ("coordination_load", "penalty_bonus_clauses"),
    "coordinationScore": ("coordination_load", "score"),
    "concentrationCriticalFunctions": ("concentration", "critical_functions"),
    "concentrationLots": ("concentration", "lots"),
    "concentrationContracts": ("concentration", "contracts"),
    "concentrationAnnualValueCents": ("concentration", "annual_value"),
}
"""R5 (on each prime contractor) and R9 (on each external supplier with a contract) as properties
of an organisation: property -> (result key, row field); a list field is stored as its length, an
amount as whole cents (exact, as the contracts' ``annualValueCents``)."""

BASIS_OF_REASON: dict[str, str] = {
    "clause": "forced_by_clause",
    "declared": "declared",
    "internal_supplier": "internal_supplier",
    "not_recorded": "not_recorded",
}
"""R1's ``reason`` column (the ``effective_modes`` helper) -> the stored ``modeBasis``."""


@dataclass(frozen=True)
class Finding:
    """One row of a finding rule, with its key, its sentences and the entities it is about."""

    rule: str
    key: str
    fields: dict[str, Any]
    severity: str | None
    text_nl: str
    text_en: str
    about: tuple[tuple[str, str, str], ...]
    """``(role, label, id)`` for every entity the row names."""
    order: int | None = None
    """The row's place among its rule's rows in the analysis' documented order, from 0 (None: the
    finding keeps no row whole)."""

    @property
    def uri(self) -> str:
        """``sgr:finding/<percent-encoded key>``."""
        return instance_uri("finding", self.key)

    def properties(self) -> dict[str, Any]:
        """The properties of its ``:Finding`` node: rule, key, uri, severity, texts, fields, and
        (with an :attr:`order`) ``rowOrder`` and ``rowJson``, the row whole as JSON text
        (:func:`row_json`: its fields in the row's order), which decodes to the row exactly.

        >>> row = {"contract": "C1", "lot": "K1", "supplier": "s", "blocking": ["penalty"]}
        >>> found = Finding("R13", "R13|C1", row, None, "nl", "en", (), order=4)
        >>> props = found.properties()
        >>> props["rowOrder"], props["rowJson"]
        (4, '{"contract":"C1","lot":"K1","supplier":"s","blocking":["penalty"]}')
        """
        return finding_properties(
            self.rule,
            self.key,
            (self.text_nl, self.text_en),
            self.fields,
            self.severity,
            self.order,
        )

    def as_data(self) -> dict[str, Any]:
        """The finding as plain data (for writers that may not import this module)."""
        return {
            "rule": self.rule,
            "key": self.key,
            "uri": self.uri,
            "fields": dict(self.fields),
            "severity": self.severity,
            "text_nl": self.text_nl,
            "text_en": self.text_en,
            "about": [list(a) for a in self.about],
        }


def finding_properties(
    rule: str,
    key: str,
    texts: tuple[str, str],
    fields: Mapping[str, Any],
    severity: str | None,
    order: int | None,
) -> dict[str, Any]:
    """:meth:`Finding.properties` of a finding with these attributes (``texts``: Dutch, English),
    for a writer that makes none (:meth:`FindingWriter.texts`)."""
    props: dict[str, Any] = {
        "rule": rule,
        "key": key,
        "uri": instance_uri("finding", key),
        "textNl": texts[0],
        "textEn": texts[1],
    }
    props.update(fields if _MONEY.isdisjoint(fields) else stored_fields(fields))
    if severity is not None:
        props["severity"] = severity
    if order is not None:
        props["rowOrder"] = order
        props["rowJson"] = row_json(fields)
    return {k: v for k, v in props.items() if v is not None} if None in props.values() else props


@dataclass(frozen=True)
class Conclusions:
    """All conclusions of one register: findings, and properties per contract, lot, organisation."""

    findings: tuple[Finding, ...]
    contracts: dict[str, dict[str, str]] = field(default_factory=dict)
    """contract id -> ``{effectiveMode, modeBasis}`` (R1)."""
    lots: dict[str, dict[str, str]] = field(default_factory=dict)
    """lot id -> ``{mode, recommendedMode}`` (R2, R7)."""
    organisations: dict[str, dict[str, Any]] = field(default_factory=dict)
    """organisation id -> the R5 and R9 properties it has (:data:`ORGANISATION_PROPERTIES`)."""

    def finding_keys(self) -> dict[tuple[str, str], list[str]]:
        """``(label, id)`` -> the keys of the findings about that entity, in finding order."""
        keys: dict[tuple[str, str], list[str]] = {}
        for found in self.findings:
            for _, label, ident in found.about:
                entry = keys.setdefault((label, ident), [])
                if found.key not in entry:
                    entry.append(found.key)
        return keys

    def as_data(self) -> dict[str, Any]:
        """Everything as plain dicts and lists (what the RDF writer takes)."""
        return {
            "findings": [f.as_data() for f in self.findings],
            "contracts": {k: dict(v) for k, v in self.contracts.items()},
            "lots": {k: dict(v) for k, v in self.lots.items()},
            "organisations": {k: dict(v) for k, v in self.organisations.items()},
        }


MAX_KEY_LENGTH = 4000
"""The longest key written out; a longer one (ids of up to 2000 characters, each percent-encoded
into up to 12 bytes) becomes ``rule|#`` and a hash, so that Neo4j can index it (at most 8164
bytes)."""


def stored_fields(fields: Mapping[str, Any]) -> dict[str, Any]:
    """A finding's fields as Neo4j stores them: an amount (``annual_value``) as exact whole cents
    (``annual_value_cents``), since Neo4j has no decimal type."""
    stored = dict(fields)
    for name in _MONEY & stored.keys():
        stored[f"{name}_cents"] = cents(stored.pop(name))
    return stored


@functools.lru_cache(maxsize=1 << 17)
def _quoted(ident: str) -> str:
    """``ident`` percent-encoded (every character but ``A-Z a-z 0-9 - . _ ~``), remembered: the
    same ids stand in many findings' keys."""
    return quote(ident, safe="")


def finding_key(rule: str, row: Mapping[str, Any], key_fields: Iterable[str]) -> str:
    """``R3|K01|K02``: the rule and the row's key fields, each percent-encoded (``|`` too).

    A key longer than :data:`MAX_KEY_LENGTH` is ``R3|#`` and the SHA-256 of that text instead
    (``#`` never stands in an encoded id, so the two forms cannot meet).
    """
    return _bounded(rule, "|".join([rule, *[_quoted(str(row[f])) for f in key_fields]]))


def _bounded(rule: str, key: str) -> str:
    if len(key) <= MAX_KEY_LENGTH:
        return key
    return f"{rule}|#{hashlib.sha256(key.encode('ascii')).hexdigest()}"


def _about(
    spec: FindingRule, row: Mapping[str, Any], names: Names
) -> tuple[tuple[str, str, str], ...]:
    return _about_maker(spec, names)(row)


def _about_maker(
    spec: FindingRule, names: Names
) -> Callable[[Mapping[str, Any]], tuple[tuple[str, str, str], ...]]:
    """The function giving a row of ``spec`` the entities it is about (those in ``names``), each
    once: each field's role, label and the label's ids looked up once for all the rule's rows; a
    row without a list value, of a rule whose roles differ, cannot name one twice."""
    fields = [
        (fieldname, role, label, names.get(label, _NO_NAMES))
        for fieldname, role, label in spec.about
    ]
    repeats = len({role for _, role, _ in spec.about}) < len(spec.about)

    def about(row: Mapping[str, Any]) -> tuple[tuple[str, str, str], ...]:
        found: list[tuple[str, str, str]] = []
        listed = repeats
        for fieldname, role, label, known in fields:
            value = row.get(fieldname)
            if value.__class__ is str:  # most: one id
                if value in known:
                    found.append((role, label, value))
            elif isinstance(value, list):
                listed = True
                found.extend([(role, label, str(i)) for i in value if i is not None and i in known])
            elif value is not None and value in known:
                found.append((role, label, str(value)))
        return tuple(dict.fromkeys(found)) if listed and len(found) > 1 else tuple(found)

    return about


def _key_maker(spec: FindingRule) -> Callable[[Mapping[str, Any]], str]:
    """:func:`finding_key` of a row of ``spec``: for one or two key fields (every rule's), one
    f-string."""
    rule, key_fields = spec.rule, spec.key_fields
    if len(key_fields) == 1:
        (first,) = key_fields

        def one(row: Mapping[str, Any]) -> str:
            return _bounded(rule, f"{rule}|{_quoted(str(row[first]))}")

        return one
    if len(key_fields) == 2:
        first, second = key_fields

        def two(row: Mapping[str, Any]) -> str:
            return _bounded(rule, f"{rule}|{_quoted(str(row[first]))}|{_quoted(str(row[second]))}")

        return two
    return lambda row: finding_key(rule, row, key_fields)


_NO_NAMES: Mapping[str, str | None] = {}


class FindingRow(NamedTuple):
    """A row that becomes a finding, before its sentences are written: its rule, place among the
    rule's rows, fields, key and the entities it is about (those that exist). A store that keeps
    the findings it wrote compares these (:meth:`named` too) and writes sentences only for the
    findings that changed (:meth:`finding`). A named tuple: a load makes one per finding (233,728
    at 100,000 contracts), three times faster than a frozen dataclass."""

    spec: FindingRule
    order: int
    row: Mapping[str, Any]
    key: str
    about: tuple[tuple[str, str, str], ...]

    def finding(self, names: Names, wording: Wording) -> Finding:
        """The finding, with its sentences in every language of :data:`LANGUAGES` (a
        :class:`FindingWriter` writes many)."""
        return FindingWriter(names, wording)(self)


def named(row: Mapping[str, Any], names: Names) -> list[list[Any]]:
    """``[label, id, name]`` of every entity a field of ``row`` names (None: it does not exist):
    the names the row's sentences may use (:func:`sentence`), in field order."""
    found: list[list[Any]] = []
    for fieldname, value in row.items():
        label = _LABEL_OF_FIELD.get(fieldname)
        if label is None:
            continue
        known = names.get(label, _NO_NAMES)
        if isinstance(value, list):
            found.extend([[label, ident, known.get(ident)] for ident in value])
        else:
            found.append([label, value, known.get(value)])
    return found


def used_names(names: Names) -> Callable[[Mapping[str, Any]], list[str | None]]:
    """The function giving the names a row's sentences may use: the name of every entity a field
    of the row names (None: it has none, or does not exist), in field order (:func:`named`
    without the labels and ids, which the row's fields give); each label's names looked up once."""
    known_of = {
        fieldname: names.get(label, _NO_NAMES) for fieldname, label in _LABEL_OF_FIELD.items()
    }

    def used(row: Mapping[str, Any]) -> list[str | None]:
        found: list[str | None] = []
        for fieldname, value in row.items():
            known = known_of.get(fieldname)
            if known is None:
                continue
            if isinstance(value, list):
                found.extend(map(known.get, value))
            else:
                found.append(known.get(value))
        return found

    return used


def finding_rows(result: Mapping[str, Any], names: Names) -> list[FindingRow]:
    """The rows of an analysis result that become findings, rule by rule
    (:data:`FINDING_RULES`), in row order."""
    found: list[FindingRow] = []
    for spec in FINDING_RULES:
        rows = result.get(spec.result_key)
        if not rows:
            continue
        key, about = _key_maker(spec), _about_maker(spec, names)
        found.extend([FindingRow(spec, i, row, key(row), about(row)) for i, row in enumerate(rows)])
    return found


def findings(result: Mapping[str, Any], names: Names, wording: Wording) -> list[Finding]:
    """The findings of an analysis result, rule by rule (:data:`FINDING_RULES`), in row order."""
    write = FindingWriter(names, wording)
    return [write(found) for found in finding_rows(result, names)]


def entity_conclusions(
    result: Mapping[str, Any],
    effective_modes: Iterable[Mapping[str, Any]],
    lot_modes: Iterable[Mapping[str, Any]],
) -> tuple[dict[str, dict[str, str]], dict[str, dict[str, str]], dict[str, dict[str, Any]]]:
    """``(contracts, lots, organisations)``: R1 per contract, R2 and R7 per lot, R5 and R9 per
    organisation (see :class:`Conclusions`)."""
    contracts = {
        row["contract"]: {
            "effectiveMode": row["effective_mode"],
            "modeBasis": BASIS_OF_REASON.get(row["reason"], row["reason"]),
        }
        for row in effective_modes
    }
    lots = {
        row["lot"]: {"mode": row["mode"], "recommendedMode": row["recommended"]}
        for row in lot_modes
    }
    organisations: dict[str, dict[str, Any]] = {}
    id_field = {"coordination_load": "prime_contractor", "concentration": "supplier"}
    for prop, (key, fieldname) in ORGANISATION_PROPERTIES.items():
        for row in result.get(key) or []:
            value = row[fieldname]
            if isinstance(value, list):
                value = len(value)
            elif fieldname in _MONEY:
                value = cents(value)
            organisations.setdefault(row[id_field[key]], {})[prop] = value
    return contracts, lots, organisations


def conclude(
    result: Mapping[str, Any],
    effective_modes: Iterable[Mapping[str, Any]],
    lot_modes: Iterable[Mapping[str, Any]],
    names: Names,
    wording: Wording,
) -> Conclusions:
    """All conclusions of an (unfiltered) analysis result and its modes rows."""
    contracts, lots, organisations = entity_conclusions(result, effective_modes, lot_modes)
    return Conclusions(tuple(findings(result, names, wording)), contracts, lots, organisations)


def names_needed(result: Mapping[str, Any]) -> dict[str, set[str]]:
    """``{label: ids}`` of every entity the findings of ``result`` may name (for a names lookup
    that reads only those)."""
    wanted: dict[str, set[str]] = {}
    for spec in FINDING_RULES:
        for row in result.get(spec.result_key) or []:
            for fieldname, _, label in spec.about:
                value = row.get(fieldname)
                values = value if isinstance(value, list) else [value]
                wanted.setdefault(label, set()).update(v for v in values if v is not None)
    return wanted


# -- sentences ------------------------------------------------------------------------------------

_LABEL_OF_FIELD = {fieldname: label for spec in FINDING_RULES for fieldname, _, label in spec.about}


def sentence(
    rule: str, row: Mapping[str, Any], names: Names, wording: Wording, language: str
) -> str:
    """The finding sentence of ``row`` in ``language``, from the rule's template (``{field}``
    placeholders): ids become names, keys the words of the language, lists are joined.

    Raises :class:`OntologyError` for a placeholder that is not a field of the row. Without a
    template (changed rule data) the sentence is the rule's name and the row's values.
    """
    return FindingWriter(names, wording).sentence(rule, row, language)


class FindingWriter(Sentences):
    """Findings with their sentences (:func:`sentence`) for one names lookup and wording, each
    rule's template prepared once (:class:`~sourcing_graph.graph.sentences.Sentences`: a load
    writes 467,456 sentences at 100,000 contracts)."""

    def __init__(self, names: Names, wording: Wording) -> None:
        super().__init__(names, wording, _LABEL_OF_FIELD)

    def __call__(self, found: FindingRow) -> Finding:
        """The finding of ``found``, with its sentences in every language of :data:`LANGUAGES`."""
        spec, row = found.spec, found.row
        text_nl, text_en = self.texts(found)
        return Finding(
            spec.rule,
            found.key,
            dict(row),
            row.get(spec.severity_field) if spec.severity_field else None,
            text_nl,
            text_en,
            found.about,
            found.order,
        )

    def texts(self, found: FindingRow) -> tuple[str, str]:
        """The sentences of ``found``: Dutch, English."""
        rule, row = found.spec.rule, found.row
        return self.sentence(rule, row, "nl"), self.sentence(rule, row, "en")

    def properties(self, found: FindingRow, texts: tuple[str, str] | None = None) -> dict[str, Any]:
        """:meth:`Finding.properties` of ``found``'s finding (its sentences ``texts``, when
        written already), without making the finding."""
        spec, row = found.spec, found.row
        return finding_properties(
            spec.rule,
            found.key,
            texts or self.texts(found),
            row,
            row.get(spec.severity_field) if spec.severity_field else None,
            found.order,
        )
