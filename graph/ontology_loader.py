"""Write the ontology (modes, clause types, rule parameters) into Neo4j, where Cypher can join it.

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

Loading is idempotent and replaces the previous ontology in ONE transaction: nodes are merged
on their key (so register relationships such as ``DECLARED_MODE`` and ``HAS_CLAUSE`` survive),
their properties replaced, the ontology's own relationships rewritten, and ontology nodes that
the new data no longer has deleted. All values travel as query parameters.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from rdflib import Graph

from sourcing_graph.errors import OntologyError
from sourcing_graph.ontology.rules import (
    OntologyData,
    Term,
    normalise_word,
    ontology_graph,
    read_ontology,
    rules_from_data,
)

__all__ = [
    "BOOKKEEPING_KEYS",
    "ONTOLOGY_LABELS",
    "ONTOLOGY_RELATIONSHIPS",
    "REGISTER_KEYS",
    "ensure_constraints",
    "load_ontology",
    "ontology_writer",
    "ontology_rows",
]

# label -> the property a node of that label is merged on (unique)
ONTOLOGY_LABELS: dict[str, str] = {
    "Ontology": "uri",
    "CollaborationMode": "key",
    "ModeCharacteristic": "key",
    "ClauseType": "key",
    "RetainedFunctionType": "key",
    "RuleParameter": "key",
    "MismatchSeverity": "uri",
    "CoordinationWeight": "measure",
    "ModeRecommendation": "uri",
}
"""Every label the ontology loader writes, with the property its nodes are merged on."""

ONTOLOGY_RELATIONSHIPS: dict[str, tuple[str, str]] = {
    "HAS_CHARACTERISTIC": ("CollaborationMode", "ModeCharacteristic"),
    "SIGNALS": ("ClauseType", "CollaborationMode"),
    "FORCES": ("ClauseType", "CollaborationMode"),
    "SETS_MODE": ("RuleParameter", "CollaborationMode"),
    "BETWEEN": ("MismatchSeverity", "CollaborationMode"),
    "RECOMMENDS": ("ModeRecommendation", "CollaborationMode"),
}
"""Every relationship type the ontology loader writes: (from label, to label)."""

REGISTER_KEYS: dict[str, str] = {
    "Organisation": "id",
    "Lot": "id",
    "Function": "id",
    "Contract": "id",
}
"""The register labels and their unique key (constraints made by :func:`ensure_constraints`)."""

BOOKKEEPING_KEYS: dict[str, str] = {"SourcingGraphMeta": "key"}
"""The store's bookkeeping node (the last load's id, the load lock) and its unique key."""

# Further unique properties of ontology labels (besides the merge key): every node's uri, and the
# natural keys of the rule rows.
_EXTRA_UNIQUE: dict[str, tuple[str, ...]] = {
    "ModeRecommendation": ("priority",),
}


def _constraint_statements() -> list[tuple[str, str, str, str]]:
    """(name, label, property, cypher) for every uniqueness constraint."""
    wanted: list[tuple[str, str]] = []
    for label, key in ONTOLOGY_LABELS.items():
        wanted.append((label, key))
        if key != "uri":
            wanted.append((label, "uri"))
        wanted.extend((label, prop) for prop in _EXTRA_UNIQUE.get(label, ()))
    wanted.extend(REGISTER_KEYS.items())
    wanted.extend(BOOKKEEPING_KEYS.items())
    statements = []
    for label, prop in wanted:
        name = f"{_snake(label)}_{_snake(prop)}_unique"
        # Labels and property names are constants of this module, never user data.
        cypher = (
            f"CREATE CONSTRAINT {name} IF NOT EXISTS FOR (n:{label}) REQUIRE n.{prop} IS UNIQUE"
        )
        statements.append((name, label, prop, cypher))
    return statements


def _snake(name: str) -> str:
    out = []
    for i, ch in enumerate(name):
        if ch.isupper() and i:
            out.append("_")
        out.append(ch.lower())
    return "".join(out)


def ensure_constraints(driver: Any, database: str | None = None) -> list[str]:
    """Create the uniqueness constraints (idempotent); returns the names of those now present.

    One per ontology label on its merge key and on ``uri`` (plus ``ModeRecommendation.priority``),
    and one per register label on ``id`` (``Organisation``, ``Lot``, ``Function``, ``Contract``).
    A constraint that already exists under another name is left alone.
    """
    from neo4j.exceptions import ClientError

    with driver.session(database=database) as session:
        existing = {
            (tuple(row["labels"] or ()), tuple(row["props"] or ()))
            for row in session.run(
                "SHOW CONSTRAINTS YIELD labelsOrTypes AS labels, properties AS props, type "
                "WHERE type IN ['UNIQUENESS', 'NODE_KEY'] RETURN labels, props"
            )
        }
        names = []
        for name, label, prop, cypher in _constraint_statements():
            if ((label,), (prop,)) in existing:
                names.append(name)
                continue
            try:
                session.run(cypher).consume()
            except ClientError as exc:  # an equivalent index or constraint under another name
                if "AlreadyExists" not in (exc.code or "") and "already exists" not in str(exc):
                    raise
            names.append(name)
    return names


# ------------------------------------------------------------------------------------------------
# OntologyData -> rows
# ------------------------------------------------------------------------------------------------


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


def ontology_rows(
    data: OntologyData,
) -> tuple[dict[str, list[dict[str, Any]]], dict[str, list[dict[str, Any]]]]:
    """The nodes (label -> rows of ``{"key": merge value, "props": {...}}``) and relationships
    (type -> rows of ``{"from": key, "to": key, "props": {...}}``) the loader writes."""
    nodes: dict[str, list[dict[str, Any]]] = {label: [] for label in ONTOLOGY_LABELS}
    rels: dict[str, list[dict[str, Any]]] = {rel: [] for rel in ONTOLOGY_RELATIONSHIPS}

    def node(label: str, props: dict[str, Any]) -> None:
        props = _props(props)
        nodes[label].append({"key": props[ONTOLOGY_LABELS[label]], "props": props})

    def rel(kind: str, source: Any, target: Any, props: dict[str, Any] | None = None) -> None:
        rels[kind].append({"from": source, "to": target, "props": _props(props or {})})

    if data.uri is not None:
        node("Ontology", {"uri": data.uri, "version": data.version})

    for characteristic in data.characteristics:
        node(
            "ModeCharacteristic",
            {**_texts(characteristic), "key": characteristic.key, "order": characteristic.order},
        )
    for mode in data.modes:
        node(
            "CollaborationMode",
            {**_texts(mode), "key": mode.key, "rank": mode.rank, "aliases": list(mode.aliases)},
        )
        for key, values in sorted(mode.characteristics.items()):
            rel(
                "HAS_CHARACTERISTIC",
                mode.key,
                key,
                {"valueNl": values.get("nl"), "valueEn": values.get("en")},
            )
    for clause in data.clause_types:
        node(
            "ClauseType",
            {
                **_texts(clause),
                "key": clause.key,
                "aliases": list(clause.aliases),
                "words": _words(clause.key, clause.aliases),
            },
        )
        if clause.signals is not None:
            rel("SIGNALS", clause.key, clause.signals)
        if clause.forces is not None:
            rel("FORCES", clause.key, clause.forces)
    for function in data.retained_function_types:
        node(
            "RetainedFunctionType",
            {
                **_texts(function),
                "key": function.key,
                "aliases": list(function.aliases),
                "words": _words(function.key, function.aliases),
            },
        )
    for parameter in data.rule_parameters:
        node(
            "RuleParameter",
            {**_texts(parameter), "key": parameter.key, "aliases": list(parameter.aliases)},
        )
        if parameter.mode is not None:
            rel("SETS_MODE", parameter.key, parameter.mode)
    for severity in data.severities:
        node(
            "MismatchSeverity",
            {
                **_texts(severity),
                "severity": severity.severity,
                "rank": severity.rank,
                "modes": list(severity.modes),
            },
        )
        for mode_key in severity.modes:
            rel("BETWEEN", severity.uri, mode_key)
    for weight in data.weights:
        node(
            "CoordinationWeight",
            {**_texts(weight), "measure": weight.measure, "weight": weight.weight},
        )
    for recommendation in data.recommendations:
        row = recommendation.recommendation
        node(
            "ModeRecommendation",
            {
                **_texts(recommendation),
                "priority": row.priority,
                "whenComplexity": row.complexity,
                "whenDynamics": row.dynamics,
                "whenCommodity": row.commodity,
            },
        )
        rel("RECOMMENDS", recommendation.uri, row.mode)
    return nodes, rels


# ------------------------------------------------------------------------------------------------
# Writing
# ------------------------------------------------------------------------------------------------


def _statements() -> tuple[dict[str, str], dict[str, str], dict[str, str], dict[str, str]]:
    """Parameterised Cypher per label / relationship type (labels and keys are constants)."""
    delete_stale = {
        label: (f"MATCH (n:{label}) WHERE n.{key} IS NULL OR NOT n.{key} IN $keys DETACH DELETE n")
        for label, key in ONTOLOGY_LABELS.items()
    }
    # Keeps only the merge key, so that values moving between nodes (a swapped priority, a uri
    # given to another key) never meet a uniqueness constraint half-way through the rewrite.
    strip = {
        label: f"MATCH (n:{label}) SET n = {{{key}: n.{key}}}"
        for label, key in ONTOLOGY_LABELS.items()
    }
    merge = {
        label: f"UNWIND $rows AS row MERGE (n:{label} {{{key}: row.key}}) SET n = row.props"
        for label, key in ONTOLOGY_LABELS.items()
    }
    create = {}
    for rel, (source, target) in ONTOLOGY_RELATIONSHIPS.items():
        source_key = ONTOLOGY_LABELS[source]
        target_key = ONTOLOGY_LABELS[target]
        create[rel] = (
            f"UNWIND $rows AS row "
            f"MATCH (a:{source} {{{source_key}: row.from}}) "
            f"MATCH (b:{target} {{{target_key}: row.to}}) "
            f"CREATE (a)-[r:{rel}]->(b) SET r = row.props"
        )
    return delete_stale, strip, merge, create


_DELETE_STALE, _STRIP, _MERGE, _CREATE = _statements()
_DELETE_RELATIONSHIPS = "MATCH ()-[r:" + "|".join(ONTOLOGY_RELATIONSHIPS) + "]->() DELETE r"


def ontology_writer(
    rules_graph: Graph | str | Path | None = None, *, replace: bool = False
) -> tuple[Callable[[Any], None], dict[str, int]]:
    """Check the ontology data and return ``(write, counts)``: ``write(tx)`` writes it in the
    caller's transaction (so a register load can write ontology and register atomically) and
    ``counts`` is what :func:`load_ontology` returns. Arguments as :func:`load_ontology`'s; an
    :class:`OntologyError` is raised here, before anything is written.
    """
    if rules_graph is None and not replace:
        data = read_ontology()
    else:
        if rules_graph is None:
            raise OntologyError("replace=True needs the ontology data to use instead")
        data = read_ontology(ontology_graph(rules_graph, replace=replace))
    rules_from_data(data)  # the same checks as load_rules: never write half-usable rules
    nodes, rels = ontology_rows(data)

    def write(tx: Any) -> None:
        for label, rows in nodes.items():
            tx.run(_DELETE_STALE[label], keys=[row["key"] for row in rows]).consume()
        tx.run(_DELETE_RELATIONSHIPS).consume()
        for label in nodes:
            tx.run(_STRIP[label]).consume()
        for label, rows in nodes.items():
            if rows:
                tx.run(_MERGE[label], rows=rows).consume()
        for rel, rows in rels.items():
            if rows:
                tx.run(_CREATE[rel], rows=rows).consume()

    counts = {label: len(rows) for label, rows in nodes.items()}
    counts.update({rel: len(rows) for rel, rows in rels.items()})
    return write, counts


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
    """
    write, counts = ontology_writer(rules_graph, replace=replace)
    if constraints:
        ensure_constraints(driver, database)
    with driver.session(database=database) as session:
        session.execute_write(write)
    return counts
