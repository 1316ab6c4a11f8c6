"""Writing a register as RDF: its triples, an rdflib graph of them, and files (pyoxigraph).

Turtle, N-Triples and RDF/XML are serialized by pyoxigraph, streaming; JSON-LD by rdflib, which
writes it compacted with the register's prefixes as context.
"""

from __future__ import annotations

import codecs
import io
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import IO, Any

from pyoxigraph import Literal, NamedNode, RdfFormat, Triple, serialize
from rdflib import Graph

from sourcing_graph.errors import Problem, RegisterError
from sourcing_graph.loaders import rdf_terms as t
from sourcing_graph.loaders.rdf_formats import format_name
from sourcing_graph.model import OWN_IT, Register, instance_uri, subcontracting_key
from sourcing_graph.ontology.rules import OntologyData

MAX_PROBLEMS = 200

OXIGRAPH_FORMATS = {"turtle": RdfFormat.TURTLE, "nt": RdfFormat.N_TRIPLES, "xml": RdfFormat.RDF_XML}
"""The formats pyoxigraph reads and writes here (JSON-LD goes through rdflib)."""

# instance IRIs are written in full: pyoxigraph would escape the '/' of sgr:contract\/C-07
_TURTLE_PREFIXES = {"sg": t.SG_NS, "sgx": t.SGX_NS, "xsd": t.XSD_NS}


def check_vocabulary(register: Register, vocab: t.Vocabulary) -> None:
    """Raise :class:`RegisterError` for a mode, clause type, level or basis without individual."""
    source = register.source or "<register>"
    problems: list[Problem] = []

    def check(table: dict[str, NamedNode], key: str, what: str) -> None:
        if key not in table:
            expected = ", ".join(sorted(table))
            problems.append(Problem(source, 1, 1, f"unknown {what}", key, expected))

    for lot in register.lots.values():
        check(vocab.levels, lot.complexity, "complexity")
        check(vocab.levels, lot.dynamics, "dynamics")
    for c in register.contracts.values():
        if c.mode is not None:
            check(vocab.modes, c.mode, "collaboration mode")
        for clause in c.clauses:
            check(vocab.clauses, clause, "clause type")
        if c.selection_basis is not None:
            check(vocab.bases, c.selection_basis, "selection basis")
    if problems:
        raise RegisterError(problems[:MAX_PROBLEMS], truncated=len(problems) > MAX_PROBLEMS)


class _Terms:
    """The terms of one register's triples, each made once (a term is a Python object)."""

    def __init__(self) -> None:
        self.iris: dict[tuple[str, str], NamedNode] = {}
        self.props: dict[str, NamedNode] = {}
        self.dates: dict[date, Literal] = {}

    def iri(self, kind: str, identifier: str) -> NamedNode:
        node = self.iris.get((kind, identifier))
        if node is None:
            node = self.iris[(kind, identifier)] = NamedNode(instance_uri(kind, identifier))
        return node

    def date(self, value: date) -> Literal:
        node = self.dates.get(value)
        if node is None:
            node = self.dates[value] = Literal(value.isoformat(), datatype=t.XSD_DATE)
        return node

    def extras(self, subject: NamedNode, values: dict[str, str]) -> Iterator[Triple]:
        for column, value in values.items():
            prop = self.props.get(column)
            if prop is None:
                prop = self.props[column] = NamedNode(t.extra_uri(column))
            yield Triple(subject, prop, Literal(value))


def _boolean(value: bool) -> Literal:
    return t.TRUE if value else t.FALSE


def _head(s: NamedNode, cls: NamedNode, identifier: str, name: str | None) -> Iterator[Triple]:
    """An entity's type, identifier and name."""
    yield Triple(s, t.TYPE, cls)
    yield Triple(s, t.IDENTIFIER, Literal(identifier))
    if name is not None:
        yield Triple(s, t.NAME, Literal(name))


def _organisations(register: Register, terms: _Terms) -> Iterator[Triple]:
    for o in register.organisations.values():
        s = terms.iri(t.KIND_ORGANISATION, o.id)
        if o.id == OWN_IT:
            cls = t.OWN_IT_CLASS
        else:
            cls = t.INTERNAL_CLASS if o.internal else t.EXTERNAL_CLASS
        yield from _head(s, cls, o.id, o.name)
        yield Triple(s, t.INTERNAL, _boolean(o.internal))
        if o.parent is not None:
            yield Triple(s, t.PARENT, Literal(o.parent))
        yield from terms.extras(s, o.extra)


def _lots(register: Register, vocab: t.Vocabulary, terms: _Terms) -> Iterator[Triple]:
    depends: dict[str, list[str]] = {}
    for lot_id, other in sorted(register.dependencies):
        depends.setdefault(lot_id, []).append(other)
    for lot in register.lots.values():
        s = terms.iri(t.KIND_LOT, lot.id)
        yield from _head(s, t.LOT_CLASS, lot.id, lot.name)
        yield Triple(s, t.PRIME, terms.iri(t.KIND_ORGANISATION, lot.prime_contractor))
        yield Triple(s, t.COMPLEXITY, vocab.levels[lot.complexity])
        yield Triple(s, t.DYNAMICS, vocab.levels[lot.dynamics])
        yield Triple(s, t.COMMODITY, _boolean(lot.commodity))
        for other in depends.get(lot.id, ()):
            yield Triple(s, t.DEPENDS_ON, terms.iri(t.KIND_LOT, other))
        yield from terms.extras(s, lot.extra)
    for lot_id, others in depends.items():  # dependencies of lots without a row (invalid input)
        if lot_id not in register.lots:
            for other in others:
                s = terms.iri(t.KIND_LOT, lot_id)
                yield Triple(s, t.DEPENDS_ON, terms.iri(t.KIND_LOT, other))


def _functions(register: Register, terms: _Terms) -> Iterator[Triple]:
    for f in register.functions.values():
        s = terms.iri(t.KIND_FUNCTION, f.id)
        yield from _head(s, t.FUNCTION_CLASS, f.id, f.name)
        yield Triple(s, t.CRITICAL, _boolean(f.critical))
        yield Triple(s, t.RETAINED, _boolean(f.retained))
        yield from terms.extras(s, f.extra)


def _contracts(register: Register, vocab: t.Vocabulary, terms: _Terms) -> Iterator[Triple]:
    for c in register.contracts.values():
        s = NamedNode(instance_uri(t.KIND_CONTRACT, c.id))  # links refer to few: not cached
        yield Triple(s, t.TYPE, t.CONTRACT_CLASS)
        yield Triple(s, t.IDENTIFIER, Literal(c.id))
        yield Triple(s, t.SUPPLIER, terms.iri(t.KIND_ORGANISATION, c.supplier))
        yield Triple(s, t.LOT, terms.iri(t.KIND_LOT, c.lot))
        if c.mode is not None:
            yield Triple(s, t.MODE, vocab.modes[c.mode])
        for clause in sorted(c.clauses):
            yield Triple(s, t.CLAUSE, vocab.clauses[clause])
        for function_id in sorted(c.functions):
            yield Triple(s, t.DELIVERS, terms.iri(t.KIND_FUNCTION, function_id))
        if c.start_date is not None:
            yield Triple(s, t.START, terms.date(c.start_date))
        if c.end_date is not None:
            yield Triple(s, t.END, terms.date(c.end_date))
        if c.annual_value is not None:
            yield Triple(s, t.VALUE, Literal(str(float(c.annual_value)), datatype=t.XSD_DOUBLE))
        if c.selection_basis is not None:
            yield Triple(s, t.BASIS, vocab.bases[c.selection_basis])
        yield from terms.extras(s, c.extra)


def _links(register: Register, terms: _Terms) -> Iterator[Triple]:
    for link in sorted(register.subcontracting, key=subcontracting_key):
        s = NamedNode(t.link_uri(link))
        yield Triple(s, t.TYPE, t.LINK_CLASS)
        yield Triple(s, t.LINK_CONTRACT, NamedNode(instance_uri(t.KIND_CONTRACT, link.contract)))
        yield Triple(s, t.PROVIDER, terms.iri(t.KIND_ORGANISATION, link.supplier))
        yield Triple(s, t.CHAIN_RANK, Literal(str(link.rank), datatype=t.XSD_INTEGER))
        if link.recipient is not None:
            yield Triple(s, t.RECIPIENT, terms.iri(t.KIND_ORGANISATION, link.recipient))
        if link.service_type is not None:
            yield Triple(s, t.SERVICE_TYPE, Literal(link.service_type))


def register_triples(register: Register, vocab: t.Vocabulary) -> Iterator[Triple]:
    """The register's triples, grouped by subject (every subject's triples are consecutive)."""
    terms = _Terms()
    yield from _organisations(register, terms)
    yield from _lots(register, vocab, terms)
    yield from _functions(register, terms)
    yield from _contracts(register, vocab, terms)
    yield from _links(register, terms)


def _new_graph() -> Graph:
    graph = Graph()
    for prefix, namespace in t.PREFIXES.items():
        graph.bind(prefix, namespace)
    return graph


def _graph(register: Register, vocab: t.Vocabulary) -> Graph:
    graph = _new_graph()
    cache: dict[Any, Any] = {}

    def node(term: Any) -> Any:  # a Term (a Triple only in RDF-star, never here)
        if isinstance(term, Literal) and term.datatype == t.XSD_STRING:
            return t.to_rdflib(term)  # mostly distinct texts: not worth caching
        converted = cache.get(term)
        if converted is None:
            converted = cache[term] = t.to_rdflib(term)
        return converted

    graph.addN(
        (node(tr.subject), node(tr.predicate), node(tr.object), graph)
        for tr in register_triples(register, vocab)
    )
    return graph


def register_to_rdf(register: Register, ontology: OntologyData | None = None) -> Graph:
    """The register as an RDF graph (see :mod:`sourcing_graph.loaders.rdf` for its shape).

    ``ontology`` gives the individuals to use for modes, clause types, levels and selection bases
    (default: the packaged ontology). Raises :class:`RegisterError` for a value that has no
    individual (an unknown clause type...), which a validated register never has.
    """
    vocab = t.vocabulary(ontology)
    check_vocabulary(register, vocab)
    return _graph(register, vocab)


class _TextSink:
    """A binary stream over a text stream (pyoxigraph writes bytes)."""

    def __init__(self, out: IO[str]) -> None:
        self.out = out
        self.decoder = codecs.getincrementaldecoder("utf-8")()

    def write(self, data: bytes) -> int:
        self.out.write(self.decoder.decode(data))
        return len(data)

    def flush(self) -> None:
        return None


def _emit(register: Register, vocab: t.Vocabulary, fmt: str, out: Any) -> None:
    """Write to ``out``, a binary stream (or :class:`_TextSink`)."""
    if fmt in OXIGRAPH_FORMATS:
        prefixes = _TURTLE_PREFIXES if fmt == "turtle" else None
        serialize(register_triples(register, vocab), out, OXIGRAPH_FORMATS[fmt], prefixes=prefixes)
        return
    graph = _graph(register, vocab)
    text = graph.serialize(format=fmt, context=dict(t.PREFIXES), auto_compact=True)
    out.write(text.encode("utf-8"))


def write_rdf(
    register: Register,
    destination: str | Path | IO[bytes] | IO[str],
    format: str = "turtle",  # noqa: A002 - the name rdflib and the CLI use
    ontology: OntologyData | None = None,
) -> None:
    """Write the register as RDF to a file path or an open stream (text or binary; UTF-8).

    ``format``: ``turtle`` (default) or ``json-ld``; also ``nt`` (N-Triples) and ``xml``.
    """
    fmt = format_name(format)
    vocab = t.vocabulary(ontology)
    check_vocabulary(register, vocab)
    if isinstance(destination, str | Path):
        with open(destination, "wb") as handle:
            _emit(register, vocab, fmt, handle)
    elif isinstance(destination, io.TextIOBase):
        _emit(register, vocab, fmt, _TextSink(destination))
    elif isinstance(destination, io.RawIOBase | io.BufferedIOBase):
        _emit(register, vocab, fmt, destination)
    else:  # a stream of unknown kind: bytes if it takes them, else text
        data = io.BytesIO()
        _emit(register, vocab, fmt, data)
        stream: Any = destination
        try:
            stream.write(data.getvalue())
        except TypeError:
            stream.write(data.getvalue().decode("utf-8"))
