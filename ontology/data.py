"""The ontology as plain data: its individuals and rule rows (what the Neo4j loader writes).

:func:`~sourcing_graph.ontology.reading.read_ontology` reads an :class:`OntologyData` from the
ontology graph; :func:`~sourcing_graph.ontology.rules.rules_from_data` makes the analyses'
:class:`~sourcing_graph.ontology.rules.Rules` of it.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "Characteristic",
    "ClauseSetInfo",
    "ModeInfo",
    "ModeRecommendation",
    "OntologyData",
    "RecommendationInfo",
    "RuleInfo",
    "RuleParameterInfo",
    "SeverityInfo",
    "Term",
    "VocabularyInfo",
    "WeightInfo",
    "Wording",
]


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
    """A clause type, level, severity level, selection basis, retained function type, or a word
    of the conclusions (mismatch direction, finding reason, mode basis)."""

    key: str
    aliases: tuple[str, ...]
    signals: str | None = None
    """For clause types: the mode key the type signals."""
    forces: str | None = None
    """For clause types: the mode key the type forces."""


@dataclass(frozen=True)
class ExitRiskInfo:
    """D5: a finding reason a B_07.01 code gives: the reason's key, the B_07.01 column, the
    contract property that keeps the column's code, and the code."""

    reason: str
    column: str
    property: str
    code: str


@dataclass(frozen=True)
class RuleParameterInfo(Term):
    """A ``sg:RuleParameter`` (R1's internal supplier mode, the not-recorded words)."""

    key: str
    mode: str | None
    aliases: tuple[str, ...]
    days: int | None = None
    """A number of days it sets (R14's ``windowDays``)."""


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
class ClauseSetInfo(Term):
    """An R13 row: the clause types that enable (``kind`` ``enabling``) or block (``blocking``) the
    target mode ``mode``, sorted."""

    kind: str
    mode: str
    clauses: tuple[str, ...]


@dataclass(frozen=True)
class RuleInfo(Term):
    """An analysis rule (``sg:Rule``): its key (``R3``) and its finding sentence templates by
    language tag (empty for rules whose rows are no findings)."""

    key: str
    templates: dict[str, str]


@dataclass(frozen=True)
class Wording:
    """The words conclusions are written in: labels of vocabulary keys and sentence templates.

    - ``labels``: kind -> key -> language tag -> label. Kinds: ``mode`` (with ``unknown``),
      ``clause``, ``level``, ``severity``, ``direction`` (R3), ``reason`` (R4), ``basis`` (R1).
    - ``templates``: rule key -> language tag -> finding sentence template (``sg:findingText``).
    - ``rules``: rule key -> language tag -> the rule's name.
    """

    labels: dict[str, dict[str, dict[str, str]]]
    templates: dict[str, dict[str, str]]
    rules: dict[str, dict[str, str]]

    def label(self, kind: str, key: str, language: str) -> str:
        """The label of ``key`` in ``language`` (the key itself when the data has none)."""
        return self.labels.get(kind, {}).get(key, {}).get(language) or key


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
    severity_levels: tuple[VocabularyInfo, ...] = ()
    """The words of the R3 severities (``sg:SeverityLevel``), keyed as ``sg:severity``."""
    clause_sets: tuple[ClauseSetInfo, ...] = ()
    """R13's enabling and blocking clause types per target mode, by kind and mode rank."""
    rules: tuple[RuleInfo, ...] = ()
    mismatch_directions: tuple[VocabularyInfo, ...] = ()
    finding_reasons: tuple[VocabularyInfo, ...] = ()
    mode_bases: tuple[VocabularyInfo, ...] = ()
    exit_risks: tuple[ExitRiskInfo, ...] = ()
    """D5's reasons from B_07.01 codes, by column."""

    def mode_key(self, uri: str) -> str | None:
        return next((m.key for m in self.modes if m.uri == uri), None)
