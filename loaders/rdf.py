"""Registers as RDF: write a :class:`Register` as triples, and read it back.

The RDF follows ``docs/schema.md``:

- instances are ``https://w3id.org/sourcing-graph/id/<kind>/<identifier>`` (prefix ``sgr:``) with
  kind ``org``, ``lot``, ``function`` or ``contract`` and the identifier percent-encoded
  (:func:`instance_iri`); each carries its identifier as ``sg:identifier`` (a plain string);
- classes and properties are the ontology's (``sg:``): ``sg:Contract``, ``sg:supplier``,
  ``sg:declaredMode``...; organisations are typed ``sg:OwnITOrganisation`` (``own-it``),
  ``sg:InternalSupplier`` or ``sg:ExternalSupplier`` and carry ``sg:internal``;
- modes, clause types, levels and selection bases are the ontology's individuals
  (``sg:Trust``, ``sg:PenaltyClause``, ``sg:High``, ``sg:SelectionOnCost``);
- literals are typed: ``xsd:boolean``, ``xsd:date``, ``xsd:decimal`` (annual value, exact); absent
  optional values are absent triples, and so is a level or commodity not recorded; the other
  booleans are always written;
- provenance: ``sg:source`` (``contracten.csv:12``) on entities and supply-chain links,
  ``sg:primeContractorDefaulted`` on lots, ``sg:modeAsWritten`` on contracts, and the words of
  each clause type as written on an ``sg:ClauseWording`` node (``sg:clauseWording``,
  ``sg:wordingOf``, ``sg:clauseWord``); reading back restores them (not dependency sources);
- extra register columns are plain string literals of a property in the namespace
  ``https://w3id.org/sourcing-graph/extra/`` (prefix ``sgx:``) whose local name is the
  percent-encoded column name (:func:`extra_property`).

``register -> RDF -> Register -> RDF`` gives an isomorphic graph and an equal register (apart from
``source`` and ``warnings``, which are not data).

Turtle, N-Triples and RDF/XML are parsed and serialized by pyoxigraph (a register of 100 000
contracts, about 1.3 million triples, reads and writes in seconds; ``docs/benchmarks.md``); JSON-LD
and other formats rdflib knows go through rdflib. The modules behind this one: ``rdf_formats``
(format names), ``rdf_terms`` (terms and vocabulary), ``rdf_write`` (the writer), ``rdf_fields``
and ``rdf_read`` (triples -> Register).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import IO

import pyoxigraph
from rdflib import Graph
from rdflib.util import guess_format

from sourcing_graph.errors import Problem, RegisterError, Text, said
from sourcing_graph.loaders.limits import Limits
from sourcing_graph.loaders.rdf_fields import Index, index
from sourcing_graph.loaders.rdf_formats import FORMATS, SUFFIXES, format_name
from sourcing_graph.loaders.rdf_read import build_register
from sourcing_graph.loaders.rdf_terms import (
    OXIGRAPH_FORMATS,
    SGR,
    SGX,
    FromRdflib,
    Term,
    extra_property,
    instance_iri,
    quiet_rdflib,
    vocabulary,
)
from sourcing_graph.loaders.rdf_write import register_to_rdf, write_rdf
from sourcing_graph.model import Register
from sourcing_graph.ontology.rules import OntologyData

__all__ = [
    "FORMATS",
    "SGR",
    "SGX",
    "extra_property",
    "instance_iri",
    "parse_triples",
    "rdf_to_register",
    "read_rdf",
    "register_to_rdf",
    "write_rdf",
]

_BOM = b"\xef\xbb\xbf"


def _from_graph(graph: Graph) -> Iterator[tuple[Term, Term, Term]]:
    convert = FromRdflib()
    for s, p, o in graph:
        yield convert(s), convert(p), convert(o)


def _graph_index(graph: Graph, source: str, expected: Text) -> Index:
    try:
        return index(_from_graph(graph))
    except ValueError as exc:  # a lone surrogate, a language tag RDF does not allow
        problem = Problem(source, 1, 1, _not_rdf(str(exc)), None, expected)
        raise RegisterError([problem]) from exc


def parse_triples(data: bytes | str, fmt: str = "turtle") -> Iterator[tuple[Term, Term, Term]]:
    """The triples of Turtle, N-Triples or RDF/XML (``fmt`` as :func:`read_rdf` takes it).

    IRIs are ``str`` (one object per IRI); relative ones resolve against the current folder, as
    rdflib resolves them. Raises ``SyntaxError`` (with ``lineno`` and ``offset`` where known) for
    data that is not valid.
    """
    oxigraph_format = OXIGRAPH_FORMATS.get(format_name(fmt))
    if oxigraph_format is None:
        raise ValueError(f"parse_triples reads {', '.join(OXIGRAPH_FORMATS)}, not {fmt!r}")
    if isinstance(data, str):
        data = data.encode("utf-8")
    if data.startswith(_BOM):
        data = data[len(_BOM) :]
    base = Path.cwd().as_uri().rstrip("/") + "/"
    iris: dict[str, str] = {}
    named = pyoxigraph.NamedNode
    for quad in pyoxigraph.parse(data, oxigraph_format, base_iri=base):
        s, o, p = quad.subject, quad.object, quad.predicate.value
        if type(s) is named:
            s = s.value
            s = iris.setdefault(s, s)
        if type(o) is named:
            o = o.value
            o = iris.setdefault(o, o)
        yield s, iris.setdefault(p, p), o


def _parse(data: bytes, fmt: str, source: str) -> Index:
    if fmt in OXIGRAPH_FORMATS:
        try:
            return index(parse_triples(data, fmt))
        except SyntaxError as exc:
            message = " ".join(str(exc.msg).split())
            problem = Problem(source, 1, 1, _not_rdf(message), None, _data(fmt))
            raise RegisterError([problem]) from exc
    graph = Graph()
    try:
        graph.parse(data=data, format=fmt)
    except Exception as exc:  # rdflib raises many kinds of parser errors
        message = " ".join(str(exc).split())[:300]
        problem = Problem(source, 1, 1, _not_rdf(message), None, _data(fmt))
        raise RegisterError([problem]) from exc
    return _graph_index(graph, source, _data(fmt))


def _not_rdf(reason: str) -> Text:
    return Text("not valid RDF: {reason}", reason=reason)


def _data(fmt: str) -> Text:
    """What the data should have been: ``turtle data``."""
    return Text("{format} data", format=fmt)


def rdf_to_register(
    graph: Graph, source: str = "<rdf>", ontology: OntologyData | None = None
) -> Register:
    """Rebuild a :class:`Register` from a graph in the shape :func:`register_to_rdf` writes.

    Raises :class:`RegisterError` listing every problem (each at line 1, column 1 of ``source``):
    a contract without supplier or lot, an unknown mode or clause type, a value of the wrong
    type, two values where one is allowed, a reference to something that is not an organisation,
    lot or function, duplicate identifiers, a self-dependency. Triples about other things (the
    ontology itself, labels...) are ignored; an unknown ``sg:`` property on an entity is an error.
    """
    return build_register(
        _graph_index(graph, source, Text("valid IRIs and text")), source, vocabulary(ontology)
    )


def _read_bytes(path: str | Path | IO[bytes], limits: Limits) -> tuple[bytes, str]:
    """The data and the name of the source (the path, or the stream's name)."""
    if not isinstance(path, str | Path):
        raw = path.read()
        data = raw.encode("utf-8") if isinstance(raw, str) else raw
        return data, str(getattr(path, "name", "<stream>"))
    source = str(path)
    try:
        too_large = limits.file_too_large(Path(path).stat().st_size)
        if too_large:
            problem = Problem(source, 1, 1, too_large, None, limits.expected("max_file_mb"))
            raise RegisterError([problem])
        return Path(path).read_bytes(), source
    except OSError as exc:
        reason = exc.strerror or str(exc)
        problem = Problem(source, 1, 1, Text("cannot read the file: {reason}", reason=reason))
        raise RegisterError([problem]) from exc


def read_rdf(
    path: str | Path | IO[bytes],
    format: str | None = None,  # noqa: A002 - the name rdflib and the CLI use
    ontology: OntologyData | None = None,
    limits: Limits | None = None,
) -> Register:
    """Read a register from an RDF file (Turtle, JSON-LD, N-Triples, RDF/XML) or binary stream.

    ``format`` defaults to a guess from the file name (Turtle when it cannot be guessed).
    Raises :class:`RegisterError` when the file cannot be read or parsed, or holds bad data, or
    is larger than ``limits.max_file_mb`` (RDF is parsed whole, so the size is all that is bounded).
    """
    data, source = _read_bytes(path, limits or Limits())
    try:
        if format:
            fmt = format_name(format)
        else:
            fmt = SUFFIXES.get(Path(source).suffix.lower()) or guess_format(source) or "turtle"
    except ValueError as exc:
        raise RegisterError([Problem(source, 1, 1, said(exc))]) from exc
    with quiet_rdflib():
        return build_register(_parse(data, fmt, source), source, vocabulary(ontology))
