"""The rule parameters of R1-R9, read from the ontology's Turtle data (never constants in code).

Both engines (Cypher on Neo4j, the embedded networkx engine) take their parameters from here or
from the nodes the ontology loader writes into Neo4j, so changing the Turtle changes the results.

Public functions:

- :func:`load_rules` -- the :class:`Rules` of the packaged ontology (cached), or of changed data;
- :func:`ontology_graph` -- the packaged ontology (``sourcing.ttl`` + ``rules.ttl``) as one graph;
- :func:`shapes_graph` -- the SHACL shapes (``shapes.ttl``) for register instance graphs;
- :func:`read_ontology` -- everything the Neo4j loader writes (modes with their characteristics,
  clause types, retained function types, rule parameters) as plain Python data;
- :func:`normalise_word` -- how vocabulary words and headers are compared.

Changed data (the ``extra`` argument) is a Turtle file (``str``/``Path``; a ``str`` holding a
newline is read as Turtle text) or an :class:`rdflib.Graph`. By default it *overrides* the
packaged ontology: for every (subject, predicate) pair it mentions, the packaged values are
dropped and its values used instead, so a two-line file such as::

    @prefix sg: <https://w3id.org/sourcing-graph/ontology#> .
    sg:SlaClause sg:forcesMode sg:Reliability .

changes one thing and keeps the rest. With ``replace=True`` it is the whole ontology instead.
"""

from __future__ import annotations

import functools
import itertools
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from importlib import resources
from pathlib import Path

from rdflib import RDF, RDFS, BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import OWL, SKOS
from rdflib.util import guess_format

from sourcing_graph.errors import OntologyError

SG = Namespace("https://w3id.org/sourcing-graph/ontology#")
"""The ontology namespace (prefix ``sg:``)."""

ONTOLOGY_IRI = URIRef("https://w3id.org/sourcing-graph/ontology")
ONTOLOGY_FILES = ("sourcing.ttl", "rules.ttl")
"""The package-data files that make up the ontology (TBox, individuals, rule parameters)."""
SHAPES_FILE = "shapes.ttl"
"""The package-data file with the SHACL shapes of a register instance graph."""

COORDINATION_MEASURES = (
    "lots",
    "suppliers",
    "interfaces",
    "distrust_lots",
    "mismatches",
    "penalty_bonus_clauses",
)
"""The R5 measures, in the order of the JSON result; each needs a weight in the ontology."""

INTERNAL_SUPPLIER_MODE_KEY = "internalSupplierMode"
MODE_NOT_RECORDED_KEY = "modeNotRecorded"

OntologySource = str | Path | Graph

_WORD_SEPARATORS = re.compile(r"[\s_\-]+")


def normalise_word(word: str) -> str:
    """Normalise a vocabulary word or header name for matching.

    Unicode NFC, lower case, outer spaces stripped, and every run of ``_``, ``-`` and white space
    made one ``_``: ``" Open-Book "``, ``"open book"`` and ``"open_book"`` all give
    ``"open_book"``. The ontology's keys are already normalised.
    """
    text = unicodedata.normalize("NFC", word).strip().lower()
    return _WORD_SEPARATORS.sub("_", text)


@dataclass(frozen=True)
class ModeRecommendation:
    """One row of the R7 table: conditions (None matches anything) and the recommended minimum mode.

    Rows are tried by ascending ``priority``; the first whose conditions all hold wins.
    """

    priority: int
    mode: str
    complexity: str | None = None
    dynamics: str | None = None
    commodity: bool | None = None

    def matches(self, complexity: str, dynamics: str, commodity: bool) -> bool:
        return (
            (self.complexity is None or self.complexity == complexity)
            and (self.dynamics is None or self.dynamics == dynamics)
            and (self.commodity is None or self.commodity == commodity)
        )


@dataclass(frozen=True)
class Rules:
    """Everything the analyses need to know, as data.

    - ``mode_rank``: mode key -> rank (distrust 1 < reliability 2 < trust 3).
    - ``mode_words``: normalised word (English, Dutch, ``unknown``...) -> mode key or None.
    - ``clause_words``: normalised word (key, Dutch aliases) -> clause type key.
    - ``clause_signals``: clause type key -> mode key it signals (or None).
    - ``clause_forces``: clause type key -> mode key it forces (only forcing types appear).
    - ``internal_supplier_mode``: R1's mode for a contract of an internal supplier with no declared mode.
    - ``severity``: frozenset of two mode keys -> R3 severity (``high``/``medium``/``low``).
    - ``severity_rank``: R3 severity -> rank (low 1 < medium 2 < high 3; higher is more severe),
      for the ``min_severity`` filter and worst-first sorting. Default (for hand-made Rules): the
      packaged ontology's ranks.
    - ``coordination_weights``: R5 measure name -> weight (measures as in the JSON result).
    - ``recommendations``: the R7 table, by priority.
    - ``level_words``: normalised word (``low``, ``laag``, ``high``, ``hoog``) -> level key.
    - ``selection_basis_words``: normalised word (``cost``, ``kosten``, ``prijs``...) -> key.

    Every ``*_words`` mapping is keyed by :func:`normalise_word` forms; ``mode_words`` also maps
    the empty word to None (an empty cell means "not recorded").
    """

    mode_rank: dict[str, int]
    mode_words: dict[str, str | None]
    clause_words: dict[str, str]
    clause_signals: dict[str, str | None]
    clause_forces: dict[str, str]
    internal_supplier_mode: str
    severity: dict[frozenset[str], str]
    coordination_weights: dict[str, float]
    recommendations: tuple[ModeRecommendation, ...]
    level_words: dict[str, str] = field(default_factory=dict)
    selection_basis_words: dict[str, str] = field(default_factory=dict)
    severity_rank: dict[str, int] = field(default_factory=lambda: _packaged_severity_rank())

    def recommend(self, complexity: str, dynamics: str, commodity: bool) -> str:
        """R7: the recommended minimum mode of a lot."""
        for rec in self.recommendations:
            if rec.matches(complexity, dynamics, commodity):
                return rec.mode
        raise LookupError("no R7 recommendation matches; the ontology needs a catch-all row")


# ------------------------------------------------------------------------------------------------
# The ontology as plain data (what the Neo4j loader writes)
# ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Term:
    """A named individual of the ontology: IRI, labels and definitions by language tag."""

    uri: str
    labels: dict[str, str]
    definitions: dict[str, str]


@dataclass(frozen=True)
class Characteristic(Term):
    """One of the nine characteristics of the modes (a sub-property of ``sg:characteristic``)."""

    key: str
    order: int


@dataclass(frozen=True)
class ModeInfo(Term):
    """A collaboration mode with its rank, aliases and characteristic values by language."""

    key: str
    rank: int
    aliases: tuple[str, ...]
    characteristics: dict[str, dict[str, str]]
    """characteristic key -> language tag -> value."""


@dataclass(frozen=True)
class VocabularyInfo(Term):
    """A clause type, level, selection basis or retained function type."""

    key: str
    aliases: tuple[str, ...]
    signals: str | None = None
    """For clause types: the mode key the type signals."""
    forces: str | None = None
    """For clause types: the mode key the type forces."""


@dataclass(frozen=True)
class RuleParameterInfo(Term):
    """A ``sg:RuleParameter`` (R1's internal supplier mode, the not-recorded words)."""

    key: str
    mode: str | None
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class SeverityInfo(Term):
    """An R3 row: the two mode keys (sorted), the severity and its rank (higher is more severe)."""

    modes: tuple[str, str]
    severity: str
    rank: int


@dataclass(frozen=True)
class WeightInfo(Term):
    """An R5 row: measure name and weight."""

    measure: str
    weight: float


@dataclass(frozen=True)
class RecommendationInfo(Term):
    """An R7 row with its IRI and labels."""

    recommendation: ModeRecommendation


@dataclass(frozen=True)
class OntologyData:
    """The ontology's individuals and rule rows, each kind sorted by key (or priority)."""

    uri: str | None
    version: str | None
    characteristics: tuple[Characteristic, ...]
    modes: tuple[ModeInfo, ...]
    clause_types: tuple[VocabularyInfo, ...]
    levels: tuple[VocabularyInfo, ...]
    selection_bases: tuple[VocabularyInfo, ...]
    retained_function_types: tuple[VocabularyInfo, ...]
    rule_parameters: tuple[RuleParameterInfo, ...]
    severities: tuple[SeverityInfo, ...]
    weights: tuple[WeightInfo, ...]
    recommendations: tuple[RecommendationInfo, ...]

    def mode_key(self, uri: str) -> str | None:
        return next((m.key for m in self.modes if m.uri == uri), None)


# ------------------------------------------------------------------------------------------------
# Reading Turtle
# ------------------------------------------------------------------------------------------------


def _read_package_file(name: str) -> str:
    try:
        return resources.files("sourcing_graph.ontology").joinpath(name).read_text(encoding="utf-8")
    except (FileNotFoundError, ModuleNotFoundError) as exc:
        raise OntologyError(f"the ontology file {name} is missing from the package") from exc


def _parse_into(graph: Graph, data: str, source: str, fmt: str = "turtle") -> None:
    try:
        graph.parse(data=data, format=fmt)
    except Exception as exc:  # rdflib raises many kinds of parser errors
        raise OntologyError(f"cannot parse the ontology data {source}: {exc}") from exc


@functools.lru_cache(maxsize=1)
def _packaged_graph() -> Graph:
    graph = Graph()
    for name in ONTOLOGY_FILES:
        _parse_into(graph, _read_package_file(name), name)
    return graph


def _copy(graph: Graph) -> Graph:
    result = Graph()
    for prefix, namespace in graph.namespaces():
        result.bind(prefix, namespace, override=True)
    result += graph
    return result


def _as_graph(source: OntologySource) -> Graph:
    if isinstance(source, Graph):
        return source
    graph = Graph()
    if isinstance(source, str) and "\n" in source:
        _parse_into(graph, source, "<turtle text>")
        return graph
    path = Path(source)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise OntologyError(f"cannot read the ontology data {path}: {exc.strerror or exc}") from exc
    _parse_into(graph, text, str(path), guess_format(str(path)) or "turtle")
    return graph


def ontology_graph(extra: OntologySource | None = None, *, replace: bool = False) -> Graph:
    """All ontology Turtle files (``sourcing.ttl`` and ``rules.ttl``) parsed into one new graph.

    ``extra`` changes the data (see the module doc): by default it overrides the packaged values
    per (subject, predicate); with ``replace=True`` it is used instead of the packaged files. The
    SHACL shapes are not part of it (see :func:`shapes_graph`). The caller owns the result.
    """
    if extra is None:
        return _copy(_packaged_graph())
    changes = _as_graph(extra)
    if replace:
        return _copy(changes)
    merged = _copy(_packaged_graph())
    for subject, predicate in {(s, p) for s, p, _ in changes}:
        merged.remove((subject, predicate, None))
    merged += changes
    for prefix, namespace in changes.namespaces():
        merged.bind(prefix, namespace, override=False)
    return merged


def shapes_graph() -> Graph:
    """The SHACL shapes (``shapes.ttl``) for a register instance graph, as a new graph.

    Validate with the ontology as extra triples, e.g.
    ``pyshacl.validate(data, shacl_graph=shapes_graph(), ont_graph=ontology_graph())``, so that
    ``sh:class`` constraints see the class hierarchy and the clause-type individuals.
    """
    graph = Graph()
    _parse_into(graph, _read_package_file(SHAPES_FILE), SHAPES_FILE)
    return graph


# ------------------------------------------------------------------------------------------------
# From graph to OntologyData
# ------------------------------------------------------------------------------------------------


def _name(graph: Graph, node: object) -> str:
    if isinstance(node, URIRef):
        try:
            return graph.namespace_manager.normalizeUri(node)
        except Exception:  # pragma: no cover - rdflib is strict about odd IRIs
            return f"<{node}>"
    return str(node)


def _by_language(graph: Graph, subject: URIRef, predicate: URIRef) -> dict[str, str]:
    values: dict[str, str] = {}
    literals = sorted(
        (o for o in graph.objects(subject, predicate) if isinstance(o, Literal)), key=str
    )
    for literal in literals:
        values.setdefault(literal.language or "", str(literal))
    return values


def _literals(graph: Graph, subject: URIRef, predicate: URIRef) -> list[Literal]:
    values = []
    for obj in graph.objects(subject, predicate):
        if not isinstance(obj, Literal):
            raise OntologyError(
                f"{_name(graph, subject)} {_name(graph, predicate)} must be a literal, "
                f"not {_name(graph, obj)}"
            )
        values.append(obj)
    return values


def _one_literal(
    graph: Graph, subject: URIRef, predicate: URIRef, kind: type, required: bool = True
) -> object | None:
    values = _literals(graph, subject, predicate)
    where = f"{_name(graph, subject)} {_name(graph, predicate)}"
    if not values:
        if required:
            raise OntologyError(f"{where} is missing")
        return None
    if len(values) > 1:
        raise OntologyError(f"{where} has {len(values)} values; it needs exactly one")
    value = values[0].toPython()
    is_number = isinstance(value, int | float | Decimal) and not isinstance(value, bool)
    if kind is float and is_number:
        return float(value)
    if kind is int and isinstance(value, int) and not isinstance(value, bool):
        return value
    if kind in (float, int) or not isinstance(value, kind):
        raise OntologyError(f"{where} must be a {kind.__name__}, not {values[0].n3()}")
    return value


def _one_resource(
    graph: Graph, subject: URIRef, predicate: URIRef, required: bool = False
) -> URIRef | None:
    values = list(graph.objects(subject, predicate))
    where = f"{_name(graph, subject)} {_name(graph, predicate)}"
    if not values:
        if required:
            raise OntologyError(f"{where} is missing")
        return None
    if len(values) > 1:
        raise OntologyError(f"{where} has {len(values)} values; it needs at most one")
    value = values[0]
    if not isinstance(value, URIRef):
        raise OntologyError(f"{where} must be an IRI, not {_name(graph, value)}")
    return value


def _individuals(graph: Graph, cls: URIRef) -> list[URIRef]:
    found = []
    for subject in graph.subjects(RDF.type, cls):
        if isinstance(subject, BNode):
            raise OntologyError(f"an individual of {_name(graph, cls)} needs an IRI")
        if isinstance(subject, URIRef):
            found.append(subject)
    return sorted(set(found))


def _term(graph: Graph, subject: URIRef) -> dict[str, object]:
    return {
        "uri": str(subject),
        "labels": _by_language(graph, subject, RDFS.label),
        "definitions": _by_language(graph, subject, SKOS.definition)
        or _by_language(graph, subject, RDFS.comment),
    }


def _key(graph: Graph, subject: URIRef) -> str:
    key = _one_literal(graph, subject, SG.key, str)
    assert isinstance(key, str)
    if not key.strip():
        raise OntologyError(f"{_name(graph, subject)} sg:key is empty")
    return key


def _aliases(graph: Graph, subject: URIRef) -> tuple[str, ...]:
    return tuple(sorted({str(lit) for lit in _literals(graph, subject, SG.alias)}))


def _mode_ref(
    graph: Graph, subject: URIRef, predicate: URIRef, modes: dict[URIRef, str], required: bool
) -> str | None:
    value = _one_resource(graph, subject, predicate, required)
    if value is None:
        return None
    if value not in modes:
        raise OntologyError(
            f"{_name(graph, subject)} {_name(graph, predicate)} names {_name(graph, value)}, "
            f"which is not a collaboration mode (sg:CollaborationMode with sg:key and sg:rank)"
        )
    return modes[value]


def _vocabulary(
    graph: Graph, cls: URIRef, modes: dict[URIRef, str] | None = None
) -> tuple[VocabularyInfo, ...]:
    items = []
    for subject in _individuals(graph, cls):
        signals = forces = None
        if modes is not None:
            signals = _mode_ref(graph, subject, SG.signalsMode, modes, False)
            forces = _mode_ref(graph, subject, SG.forcesMode, modes, False)
        items.append(
            VocabularyInfo(
                **_term(graph, subject),  # type: ignore[arg-type]
                key=_key(graph, subject),
                aliases=_aliases(graph, subject),
                signals=signals,
                forces=forces,
            )
        )
    _check_unique_keys(cls, [i.key for i in items])
    return tuple(sorted(items, key=lambda i: i.key))


def _check_unique_keys(cls: URIRef, keys: list[str]) -> None:
    seen: set[str] = set()
    for key in keys:
        if key in seen:
            raise OntologyError(f"two individuals of {cls} share the key {key!r}")
        seen.add(key)


def read_ontology(graph: Graph | None = None) -> OntologyData:
    """Read the individuals and rule rows of an ontology graph (default: the packaged one).

    Raises :class:`OntologyError` when something the rules or the loader need is missing or
    malformed (a mode without rank, a clause forcing an unknown mode, a weight that is not a
    number...).
    """
    if graph is None:
        graph = _packaged_graph()

    characteristics = []
    for prop in sorted(set(graph.subjects(RDFS.subPropertyOf, SG.characteristic)), key=str):
        if not isinstance(prop, URIRef):
            continue
        key = _one_literal(graph, prop, SG.characteristicKey, str)
        order = _one_literal(graph, prop, SG.displayOrder, int)
        characteristics.append(
            Characteristic(**_term(graph, prop), key=key, order=order)  # type: ignore[arg-type]
        )
    characteristics.sort(key=lambda c: (c.order, c.key))
    _check_unique_keys(SG.characteristic, [c.key for c in characteristics])

    modes = []
    for subject in _individuals(graph, SG.CollaborationMode):
        rank = _one_literal(graph, subject, SG.rank, int)
        values = {
            c.key: _by_language(graph, subject, URIRef(c.uri))
            for c in characteristics
            if (subject, URIRef(c.uri), None) in graph
        }
        modes.append(
            ModeInfo(
                **_term(graph, subject),  # type: ignore[arg-type]
                key=_key(graph, subject),
                rank=rank,  # type: ignore[arg-type]
                aliases=_aliases(graph, subject),
                characteristics=values,
            )
        )
    if not modes:
        raise OntologyError("the ontology defines no collaboration modes (sg:CollaborationMode)")
    modes.sort(key=lambda m: (m.rank, m.key))
    _check_unique_keys(SG.CollaborationMode, [m.key for m in modes])
    ranks = [m.rank for m in modes]
    if len(set(ranks)) != len(ranks):
        raise OntologyError(f"two collaboration modes share a rank: {ranks}")
    mode_of = {URIRef(m.uri): m.key for m in modes}

    levels = _vocabulary(graph, SG.Level)
    level_of = {URIRef(level.uri): level.key for level in levels}

    parameters = []
    for subject in _individuals(graph, SG.RuleParameter):
        parameters.append(
            RuleParameterInfo(
                **_term(graph, subject),  # type: ignore[arg-type]
                key=_key(graph, subject),
                mode=_mode_ref(graph, subject, SG.setsMode, mode_of, False),
                aliases=_aliases(graph, subject),
            )
        )
    _check_unique_keys(SG.RuleParameter, [p.key for p in parameters])

    severities = []
    for subject in _individuals(graph, SG.MismatchSeverity):
        pair = []
        for obj in graph.objects(subject, SG.betweenMode):
            if obj not in mode_of:
                raise OntologyError(
                    f"{_name(graph, subject)} sg:betweenMode names {_name(graph, obj)}, "
                    "which is not a collaboration mode"
                )
            pair.append(mode_of[obj])  # type: ignore[index]
        if len(set(pair)) != 2:
            raise OntologyError(
                f"{_name(graph, subject)} needs exactly two different sg:betweenMode modes"
            )
        level = _one_literal(graph, subject, SG.severity, str)
        rank = _one_literal(graph, subject, SG.severityRank, int)
        a, b = sorted(set(pair))
        severities.append(
            SeverityInfo(**_term(graph, subject), modes=(a, b), severity=level, rank=rank)  # type: ignore[arg-type]
        )
    severities.sort(key=lambda s: s.modes)

    weights = []
    for subject in _individuals(graph, SG.CoordinationWeight):
        measure = _one_literal(graph, subject, SG.measure, str)
        weight = _one_literal(graph, subject, SG.weight, float)
        weights.append(
            WeightInfo(**_term(graph, subject), measure=measure, weight=weight)  # type: ignore[arg-type]
        )
    weights.sort(key=lambda w: w.measure)

    recommendations = []
    for subject in _individuals(graph, SG.ModeRecommendation):
        priority = _one_literal(graph, subject, SG.priority, int)
        mode = _mode_ref(graph, subject, SG.recommendsMode, mode_of, True)
        conditions: dict[str, str | None] = {}
        for name, prop in (("complexity", SG.whenComplexity), ("dynamics", SG.whenDynamics)):
            level_iri = _one_resource(graph, subject, prop)
            if level_iri is not None and level_iri not in level_of:
                raise OntologyError(
                    f"{_name(graph, subject)} {_name(graph, prop)} names "
                    f"{_name(graph, level_iri)}, which is not a level (sg:Level with sg:key)"
                )
            conditions[name] = level_of[level_iri] if level_iri is not None else None
        commodity = _one_literal(graph, subject, SG.whenCommodity, bool, required=False)
        recommendations.append(
            RecommendationInfo(
                **_term(graph, subject),  # type: ignore[arg-type]
                recommendation=ModeRecommendation(
                    priority=priority,  # type: ignore[arg-type]
                    mode=mode,  # type: ignore[arg-type]
                    complexity=conditions["complexity"],
                    dynamics=conditions["dynamics"],
                    commodity=commodity,  # type: ignore[arg-type]
                ),
            )
        )
    recommendations.sort(key=lambda r: r.recommendation.priority)

    version = graph.value(ONTOLOGY_IRI, OWL.versionInfo)
    has_header = (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in graph
    return OntologyData(
        uri=str(ONTOLOGY_IRI) if has_header else None,
        version=str(version) if version is not None else None,
        characteristics=tuple(characteristics),
        modes=tuple(modes),
        clause_types=_vocabulary(graph, SG.ClauseType, mode_of),
        levels=levels,
        selection_bases=_vocabulary(graph, SG.SelectionBasis),
        retained_function_types=_vocabulary(graph, SG.RetainedFunctionType),
        rule_parameters=tuple(sorted(parameters, key=lambda p: p.key)),
        severities=tuple(severities),
        weights=tuple(weights),
        recommendations=tuple(recommendations),
    )


# ------------------------------------------------------------------------------------------------
# From OntologyData to Rules
# ------------------------------------------------------------------------------------------------


def _add_word(
    words: dict[str, str | None], word: str, value: str | None, what: str, source: str
) -> None:
    normalised = normalise_word(word)
    if normalised in words and words[normalised] != value:
        raise OntologyError(
            f"the {what} word {word!r} (from {source}) means both "
            f"{words[normalised]!r} and {value!r}"
        )
    words[normalised] = value


def _words(items: tuple[VocabularyInfo, ...], what: str) -> dict[str, str]:
    words: dict[str, str | None] = {}
    for item in items:
        for word in (item.key, *item.aliases):
            _add_word(words, word, item.key, what, item.uri)
    return {w: v for w, v in words.items() if v is not None}


def _short(uri: str) -> str:
    return "sg:" + uri[len(str(SG)) :] if uri.startswith(str(SG)) else f"<{uri}>"


def rules_from_data(data: OntologyData) -> Rules:
    """Build :class:`Rules` from ontology data, checking that every rule has what it needs."""
    mode_rank = {m.key: m.rank for m in data.modes}

    mode_words: dict[str, str | None] = {"": None}
    for param in data.rule_parameters:
        if param.key == MODE_NOT_RECORDED_KEY:
            for word in param.aliases:
                _add_word(mode_words, word, None, "mode", param.uri)
    for mode in data.modes:
        for word in (mode.key, *mode.aliases):
            _add_word(mode_words, word, mode.key, "mode", mode.uri)

    if not data.clause_types:
        raise OntologyError("the ontology defines no clause types (sg:ClauseType)")
    clause_words = _words(data.clause_types, "clause type")
    clause_signals = {c.key: c.signals for c in data.clause_types}
    clause_forces = {c.key: c.forces for c in data.clause_types if c.forces is not None}

    internal = next((p for p in data.rule_parameters if p.key == INTERNAL_SUPPLIER_MODE_KEY), None)
    if internal is None or internal.mode is None:
        raise OntologyError(
            f"the ontology needs a sg:RuleParameter with sg:key {INTERNAL_SUPPLIER_MODE_KEY!r} "
            "and a sg:setsMode (rule R1)"
        )

    severity: dict[frozenset[str], str] = {}
    severity_rank: dict[str, int] = {}
    rank_source: dict[str, str] = {}
    for row in data.severities:
        pair = frozenset(row.modes)
        if pair in severity:
            raise OntologyError(f"two R3 severities (sg:MismatchSeverity) for {sorted(pair)}")
        severity[pair] = row.severity
        known = severity_rank.get(row.severity)
        if known is not None and known != row.rank:
            raise OntologyError(
                f"the R3 severity {row.severity!r} has sg:severityRank {known} in "
                f"{_short(rank_source[row.severity])} but {row.rank} in {_short(row.uri)}; "
                "rows with the same severity need the same rank"
            )
        severity_rank[row.severity] = row.rank
        rank_source.setdefault(row.severity, row.uri)
    shared = [
        sorted(levels)
        for rank in sorted(set(severity_rank.values()))
        if len(levels := [s for s, r in severity_rank.items() if r == rank]) > 1
    ]
    if shared:
        raise OntologyError(
            f"different R3 severities share a sg:severityRank: {shared}; the ranks order them"
        )
    for a, b in itertools.combinations(sorted(mode_rank), 2):
        if frozenset((a, b)) not in severity:
            raise OntologyError(
                f"no R3 severity (sg:MismatchSeverity) for the modes {a!r} and {b!r}"
            )

    weights: dict[str, float] = {}
    for weight in data.weights:
        if weight.measure not in COORDINATION_MEASURES:
            raise OntologyError(
                f"unknown R5 measure {weight.measure!r} in {weight.uri}; "
                f"expected one of {', '.join(COORDINATION_MEASURES)}"
            )
        if weight.measure in weights:
            raise OntologyError(f"two R5 weights for the measure {weight.measure!r}")
        weights[weight.measure] = weight.weight
    missing = [m for m in COORDINATION_MEASURES if m not in weights]
    if missing:
        raise OntologyError(
            f"no R5 weight (sg:CoordinationWeight) for the measure(s) {', '.join(missing)}"
        )

    recommendations = tuple(r.recommendation for r in data.recommendations)
    priorities = [r.priority for r in recommendations]
    if len(set(priorities)) != len(priorities):
        raise OntologyError(f"two R7 recommendations share a priority: {priorities}")
    level_keys = [level.key for level in data.levels] or ["low", "high"]
    for complexity, dynamics, commodity in itertools.product(level_keys, level_keys, (False, True)):
        if not any(r.matches(complexity, dynamics, commodity) for r in recommendations):
            raise OntologyError(
                "no R7 recommendation (sg:ModeRecommendation) matches a lot with "
                f"complexity {complexity}, dynamics {dynamics}, commodity {commodity}; "
                "add a row without conditions"
            )

    return Rules(
        mode_rank=mode_rank,
        mode_words=mode_words,
        clause_words=clause_words,
        clause_signals=clause_signals,
        clause_forces=clause_forces,
        internal_supplier_mode=internal.mode,
        severity=severity,
        severity_rank=dict(sorted(severity_rank.items(), key=lambda item: (item[1], item[0]))),
        coordination_weights=weights,
        recommendations=recommendations,
        level_words=_words(data.levels, "level"),
        selection_basis_words=_words(data.selection_bases, "selection basis"),
    )


@functools.lru_cache(maxsize=1)
def _default_rules() -> Rules:
    return rules_from_data(read_ontology(_packaged_graph()))


def _packaged_severity_rank() -> dict[str, int]:
    """The packaged ontology's R3 severity ranks (the default of ``Rules.severity_rank``)."""
    return dict(_default_rules().severity_rank)


def load_rules(extra: OntologySource | None = None, *, replace: bool = False) -> Rules:
    """The rule parameters as :class:`Rules`.

    Without arguments: the packaged ontology's defaults (parsed once and cached; treat the
    result as read-only). ``extra`` (a Turtle file, Turtle text or an rdflib Graph) changes the
    data -- overriding the packaged values per (subject, predicate), or with ``replace=True``
    standing in for the whole ontology. Raises :class:`OntologyError` for missing or bad data.
    """
    if extra is None and not replace:
        return _default_rules()
    if extra is None:
        raise OntologyError("replace=True needs the ontology data to use instead")
    return rules_from_data(read_ontology(ontology_graph(extra, replace=replace)))
