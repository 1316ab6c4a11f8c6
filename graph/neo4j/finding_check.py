"""Findings as written: after a commit not our own, each stored finding checked against its node.

A load or refresh writes every finding with ``writtenHash``: the BLAKE2b-128 hash of the node as
it writes it (:func:`row_written_hash`): its properties (but ``loadId`` and ``writtenHash``), its
labels and its outgoing relationships (type, properties, the end's register label and its id or
key). The stored ``contentHash`` says what a finding was written from; it may be trusted without
looking only when nothing was committed since our own last load or refresh. After any other
commit (an edit in Browser) the findings are read back whole, in one row, and each one whose node
still hashes to its ``writtenHash`` keeps its ``contentHash`` (:func:`verified_hashes`); any
other (a property, label or relationship of it edited, a second node with its key, one written
before this check existed) is written again, as every finding was before.
"""

from __future__ import annotations

import hashlib
import marshal
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

from sourcing_graph.graph.neo4j.digest import compact_json
from sourcing_graph.graph.neo4j.schema import VERSION_PROPERTY
from sourcing_graph.queries.statements import statements

__all__ = ["WRITTEN_HASH", "row_written_hash", "verified_hashes", "written_hash"]

WRITTEN_HASH = "writtenHash"
"""The property that holds a finding's :func:`written_hash`."""

UNHASHED = frozenset({VERSION_PROPERTY, WRITTEN_HASH})
"""The finding's properties a :func:`written_hash` leaves out (the version changes without the
finding changing)."""

ENDS = ["Lot", "Contract", "Organisation", "Function", "Rule"]
"""The labels a finding's relationships end at, the first of which names the end."""

_ABOUT = {"lots": "Lot", "contracts": "Contract", "organisations": "Organisation"}
_ABOUT["functions"] = "Function"

_JSON = compact_json(sort_keys=False, default=str)

Relationship = tuple[str, list[tuple[str, Any]], str | None, Any]
"""``(type, its properties as sorted pairs, the end's label, the end's id or key)``."""


def written_hash(
    props: Mapping[str, Any], labels: Iterable[str], rels: Iterable[Relationship]
) -> str:
    """The hash of a finding node as stored: ``props`` (null values are not stored; ``loadId``
    and ``writtenHash`` left out; a tuple is the list Neo4j gives back), ``labels`` and outgoing
    ``rels``, each in a sorted order."""
    kept = tuple(
        (k, list(v) if type(v) is tuple else v)
        for k, v in sorted(props.items())
        if k not in UNHASHED and v is not None
    )
    shape = (kept, tuple(sorted(labels)), tuple(sorted(rels, key=repr)))
    try:  # marshal format 2 (no references): the same bytes in every process, and fast
        data = b"m" + marshal.dumps(shape, 2)
    except ValueError:  # a value marshal does not write (a date read back): its JSON text
        data = b"j" + _JSON(shape).encode("utf-8")
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def row_written_hash(row: Mapping[str, Any]) -> str:
    """:func:`written_hash` of the node ``create-findings`` makes of ``row`` (its ``props``
    before the load id is added, its ``BY_RULE`` and ``ABOUT`` relationships)."""
    rels: list[Relationship] = [("BY_RULE", [], "Rule", row["rule"])]
    for field, label in _ABOUT.items():
        rels.extend(("ABOUT", [("role", role)], label, ident) for role, ident in row[field])
    return written_hash(row["props"], ["Finding"], rels)


def verified_hashes(reader: Any) -> dict[str, str | None]:
    """Every stored finding's key with its ``contentHash`` when its node is as written (see the
    module), else None: the finding is then written again. ``reader`` reads in the caller's
    transaction (one row, before anything is written)."""
    found = reader.read(statements("conclusions")["findings-as-written"], {"ends": ENDS})[0]
    times = Counter(found["keys"])
    hashes: dict[str, str | None] = {}
    for key, content, written, props, labels, rels in zip(
        found["keys"],
        found["hashes"],
        found["written"],
        found["props"],
        found["labels"],
        found["rels"],
        strict=True,
    ):
        as_written = (
            times[key] == 1
            and bool(content)
            and bool(written)
            and written == written_hash(props, labels, [_relationship(r) for r in rels])
        )
        hashes[key] = content if as_written else None
    return hashes


def _relationship(found: list[Any]) -> Relationship:
    kind, props, label, end = found
    return (kind, sorted(props.items()), label, end)
