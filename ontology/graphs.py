"""The ontology's Turtle files as rdflib graphs: the packaged ontology, changed data, the shapes.

Changed data (the ``extra`` argument) is a Turtle file (``str``/``Path``; a ``str`` holding a
newline is read as Turtle text) or an :class:`rdflib.Graph`. By default it *overrides* the
packaged ontology: for every (subject, predicate) pair it mentions, the packaged values are
dropped and its values used instead. With ``replace=True`` it is the whole ontology instead.
"""

from __future__ import annotations

import functools
from importlib import resources
from pathlib import Path

from rdflib import Graph, Namespace, URIRef
from rdflib.util import guess_format

from sourcing_graph.errors import OntologyError

__all__ = [
    "ONTOLOGY_FILES",
    "ONTOLOGY_IRI",
    "SG",
    "SHAPES_FILE",
    "OntologySource",
    "ontology_graph",
    "packaged_graph",
    "shapes_graph",
]

SG = Namespace("https://w3id.org/sourcing-graph/ontology#")
"""The ontology namespace (prefix ``sg:``)."""

ONTOLOGY_IRI = URIRef("https://w3id.org/sourcing-graph/ontology")
ONTOLOGY_FILES = ("sourcing.ttl", "rules.ttl", "review.ttl")
"""The package-data files that make up the ontology (TBox, individuals, rule parameters, and the
review rules R10-R15)."""
SHAPES_FILE = "shapes.ttl"
"""The package-data file with the SHACL shapes of a register instance graph."""

OntologySource = str | Path | Graph
"""Changed ontology data: a Turtle file, Turtle text or a graph."""


def _read_package_file(name: str) -> str:
    try:
        return resources.files("sourcing_graph.ontology").joinpath(name).read_text(encoding="utf-8")
    except (FileNotFoundError, ModuleNotFoundError) as exc:
        raise OntologyError(f"the ontology file {name} is missing from the package") from exc


def _parse_into(graph: Graph, data: str, source: str, fmt: str = "turtle") -> None:
    try:
        graph.parse(data=data, format=fmt)
    except Exception as exc:  # rdflib raises many kinds of parser errors
        raise OntologyError(f"cannot parse the ontology data {source}: {exc}") from exc


@functools.lru_cache(maxsize=1)
def packaged_graph() -> Graph:
    """The packaged ontology (parsed once; the caller must not change it)."""
    graph = Graph()
    for name in ONTOLOGY_FILES:
        _parse_into(graph, _read_package_file(name), name)
    return graph


def _copy(graph: Graph) -> Graph:
    result = Graph()
    for prefix, namespace in graph.namespaces():
        result.bind(prefix, namespace, override=True)
    result += graph
    return result


def _as_graph(source: OntologySource) -> Graph:
    if isinstance(source, Graph):
        return source
    graph = Graph()
    if isinstance(source, str) and "\n" in source:
        _parse_into(graph, source, "<turtle text>")
        return graph
    path = Path(source)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise OntologyError(f"cannot read the ontology data {path}: {exc.strerror or exc}") from exc
    _parse_into(graph, text, str(path), guess_format(str(path)) or "turtle")
    return graph


def ontology_graph(extra: OntologySource | None = None, *, replace: bool = False) -> Graph:
    """All ontology Turtle files (:data:`ONTOLOGY_FILES`) parsed into one new graph.

    ``extra`` changes the data (see the module doc): by default it overrides the packaged values
    per (subject, predicate); with ``replace=True`` it is used instead of the packaged files. The
    SHACL shapes are not part of it (see :func:`shapes_graph`). The caller owns the result.
    """
    if extra is None:
        return _copy(packaged_graph())
    changes = _as_graph(extra)
    if replace:
        return _copy(changes)
    merged = _copy(packaged_graph())
    for subject, predicate in {(s, p) for s, p, _ in changes}:
        merged.remove((subject, predicate, None))
    merged += changes
    for prefix, namespace in changes.namespaces():
        merged.bind(prefix, namespace, override=False)
    return merged


def shapes_graph() -> Graph:
    """The SHACL shapes (``shapes.ttl``) for a register instance graph, as a new graph.

    Validate with the ontology as extra triples, e.g.
    ``pyshacl.validate(data, shacl_graph=shapes_graph(), ont_graph=ontology_graph())``, so that
    ``sh:class`` constraints see the class hierarchy and the clause-type individuals.
    """
    graph = Graph()
    _parse_into(graph, _read_package_file(SHAPES_FILE), SHAPES_FILE)
    return graph
