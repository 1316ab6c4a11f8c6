"""The rule parameters of R1-R9, read from the ontology's Turtle data (never constants in code).

Both engines (Cypher on Neo4j, the embedded networkx engine) take their parameters from here or
from the nodes the ontology loader writes into Neo4j, so changing the Turtle changes the results.

Public functions (the ontology's other modules hold them; this module gives them all):

- :func:`load_rules` -- the :class:`Rules` of the packaged ontology (cached), or of changed data;
- :func:`rules_from_data` -- the :class:`Rules` of :class:`OntologyData`, checked;
- :func:`ontology_graph` -- the packaged ontology (``sourcing.ttl`` + ``rules.ttl``) as one graph
  (:mod:`~sourcing_graph.ontology.graphs`);
- :func:`shapes_graph` -- the SHACL shapes (``shapes.ttl``) for register instance graphs;
- :func:`read_ontology` -- everything the Neo4j loader writes (modes with their characteristics,
  clause types, retained function types, rule parameters) as plain Python data
  (:mod:`~sourcing_graph.ontology.reading`, :mod:`~sourcing_graph.ontology.data`);
- :func:`normalise_word` -- how vocabulary words and headers are compared
  (:mod:`~sourcing_graph.ontology.words`).

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
from dataclasses import dataclass, field

from sourcing_graph.errors import OntologyError
from sourcing_graph.ontology.data import (
    Characteristic,
    ClauseSetInfo,
    ExitRiskInfo,
    ModeInfo,
    ModeRecommendation,
    OntologyData,
    RecommendationInfo,
    RuleInfo,
    RuleParameterInfo,
    SeverityInfo,
    Term,
    VocabularyInfo,
    WeightInfo,
    Wording,
)
from sourcing_graph.ontology.graphs import (
    ONTOLOGY_FILES,
    ONTOLOGY_IRI,
    SG,
    SHAPES_FILE,
    OntologySource,
    ontology_graph,
    packaged_graph,
    shapes_graph,
)
from sourcing_graph.ontology.reading import read_ontology
from sourcing_graph.ontology.words import normalise_word

__all__ = [
    "COORDINATION_MEASURES",
    "INTERNAL_SUPPLIER_MODE_KEY",
    "MODE_NOT_RECORDED_KEY",
    "WINDOW_DAYS_KEY",
    "ONTOLOGY_FILES",
    "ONTOLOGY_IRI",
    "SG",
    "SHAPES_FILE",
    "Characteristic",
    "ClauseSetInfo",
    "ExitRiskInfo",
    "ModeInfo",
    "ModeRecommendation",
    "OntologyData",
    "OntologySource",
    "RecommendationInfo",
    "RuleInfo",
    "RuleParameterInfo",
    "Rules",
    "SeverityInfo",
    "Term",
    "VocabularyInfo",
    "WeightInfo",
    "Wording",
    "load_rules",
    "normalise_word",
    "ontology_graph",
    "read_ontology",
    "rules_from_data",
    "shapes_graph",
]

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
WINDOW_DAYS_KEY = "windowDays"
LEVEL_NOT_RECORDED = "low"
"""The level the rules read for a complexity or dynamics the register did not record (the register
format: "empty means low"); both engines read it so (the Cypher: ``coalesce(l.complexity, 'low')``)."""


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
    - ``severity_words``: normalised word (``high``, ``hoog``, ``medium``, ``gemiddeld``...) ->
      R3 severity: every severity of ``severity_rank`` by its own name, and the words of the
      ``sg:SeverityLevel`` with that key.
    - ``window_days``: R14's renegotiation window in days (``windowDays``, default 365).
    - ``enabling``, ``blocking``: R13's clause types that enable, and that block, each target mode
      (mode key -> clause type keys). Default (for hand-made Rules): the packaged ontology's.
    - ``wording``: the labels and finding sentence templates conclusions are written in
      (:class:`Wording`). Default (for hand-made Rules): the packaged ontology's.
    - ``exit_risks``: D5's reasons from B_07.01 codes (:class:`ExitRiskInfo`: reason, column,
      contract property, code), by column. Default (for hand-made Rules): the packaged ontology's.

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
    severity_words: dict[str, str] = field(default_factory=dict)
    window_days: int = field(default_factory=lambda: _packaged_review()[0])
    enabling: dict[str, frozenset[str]] = field(default_factory=lambda: _packaged_review()[1])
    blocking: dict[str, frozenset[str]] = field(default_factory=lambda: _packaged_review()[2])
    wording: Wording = field(default_factory=lambda: _packaged_wording())
    exit_risks: tuple[ExitRiskInfo, ...] = field(default_factory=lambda: _packaged_exit_risks())

    def recommend(
        self, complexity: str | None, dynamics: str | None, commodity: bool | None
    ) -> str:
        """R7: the recommended minimum mode of a lot.

        A level or commodity not recorded (None) reads as the register format says: ``low``, no.
        """
        complexity = complexity or LEVEL_NOT_RECORDED
        dynamics = dynamics or LEVEL_NOT_RECORDED
        commodity = bool(commodity)
        for rec in self.recommendations:
            if rec.matches(complexity, dynamics, commodity):
                return rec.mode
        raise LookupError("no R7 recommendation matches; the ontology needs a catch-all row")


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
    mode_words = _mode_words(data)
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
    severity, severity_rank = _severities(data, mode_rank)
    return Rules(
        mode_rank=mode_rank,
        mode_words=mode_words,
        clause_words=clause_words,
        clause_signals=clause_signals,
        clause_forces=clause_forces,
        internal_supplier_mode=internal.mode,
        severity=severity,
        severity_rank=severity_rank,
        coordination_weights=_weights(data),
        recommendations=_recommendations(data),
        level_words=_words(data.levels, "level"),
        selection_basis_words=_words(data.selection_bases, "selection basis"),
        severity_words=_severity_words(data, severity_rank),
        window_days=_window_days(data),
        enabling=_clause_sets(data, "enabling", mode_rank),
        blocking=_clause_sets(data, "blocking", mode_rank),
        wording=wording(data),
        exit_risks=data.exit_risks,
    )


def wording(data: OntologyData) -> Wording:
    """The labels (by kind, key and language) and finding sentence templates of ``data``."""
    kinds: dict[str, tuple[Term, ...]] = {
        "clause": data.clause_types,
        "level": data.levels,
        "severity": data.severity_levels,
        "direction": data.mismatch_directions,
        "reason": data.finding_reasons,
        "basis": data.mode_bases,
    }
    labels = {
        kind: {item.key: dict(item.labels) for item in items}  # type: ignore[attr-defined]
        for kind, items in kinds.items()
    }
    labels["mode"] = {mode.key: dict(mode.labels) for mode in data.modes}
    not_recorded = next((p for p in data.rule_parameters if p.key == MODE_NOT_RECORDED_KEY), None)
    if not_recorded is not None:
        labels["mode"]["unknown"] = dict(not_recorded.labels)
    return Wording(
        labels=labels,
        templates={r.key: dict(r.templates) for r in data.rules if r.templates},
        rules={r.key: dict(r.labels) for r in data.rules},
    )


def _mode_words(data: OntologyData) -> dict[str, str | None]:
    """Word -> mode key: the modes' keys and aliases, and the words meaning "not recorded"."""
    mode_words: dict[str, str | None] = {"": None}
    for param in data.rule_parameters:
        if param.key == MODE_NOT_RECORDED_KEY:
            for word in param.aliases:
                _add_word(mode_words, word, None, "mode", param.uri)
    for mode in data.modes:
        for word in (mode.key, *mode.aliases):
            _add_word(mode_words, word, mode.key, "mode", mode.uri)
    return mode_words


def _severities(
    data: OntologyData, mode_rank: dict[str, int]
) -> tuple[dict[frozenset[str], str], dict[str, int]]:
    """R3: the severity of each pair of modes (every pair needs one) and the rank of each
    severity (one rank per severity, one severity per rank), least severe first."""
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
    return severity, dict(sorted(severity_rank.items(), key=lambda item: (item[1], item[0])))


def _severity_words(data: OntologyData, severity_rank: dict[str, int]) -> dict[str, str]:
    """Word -> R3 severity: each severity's own name and its ``sg:SeverityLevel`` words (levels
    whose key no severity row uses are left out)."""
    used = tuple(level for level in data.severity_levels if level.key in severity_rank)
    words: dict[str, str | None] = dict(_words(used, "severity"))
    for severity in severity_rank:
        _add_word(words, severity, severity, "severity", "sg:severity")
    return {w: v for w, v in words.items() if v is not None}


def _window_days(data: OntologyData) -> int:
    """R14: the renegotiation window in days (a whole number, at least 0)."""
    found = next((p for p in data.rule_parameters if p.key == WINDOW_DAYS_KEY), None)
    if found is None or found.days is None:
        raise OntologyError(
            f"the ontology needs a sg:RuleParameter with sg:key {WINDOW_DAYS_KEY!r} and sg:days "
            "(rule R14: the renegotiation window)"
        )
    if found.days < 0:
        raise OntologyError(f"{_short(found.uri)} sg:days must be 0 or more, not {found.days}")
    return found.days


def _clause_sets(
    data: OntologyData, kind: str, mode_rank: dict[str, int]
) -> dict[str, frozenset[str]]:
    """R13: mode -> the clause types that enable (or block) it; exactly one set per mode."""
    found: dict[str, frozenset[str]] = {}
    for row in data.clause_sets:
        if row.kind != kind:
            continue
        if row.mode in found:
            raise OntologyError(f"two R13 sets of {kind} clauses for the target mode {row.mode!r}")
        found[row.mode] = frozenset(row.clauses)
    missing = [m for m in sorted(mode_rank, key=mode_rank.__getitem__) if m not in found]
    if missing:
        cls = "sg:EnablingClauses" if kind == "enabling" else "sg:BlockingClauses"
        raise OntologyError(
            f"no R13 set of {kind} clauses ({cls}) for the target mode(s) {', '.join(missing)}"
        )
    return found


def _weights(data: OntologyData) -> dict[str, float]:
    """R5: measure -> weight, one for each of :data:`COORDINATION_MEASURES`."""
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
    return weights


def _recommendations(data: OntologyData) -> tuple[ModeRecommendation, ...]:
    """R7: the rows by priority (priorities unique); every kind of lot must match one."""
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
    return recommendations


@functools.lru_cache(maxsize=1)
def _default_rules() -> Rules:
    return rules_from_data(read_ontology(packaged_graph()))


def _packaged_review() -> tuple[int, dict[str, frozenset[str]], dict[str, frozenset[str]]]:
    """The packaged ontology's R13 and R14 data (the defaults of hand-made Rules)."""
    rules = _default_rules()
    return rules.window_days, dict(rules.enabling), dict(rules.blocking)


def _packaged_wording() -> Wording:
    """The packaged ontology's wording (the default of ``Rules.wording``)."""
    return _default_rules().wording


def _packaged_exit_risks() -> tuple[ExitRiskInfo, ...]:
    """The packaged ontology's D5 reasons (the default of ``Rules.exit_risks``)."""
    return _default_rules().exit_risks


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
