"""Digests of what the conclusions were drawn from, computed from the graph, and a cheap first check.

The digest of the register part covers every node labelled ``Organisation``, ``Lot``,
``Function`` or ``Contract`` with its properties (minus the conclusion properties and the load id
of its version, ``loadId``) and its
outgoing relationships (minus ``EFFECTIVE_MODE``, ``RUNS_IN``, ``ABOUT``, ``BY_RULE``); the
digest of the rule data every ``OntologyTerm`` node and the relationships between them. Each is
the sum, modulo 2**128, of the BLAKE2b-128 hashes of one canonical JSON text per node (its sorted
labels, its properties, its sorted relationships): independent of the order Neo4j returns rows
in, so a load, a refresh and any later read compute the same value for the same graph, and any
change (a property, a relationship, a node) changes it.

Reading the whole register costs seconds at 100,000 contracts; :mod:`.freshness` first tries a
cheaper check, and a load computes the register digest from its own rows
(:func:`~sourcing_graph.graph.neo4j.load_plan.planned_register_digest`) when
:func:`register_as_written` says the graph holds nothing else.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from sourcing_graph.graph.conclusions import ORGANISATION_PROPERTIES
from sourcing_graph.graph.neo4j.schema import (
    ONTOLOGY_LABELS,
    ONTOLOGY_RELATIONSHIPS,
    ONTOLOGY_TERM,
    VERSION_PROPERTY,
)
from sourcing_graph.queries.statements import statements

__all__ = [
    "CONCLUSION_PROPERTIES",
    "CONCLUSION_RELATIONSHIPS",
    "Run",
    "canonical",
    "compact_json",
    "item_hash",
    "ontology_rows_digest",
    "register_as_written",
    "register_digest",
    "relationship_head",
    "rows_digest",
    "rules_digest",
    "sum_digest",
    "texts_hash",
]

CONCLUSION_PROPERTIES = frozenset(
    {"effectiveMode", "modeBasis", "mode", "recommendedMode", *ORGANISATION_PROPERTIES}
)
"""The properties the conclusions set on register nodes (not part of the register's digest)."""
CONCLUSION_RELATIONSHIPS = ("EFFECTIVE_MODE", "RUNS_IN", "ABOUT", "BY_RULE")
"""The relationships the conclusions write (not part of the register's digest)."""

_MODULUS = 2**128

Run = Callable[[str, dict[str, Any]], Iterable[Mapping[str, Any]]]
"""Runs one statement (in a transaction or a read session) and gives its records."""


def _plain(value: Any) -> Any:
    iso = getattr(value, "iso_format", None)
    return iso() if callable(iso) else str(value)


def compact_json(*, sort_keys: bool, default: Callable[[Any], Any]) -> Callable[[Any], str]:
    """``json.dumps(value, sort_keys=sort_keys, separators=(",", ":"), ensure_ascii=False,
    default=default)`` as a function made once: the same text, three times faster on the small
    values hashed here (``json.dumps`` with options makes a new encoder, and ``JSONEncoder`` a new
    C encoder, on every call: most of the cost of a short text). Without the C accelerator
    (another Python), ``json.dumps`` itself."""
    make = getattr(json.encoder, "c_make_encoder", None)
    if make is None:  # pragma: no cover - CPython has it
        return lambda value: json.dumps(
            value, sort_keys=sort_keys, separators=(",", ":"), ensure_ascii=False, default=default
        )
    encode = make(
        None, default, json.encoder.encode_basestring, None, ":", ",", sort_keys, False, True
    )
    return lambda value: "".join(encode(value, 0))


_canonical = compact_json(sort_keys=True, default=_plain)


def item_hash(labels: Iterable[str], props: Mapping[str, Any], rels: Iterable[list[Any]]) -> int:
    """The hash of one node with its outgoing relationships, as an integer: its part of a digest
    (:func:`sum_digest`): :func:`texts_hash` of the canonical text of each relationship
    (``[type, end labels, end, properties]``)."""
    return texts_hash(
        sorted(labels),
        props if type(props) is dict else dict(props),
        [_canonical([t, sorted(end_labels), end, p]) for t, end_labels, end, p in rels],
    )


def texts_hash(labels: list[str], props: dict[str, Any], rels: list[str]) -> int:
    """:func:`item_hash` of a node whose relationships are given as their canonical texts
    (sorted here, in place): the hash of the canonical JSON text of ``[sorted labels,
    properties, sorted relationship texts]``."""
    rels.sort()
    text = _canonical([labels, props, rels])
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=16).digest(), "big")


def relationship_head(kind: str, end_labels: Iterable[str], end: Any) -> str:
    """The canonical text of a relationship (:func:`item_hash`) up to its properties:
    ``head + canonical(properties) + "]"`` is its whole text (the encoder writes a list item by
    item), so a load makes the head once per end, the properties' text once per node."""
    return _canonical([kind, sorted(end_labels), end])[:-1] + ","


def canonical(value: Any) -> str:
    """The canonical JSON text of ``value`` the digests hash (sorted keys, no spaces)."""
    return _canonical(value)


def rows_digest(rows: Iterable[Mapping[str, Any]], drop: frozenset[str] = frozenset()) -> str:
    """The digest of ``rows``, each ``{labels, props, rels}`` as the digest statements give them
    (``rels``: ``[type, end labels, end id or key, properties]`` each), ``drop`` left out of the
    properties."""
    return sum_digest(
        item_hash(
            row["labels"],
            {k: v for k, v in row["props"].items() if k not in drop} if drop else row["props"],
            row["rels"],
        )
        for row in rows
    )


def sum_digest(hashes: Iterable[int]) -> str:
    """The digest of the nodes whose :func:`item_hash` are ``hashes``: their sum modulo 2**128."""
    total = 0
    for value in hashes:
        total = (total + value) % _MODULUS
    return f"{total:032x}"


def register_digest(run: Run) -> str:
    """The digest of the register part of the graph (see the module)."""
    rows = run(statements("digest")["register"], {"skip": list(CONCLUSION_RELATIONSHIPS)})
    return rows_digest(rows, CONCLUSION_PROPERTIES | {VERSION_PROPERTY})


def register_as_written(run: Run) -> bool:
    """Whether the register part holds only what a load writes (no node without an id or with a
    second label, no relationship made with Cypher that a load keeps): then the digest of a load
    computed from its rows (:func:`~sourcing_graph.graph.neo4j.load_plan.planned_register_digest`)
    equals :func:`register_digest`. Counts on the server; reads no node."""
    rows = list(run(statements("digest")["as-written"], {}))
    return rows[0]["odd"] == 0


def rules_digest(run: Run) -> str:
    """The digest of the ontology and rule data in the graph (see the module)."""
    return rows_digest(run(statements("digest")["rules"], {}))


def ontology_rows_digest(
    nodes: Mapping[str, list[dict[str, Any]]], rels: Mapping[str, list[dict[str, Any]]]
) -> str:
    """The digest :func:`rules_digest` gives once the ontology loader has written ``nodes`` and
    ``rels`` (its rows: label -> ``{key, props}``, type -> ``{from, to, props}``), computed
    without a database: a load whose rule data equals the graph's need not write it again."""
    by_key = {(label, row["key"]): row["props"] for label, rows in nodes.items() for row in rows}
    outgoing: dict[tuple[str, Any], list[list[Any]]] = {}
    for kind, rows in rels.items():
        start, end = ONTOLOGY_RELATIONSHIPS[kind]
        for row in rows:
            target = by_key.get((end, row["to"]))
            if target is None:
                continue  # the statement's MATCH finds no end: no relationship is written
            end_name = target.get("uri", target.get(ONTOLOGY_LABELS[end]))
            outgoing.setdefault((start, row["from"]), []).append(
                [kind, [end, ONTOLOGY_TERM], end_name, row["props"]]
            )
    return rows_digest(
        {
            "labels": [label, ONTOLOGY_TERM],
            "props": props,
            "rels": outgoing.get((label, key), []),
        }
        for (label, key), props in by_key.items()
    )
