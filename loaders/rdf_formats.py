"""The RDF formats a register is read from and written to: their names and file suffixes.

The one table of them: the readers (``read_any``), ``read_rdf``, ``write_rdf`` and the CLI's
``export`` all use it. It imports nothing heavy, so the CLI can offer the names at start-up.
"""

from __future__ import annotations

from typing import NamedTuple

from sourcing_graph.errors import Text

__all__ = ["FORMATS", "RDF_FORMATS", "SUFFIXES", "RdfFormatName", "format_name"]


class RdfFormatName(NamedTuple):
    """One RDF format: its name, the other names accepted for it, its file suffixes."""

    name: str
    aliases: tuple[str, ...]
    suffixes: tuple[str, ...]


RDF_FORMATS = (
    RdfFormatName("turtle", ("ttl",), (".ttl",)),
    RdfFormatName("json-ld", ("jsonld",), (".jsonld", ".json-ld")),
    RdfFormatName("nt", ("ntriples", "n-triples"), (".nt",)),
    RdfFormatName("xml", ("rdf/xml",), (".rdf", ".owl")),
)

FORMATS = {alias: f.name for f in RDF_FORMATS for alias in (f.name, *f.aliases)}
"""Accepted ``format`` names -> the format's name (``turtle``, ``json-ld``, ``nt``, ``xml``)."""

SUFFIXES = {suffix: f.name for f in RDF_FORMATS for suffix in f.suffixes}
"""File suffixes (lower case, with the dot) -> the format's name."""


def format_name(fmt: str) -> str:
    """The format's name for an accepted name (any case); ``ValueError`` for another."""
    name = FORMATS.get(fmt.strip().lower())
    if name is None:
        raise ValueError(
            Text(
                "unknown RDF format {format!r}; expected one of {formats}",
                format=fmt,
                formats=", ".join(sorted(FORMATS)),
            )
        )
    return name
