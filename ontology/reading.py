"""Reading the ontology graph into :class:`~sourcing_graph.ontology.data.OntologyData`.

Every individual and rule row is checked as it is read: a missing or repeated value, a literal of
the wrong type or a reference to an unknown mode is an
:class:`~sourcing_graph.errors.OntologyError` naming the subject and the predicate.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from rdflib import RDF, RDFS, BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, SKOS

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
    VocabularyInfo,
    WeightInfo,
)
from sourcing_graph.ontology.graphs import ONTOLOGY_IRI, SG, packaged_graph

__all__ = ["read_ontology"]


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


def _where(graph: Graph, subject: URIRef, predicate: URIRef) -> str:
    return f"{_name(graph, subject)} {_name(graph, predicate)}"


def _single(
    graph: Graph,
    subject: URIRef,
    predicate: URIRef,
    values: Sequence[object],
    required: bool,
    needs: str,
) -> object | None:
    """The one value of ``values`` (None when there is none and it is not ``required``)."""
    if not values:
        if required:
            raise OntologyError(f"{_where(graph, subject, predicate)} is missing")
        return None
    if len(values) > 1:
        raise OntologyError(
            f"{_where(graph, subject, predicate)} has {len(values)} values; it needs {needs}"
        )
    return values[0]


def _one_literal(
    graph: Graph, subject: URIRef, predicate: URIRef, kind: type, required: bool = True
) -> object | None:
    literal = _single(
        graph, subject, predicate, _literals(graph, subject, predicate), required, "exactly one"
    )
    if not isinstance(literal, Literal):
        return None
    value = literal.toPython()
    is_number = isinstance(value, int | float | Decimal) and not isinstance(value, bool)
    if kind is float and is_number:
        return float(value)
    if kind is int and isinstance(value, int) and not isinstance(value, bool):
        return value
    if kind in (float, int) or not isinstance(value, kind):
        where = _where(graph, subject, predicate)
        raise OntologyError(f"{where} must be a {kind.__name__}, not {literal.n3()}")
    return value


def _one_resource(
    graph: Graph, subject: URIRef, predicate: URIRef, required: bool = False
) -> URIRef | None:
    values = list(graph.objects(subject, predicate))
    value = _single(graph, subject, predicate, values, required, "at most one")
    if value is None:
        return None
    if not isinstance(value, URIRef):
        where = _where(graph, subject, predicate)
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
        graph = packaged_graph()
    characteristics = _characteristics(graph)
    modes = _modes(graph, characteristics)
    mode_of = {URIRef(m.uri): m.key for m in modes}
    levels = _vocabulary(graph, SG.Level)
    level_of = {URIRef(level.uri): level.key for level in levels}
    # read in this order, so that of two faults the same one is reported first
    rule_parameters = _rule_parameters(graph, mode_of)
    severities = _severities(graph, mode_of)
    weights = _weights(graph)
    recommendations = _recommendations(graph, mode_of, level_of)
    clause_types = _vocabulary(graph, SG.ClauseType, mode_of)
    clause_sets = _clause_sets(graph, mode_of, {URIRef(c.uri): c.key for c in clause_types})
    version = graph.value(ONTOLOGY_IRI, OWL.versionInfo)
    has_header = (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in graph
    return OntologyData(
        uri=str(ONTOLOGY_IRI) if has_header else None,
        version=str(version) if version is not None else None,
        characteristics=characteristics,
        modes=modes,
        clause_types=clause_types,
        levels=levels,
        selection_bases=_vocabulary(graph, SG.SelectionBasis),
        retained_function_types=_vocabulary(graph, SG.RetainedFunctionType),
        rule_parameters=rule_parameters,
        severities=severities,
        weights=weights,
        recommendations=recommendations,
        severity_levels=_vocabulary(graph, SG.SeverityLevel),
        clause_sets=clause_sets,
        rules=_rules(graph),
        mismatch_directions=_vocabulary(graph, SG.MismatchDirection),
        finding_reasons=_vocabulary(graph, SG.FindingReason),
        mode_bases=_vocabulary(graph, SG.ModeBasis),
        exit_risks=_exit_risks(graph),
    )


def _exit_risks(graph: Graph) -> tuple[ExitRiskInfo, ...]:
    """D5: the finding reasons with a B_07.01 code (``sg:exitRiskCode``), by column and key; each
    names its column and contract property too."""
    found = []
    for subject in _individuals(graph, SG.FindingReason):
        code = _one_literal(graph, subject, SG.exitRiskCode, str, required=False)
        if code is None:
            continue
        found.append(
            ExitRiskInfo(
                reason=_key(graph, subject),
                column=str(_one_literal(graph, subject, SG.exitRiskColumn, str)),
                property=str(_one_literal(graph, subject, SG.exitRiskProperty, str)),
                code=str(code),
            )
        )
    return tuple(sorted(found, key=lambda r: (r.column, r.reason)))


def _rules(graph: Graph) -> tuple[RuleInfo, ...]:
    """The analysis rules (``sg:Rule``) with their finding sentence templates, by key."""
    rules = [
        RuleInfo(
            **_term(graph, subject),  # type: ignore[arg-type]
            key=_key(graph, subject),
            templates=_by_language(graph, subject, SG.findingText),
        )
        for subject in _individuals(graph, SG.Rule)
    ]
    _check_unique_keys(SG.Rule, [r.key for r in rules])
    return tuple(sorted(rules, key=lambda r: r.key))


def _characteristics(graph: Graph) -> tuple[Characteristic, ...]:
    """The characteristics of the modes (sub-properties of ``sg:characteristic``), in order."""
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
    return tuple(characteristics)


def _modes(graph: Graph, characteristics: tuple[Characteristic, ...]) -> tuple[ModeInfo, ...]:
    """The collaboration modes, by rank (at least one; keys and ranks unique)."""
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
    return tuple(modes)


def _rule_parameters(graph: Graph, mode_of: dict[URIRef, str]) -> tuple[RuleParameterInfo, ...]:
    """The rule parameters (R1's internal supplier mode, the not-recorded words), by key."""
    parameters = []
    for subject in _individuals(graph, SG.RuleParameter):
        parameters.append(
            RuleParameterInfo(
                **_term(graph, subject),  # type: ignore[arg-type]
                key=_key(graph, subject),
                mode=_mode_ref(graph, subject, SG.setsMode, mode_of, False),
                aliases=_aliases(graph, subject),
                days=_one_literal(graph, subject, SG.days, int, required=False),  # type: ignore[arg-type]
            )
        )
    _check_unique_keys(SG.RuleParameter, [p.key for p in parameters])
    return tuple(sorted(parameters, key=lambda p: p.key))


def _severities(graph: Graph, mode_of: dict[URIRef, str]) -> tuple[SeverityInfo, ...]:
    """The R3 rows: each between two different modes, by mode pair."""
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
    return tuple(severities)


def _weights(graph: Graph) -> tuple[WeightInfo, ...]:
    """The R5 rows, by measure."""
    weights = []
    for subject in _individuals(graph, SG.CoordinationWeight):
        measure = _one_literal(graph, subject, SG.measure, str)
        weight = _one_literal(graph, subject, SG.weight, float)
        weights.append(
            WeightInfo(**_term(graph, subject), measure=measure, weight=weight)  # type: ignore[arg-type]
        )
    weights.sort(key=lambda w: w.measure)
    return tuple(weights)


def _recommendations(
    graph: Graph, mode_of: dict[URIRef, str], level_of: dict[URIRef, str]
) -> tuple[RecommendationInfo, ...]:
    """The R7 rows, by priority; their conditions name levels of ``level_of``."""
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
    return tuple(recommendations)


_CLAUSE_SET_KINDS = (("enabling", SG.EnablingClauses), ("blocking", SG.BlockingClauses))


def _clause_sets(
    graph: Graph, mode_of: dict[URIRef, str], clause_of: dict[URIRef, str]
) -> tuple[ClauseSetInfo, ...]:
    """R13's enabling and blocking clause sets: each names its target mode and a list (an RDF
    list, possibly empty) of clause types; by kind, then target mode."""
    sets = []
    for kind, cls in _CLAUSE_SET_KINDS:
        for subject in _individuals(graph, cls):
            mode = _mode_ref(graph, subject, SG.forTarget, mode_of, True)
            head = _one_resource_or_list(graph, subject)
            clauses = []
            for item in Collection(graph, head) if isinstance(head, (BNode, URIRef)) else []:
                if item not in clause_of:
                    raise OntologyError(
                        f"{_name(graph, subject)} sg:clauseTypes names {_name(graph, item)}, "
                        "which is not a clause type (sg:ClauseType with sg:key)"
                    )
                clauses.append(clause_of[item])  # type: ignore[index]
            sets.append(
                ClauseSetInfo(
                    **_term(graph, subject),  # type: ignore[arg-type]
                    kind=kind,
                    mode=mode,  # type: ignore[arg-type]
                    clauses=tuple(sorted(set(clauses))),
                )
            )
    return tuple(sets)


def _one_resource_or_list(graph: Graph, subject: URIRef) -> object | None:
    """The one value of ``sg:clauseTypes`` (an RDF list's head: ``rdf:nil`` or a blank node)."""
    values = list(graph.objects(subject, SG.clauseTypes))
    value = _single(graph, subject, SG.clauseTypes, values, True, "exactly one (a list)")
    if value != RDF.nil and not isinstance(value, BNode):
        where = _where(graph, subject, SG.clauseTypes)
        raise OntologyError(
            f"{where} must be a list such as ( sg:SlaClause ), not {_name(graph, value)}"
        )
    return value
