"""Nodes, relationships and paths of a query's rows written readably, in Cypher's own notation.

The rows hold them as plain dicts (:mod:`sourcing_graph.graph.neo4j.values`); here they become
text for a table, CSV or Markdown cell:

- a node: ``(:Lot {id: 'K03', name: 'Netwerk', complexity: 'high'})`` -- its labels, then ``id``,
  ``key`` and ``name`` first and the other properties by name;
- a relationship: ``(:Lot {id: 'K03'})-[:DEPENDS_ON {source: 'x'}]->(:Lot {id: 'K05'})``;
- a path: ``(:Lot {id: 'K06', name: 'GIS'})-[:DEPENDS_ON]->(:Lot {id: 'K02', name: 'Hosting'})``,
  its nodes by what names them and their ``name``, its relationships by type and direction.

Text is written as a Cypher string literal (``'O\\'Brien'``); names that are not plain identifiers
are backquoted. The text is exact: the caller makes it safe for where it goes (escapes for a
terminal or Markdown, a leading ``'`` for a spreadsheet).

>>> value_text({"_labels": ["Lot"], "name": "Netwerk", "id": "K03"})
"(:Lot {id: 'K03', name: 'Netwerk'})"
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

__all__ = ["is_node", "is_path", "is_relationship", "literal", "value_text"]

_FIRST = ("id", "key", "name")
_REF_KEYS = ("id", "key", "uri", "_elementId")
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def is_node(value: Any) -> bool:
    return (
        isinstance(value, dict) and isinstance(value.get("_labels"), list) and "_type" not in value
    )


def is_relationship(value: Any) -> bool:
    return isinstance(value, dict) and {"_type", "_start", "_end"} <= value.keys()


def is_path(value: Any) -> bool:
    return isinstance(value, dict) and value.keys() == {"_nodes", "_relationships"}


def value_text(value: Any, list_sep: str = ", ") -> str:
    """A cell's text: graph values in Cypher notation, text as it is, lists joined, maps as JSON."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return list_sep.join(value_text(v, list_sep) for v in value)
    if is_node(value):
        return _node(value, everything=True)
    if is_relationship(value):
        return _relationship(value)
    if is_path(value):
        return _path(value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)


def _name(name: str) -> str:
    return name if _IDENTIFIER.fullmatch(name) else "`" + name.replace("`", "``") + "`"


def literal(value: Any) -> str:
    """A value as a Cypher literal: ``'text'``, ``2``, ``true``, ``null``, ``[..]``, ``{..}``."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, list):
        return "[" + ", ".join(literal(v) for v in value) + "]"
    if isinstance(value, dict):
        return _map(value)
    return "'" + str(value).replace("\\", "\\\\").replace("'", "\\'") + "'"


def _map(props: Mapping[str, Any], keys: list[str] | None = None) -> str:
    keys = [k for k in props if not k.startswith("_")] if keys is None else keys
    ordered = [k for k in _FIRST if k in keys] + sorted(k for k in keys if k not in _FIRST)
    return "{" + ", ".join(f"{_name(k)}: {literal(props[k])}" for k in ordered) + "}"


def _node(node: Mapping[str, Any], everything: bool) -> str:
    """``(:Label {props})``: all properties, or (``everything=False``) what names it and its name."""
    labels = "".join(":" + _name(label) for label in node.get("_labels", []))
    if everything:
        keys = [k for k in node if not k.startswith("_")]
    else:
        ref = next((k for k in _REF_KEYS if node.get(k) is not None), None)
        keys = [k for k in (ref, "name") if k is not None and node.get(k) is not None]
    props = _map(node, keys) if keys else ""
    return f"({labels}{' ' if labels and props else ''}{props})"


def _arrow(rel: Mapping[str, Any], forward: bool | None, props: bool = True) -> str:
    keys = [k for k in rel if not k.startswith("_")]
    inner = f":{_name(rel['_type'])}" + (f" {_map(rel, keys)}" if props and keys else "")
    if forward is None:
        return f"-[{inner}]-"
    return f"-[{inner}]->" if forward else f"<-[{inner}]-"


def _relationship(rel: Mapping[str, Any]) -> str:
    start, end = _node(rel["_start"], False), _node(rel["_end"], False)
    return f"{start}{_arrow(rel, True)}{end}"


def _same(ref: Mapping[str, Any], node: Mapping[str, Any]) -> bool:
    keys = [k for k in _REF_KEYS if k in ref]
    return (
        bool(keys)
        and ref.get("_labels") == node.get("_labels")
        and all(ref[k] == node.get(k) for k in keys)
    )


def _path(path: Mapping[str, Any]) -> str:
    nodes, rels = path["_nodes"], path["_relationships"]
    parts = [_node(nodes[0], False)] if nodes else []
    for i, rel in enumerate(rels):
        before, after = nodes[i], nodes[i + 1] if i + 1 < len(nodes) else {}
        forward: bool | None = None
        if _same(rel["_start"], before) and _same(rel["_end"], after):
            forward = True
        elif _same(rel["_end"], before) and _same(rel["_start"], after):
            forward = False
        parts.append(_arrow(rel, forward, props=False))
        parts.append(_node(after, False))
    return "".join(parts)
