"""Register readers: files and RDF into one validated graph model, then into Neo4j and networkx."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sourcing_graph.loaders.limits import Limits
    from sourcing_graph.loaders.model import Register

RDF_SUFFIXES = {
    ".ttl": "turtle",
    ".jsonld": "json-ld",
    ".json-ld": "json-ld",
    ".nt": "nt",
    ".rdf": "xml",
    ".owl": "xml",
}


def read_any(
    path: Path | str,
    *,
    mapping_file: Path | None = None,
    rules: Any = None,
    limits: Limits | None = None,
) -> Register:
    """Read a register from a CSV folder, a ``.zip``, a single CSV file, or RDF instance data.

    ``limits`` (default :class:`~sourcing_graph.loaders.limits.Limits()`) bounds the rows, cells
    and file sizes read.
    """
    path = Path(path)
    if path.is_file() and path.suffix.lower() in RDF_SUFFIXES:
        from sourcing_graph.loaders.rdf import read_rdf

        return read_rdf(path, format=RDF_SUFFIXES[path.suffix.lower()], limits=limits)
    from sourcing_graph.loaders.csv_reader import read_register

    return read_register(path, mapping=mapping_file, rules=rules, limits=limits)
