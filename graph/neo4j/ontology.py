"""Writing the ontology (modes, clause types, rule parameters) into Neo4j, where Cypher can join it.

The shape is documented in ``docs/schema.md`` ("Ontology nodes", "Ontology relationships"):

- ``(:Ontology {uri, version, labelNl, labelEn})``
- ``(:CollaborationMode {uri, key, rank, labelNl, labelEn, definitionNl, definitionEn, aliases})``
  ``-[:HAS_CHARACTERISTIC {valueNl, valueEn}]->(:ModeCharacteristic {uri, key, order, ...})``
- ``(:ClauseType {uri, key, ..., aliases, words})-[:SIGNALS|FORCES]->(:CollaborationMode)``
- ``(:RetainedFunctionType {uri, key, ..., aliases, words})``
- ``(:RuleParameter {uri, key, ...})-[:SETS_MODE]->(:CollaborationMode)``
- ``(:MismatchSeverity {uri, severity, rank, modes})-[:BETWEEN]->(:CollaborationMode)`` (two)
- ``(:CoordinationWeight {uri, measure, weight})``
- ``(:ModeRecommendation {uri, priority, whenComplexity?, whenDynamics?, whenCommodity?})``
  ``-[:RECOMMENDS]->(:CollaborationMode)``
- ``(:ClauseSet {uri, kind})-[:FOR_TARGET]->(:CollaborationMode)``, ``-[:INCLUDES]->(:ClauseType)``
  (R13: ``kind`` ``enabling`` or ``blocking``)
- ``(:Level|SeverityLevel|MismatchDirection|FindingReason|ModeBasis {uri, key, ...})``: the
  words of levels and of the conclusions (a D5 reason also ``exitRiskColumn``,
  ``exitRiskProperty``, ``exitRiskCode``)
- ``(:Rule {uri, key, labelNl, labelEn, definitionNl, definitionEn, findingTextNl?, findingTextEn?})``

Every node also carries the label ``OntologyTerm``. Vocabulary nodes (modes, clause types,
levels, severity levels, directions, reasons, mode bases) carry ``wordNl`` and ``wordEn`` (their
Dutch and English labels) and ``words`` (key, aliases and both labels, normalised as the readers
normalise), so Cypher can match either language: ``WHERE 'hoog' IN l.words``.

Loading is idempotent and replaces the previous ontology in ONE transaction: nodes are merged
on their key (so register relationships such as ``DECLARED_MODE`` and ``HAS_CLAUSE`` survive),
their properties replaced, the ontology's own relationships rewritten, and ontology nodes that
the new data no longer has deleted. All values travel as query parameters.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, NamedTuple

from rdflib import Graph

from sourcing_graph.errors import OntologyError
from sourcing_graph.graph.neo4j.digest import ontology_rows_digest
from sourcing_graph.graph.neo4j.schema import (
    ONTOLOGY_LABELS,
    ONTOLOGY_RELATIONSHIPS,
    ensure_constraints,
)
from sourcing_graph.ontology.rules import (
    ModeInfo,
    OntologyData,
    Rules,
    Term,
    VocabularyInfo,
    normalise_word,
    ontology_graph,
    read_ontology,
    rules_from_data,
)
from sourcing_graph.queries.statements import statements

Rows = dict[str, list[dict[str, Any]]]
"""Label (or relationship type) -> the rows written for it."""


def _texts(term: Term) -> dict[str, Any]:
    return {
        "uri": term.uri,
        "labelNl": term.labels.get("nl"),
        "labelEn": term.labels.get("en"),
        "definitionNl": term.definitions.get("nl"),
        "definitionEn": term.definitions.get("en"),
    }


def _props(values: dict[str, Any]) -> dict[str, Any]:
    """Drop absent values and empty lists (Neo4j has no null properties)."""
    return {k: v for k, v in values.items() if v is not None and v != []}


def _words(key: str, aliases: Iterable[str]) -> list[str]:
    return sorted({normalise_word(key), *(normalise_word(a) for a in aliases)})


def _vocabulary_props(item: ModeInfo | VocabularyInfo) -> dict[str, Any]:
    """A vocabulary node's texts, key, aliases and words in both languages."""
    labels = [item.labels[lang] for lang in ("nl", "en") if lang in item.labels]
    return {
        **_texts(item),
        "key": item.key,
        "aliases": list(item.aliases),
        "words": _words(item.key, [*item.aliases, *labels]),
        "wordNl": item.labels.get("nl"),
        "wordEn": item.labels.get("en"),
    }


class _Collector:
    """The rows of the nodes and relationships, as they are added."""

    def __init__(self) -> None:
        self.nodes: Rows = {label: [] for label in ONTOLOGY_LABELS}
        self.rels: Rows = {rel: [] for rel in ONTOLOGY_RELATIONSHIPS}

    def node(self, label: str, props: dict[str, Any]) -> None:
        props = _props(props)
        self.nodes[label].append({"key": props[ONTOLOGY_LABELS[label]], "props": props})

    def rel(self, kind: str, source: Any, target: Any, props: dict[str, Any] | None = None) -> None:
        self.rels[kind].append({"from": source, "to": target, "props": _props(props or {})})


def ontology_rows(data: OntologyData) -> tuple[Rows, Rows]:
    """The nodes (label -> rows of ``{"key": merge value, "props": {...}}``) and relationships
    (type -> rows of ``{"from": key, "to": key, "props": {...}}``) the loader writes."""
    rows = _Collector()
    if data.uri is not None:
        rows.node("Ontology", {"uri": data.uri, "version": data.version})
    _add_modes(rows, data)
    _add_vocabulary(rows, data)
    _add_rule_rows(rows, data)
    return rows.nodes, rows.rels


def _add_modes(rows: _Collector, data: OntologyData) -> None:
    """The collaboration modes and their characteristics."""
    for characteristic in data.characteristics:
        rows.node(
            "ModeCharacteristic",
            {**_texts(characteristic), "key": characteristic.key, "order": characteristic.order},
        )
    for mode in data.modes:
        rows.node("CollaborationMode", {**_vocabulary_props(mode), "rank": mode.rank})
        for key, values in sorted(mode.characteristics.items()):
            rows.rel(
                "HAS_CHARACTERISTIC",
                mode.key,
                key,
                {"valueNl": values.get("nl"), "valueEn": values.get("en")},
            )


def _exit_risk_props(data: OntologyData) -> dict[str, dict[str, str]]:
    """D5: the B_07.01 column, contract property and code of each finding reason that has one."""
    return {
        r.reason: {
            "exitRiskColumn": r.column,
            "exitRiskProperty": r.property,
            "exitRiskCode": r.code,
        }
        for r in data.exit_risks
    }


def _add_vocabulary(rows: _Collector, data: OntologyData) -> None:
    """The words a register uses: clause types, retained function types, rule parameters."""
    exits = _exit_risk_props(data)
    for clause in data.clause_types:
        rows.node("ClauseType", _vocabulary_props(clause))
        if clause.signals is not None:
            rows.rel("SIGNALS", clause.key, clause.signals)
        if clause.forces is not None:
            rows.rel("FORCES", clause.key, clause.forces)
    for function in data.retained_function_types:
        rows.node(
            "RetainedFunctionType",
            {
                **_texts(function),
                "key": function.key,
                "aliases": list(function.aliases),
                "words": _words(function.key, function.aliases),
            },
        )
    for parameter in data.rule_parameters:
        rows.node(
            "RuleParameter",
            {
                **_texts(parameter),
                "key": parameter.key,
                "aliases": list(parameter.aliases),
                "days": parameter.days,
            },
        )
        if parameter.mode is not None:
            rows.rel("SETS_MODE", parameter.key, parameter.mode)
    for label, items in (
        ("Level", data.levels),
        ("SeverityLevel", data.severity_levels),
        ("MismatchDirection", data.mismatch_directions),
        ("FindingReason", data.finding_reasons),
        ("ModeBasis", data.mode_bases),
    ):
        for item in items:
            extra = exits.get(item.key, {}) if label == "FindingReason" else {}
            rows.node(label, {**_vocabulary_props(item), **extra})
    for rule in data.rules:
        rows.node(
            "Rule",
            {
                **_texts(rule),
                "key": rule.key,
                "findingTextNl": rule.templates.get("nl"),
                "findingTextEn": rule.templates.get("en"),
            },
        )


def _add_rule_rows(rows: _Collector, data: OntologyData) -> None:
    """The rule data: mismatch severities, coordination weights, mode recommendations."""
    for severity in data.severities:
        rows.node(
            "MismatchSeverity",
            {
                **_texts(severity),
                "severity": severity.severity,
                "rank": severity.rank,
                "modes": list(severity.modes),
            },
        )
        for mode_key in severity.modes:
            rows.rel("BETWEEN", severity.uri, mode_key)
    for weight in data.weights:
        rows.node(
            "CoordinationWeight",
            {**_texts(weight), "measure": weight.measure, "weight": weight.weight},
        )
    for recommendation in data.recommendations:
        row = recommendation.recommendation
        rows.node(
            "ModeRecommendation",
            {
                **_texts(recommendation),
                "priority": row.priority,
                "whenComplexity": row.complexity,
                "whenDynamics": row.dynamics,
                "whenCommodity": row.commodity,
            },
        )
        rows.rel("RECOMMENDS", recommendation.uri, row.mode)
    _add_clause_sets(rows, data)


def _add_clause_sets(rows: _Collector, data: OntologyData) -> None:
    """R13: the enabling and blocking clause types of each target mode."""
    for clause_set in data.clause_sets:
        rows.node("ClauseSet", {**_texts(clause_set), "kind": clause_set.kind})
        rows.rel("FOR_TARGET", clause_set.uri, clause_set.mode)
        for clause in clause_set.clauses:
            rows.rel("INCLUDES", clause_set.uri, clause)


def _write(tx: Any, nodes: Rows, rels: Rows) -> None:
    """Replace the ontology by ``nodes`` and ``rels`` in the transaction ``tx``."""
    cypher = statements("ontology")
    for label, rows in nodes.items():
        tx.run(cypher[f"stale:{label}"], keys=[row["key"] for row in rows]).consume()
    tx.run(cypher["unrelate"]).consume()
    for label in nodes:
        tx.run(cypher[f"strip:{label}"]).consume()
    for label, rows in nodes.items():
        if rows:
            tx.run(cypher[f"merge:{label}"], rows=rows).consume()
    for rel, rows in rels.items():
        if rows:
            tx.run(cypher[f"relate:{rel}"], rows=rows).consume()


class OntologyWriter(NamedTuple):
    """What :func:`ontology_writer` gives."""

    write: Callable[[Any], None]
    """Writes the ontology in the caller's transaction."""
    counts: dict[str, int]
    """Nodes per label and relationships per type (what :func:`load_ontology` returns)."""
    digest: str
    """The rules digest the graph has once it is written (:mod:`.digest`)."""
    nodes: Rows
    """The node rows it writes (label -> ``{key, props}``)."""
    rules: Rules
    """The rules of the data it writes (what the engines read from it)."""


def ontology_writer(
    rules_graph: Graph | str | Path | None = None, *, replace: bool = False
) -> OntologyWriter:
    """Check the ontology data and return ``(write, counts, digest)``: ``write(tx)`` writes it in
    the caller's transaction (so a register load can write ontology and register atomically),
    ``counts`` is what :func:`load_ontology` returns and ``digest`` the rules digest of the
    graph afterwards (so a caller can tell that the graph already holds this data). Arguments as
    :func:`load_ontology`'s; an :class:`OntologyError` is raised here, before anything is written.
    """
    if rules_graph is None and not replace:
        data = read_ontology()
    else:
        if rules_graph is None:
            raise OntologyError("replace=True needs the ontology data to use instead")
        data = read_ontology(ontology_graph(rules_graph, replace=replace))
    rules = rules_from_data(data)  # the same checks as load_rules: never write half-usable rules
    nodes, rels = ontology_rows(data)

    def write(tx: Any) -> None:
        _write(tx, nodes, rels)

    counts = {label: len(rows) for label, rows in nodes.items()}
    counts.update({rel: len(rows) for rel, rows in rels.items()})
    return OntologyWriter(write, counts, ontology_rows_digest(nodes, rels), nodes, rules)


def load_ontology(
    driver: Any,
    database: str | None = None,
    rules_graph: Graph | str | Path | None = None,
    *,
    replace: bool = False,
    constraints: bool = True,
) -> dict[str, int]:
    """Write the ontology into Neo4j and return how many nodes per label and relationships per
    type it now holds (e.g. ``{"CollaborationMode": 3, "SIGNALS": 9, ...}``).

    ``rules_graph`` changes the ontology data the way :func:`~sourcing_graph.ontology.rules.
    load_rules` does (a Turtle file, Turtle text or an rdflib Graph overriding the packaged
    values; with ``replace=True`` the whole ontology). The data is checked with the same rules as
    ``load_rules`` first (an :class:`OntologyError` writes nothing). ``constraints`` first runs
    :func:`ensure_constraints`. Loading the same data twice gives the identical graph; loading
    changed data updates values and removes ontology nodes the data no longer has.

    The conclusions stored with a register are not recomputed here: they become stale (reads
    say so) until ``Neo4jStore.refresh()``; ``Neo4jStore.ensure_schema`` does both at once.
    """
    write, counts, _, _, _ = ontology_writer(rules_graph, replace=replace)
    if constraints:
        ensure_constraints(driver, database)
    with driver.session(database=database) as session:
        session.execute_write(write)
    return counts
