"""The labels the Neo4j store writes, their unique keys, and the uniqueness constraints on them.

The shape is documented in ``docs/schema.md``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from neo4j.exceptions import ClientError

from sourcing_graph.queries.statements import statements

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
    "ClauseSet": "uri",
    "Level": "key",
    "SeverityLevel": "key",
    "MismatchDirection": "key",
    "FindingReason": "key",
    "ModeBasis": "key",
    "Rule": "key",
}
"""Every label the ontology loader writes, with the property its nodes are merged on. Every
ontology node also carries :data:`ONTOLOGY_TERM`."""

ONTOLOGY_TERM = "OntologyTerm"
"""The label every ontology node carries besides its own: the register is the rest."""

ONTOLOGY_RELATIONSHIPS: dict[str, tuple[str, str]] = {
    "HAS_CHARACTERISTIC": ("CollaborationMode", "ModeCharacteristic"),
    "SIGNALS": ("ClauseType", "CollaborationMode"),
    "FORCES": ("ClauseType", "CollaborationMode"),
    "SETS_MODE": ("RuleParameter", "CollaborationMode"),
    "BETWEEN": ("MismatchSeverity", "CollaborationMode"),
    "RECOMMENDS": ("ModeRecommendation", "CollaborationMode"),
    "FOR_TARGET": ("ClauseSet", "CollaborationMode"),
    "INCLUDES": ("ClauseSet", "ClauseType"),
}
"""Every relationship type the ontology loader writes: (from label, to label)."""

REGISTER_KEYS: dict[str, str] = {
    "Organisation": "id",
    "Lot": "id",
    "Function": "id",
    "Contract": "id",
}
"""The register labels and their unique key (constraints made by :func:`ensure_constraints`)."""

CONCLUSION_KEYS: dict[str, str] = {"Finding": "key"}
"""The conclusion labels the store writes with every load or refresh, and their unique key."""

VERSION_PROPERTY = "loadId"
"""The property naming the load (the version) a register node or finding belongs to: its key is
unique per version, (key, loadId), so that a batched load can stage a new version of the register
beside the one readers see (:mod:`~sourcing_graph.graph.neo4j.batched`). Nodes written by the
single-transaction load carry none until a batched load adopts them."""

VERSIONED_KEYS: dict[str, str] = {**REGISTER_KEYS, **CONCLUSION_KEYS}
"""The labels whose key is unique per version (with :data:`VERSION_PROPERTY`), and their key; each
also has a range index on its key alone (the lookups of the single-transaction load)."""

BOOKKEEPING_KEYS: dict[str, str] = {"SourcingGraphMeta": "key"}
"""The store's bookkeeping node (the last load's id, the load lock) and its unique key."""

PROPERTY_INDEXES: tuple[tuple[str, str], ...] = (
    ("Contract", "selectionBasis"),
    ("Contract", "effectiveMode"),
    ("Finding", "rule"),
)
"""(label, property) of the range indexes (not unique) :func:`ensure_constraints` makes too:
the filters of R10 (``selectionBasis``), R11 and R12 (``effectiveMode``) and the read of one
rule's stored findings (``Finding.rule``)."""


# Further unique properties of ontology labels (besides the merge key): every node's uri, and the
# natural keys of the rule rows.
_EXTRA_UNIQUE: dict[str, tuple[str, ...]] = {
    "ModeRecommendation": ("priority",),
}


def unique_properties() -> list[tuple[str, str]]:
    """(label, property) for every uniqueness constraint the store wants."""
    wanted: list[tuple[str, str]] = []
    for label, key in ONTOLOGY_LABELS.items():
        wanted.append((label, key))
        if key != "uri":
            wanted.append((label, "uri"))
        wanted.extend((label, prop) for prop in _EXTRA_UNIQUE.get(label, ()))
    wanted.extend(BOOKKEEPING_KEYS.items())
    return wanted


def constraint_name(label: str, prop: str) -> str:
    """``collaboration_mode_key_unique`` for ``("CollaborationMode", "key")``."""
    return f"{_snake(label)}_{_snake(prop)}_unique"


def _constraint_statement(label: str, prop: str) -> str:
    # The one statement made here, not in queries/: Cypher takes neither a label nor a property
    # name as a parameter. Both come from the constant tables above, never from user data.
    return (
        f"CREATE CONSTRAINT {constraint_name(label, prop)} IF NOT EXISTS "
        f"FOR (n:{label}) REQUIRE n.{prop} IS UNIQUE"
    )


def _versioned_statement(label: str, prop: str) -> str:
    # As _constraint_statement: the label and property come from VERSIONED_KEYS only.
    return (
        f"CREATE CONSTRAINT {constraint_name(label, prop)} IF NOT EXISTS "
        f"FOR (n:{label}) REQUIRE (n.{prop}, n.{VERSION_PROPERTY}) IS UNIQUE"
    )


def index_name(label: str, prop: str) -> str:
    """``contract_selection_basis_index`` for ``("Contract", "selectionBasis")``."""
    return f"{_snake(label)}_{_snake(prop)}_index"


def _index_statement(label: str, prop: str) -> str:
    # As _constraint_statement: the label and property come from PROPERTY_INDEXES only.
    return f"CREATE INDEX {index_name(label, prop)} IF NOT EXISTS FOR (n:{label}) ON (n.{prop})"


def _create(session: Any, statement: str) -> None:
    try:
        session.run(statement).consume()
    except ClientError as exc:  # an equivalent index or constraint under another name
        if "AlreadyExists" not in (exc.code or "") and "already exists" not in str(exc):
            raise


def _snake(name: str) -> str:
    out = []
    for i, ch in enumerate(name):
        if ch.isupper() and i:
            out.append("_")
        out.append(ch.lower())
    return "".join(out)


UNIQUE_KINDS = frozenset({"UNIQUENESS", "NODE_PROPERTY_UNIQUENESS", "NODE_KEY"})
"""The ``SHOW CONSTRAINTS`` types that make node properties unique: Neo4j 5 says ``UNIQUENESS``,
newer servers (Cypher 25) ``NODE_PROPERTY_UNIQUENESS``; both say ``NODE_KEY``."""


def unique_keys(rows: Iterable[Any]) -> set[tuple[tuple[str, ...], tuple[str, ...]]]:
    """(labels, properties) of each node uniqueness constraint or node key among the rows of
    ``SHOW CONSTRAINTS`` (``labels``, ``props``, ``type``)."""
    return {
        (tuple(row["labels"] or ()), tuple(row["props"] or ()))
        for row in rows
        if row["type"] in UNIQUE_KINDS
    }


def ensure_constraints(driver: Any, database: str | None = None) -> list[str]:
    """Create the uniqueness constraints (idempotent); returns the names of those now present.

    One per ontology label on its merge key and on ``uri`` (plus ``ModeRecommendation.priority``),
    one per register label on ``(id, loadId)`` (``Organisation``, ``Lot``, ``Function``,
    ``Contract``) and one on ``Finding (key, loadId)`` (:data:`VERSIONED_KEYS`; such a constraint
    on the key alone, made before, is replaced); and the range indexes of
    :data:`PROPERTY_INDEXES` and of each versioned key alone (their names too).
    A constraint or index that already exists (under any name) is left alone: nothing is sent
    then, so a read-only database (which refuses even ``IF NOT EXISTS``) raises nothing here.
    """
    with driver.session(database=database) as session:
        existing = unique_keys(session.run(statements("schema")["constraints"]))
        indexed = {
            (tuple(row["labels"] or ()), tuple(row["props"] or ()))
            for row in session.run(statements("schema")["range-indexes"])
        }
        names = []
        for label, prop in unique_properties():
            names.append(constraint_name(label, prop))
            if ((label,), (prop,)) in existing:
                continue
            _create(session, _constraint_statement(label, prop))
        for label, prop in VERSIONED_KEYS.items():
            names.append(constraint_name(label, prop))
            if ((label,), (prop, VERSION_PROPERTY)) not in existing:
                if ((label,), (prop,)) in existing:  # the unique key of before versions
                    session.run(
                        f"DROP CONSTRAINT {constraint_name(label, prop)} IF EXISTS"
                    ).consume()
                    indexed.discard(((label,), (prop,)))  # its index went with it
                _create(session, _versioned_statement(label, prop))
        for label, prop in (*PROPERTY_INDEXES, *VERSIONED_KEYS.items()):
            names.append(index_name(label, prop))
            if ((label,), (prop,)) in indexed:
                continue
            _create(session, _index_statement(label, prop))
    return names
