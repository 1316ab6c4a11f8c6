"""Writing a register as RDF: its triples, an rdflib graph of them, and files (pyoxigraph).

Turtle, N-Triples and RDF/XML are serialized by pyoxigraph, streaming; JSON-LD by rdflib, which
writes it compacted with the register's prefixes as context.
"""

from __future__ import annotations

import codecs
import io
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import IO, Any, TypeVar

from pyoxigraph import Literal, NamedNode, Triple, serialize
from rdflib import Graph, URIRef
from rdflib import Literal as RdflibLiteral

from sourcing_graph.errors import Problem, RegisterError, Text
from sourcing_graph.loaders import rdf_terms as t
from sourcing_graph.loaders.rdf_conclusions import conclusion_rows
from sourcing_graph.loaders.rdf_formats import format_name
from sourcing_graph.model import (
    OWN_IT,
    Contract,
    Register,
    instance_uri,
    subcontracting_key,
    subcontracts_to,
)
from sourcing_graph.ontology.rules import OntologyData

T = TypeVar("T")

# instance IRIs are written in full: pyoxigraph would escape the '/' of sgr:contract\/C-07
_TURTLE_PREFIXES = {"sg": t.SG_NS, "sgx": t.SGX_NS, "xsd": t.XSD_NS}


def check_vocabulary(register: Register, vocab: t.Vocabulary) -> None:
    """Raise :class:`RegisterError` for a mode, clause type, level or basis without individual."""
    source = register.source or "<register>"
    problems: list[Problem] = []

    def check(table: dict[str, str], key: str, what: Text) -> None:
        if key not in table:
            expected = ", ".join(sorted(table))
            problems.append(Problem(source, 1, 1, Text("unknown {what}", what=what), key, expected))

    for lot in register.lots.values():
        if lot.complexity is not None:
            check(vocab.levels, lot.complexity, Text("complexity"))
        if lot.dynamics is not None:
            check(vocab.levels, lot.dynamics, Text("dynamics"))
    for c in register.contracts.values():
        if c.mode is not None:
            check(vocab.modes, c.mode, Text("collaboration mode"))
        for clause in c.clauses:
            check(vocab.clauses, clause, Text("clause type"))
        if c.selection_basis is not None:
            check(vocab.bases, c.selection_basis, Text("selection basis"))
    if problems:
        raise RegisterError(problems[: t.MAX_PROBLEMS], truncated=len(problems) > t.MAX_PROBLEMS)


Row = tuple[str, str, str, str | None]
"""A triple as text: subject IRI, predicate IRI, object, and the object's datatype IRI (``None``:
the object is an IRI; ``xsd:string``: a plain literal; ``@nl``: a literal in that language)."""

Conclusions = Mapping[str, Any]
"""The conclusions as plain data (``Conclusions.as_data()`` of the graph layer), or None."""


class _Rows:
    """The rows of one register, each instance IRI and date made once."""

    def __init__(self, vocab: t.Vocabulary) -> None:
        self.vocab = vocab
        self.iris: dict[tuple[str, str], str] = {}
        self.props: dict[str, str] = {}

    def iri(self, kind: str, identifier: str) -> str:
        text = self.iris.get((kind, identifier))
        if text is None:
            text = self.iris[(kind, identifier)] = instance_uri(kind, identifier)
        return text

    def head(self, s: str, cls: str, identifier: str, name: str | None) -> Iterator[Row]:
        """An entity's type, identifier and name."""
        yield s, t.TYPE, cls, None
        yield s, t.IDENTIFIER, identifier, t.XSD_STRING
        if name is not None:
            yield s, t.NAME, name, t.XSD_STRING

    def source(self, s: str, source: str | None) -> Iterator[Row]:
        """Where the register said it (absent when it did not)."""
        if source is not None:
            yield s, t.SOURCE, source, t.XSD_STRING

    def extras(self, s: str, values: dict[str, str]) -> Iterator[Row]:
        for column, value in values.items():
            prop = self.props.get(column)
            if prop is None:
                prop = self.props[column] = t.extra_uri(column)
            yield s, prop, value, t.XSD_STRING


def _boolean(value: bool) -> str:
    return "true" if value else "false"


def _organisations(register: Register, rows: _Rows) -> Iterator[Row]:
    subcontractors: dict[str, list[str]] = {}
    for sub in subcontracts_to(register.subcontracting):  # sorted by provider, subcontractor
        found = subcontractors.setdefault(sub.provider, [])
        if sub.subcontractor not in found:
            found.append(sub.subcontractor)
    groups = dict(register.part_of_group())
    for o in register.organisations.values():
        s = rows.iri(t.KIND_ORGANISATION, o.id)
        if o.id == OWN_IT:
            cls = t.OWN_IT_CLASS
        else:
            cls = t.INTERNAL_CLASS if o.internal else t.EXTERNAL_CLASS
        yield from rows.head(s, cls, o.id, o.name)
        yield s, t.INTERNAL, _boolean(o.internal), t.XSD_BOOLEAN
        if o.parent is not None:
            yield s, t.PARENT, o.parent, t.XSD_STRING
        if o.id in groups:  # the parent is an organisation of the register
            yield s, t.PART_OF_GROUP, rows.iri(t.KIND_ORGANISATION, groups[o.id]), None
        yield from rows.source(s, o.source)
        for other in subcontractors.get(o.id, ()):  # derived from the links; read back from them
            yield s, t.SUBCONTRACTS_TO, rows.iri(t.KIND_ORGANISATION, other), None
        yield from rows.extras(s, o.extra)


def _lots(register: Register, rows: _Rows) -> Iterator[Row]:
    levels = rows.vocab.levels
    depends: dict[str, list[str]] = {}
    for lot_id, other in sorted(register.dependencies):
        depends.setdefault(lot_id, []).append(other)
    for lot in register.lots.values():
        s = rows.iri(t.KIND_LOT, lot.id)
        yield from rows.head(s, t.LOT_CLASS, lot.id, lot.name)
        yield s, t.PRIME, rows.iri(t.KIND_ORGANISATION, lot.prime_contractor), None
        yield s, t.PRIME_DEFAULTED, _boolean(lot.prime_contractor_defaulted), t.XSD_BOOLEAN
        if lot.complexity is not None:  # a level not recorded stays absent
            yield s, t.COMPLEXITY, levels[lot.complexity], None
        if lot.dynamics is not None:
            yield s, t.DYNAMICS, levels[lot.dynamics], None
        if lot.commodity is not None:
            yield s, t.COMMODITY, _boolean(lot.commodity), t.XSD_BOOLEAN
        for other in depends.get(lot.id, ()):
            yield s, t.DEPENDS_ON, rows.iri(t.KIND_LOT, other), None
        yield from rows.source(s, lot.source)
        yield from rows.extras(s, lot.extra)
    for lot_id, others in depends.items():  # dependencies of lots without a row (invalid input)
        if lot_id not in register.lots:
            for other in others:
                yield rows.iri(t.KIND_LOT, lot_id), t.DEPENDS_ON, rows.iri(t.KIND_LOT, other), None


def _functions(register: Register, rows: _Rows) -> Iterator[Row]:
    for f in register.functions.values():
        s = rows.iri(t.KIND_FUNCTION, f.id)
        yield from rows.head(s, t.FUNCTION_CLASS, f.id, f.name)
        yield s, t.CRITICAL, _boolean(f.critical), t.XSD_BOOLEAN
        yield s, t.RETAINED, _boolean(f.retained), t.XSD_BOOLEAN
        yield from rows.source(s, f.source)
        yield from rows.extras(s, f.extra)


def _contracts(register: Register, rows: _Rows) -> Iterator[Row]:
    vocab = rows.vocab
    for c in register.contracts.values():
        s = instance_uri(t.KIND_CONTRACT, c.id)  # links refer to few: not kept
        yield from rows.head(s, t.CONTRACT_CLASS, c.id, None)
        yield s, t.SUPPLIER, rows.iri(t.KIND_ORGANISATION, c.supplier), None
        yield s, t.LOT, rows.iri(t.KIND_LOT, c.lot), None
        if c.mode is not None:
            yield s, t.MODE, vocab.modes[c.mode], None
        for clause in sorted(c.clauses):
            yield s, t.CLAUSE, vocab.clauses[clause], None
        for function_id in sorted(c.functions):
            yield s, t.DELIVERS, rows.iri(t.KIND_FUNCTION, function_id), None
        if c.start_date is not None:
            yield s, t.START, c.start_date.isoformat(), t.XSD_DATE
        if c.end_date is not None:
            yield s, t.END, c.end_date.isoformat(), t.XSD_DATE
        if c.annual_value is not None:
            yield s, t.VALUE, str(c.annual_value), t.XSD_DECIMAL
        if c.selection_basis is not None:
            yield s, t.BASIS, vocab.bases[c.selection_basis], None
        yield from rows.source(s, c.source)
        worded = sorted(key for key in c.clause_words if key in c.clauses)
        yield from _as_written(s, c, worded)
        yield from rows.extras(s, c.extra)
        for key in worded:  # each clause type as written: its own subject, after the contract
            w = t.wording_uri(c.id, key)
            yield w, t.TYPE, t.WORDING_CLASS, None
            yield w, t.WORDING_OF, vocab.clauses[key], None
            for word in c.clause_words[key]:
                yield w, t.CLAUSE_WORD, word, t.XSD_STRING


def _as_written(s: str, c: Contract, worded: list[str]) -> Iterator[Row]:
    """A contract's mode word as written and its links to its clause types as written."""
    if c.mode_as_written is not None:
        yield s, t.MODE_AS_WRITTEN, c.mode_as_written, t.XSD_STRING
    for key in worded:
        yield s, t.CLAUSE_WORDING, t.wording_uri(c.id, key), None


def _links(register: Register, rows: _Rows) -> Iterator[Row]:
    for link in sorted(register.subcontracting, key=subcontracting_key):
        s = t.link_uri(link)
        yield s, t.TYPE, t.LINK_CLASS, None
        yield s, t.LINK_CONTRACT, instance_uri(t.KIND_CONTRACT, link.contract), None
        yield s, t.PROVIDER, rows.iri(t.KIND_ORGANISATION, link.supplier), None
        yield s, t.CHAIN_RANK, str(link.rank), t.XSD_INTEGER
        if link.recipient is not None:
            yield s, t.RECIPIENT, rows.iri(t.KIND_ORGANISATION, link.recipient), None
        if link.service_type is not None:
            yield s, t.SERVICE_TYPE, link.service_type, t.XSD_STRING
        yield from rows.source(s, link.source)


def register_rows(
    register: Register, vocab: t.Vocabulary, conclusions: Conclusions | None = None
) -> Iterator[Row]:
    """The register's triples as :data:`Row` s, grouped by subject (a subject's rows are
    consecutive), then those of its ``conclusions`` (:mod:`.rdf_conclusions`) when given."""
    rows = _Rows(vocab)
    yield from _organisations(register, rows)
    yield from _lots(register, rows)
    yield from _functions(register, rows)
    yield from _contracts(register, rows)
    yield from _links(register, rows)
    if conclusions is not None:
        yield from conclusion_rows(conclusions, vocab)


def converter(
    iri: Callable[[str], Any],
    plain: Callable[[str], Any],
    typed: Callable[[str, Any], Any],
    triple: Callable[[Any, Any, Any], T],
    tagged: Callable[[str, str], Any] | None = None,
) -> Callable[[Row], T]:
    """Rows -> triples of a library, given its makers of IRIs, plain, typed and (``tagged``)
    language-tagged literals, and triples.

    Repeated IRIs and typed literals are made once (up to a bound); plain literals (mostly
    distinct texts) each time.
    """
    iris: dict[str, Any] = {}
    literals: dict[tuple[str, str], Any] = {}

    def node(text: str) -> Any:
        made = iris.get(text)
        if made is None:
            made = iri(text)
            if len(iris) < 200_000:
                iris[text] = made
        return made

    def convert(row: Row) -> T:
        s, p, o, datatype = row
        if datatype is None:
            obj = node(o)
        elif datatype == t.XSD_STRING:
            obj = plain(o)
        elif datatype.startswith("@") and tagged is not None:
            obj = tagged(o, datatype[1:])
        else:
            obj = literals.get((o, datatype))
            if obj is None:
                obj = typed(o, node(datatype))
                if len(literals) < 100_000:
                    literals[(o, datatype)] = obj
        return triple(node(s), node(p), obj)

    return convert


def _new_graph() -> Graph:
    graph = Graph()
    for prefix, namespace in t.PREFIXES.items():
        graph.bind(prefix, namespace)
    return graph


def _graph(
    register: Register, vocab: t.Vocabulary, conclusions: Conclusions | None = None
) -> Graph:
    graph = _new_graph()
    convert = converter(
        URIRef,
        RdflibLiteral,
        lambda lexical, datatype: RdflibLiteral(lexical, datatype=datatype),
        lambda s, p, o: (s, p, o, graph),
        lambda text, language: RdflibLiteral(text, lang=language),
    )
    graph.addN(map(convert, register_rows(register, vocab, conclusions)))
    return graph


def register_to_rdf(
    register: Register,
    ontology: OntologyData | None = None,
    conclusions: Conclusions | None = None,
) -> Graph:
    """The register as an RDF graph (see :mod:`sourcing_graph.loaders.rdf` for its shape).

    ``ontology`` gives the individuals to use for modes, clause types, levels and selection bases
    (default: the packaged ontology). ``conclusions`` (plain data, see
    :mod:`.rdf_conclusions`) adds the modes and findings. Raises :class:`RegisterError` for a
    value that has no individual (an unknown clause type...), which a validated register never
    has.
    """
    vocab = t.vocabulary(ontology)
    check_vocabulary(register, vocab)
    return _graph(register, vocab, conclusions)


def _turtle_prefixes(register: Register) -> dict[str, str]:
    """The prefixes of the Turtle: ``sgx:`` only where rdflib reads the names pyoxigraph writes.

    pyoxigraph writes the property of a column whose name ends in ``.`` as ``sgx:nr\\.``, valid
    Turtle that rdflib (7.6) cannot read; then the extra columns are written as full IRIs.
    """
    tables: tuple[dict[str, Any], ...] = (
        register.organisations,
        register.lots,
        register.functions,
        register.contracts,
    )
    columns = {c for table in tables for entity in table.values() for c in entity.extra}
    if any(column.endswith(".") for column in columns):
        return {k: v for k, v in _TURTLE_PREFIXES.items() if k != "sgx"}
    return _TURTLE_PREFIXES


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


def _emit(
    register: Register, vocab: t.Vocabulary, fmt: str, out: Any, conclusions: Conclusions | None
) -> None:
    """Write to ``out``, a binary stream (or :class:`_TextSink`)."""
    if fmt in t.OXIGRAPH_FORMATS:
        prefixes = _turtle_prefixes(register) if fmt == "turtle" else None
        convert = converter(
            NamedNode,
            Literal,
            lambda lexical, datatype: Literal(lexical, datatype=datatype),
            Triple,
            lambda text, language: Literal(text, language=language),
        )
        triples = map(convert, register_rows(register, vocab, conclusions))
        serialize(triples, out, t.OXIGRAPH_FORMATS[fmt], prefixes=prefixes)
        return
    graph = _graph(register, vocab, conclusions)
    text = graph.serialize(format=fmt, context=dict(t.PREFIXES), auto_compact=True)
    out.write(text.encode("utf-8"))


def write_rdf(
    register: Register,
    destination: str | Path | IO[bytes] | IO[str],
    format: str = "turtle",  # noqa: A002 - the name rdflib and the CLI use
    ontology: OntologyData | None = None,
    conclusions: Conclusions | None = None,
) -> None:
    """Write the register as RDF to a file path or an open stream (text or binary; UTF-8).

    ``format``: ``turtle`` (default) or ``json-ld``; also ``nt`` (N-Triples) and ``xml``.
    ``conclusions`` (plain data, see :mod:`.rdf_conclusions`) adds the modes and findings.
    """
    fmt = format_name(format)
    vocab = t.vocabulary(ontology)
    check_vocabulary(register, vocab)
    if isinstance(destination, str | Path):
        with open(destination, "wb") as handle:
            _emit(register, vocab, fmt, handle, conclusions)
    elif isinstance(destination, io.TextIOBase):
        _emit(register, vocab, fmt, _TextSink(destination), conclusions)
    elif isinstance(destination, io.RawIOBase | io.BufferedIOBase):
        _emit(register, vocab, fmt, destination, conclusions)
    else:  # a stream of unknown kind: bytes if it takes them, else text
        data = io.BytesIO()
        _emit(register, vocab, fmt, data, conclusions)
        stream: Any = destination
        try:
            stream.write(data.getvalue())
        except TypeError:
            stream.write(data.getvalue().decode("utf-8"))
