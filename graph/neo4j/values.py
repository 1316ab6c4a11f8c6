"""Neo4j values as plain ones: nodes, relationships with their endpoints, paths, temporals as text.

- a node: ``{"_labels": ["Lot"], "id": "K03", "name": ...}`` (its labels sorted, its properties);
- a relationship: ``{"_type": "DEPENDS_ON", "_start": REF, "_end": REF, ...its properties}``, where
  a REF names a node: ``{"_labels": ["Lot"], "id": "K03"}`` -- its labels and the first of its
  ``id``, ``key`` or ``uri`` properties (``_elementId`` for a node that has none of them);
- a path: ``{"_nodes": [node, ...], "_relationships": [relationship, ...]}`` in the path's order;
- dates and times as ISO text; lists and maps converted item by item.

The endpoints of a relationship returned without them are read in the query's own transaction
(:meth:`PlainValues.fill`), so they belong to the same graph as the rows.
"""

from __future__ import annotations

from typing import Any

from neo4j.graph import Node, Path, Relationship

from sourcing_graph.queries.statements import statements

__all__ = ["REF_KEYS", "PlainValues", "node_ref"]

REF_KEYS = ("id", "key", "uri")
"""The properties that name a node in a reference, the first one present."""

_PLAIN_TYPES = frozenset({str, int, float, bool, type(None)})


def node_ref(
    labels: Any, properties: dict[str, Any], element_id: str | None = None
) -> dict[str, Any]:
    """``{"_labels": [...], "id": ...}``: what names a node (see the module's docstring)."""
    ref: dict[str, Any] = {"_labels": sorted(labels)}
    for key in REF_KEYS:
        if properties.get(key) is not None:
            ref[key] = properties[key]
            return ref
    if element_id is not None:
        ref["_elementId"] = element_id
    return ref


class PlainValues:
    """Converts the values of one query's rows; :meth:`fill` completes the endpoints afterwards."""

    def __init__(self) -> None:
        self._pending: dict[str, list[dict[str, Any]]] = {}

    def value(self, value: Any) -> Any:
        """A Neo4j value as a plain one."""
        if type(value) in _PLAIN_TYPES:
            return value
        if type(value) is list:  # first, and plain items without a call: long lists are common
            return [v if type(v) in _PLAIN_TYPES else self.value(v) for v in value]
        if isinstance(value, Node):
            return {"_labels": sorted(value.labels), **self._properties(value)}
        if isinstance(value, Relationship):
            return self._relationship(value)
        if isinstance(value, Path):
            return {
                "_nodes": [self.value(n) for n in value.nodes],
                "_relationships": [self._relationship(r) for r in value.relationships],
            }
        if isinstance(value, dict):
            return {k: self.value(v) for k, v in value.items()}
        iso = getattr(value, "iso_format", None)
        if callable(iso):
            return iso()
        return value

    def _properties(self, entity: Node | Relationship) -> dict[str, Any]:
        return {k: self.value(v) for k, v in entity.items()}

    def _relationship(self, rel: Relationship) -> dict[str, Any]:
        return {
            "_type": rel.type,
            "_start": self._ref(rel.start_node),
            "_end": self._ref(rel.end_node),
            **self._properties(rel),
        }

    def _ref(self, node: Node | None) -> dict[str, Any]:
        if node is None:
            return {}
        if node.labels or len(node):
            return node_ref(node.labels, dict(node.items()), node.element_id)
        # the driver knows only the element id of an endpoint the query did not return
        ref: dict[str, Any] = {"_elementId": node.element_id}
        self._pending.setdefault(node.element_id, []).append(ref)
        return ref

    def fill(self, tx: Any) -> None:
        """Read the endpoints known only by their element id in ``tx`` (one query, if any)."""
        if not self._pending:
            return
        found = tx.run(statements("query")["node-refs"], {"ids": list(self._pending)})
        for record in found:
            ref = node_ref(record["labels"], record["properties"], record["elementId"])
            for pending in self._pending.pop(record["elementId"], []):
                pending.clear()
                pending.update(ref)
