"""The versions of the register in Neo4j, by load id: statements kept to one version, and the
meta node's marks of the versions a batched load is staging or removing.

Every register node and finding carries ``loadId``, the load (the version) it belongs to; the meta
node names the visible one (``loadId``) and, while a batched load runs, the one being staged
(``stagingLoad``) or removed (``retiringLoad``). :func:`versioned` keeps a statement to one
version; :func:`kept_to_visible` keeps a transaction to the visible one while another is in the
graph. The batched load (:mod:`.batched`) writes the versions; the store's reads and the freshness
check (:mod:`.freshness`) keep to them.
"""

from __future__ import annotations

import re
from typing import Any

from sourcing_graph.errors import QueryError
from sourcing_graph.graph.neo4j.schema import VERSION_PROPERTY, VERSIONED_KEYS
from sourcing_graph.queries.statements import statements

__all__ = [
    "VERSION_PARAMETER",
    "KeptTo",
    "Marks",
    "kept_to_visible",
    "marks",
    "reads_register",
    "refuse_mixed",
    "unversioned_labels",
    "versioned",
]

VERSION_PARAMETER = "sgLoad"
"""The parameter :func:`versioned` adds: the load id of the version a statement keeps to."""

_VERSIONED = "|".join(VERSIONED_KEYS)
_NODE = re.compile(r"\((\w*)\s*:\s*(" + _VERSIONED + r")\b\s*(?:\{([^{}]*)\})?\s*\)")
_ANY_REGISTER_NODE = "WHERE n:Organisation OR n:Lot OR n:Function OR n:Contract"


def versioned(cypher: str) -> str:
    """``cypher`` kept to one version: every node pattern of a register label or ``Finding``
    gets ``loadId: $sgLoad`` in its property map (a filter in MATCH, part of the key in MERGE,
    set by CREATE), and the digest's any-register-node filter gets it too.

    >>> versioned("MATCH (c:Contract {id: $id})-[:PART_OF]->(:Lot) RETURN c")
    'MATCH (c:Contract {id: $id, loadId: $sgLoad})-[:PART_OF]->(:Lot {loadId: $sgLoad}) RETURN c'
    """

    def node(match: re.Match[str]) -> str:
        variable, label, props = match.group(1), match.group(2), (match.group(3) or "").strip()
        keyed = f"{props}, " if props else ""
        return f"({variable}:{label} {{{keyed}{VERSION_PROPERTY}: ${VERSION_PARAMETER}}})"

    text = _NODE.sub(node, cypher)
    return text.replace(
        _ANY_REGISTER_NODE,
        f"WHERE (n:Organisation OR n:Lot OR n:Function OR n:Contract) "
        f"AND n.{VERSION_PROPERTY} = ${VERSION_PARAMETER}",
    )


def reads_register(cypher: str) -> bool:
    """Whether ``cypher`` names a register label or ``Finding`` (so a version matters to it)."""
    return bool(_NODE.search(cypher)) or _ANY_REGISTER_NODE in cypher


def unversioned_labels(cypher: str) -> list[str]:
    """The register labels ``cypher`` still names outside a versioned node pattern (for the
    check that every read statement can be kept to one version)."""
    code = "\n".join(line for line in cypher.splitlines() if not line.strip().startswith("//"))
    rest = _NODE.sub("", versioned(code).replace(f"${VERSION_PARAMETER}", ""))
    rest = rest.replace("(n:Organisation OR n:Lot OR n:Function OR n:Contract) AND", "")
    return re.findall(r":\s*(" + _VERSIONED + r")\b", rest)


class Marks:
    """The meta node's record of the versions: the visible load id, the one being staged and the
    one being removed (None where there is none)."""

    def __init__(self, row: dict[str, Any] | None) -> None:
        row = row or {}
        self.visible: str | None = row.get("loadId")
        self.staging: str | None = row.get("staging")
        self.retiring: str | None = row.get("retiring")
        self.stages: int = row.get("stages") or 0

    def same(self, other: Marks) -> bool:
        """Whether no load began, switched or committed between ``other`` and these marks."""
        return (self.visible, self.staging, self.retiring, self.stages) == (
            other.visible,
            other.staging,
            other.retiring,
            other.stages,
        )

    @property
    def mixed(self) -> bool:
        """Whether the graph may hold another version beside the visible one."""
        return self.staging is not None or self.retiring is not None


def marks(run: Any, key: str) -> Marks:
    """The marks of the meta node ``key``; ``run(cypher, params)`` gives records."""
    rows = [dict(r) for r in run(statements("batched")["marks"], {"key": key})]
    return Marks(rows[0] if rows else None)


class KeptTo:
    """A transaction whose statements keep to the version ``load_id`` (:func:`versioned`)."""

    def __init__(self, tx: Any, load_id: str) -> None:
        self.tx = tx
        self.load_id = load_id

    def run(self, cypher: str, params: dict[str, Any] | None = None) -> Any:
        if reads_register(cypher):
            cypher = versioned(cypher)
            params = {**(params or {}), VERSION_PARAMETER: self.load_id}
        return self.tx.run(cypher, params or {})


def kept_to_visible(tx: Any, key: str) -> Any:
    """``tx`` (holding the load lock) itself when the graph holds one version, else a
    :class:`KeptTo` its visible one (a batched load is running, or was interrupted)."""
    found = marks(tx.run, key)
    return KeptTo(tx, found.visible or "") if found.mixed else tx


def refuse_mixed(tx: Any, key: str, uri: str, what: str) -> None:
    """Raise :class:`QueryError` when a batched load left another version beside the visible
    one (``tx`` holds the load lock): ``what`` (the conclusions stored anew) must wait for it."""
    if marks(tx.run, key).mixed:
        raise QueryError(
            f"a batched load into Neo4j at {uri} is in progress, or was interrupted; {what} once "
            "it is done (after an interrupted one: load again)"
        )
