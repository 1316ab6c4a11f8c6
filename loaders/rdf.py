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
- literals are typed: ``xsd:boolean``, ``xsd:date``, ``xsd:double`` (annual value); absent
  optional values are absent triples; booleans and levels are always written;
- extra register columns are plain string literals of a property in the namespace
  ``https://w3id.org/sourcing-graph/extra/`` (prefix ``sgx:``) whose local name is the
  percent-encoded column name (:func:`extra_property`).

``register -> RDF -> Register -> RDF`` gives an isomorphic graph and an equal register (apart from
``source`` and ``warnings``, which are not data).

Speed: Turtle and N-Triples are written by a streaming writer, and read by a small tokenizer for
the Turtle subset without collections and ``[...]`` blank nodes (what this module writes, and
most hand-written files); anything else falls back to rdflib's parser. JSON-LD and RDF/XML go
through rdflib. A register with 100 000 contracts (about 1.3 million triples) reads and writes
in seconds rather than minutes.
"""

from __future__ import annotations

import functools
import io
import logging
import re
import warnings
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import IO, Any
from urllib.parse import quote, unquote

from rdflib import RDF, BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node
from rdflib.util import guess_format

from sourcing_graph.errors import Problem, RegisterError
from sourcing_graph.loaders.limits import Limits
from sourcing_graph.model import (
    INSTANCE_NS,
    OWN_IT,
    Contract,
    Function,
    Lot,
    Organisation,
    Register,
    Subcontracting,
    instance_uri,
    subcontracting_key,
)
from sourcing_graph.ontology.rules import SG, OntologyData, read_ontology

__all__ = [
    "FORMATS",
    "SGR",
    "SGX",
    "extra_property",
    "instance_iri",
    "rdf_to_register",
    "read_rdf",
    "register_to_rdf",
    "write_rdf",
]

SGR = Namespace(INSTANCE_NS)
"""Register instances (prefix ``sgr:``)."""
SGX = Namespace("https://w3id.org/sourcing-graph/extra/")
"""Extra register columns as properties (prefix ``sgx:``)."""

KIND_ORGANISATION = "org"
KIND_LOT = "lot"
KIND_FUNCTION = "function"
KIND_CONTRACT = "contract"

FORMATS = {
    "turtle": "turtle",
    "ttl": "turtle",
    "json-ld": "json-ld",
    "jsonld": "json-ld",
    "nt": "nt",
    "ntriples": "nt",
    "n-triples": "nt",
    "xml": "xml",
    "rdf/xml": "xml",
}
"""Accepted ``format`` names -> rdflib format names."""

MAX_PROBLEMS = 200

_SG = str(SG)
_SGR = str(SGR)
_SGX = str(SGX)
_XSD = str(XSD)

_PREFIXES = {"sg": _SG, "sgr": _SGR, "sgx": _SGX, "xsd": _XSD}
_JSONLD_CONTEXT = dict(_PREFIXES)

# The ontology's terms as constants (Namespace attribute access is slow in loops).
_TYPE = RDF.type
_IDENTIFIER = SG.identifier
_NAME = SG.name
_INTERNAL = SG.internal
_COORDINATES = SG.coordinates
_PRIME = SG.primeContractor
_COMPLEXITY = SG.complexity
_DYNAMICS = SG.dynamics
_COMMODITY = SG.commodity
_DEPENDS_ON = SG.dependsOn
_CRITICAL = SG.critical
_RETAINED = SG.retained
_SUPPLIER = SG.supplier
_LOT = SG.lot
_MODE = SG.declaredMode
_CLAUSE = SG.hasClause
_DELIVERS = SG.delivers
_START = SG.startDate
_END = SG.endDate
_VALUE = SG.annualValue
_BASIS = SG.selectionBasis
_CONTRACT = SG.Contract
_LOT_CLASS = SG.Lot
_FUNCTION_CLASS = SG.Function
_OWN_IT_CLASS = SG.OwnITOrganisation
_INTERNAL_CLASS = SG.InternalSupplier
_EXTERNAL_CLASS = SG.ExternalSupplier
_PARENT = SG.ultimateParent
_LINK_CLASS = SG.SupplyChainLink
_LINK_CONTRACT = SG.linkContract
_PROVIDER = SG.provider
_RECIPIENT = SG.recipient
_CHAIN_RANK = SG.chainRank
_SERVICE_TYPE = SG.ictServiceType

_ORG_CLASSES = frozenset(
    {
        SG.Organisation,
        SG.Client,
        SG.Supplier,
        SG.InternalSupplier,
        SG.ExternalSupplier,
        SG.OwnITOrganisation,
        SG.PrimeContractor,
    }
)
_INTERNAL_CLASSES = frozenset({SG.InternalSupplier, SG.OwnITOrganisation})
_STRING_TYPES = frozenset({None, XSD.string})
_INTEGER_TYPES = frozenset(
    {
        XSD.integer,
        XSD.int,
        XSD.long,
        XSD.short,
        XSD.nonNegativeInteger,
        XSD.positiveInteger,
        XSD.unsignedInt,
        XSD.unsignedLong,
    }
)
_NUMERIC_TYPES = _INTEGER_TYPES | {XSD.double, XSD.float, XSD.decimal}
_TRUE = Literal(True)
_FALSE = Literal(False)

_ORG_PROPS = frozenset({_IDENTIFIER, _NAME, _INTERNAL, _COORDINATES, _PARENT})
_LINK_PROPS = frozenset({_LINK_CONTRACT, _PROVIDER, _RECIPIENT, _CHAIN_RANK, _SERVICE_TYPE})
_LOT_PROPS = frozenset(
    {_IDENTIFIER, _NAME, _PRIME, _COMPLEXITY, _DYNAMICS, _COMMODITY, _DEPENDS_ON}
)
_FUNCTION_PROPS = frozenset({_IDENTIFIER, _NAME, _CRITICAL, _RETAINED})
_CONTRACT_PROPS = frozenset(
    {_IDENTIFIER, _SUPPLIER, _LOT, _MODE, _CLAUSE, _DELIVERS, _START, _END, _VALUE, _BASIS}
)


def instance_iri(kind: str, identifier: str) -> URIRef:
    """The IRI of a register instance: ``sgr:<kind>/<percent-encoded identifier>``.

    ``kind`` is ``org``, ``lot``, ``function`` or ``contract``. Every character but the
    unreserved ``A-Z a-z 0-9 - . _ ~`` is percent-encoded (UTF-8), so ``/``, ``#``, spaces and
    non-ASCII letters are safe. The Neo4j loader uses the same IRIs for ``uri``.
    """
    return URIRef(instance_uri(kind, identifier))


def link_iri(link: Subcontracting) -> URIRef:
    """The IRI of a supply-chain link: ``sgr:link/<contract>/<rank>/<provider>/<recipient>/<type>``.

    Each part is percent-encoded like an identifier (an absent recipient or type is empty), so two
    links get the same IRI exactly when they are the same link.
    """
    parts = (
        link.contract,
        str(link.rank),
        link.supplier,
        link.recipient or "",
        link.service_type or "",
    )
    return URIRef(f"{INSTANCE_NS}link/" + "/".join(quote(p, safe="") for p in parts))


def extra_property(column: str) -> URIRef:
    """The property of an extra register column: ``sgx:<percent-encoded column name>``."""
    return URIRef(f"{_SGX}{quote(column, safe='')}")


def _short(node: object) -> str:
    """A node for messages: ``sg:Trust``, ``sgr:contract/C-07``, a literal in N3."""
    if isinstance(node, URIRef):
        text = str(node)
        for prefix, namespace in _PREFIXES.items():
            if text.startswith(namespace):
                return f"{prefix}:{text[len(namespace) :]}"
        return f"<{text}>"
    if isinstance(node, Node):
        return node.n3()
    return str(node)


# ------------------------------------------------------------------------------------------------
# The ontology's individuals
# ------------------------------------------------------------------------------------------------


class _Vocabulary:
    """Keys <-> IRIs of the ontology's modes, clause types, levels and selection bases."""

    def __init__(self, data: OntologyData) -> None:
        def table(items: Iterable[Any]) -> dict[str, URIRef]:
            return {item.key: URIRef(item.uri) for item in items}

        self.modes = table(data.modes)
        self.clauses = table(data.clause_types)
        self.levels = table(data.levels)
        self.bases = table(data.selection_bases)
        self.mode_keys = {v: k for k, v in self.modes.items()}
        self.clause_keys = {v: k for k, v in self.clauses.items()}
        self.level_keys = {v: k for k, v in self.levels.items()}
        self.base_keys = {v: k for k, v in self.bases.items()}


@functools.lru_cache(maxsize=1)
def _default_vocabulary() -> _Vocabulary:
    return _Vocabulary(read_ontology())


def _vocab(ontology: OntologyData | None) -> _Vocabulary:
    return _default_vocabulary() if ontology is None else _Vocabulary(ontology)


# ------------------------------------------------------------------------------------------------
# Register -> triples
# ------------------------------------------------------------------------------------------------


def _check_vocabulary(register: Register, vocab: _Vocabulary) -> None:
    source = register.source or "<register>"
    problems: list[Problem] = []

    def check(table: dict[str, URIRef], key: str, what: str) -> None:
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


def _triples(register: Register, vocab: _Vocabulary) -> Iterator[tuple[Node, Node, Node]]:
    """The register's triples, grouped by subject (every subject's triples are consecutive)."""
    cache: dict[tuple[str, str], URIRef] = {}

    def iri(kind: str, identifier: str) -> URIRef:
        node = cache.get((kind, identifier))
        if node is None:
            node = cache[(kind, identifier)] = instance_iri(kind, identifier)
        return node

    extra_props: dict[str, URIRef] = {}

    def extras(subject: URIRef, values: dict[str, str]) -> Iterator[tuple[Node, Node, Node]]:
        for column, value in values.items():
            prop = extra_props.get(column)
            if prop is None:
                prop = extra_props[column] = extra_property(column)
            yield subject, prop, Literal(value)

    for o in register.organisations.values():
        s = iri(KIND_ORGANISATION, o.id)
        if o.id == OWN_IT:
            cls = _OWN_IT_CLASS
        else:
            cls = _INTERNAL_CLASS if o.internal else _EXTERNAL_CLASS
        yield s, _TYPE, cls
        yield s, _IDENTIFIER, Literal(o.id)
        yield s, _INTERNAL, _TRUE if o.internal else _FALSE
        if o.name is not None:
            yield s, _NAME, Literal(o.name)
        if o.parent is not None:
            yield s, _PARENT, Literal(o.parent)
        yield from extras(s, o.extra)

    depends: dict[str, list[str]] = {}
    for lot_id, other in sorted(register.dependencies):
        depends.setdefault(lot_id, []).append(other)
    listed = set()
    for lot in register.lots.values():
        listed.add(lot.id)
        s = iri(KIND_LOT, lot.id)
        yield s, _TYPE, _LOT_CLASS
        yield s, _IDENTIFIER, Literal(lot.id)
        if lot.name is not None:
            yield s, _NAME, Literal(lot.name)
        yield s, _PRIME, iri(KIND_ORGANISATION, lot.prime_contractor)
        yield s, _COMPLEXITY, vocab.levels[lot.complexity]
        yield s, _DYNAMICS, vocab.levels[lot.dynamics]
        yield s, _COMMODITY, _TRUE if lot.commodity else _FALSE
        for other in depends.get(lot.id, ()):
            yield s, _DEPENDS_ON, iri(KIND_LOT, other)
        yield from extras(s, lot.extra)
    for lot_id, others in depends.items():  # dependencies of lots without a row (invalid input)
        if lot_id not in listed:
            for other in others:
                yield iri(KIND_LOT, lot_id), _DEPENDS_ON, iri(KIND_LOT, other)

    for f in register.functions.values():
        s = iri(KIND_FUNCTION, f.id)
        yield s, _TYPE, _FUNCTION_CLASS
        yield s, _IDENTIFIER, Literal(f.id)
        if f.name is not None:
            yield s, _NAME, Literal(f.name)
        yield s, _CRITICAL, _TRUE if f.critical else _FALSE
        yield s, _RETAINED, _TRUE if f.retained else _FALSE
        yield from extras(s, f.extra)

    for c in register.contracts.values():
        s = iri(KIND_CONTRACT, c.id)
        yield s, _TYPE, _CONTRACT
        yield s, _IDENTIFIER, Literal(c.id)
        yield s, _SUPPLIER, iri(KIND_ORGANISATION, c.supplier)
        yield s, _LOT, iri(KIND_LOT, c.lot)
        if c.mode is not None:
            yield s, _MODE, vocab.modes[c.mode]
        for clause in sorted(c.clauses):
            yield s, _CLAUSE, vocab.clauses[clause]
        for function_id in sorted(c.functions):
            yield s, _DELIVERS, iri(KIND_FUNCTION, function_id)
        if c.start_date is not None:
            yield s, _START, Literal(c.start_date, datatype=XSD.date)
        if c.end_date is not None:
            yield s, _END, Literal(c.end_date, datatype=XSD.date)
        if c.annual_value is not None:
            yield s, _VALUE, Literal(float(c.annual_value), datatype=XSD.double)
        if c.selection_basis is not None:
            yield s, _BASIS, vocab.bases[c.selection_basis]
        yield from extras(s, c.extra)

    for link in sorted(register.subcontracting, key=subcontracting_key):
        s = link_iri(link)
        yield s, _TYPE, _LINK_CLASS
        yield s, _LINK_CONTRACT, iri(KIND_CONTRACT, link.contract)
        yield s, _PROVIDER, iri(KIND_ORGANISATION, link.supplier)
        yield s, _CHAIN_RANK, Literal(link.rank, datatype=XSD.integer)
        if link.recipient is not None:
            yield s, _RECIPIENT, iri(KIND_ORGANISATION, link.recipient)
        if link.service_type is not None:
            yield s, _SERVICE_TYPE, Literal(link.service_type)


def _new_graph() -> Graph:
    graph = Graph()
    for prefix, namespace in _PREFIXES.items():
        graph.bind(prefix, namespace)
    return graph


def register_to_rdf(register: Register, ontology: OntologyData | None = None) -> Graph:
    """The register as an RDF graph (see the module doc for its shape).

    ``ontology`` gives the individuals to use for modes, clause types, levels and selection bases
    (default: the packaged ontology). Raises :class:`RegisterError` for a value that has no
    individual (an unknown clause type...), which a validated register never has.
    """
    vocab = _vocab(ontology)
    _check_vocabulary(register, vocab)
    graph = _new_graph()
    graph.addN((s, p, o, graph) for s, p, o in _triples(register, vocab))
    return graph


# ------------------------------------------------------------------------------------------------
# Writing Turtle and N-Triples directly
# ------------------------------------------------------------------------------------------------

_STRING_ESCAPES = {
    "\\": "\\\\",
    '"': '\\"',
    "\n": "\\n",
    "\r": "\\r",
    "\t": "\\t",
    "\b": "\\b",
    "\f": "\\f",
}
_NEEDS_ESCAPE = re.compile(r'[\\"\n\r\t\b\f]')
_IRI_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_SIMPLE_LOCAL = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
# percent-encoded column names are valid Turtle local names when they avoid '~' and a final '.'
_PERCENT_LOCAL = re.compile(r"[A-Za-z0-9_%](?:[A-Za-z0-9_\-.%]*[A-Za-z0-9_\-%])?\Z")
_PREFIXED_LOCALS = (("sg", _SIMPLE_LOCAL), ("xsd", _SIMPLE_LOCAL), ("sgx", _PERCENT_LOCAL))


def _quote_string(text: str) -> str:
    if _NEEDS_ESCAPE.search(text):
        text = _NEEDS_ESCAPE.sub(lambda m: _STRING_ESCAPES[m.group()], text)
    return f'"{text}"'


def _iri_text(text: str) -> str:
    if _IRI_FORBIDDEN.search(text):
        text = _IRI_FORBIDDEN.sub(lambda m: f"\\u{ord(m.group()):04X}", text)
    return f"<{text}>"


class _TermWriter:
    """Formats terms for Turtle (with prefixes) or N-Triples (full IRIs)."""

    def __init__(self, prefixed: bool) -> None:
        self.prefixed = prefixed
        self.cache: dict[Node, str] = {}

    def __call__(self, node: Node) -> str:
        text = self.cache.get(node)
        if text is not None:
            return text
        if isinstance(node, URIRef):
            text = self.iri(str(node))
            if len(self.cache) < 100_000:
                self.cache[node] = text
            return text
        if isinstance(node, Literal):
            return self.literal(node)
        if isinstance(node, BNode):
            return f"_:{node}"
        raise TypeError(f"cannot write {node!r}")

    def iri(self, text: str) -> str:
        if self.prefixed:
            for prefix, pattern in _PREFIXED_LOCALS:
                namespace = _PREFIXES[prefix]
                if text.startswith(namespace) and pattern.match(text, len(namespace)):
                    return f"{prefix}:{text[len(namespace) :]}"
        return _iri_text(text)

    def literal(self, node: Literal) -> str:
        if self.prefixed and node.datatype == XSD.boolean and str(node) in ("true", "false"):
            return str(node)
        lexical = _quote_string(str(node))
        if node.language:
            return f"{lexical}@{node.language}"
        if node.datatype is None:
            return lexical
        return f"{lexical}^^{self.iri(str(node.datatype))}"


def _write_turtle(triples: Iterable[tuple[Node, Node, Node]], out: IO[str]) -> None:
    term = _TermWriter(prefixed=True)
    for prefix, namespace in _PREFIXES.items():
        out.write(f"@prefix {prefix}: <{namespace}> .\n")
    subject: Node | None = None
    lines: list[str] = []
    for s, p, o in triples:
        if s != subject:
            if subject is not None:
                lines.append(" .\n")
                out.write("".join(lines))
                lines = []
            subject = s
            lines.append(f"\n{term(s)}")
            separator = " "
        else:
            separator = " ;\n    "
        verb = "a" if p == _TYPE else term(p)
        lines.append(f"{separator}{verb} {term(o)}")
    if subject is not None:
        lines.append(" .\n")
        out.write("".join(lines))


def _write_ntriples(triples: Iterable[tuple[Node, Node, Node]], out: IO[str]) -> None:
    term = _TermWriter(prefixed=False)
    batch: list[str] = []
    for s, p, o in triples:
        batch.append(f"{term(s)} {term(p)} {term(o)} .\n")
        if len(batch) >= 10_000:
            out.write("".join(batch))
            batch = []
    out.write("".join(batch))


def _rdflib_format(fmt: str) -> str:
    name = FORMATS.get(fmt.strip().lower())
    if name is None:
        raise ValueError(
            f"unknown RDF format {fmt!r}; expected one of {', '.join(sorted(FORMATS))}"
        )
    return name


def write_rdf(
    register: Register,
    destination: str | Path | IO[bytes] | IO[str],
    format: str = "turtle",  # noqa: A002 - the name rdflib and the CLI use
    ontology: OntologyData | None = None,
) -> None:
    """Write the register as RDF to a file path or an open stream (text or binary; UTF-8).

    ``format``: ``turtle`` (default) or ``json-ld``; also ``nt`` (N-Triples) and ``xml``.
    """
    fmt = _rdflib_format(format)
    vocab = _vocab(ontology)
    _check_vocabulary(register, vocab)

    def emit(out: IO[str]) -> None:
        if fmt == "turtle":
            _write_turtle(_triples(register, vocab), out)
        elif fmt == "nt":
            _write_ntriples(_triples(register, vocab), out)
        else:
            graph = _new_graph()
            graph.addN((s, p, o, graph) for s, p, o in _triples(register, vocab))
            kwargs: dict[str, Any] = {}
            if fmt == "json-ld":
                kwargs = {"context": _JSONLD_CONTEXT, "auto_compact": True}
            out.write(graph.serialize(format=fmt, **kwargs))

    if isinstance(destination, str | Path):
        with open(destination, "w", encoding="utf-8", newline="\n") as handle:
            emit(handle)
    elif isinstance(destination, io.TextIOBase):
        emit(destination)
    else:
        text = io.StringIO()
        emit(text)
        data = text.getvalue()
        stream: Any = destination
        try:
            stream.write(data.encode("utf-8"))
        except TypeError:
            stream.write(data)


# ------------------------------------------------------------------------------------------------
# A fast reader for the common Turtle subset (and N-Triples)
# ------------------------------------------------------------------------------------------------


class _Unsupported(Exception):
    """The fast reader cannot handle this input; rdflib's parser will."""


_HEX = "[0-9A-Fa-f]"
_UCHAR = rf"\\u{_HEX}{{4}}|\\U{_HEX}{{8}}"
_LOCAL_ESC = r"\\[_~.\-!$&'()*+,;=/?#@%]"
_PLX = rf"%{_HEX}{{2}}|{_LOCAL_ESC}"
_LOCAL = (
    rf"(?:[A-Za-z0-9_:]|{_PLX})"
    rf"(?:(?:[A-Za-z0-9_\-.:]|{_PLX})*(?:[A-Za-z0-9_\-:]|{_PLX}))?"
)
_PREFIX = r"[A-Za-z](?:[A-Za-z0-9_\-.]*[A-Za-z0-9_\-])?"
_TOKEN = re.compile(
    r"""
    (?:[ \t\r\n]+|\#[^\n]*)*
    (?:
      (?P<pname>(?:"""
    + _PREFIX
    + r""")?:(?:"""
    + _LOCAL
    + r""")?)
    | (?P<iri><(?:[^\x00-\x20<>"{}|^`\\]|"""
    + _UCHAR
    + r""")*>)
    | (?P<punct>[.;,])
    | (?P<lstring>\"\"\"(?:(?:"|"")?(?:[^"\\]|\\.))*\"\"\"|'''(?:(?:'|'')?(?:[^'\\]|\\.))*''')
    | (?P<string>"(?:[^"\\\n\r]|\\.)*"|'(?:[^'\\\n\r]|\\.)*')
    | (?P<a>a(?=[ \t\r\n<"'_\[(]))
    | (?P<boolean>(?:true|false)(?![A-Za-z0-9_:\-]))
    | (?P<dt>\^\^)
    | (?P<directive>@prefix\b|@base\b|(?i:PREFIX|BASE)(?=[ \t\r\n]))
    | (?P<lang>@[a-zA-Z]+(?:-[a-zA-Z0-9]+)*)
    | (?P<bnode>_:[A-Za-z0-9_](?:[A-Za-z0-9_\-.]*[A-Za-z0-9_\-])?)
    | (?P<double>[+-]?(?:[0-9]+\.[0-9]*[eE][+-]?[0-9]+|\.[0-9]+[eE][+-]?[0-9]+|[0-9]+[eE][+-]?[0-9]+))
    | (?P<decimal>[+-]?[0-9]*\.[0-9]+)
    | (?P<integer>[+-]?[0-9]+)
    )
    """,
    re.VERBOSE,
)
_TRAILING = re.compile(r"(?:[ \t\r\n]+|#[^\n]*)*\Z")
_ECHAR = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}
_STRING_ESCAPE = re.compile(rf"\\(?:u{_HEX}{{4}}|U{_HEX}{{8}}|.)", re.DOTALL)
_ABSOLUTE_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")


def _unescape_string(body: str) -> str:
    def replace(match: re.Match[str]) -> str:
        text = match.group()
        if text[1] in "uU":
            return chr(int(text[2:], 16))
        if text[1] not in _ECHAR:
            raise _Unsupported(f"bad escape {text!r}")
        return _ECHAR[text[1]]

    return _STRING_ESCAPE.sub(replace, body) if "\\" in body else body


def _tokens(text: str) -> Iterator[tuple[str, str]]:
    pos = 0
    end = len(text)
    match = _TOKEN.match
    while pos < end:
        m = match(text, pos)
        if m is None:
            if _TRAILING.match(text, pos):
                return
            raise _Unsupported(f"unexpected text at offset {pos}")
        pos = m.end()
        kind = m.lastgroup
        assert kind is not None
        yield kind, m.group(kind)


def _fast_parse(text: str) -> Iterator[tuple[Node, Node, Node]]:
    """Triples of Turtle/N-Triples text, or :class:`_Unsupported` for features it lacks."""
    prefixes: dict[str, str] = {}
    bnodes: dict[str, BNode] = {}
    iris: dict[str, URIRef] = {}
    tokens = _tokens(text)

    def iri(raw: str) -> URIRef:
        node = iris.get(raw)
        if node is not None:
            return node
        body = raw[1:-1]
        if "\\" in body:
            body = re.sub(rf"\\u({_HEX}{{4}})|\\U({_HEX}{{8}})", _uchar, body)
        if not _ABSOLUTE_IRI.match(body):
            raise _Unsupported("relative IRI")
        node = URIRef(body)
        if len(iris) < 200_000:
            iris[raw] = node
        return node

    def pname(raw: str) -> URIRef:
        node = iris.get(raw)
        if node is not None:
            return node
        prefix, _, local = raw.partition(":")
        namespace = prefixes.get(prefix)
        if namespace is None:
            raise _Unsupported(f"undeclared prefix {prefix!r}")
        if "\\" in local:
            local = re.sub(_LOCAL_ESC, lambda m: m.group()[1], local)
        node = URIRef(namespace + local)
        if len(iris) < 200_000:
            iris[raw] = node
        return node

    def resource(kind: str, value: str) -> Node:
        if kind == "iri":
            return iri(value)
        if kind == "pname":
            return pname(value)
        if kind == "bnode":
            node = bnodes.get(value)
            if node is None:
                node = bnodes[value] = BNode()
            return node
        raise _Unsupported(f"unexpected {kind} {value!r}")

    def next_token() -> tuple[str, str]:
        token = next(tokens, None)
        if token is None:
            raise _Unsupported("unexpected end")
        return token

    pending: tuple[str, str] | None = None

    def take() -> tuple[str, str]:
        nonlocal pending
        if pending is not None:
            token, pending = pending, None
            return token
        return next_token()

    literals: dict[tuple[str, str, str], Literal] = {}

    def literal(lexical: str, lang: str = "", datatype: URIRef | None = None) -> Literal:
        key = (lexical, lang, datatype or "")
        node = literals.get(key)
        if node is None:
            node = Literal(lexical, lang=lang or None, datatype=datatype)
            if len(literals) < 100_000:
                literals[key] = node
        return node

    def obj() -> Node:
        nonlocal pending
        kind, value = take()
        if kind in ("string", "lstring"):
            quote_len = 3 if kind == "lstring" else 1
            lexical = _unescape_string(value[quote_len:-quote_len])
            after = next(tokens, None)
            if after is not None and after[0] == "lang":
                return literal(lexical, lang=after[1][1:])
            if after is not None and after[0] == "dt":
                dt_kind, dt_value = next_token()
                if dt_kind not in ("iri", "pname"):
                    raise _Unsupported("bad datatype")
                datatype = resource(dt_kind, dt_value)
                assert isinstance(datatype, URIRef)
                return literal(lexical, datatype=datatype)
            pending = after
            return Literal(lexical)  # mostly identifiers and names: not worth caching
        if kind == "integer":
            return literal(str(int(value)), datatype=XSD.integer)
        if kind == "decimal":
            try:
                number = str(Decimal(value))
            except InvalidOperation as exc:  # pragma: no cover - the regex admits only numbers
                raise _Unsupported("bad decimal") from exc
            return literal("0" if number == "-0" else number, datatype=XSD.decimal)
        if kind == "double":
            return literal(value, datatype=XSD.double)
        if kind == "boolean":
            return literal(value, datatype=XSD.boolean)
        return resource(kind, value)

    while True:
        token = pending if pending is not None else next(tokens, None)
        pending = None
        if token is None:
            return
        kind, value = token
        if kind == "directive":
            if value.lower().lstrip("@") != "prefix":
                raise _Unsupported("base directive")
            p_kind, p_value = next_token()
            if p_kind != "pname" or not p_value.endswith(":"):
                raise _Unsupported("bad prefix directive")
            i_kind, i_value = next_token()
            if i_kind != "iri":
                raise _Unsupported("bad prefix directive")
            prefixes[p_value[:-1]] = str(iri(i_value))
            if value.startswith("@"):
                end_kind, end_value = next_token()
                if (end_kind, end_value) != ("punct", "."):
                    raise _Unsupported("prefix directive without '.'")
            continue
        subject = resource(kind, value)
        while True:  # predicate-object lists
            v_kind, v_value = take()
            predicate = _TYPE if v_kind == "a" else resource(v_kind, v_value)
            if isinstance(predicate, BNode):
                raise _Unsupported("blank node predicate")
            while True:  # object lists
                yield subject, predicate, obj()
                sep_kind, sep_value = take()
                if sep_kind != "punct":
                    raise _Unsupported(f"unexpected {sep_value!r}")
                if sep_value != ",":
                    break
            if sep_value == ".":
                break
            # ';' -- possibly repeated, possibly followed by '.'
            while True:
                following = take()
                if following != ("punct", ";"):
                    break
            if following == ("punct", "."):
                break
            pending = following


def _uchar(match: re.Match[str]) -> str:
    return chr(int(match.group(1) or match.group(2), 16))


# ------------------------------------------------------------------------------------------------
# Triples -> Register
# ------------------------------------------------------------------------------------------------

_Index = dict[Node, dict[Node, list[Node]]]


def _index(triples: Iterable[tuple[Node, Node, Node]]) -> _Index:
    """subject -> predicate -> objects (duplicates dropped, as in a graph)."""
    index: _Index = {}
    for s, p, o in triples:
        props = index.get(s)
        if props is None:
            props = index[s] = {}
        values = props.get(p)
        if values is None:
            props[p] = [o]
        elif o not in values:
            values.append(o)
    return index


class _Reader:
    """Rebuilds a Register from an index of triples, collecting every problem found."""

    def __init__(self, index: _Index, source: str, vocab: _Vocabulary) -> None:
        self.index = index
        self.source = source
        self.vocab = vocab
        self.problems: list[Problem] = []

    def problem(self, message: str, value: object = None, expected: str | None = None) -> None:
        shown = None if value is None else _short(value)
        self.problems.append(Problem(self.source, 1, 1, message, shown, expected))

    # -- values ---------------------------------------------------------------------------------

    def single(self, subject: Node, props: dict[Node, list[Node]], prop: URIRef) -> Node | None:
        values = props.get(prop)
        if not values:
            return None
        if len(values) > 1:
            self.problem(
                f"{_short(subject)} has {len(values)} values of {_short(prop)}",
                ", ".join(sorted(_short(v) for v in values)),
                "at most one",
            )
            return None
        return values[0]

    def string(self, subject: Node, node: Node | None, prop: URIRef) -> str | None:
        if node is None:
            return None
        if isinstance(node, Literal) and node.datatype in _STRING_TYPES and not node.language:
            return str(node)
        self.problem(
            f"{_short(subject)} {_short(prop)} is not a string",
            node,
            "a plain or xsd:string literal",
        )
        return None

    def boolean(self, subject: Node, node: Node | None, prop: URIRef) -> bool | None:
        if node is None:
            return None
        if isinstance(node, Literal) and node.datatype == XSD.boolean:
            if getattr(node, "ill_typed", False):
                # rdflib reads any text but true, false, 1, 0 ("tHtrue") as false, and shows
                # it as "false"; so the problem carries no value
                self.problem(
                    f"{_short(subject)} {_short(prop)} is not a boolean: an xsd:boolean literal "
                    "whose text is not true, false, 1 or 0",
                    None,
                    "an xsd:boolean literal (true or false)",
                )
                return None
            value = node.toPython()
            if isinstance(value, bool):
                return value
        self.problem(
            f"{_short(subject)} {_short(prop)} is not a boolean",
            node,
            "an xsd:boolean literal (true or false)",
        )
        return None

    def date(self, subject: Node, node: Node | None, prop: URIRef) -> date | None:
        if node is None:
            return None
        if isinstance(node, Literal) and node.datatype == XSD.date:
            value = node.toPython()
            if isinstance(value, date) and not isinstance(value, datetime):
                return value
        self.problem(
            f"{_short(subject)} {_short(prop)} is not a date",
            node,
            "an xsd:date literal (yyyy-mm-dd)",
        )
        return None

    def number(self, subject: Node, node: Node | None, prop: URIRef) -> float | None:
        if node is None:
            return None
        if isinstance(node, Literal) and node.datatype in _NUMERIC_TYPES:
            value = node.toPython()
            if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
                return float(value)
        self.problem(
            f"{_short(subject)} {_short(prop)} is not a number",
            node,
            "an xsd:double (or other numeric) literal",
        )
        return None

    def rank(self, subject: Node, node: Node | None, prop: URIRef) -> int | None:
        if node is None:
            self.problem(
                f"{_short(subject)} has no {_short(prop)}", None, "one integer of 1 or more"
            )
            return None
        if isinstance(node, Literal) and node.datatype in _INTEGER_TYPES:
            value = node.toPython()
            if isinstance(value, int) and not isinstance(value, bool) and value >= 1:
                return value
        self.problem(
            f"{_short(subject)} {_short(prop)} is not a rank", node, "an xsd:integer of 1 or more"
        )
        return None

    def individual(
        self, subject: Node, node: Node | None, prop: URIRef, table: dict[URIRef, str], what: str
    ) -> str | None:
        if node is None:
            return None
        key = table.get(node) if isinstance(node, URIRef) else None
        if key is None:
            expected = " or ".join(sorted(_short(iri) for iri in table))
            self.problem(f"{_short(subject)} {_short(prop)}: unknown {what}", node, expected)
        return key

    # -- entities -------------------------------------------------------------------------------

    def identifier(self, subject: Node, props: dict[Node, list[Node]], kind: str) -> str | None:
        values = props.get(_IDENTIFIER)
        if values:
            node = self.single(subject, props, _IDENTIFIER)
            return None if node is None else self.string(subject, node, _IDENTIFIER)
        derived = self.derived_identifier(subject, kind)
        if derived is None:
            self.problem(f"{_short(subject)} has no identifier", None, "one sg:identifier string")
        return derived

    @staticmethod
    def derived_identifier(subject: Node, kind: str) -> str | None:
        prefix = f"{_SGR}{kind}/"
        if isinstance(subject, URIRef) and str(subject).startswith(prefix):
            return unquote(str(subject)[len(prefix) :])
        return None

    def extras(self, subject: Node, props: dict[Node, list[Node]]) -> dict[str, str]:
        extra: dict[str, str] = {}
        for prop, values in props.items():
            if not (isinstance(prop, URIRef) and prop.startswith(_SGX)):
                continue
            column = unquote(str(prop)[len(_SGX) :])
            if len(values) > 1:
                self.problem(
                    f"{_short(subject)} has {len(values)} values of the extra column {column!r}",
                    ", ".join(sorted(_short(v) for v in values)),
                    "at most one",
                )
                continue
            value = values[0]
            if not isinstance(value, Literal):
                self.problem(
                    f"{_short(subject)} extra column {column!r} is not a literal",
                    value,
                    "a literal",
                )
                continue
            extra[column] = str(value)
        return extra

    def unexpected(
        self, subject: Node, props: dict[Node, list[Node]], allowed: frozenset[URIRef]
    ) -> None:
        for prop in props:
            if isinstance(prop, URIRef) and prop.startswith(_SG) and prop not in allowed:
                self.problem(
                    f"{_short(subject)} has a property that does not belong to it",
                    prop,
                    ", ".join(sorted(_short(p) for p in allowed)),
                )


def _build_register(index: _Index, source: str, vocab: _Vocabulary) -> Register:
    reader = _Reader(index, source, vocab)

    kinds: dict[Node, str] = {}
    for subject, props in index.items():
        for cls in props.get(_TYPE, ()):
            if cls in _ORG_CLASSES:
                kind = KIND_ORGANISATION
            elif cls == _LOT_CLASS:
                kind = KIND_LOT
            elif cls == _FUNCTION_CLASS:
                kind = KIND_FUNCTION
            elif cls == _CONTRACT:
                kind = KIND_CONTRACT
            else:
                continue
            if kinds.setdefault(subject, kind) != kind:
                reader.problem(
                    f"{_short(subject)} is typed as two kinds of register entity",
                    f"{kinds[subject]} and {kind}",
                    "one of sg:Organisation, sg:Lot, sg:Function, sg:Contract",
                )

    by_kind: dict[str, list[Node]] = {
        KIND_ORGANISATION: [],
        KIND_LOT: [],
        KIND_FUNCTION: [],
        KIND_CONTRACT: [],
    }
    for subject, kind in kinds.items():
        by_kind[kind].append(subject)

    ids: dict[Node, str] = {}
    seen: dict[tuple[str, str], Node] = {}
    for kind, subjects in by_kind.items():
        for subject in subjects:
            identifier = reader.identifier(subject, index[subject], kind)
            if identifier is None:
                continue
            other = seen.get((kind, identifier))
            if other is not None:
                reader.problem(
                    f"two {kind} entities share an identifier: {_short(other)} and "
                    f"{_short(subject)}",
                    identifier,
                    "unique identifiers",
                )
                continue
            seen[(kind, identifier)] = subject
            ids[subject] = identifier

    organisations: dict[str, Organisation] = {}
    lots: dict[str, Lot] = {}
    functions: dict[str, Function] = {}
    contracts: dict[str, Contract] = {}

    def reference(subject: Node, prop: URIRef, node: Node | None, kind: str) -> str | None:
        """The identifier of the entity ``node`` refers to, creating a default one if needed."""
        if node is None:
            return None
        node_kind = kinds.get(node)
        if node_kind == kind:
            return ids.get(node)  # None: a problem with its identifier was reported already
        if node_kind is not None:
            reader.problem(
                f"{_short(subject)} {_short(prop)} refers to a {node_kind}, not a {kind}",
                node,
                f"a {kind}",
            )
            return None
        identifier = reader.derived_identifier(node, kind)
        if identifier is None:
            reader.problem(
                f"{_short(subject)} {_short(prop)} refers to something that is not a {kind}",
                node,
                f"an IRI typed as a {kind}, or sgr:{kind}/<identifier>",
            )
            return None
        if kind == KIND_ORGANISATION and identifier not in organisations:
            organisations[identifier] = Organisation(identifier, None, identifier == OWN_IT)
        elif kind == KIND_LOT and identifier not in lots:
            lots[identifier] = Lot(identifier)
        elif kind == KIND_FUNCTION and identifier not in functions:
            functions[identifier] = Function(identifier)
        return identifier

    for subject in by_kind[KIND_ORGANISATION]:
        identifier = ids.get(subject)
        if identifier is None:
            continue
        props = index[subject]
        reader.unexpected(subject, props, _ORG_PROPS)
        classes = set(props.get(_TYPE, ()))
        by_class = bool(classes & _INTERNAL_CLASSES)
        flag = reader.boolean(subject, reader.single(subject, props, _INTERNAL), _INTERNAL)
        internal = by_class if flag is None else flag
        if by_class and flag is False:
            reader.problem(
                f"{_short(subject)} is typed as internal but has sg:internal false",
                _FALSE,
                "sg:internal true",
            )
        if _EXTERNAL_CLASS in classes and internal:
            reader.problem(
                f"{_short(subject)} is typed sg:ExternalSupplier but is internal",
                _TRUE,
                "sg:internal false",
            )
        if identifier == OWN_IT and not internal:
            reader.problem(
                "own-it (the own IT organisation) is always internal", _FALSE, "sg:internal true"
            )
        organisations[identifier] = Organisation(
            identifier,
            reader.string(subject, reader.single(subject, props, _NAME), _NAME),
            internal,
            reader.extras(subject, props),
            reader.string(subject, reader.single(subject, props, _PARENT), _PARENT),
        )

    dependencies: set[tuple[str, str]] = set()
    for subject in by_kind[KIND_LOT]:
        identifier = ids.get(subject)
        if identifier is None:
            continue
        props = index[subject]
        reader.unexpected(subject, props, _LOT_PROPS)
        prime_node = reader.single(subject, props, _PRIME)
        prime = reference(subject, _PRIME, prime_node, KIND_ORGANISATION)
        level_keys = vocab.level_keys
        complexity = reader.individual(
            subject, reader.single(subject, props, _COMPLEXITY), _COMPLEXITY, level_keys, "level"
        )
        dynamics = reader.individual(
            subject, reader.single(subject, props, _DYNAMICS), _DYNAMICS, level_keys, "level"
        )
        commodity = reader.boolean(subject, reader.single(subject, props, _COMMODITY), _COMMODITY)
        lots[identifier] = Lot(
            identifier,
            reader.string(subject, reader.single(subject, props, _NAME), _NAME),
            prime or OWN_IT,
            complexity or "low",
            dynamics or "low",
            bool(commodity),
            reader.extras(subject, props),
        )
    for subject in by_kind[KIND_LOT]:
        identifier = ids.get(subject)
        if identifier is None:
            continue
        for target in index[subject].get(_DEPENDS_ON, ()):
            target_id = reference(subject, _DEPENDS_ON, target, KIND_LOT)
            if target_id is None:
                continue
            if target_id == identifier:
                reader.problem(f"lot {identifier!r} depends on itself", target, "another lot")
                continue
            dependencies.add((identifier, target_id))
    for subject, props in index.items():  # sg:dependsOn on subjects not typed as lots
        if subject not in kinds and _DEPENDS_ON in props:
            reader.problem(
                f"{_short(subject)} has sg:dependsOn but is not a lot", subject, "an sg:Lot"
            )

    for subject in by_kind[KIND_FUNCTION]:
        identifier = ids.get(subject)
        if identifier is None:
            continue
        props = index[subject]
        reader.unexpected(subject, props, _FUNCTION_PROPS)
        functions[identifier] = Function(
            identifier,
            reader.string(subject, reader.single(subject, props, _NAME), _NAME),
            bool(reader.boolean(subject, reader.single(subject, props, _CRITICAL), _CRITICAL)),
            bool(reader.boolean(subject, reader.single(subject, props, _RETAINED), _RETAINED)),
            reader.extras(subject, props),
        )

    for subject in by_kind[KIND_CONTRACT]:
        identifier = ids.get(subject)
        if identifier is None:
            continue
        props = index[subject]
        reader.unexpected(subject, props, _CONTRACT_PROPS)
        if not props.get(_SUPPLIER):
            reader.problem(f"contract {identifier!r} has no supplier", None, "one sg:supplier")
        if not props.get(_LOT):
            reader.problem(f"contract {identifier!r} has no lot", None, "one sg:lot")
        supplier = reference(
            subject, _SUPPLIER, reader.single(subject, props, _SUPPLIER), KIND_ORGANISATION
        )
        lot_id = reference(subject, _LOT, reader.single(subject, props, _LOT), KIND_LOT)
        mode = reader.individual(
            subject,
            reader.single(subject, props, _MODE),
            _MODE,
            vocab.mode_keys,
            "collaboration mode",
        )
        clauses = set()
        for node in props.get(_CLAUSE, ()):
            key = reader.individual(subject, node, _CLAUSE, vocab.clause_keys, "clause type")
            if key is not None:
                clauses.add(key)
        delivered = set()
        for node in props.get(_DELIVERS, ()):
            function_id = reference(subject, _DELIVERS, node, KIND_FUNCTION)
            if function_id is not None:
                delivered.add(function_id)
        basis = reader.individual(
            subject,
            reader.single(subject, props, _BASIS),
            _BASIS,
            vocab.base_keys,
            "selection basis",
        )
        start = reader.date(subject, reader.single(subject, props, _START), _START)
        end = reader.date(subject, reader.single(subject, props, _END), _END)
        value = reader.number(subject, reader.single(subject, props, _VALUE), _VALUE)
        extra = reader.extras(subject, props)
        if supplier is None or lot_id is None:
            continue
        contracts[identifier] = Contract(
            identifier,
            supplier,
            lot_id,
            mode,
            frozenset(clauses),
            frozenset(delivered),
            start,
            end,
            value,
            basis,
            extra,
        )

    subcontracting: set[Subcontracting] = set()
    for subject, props in index.items():
        if _LINK_CLASS not in props.get(_TYPE, ()):
            continue
        reader.unexpected(subject, props, _LINK_PROPS)
        contract_node = reader.single(subject, props, _LINK_CONTRACT)
        contract_id = reference(subject, _LINK_CONTRACT, contract_node, KIND_CONTRACT)
        if contract_node is None:
            reader.problem(f"{_short(subject)} has no contract", None, "one sg:linkContract")
        elif contract_id is not None and contract_id not in contracts:
            reader.problem(
                f"{_short(subject)} sg:linkContract refers to a contract the register does not have",
                contract_node,
                "a contract of the register",
            )
            contract_id = None
        provider_node = reader.single(subject, props, _PROVIDER)
        if provider_node is None:
            reader.problem(f"{_short(subject)} has no provider", None, "one sg:provider")
        provider = reference(subject, _PROVIDER, provider_node, KIND_ORGANISATION)
        recipient = reference(
            subject, _RECIPIENT, reader.single(subject, props, _RECIPIENT), KIND_ORGANISATION
        )
        rank = reader.rank(subject, reader.single(subject, props, _CHAIN_RANK), _CHAIN_RANK)
        service = reader.string(
            subject, reader.single(subject, props, _SERVICE_TYPE), _SERVICE_TYPE
        )
        if contract_id is None or provider is None or rank is None:
            continue
        subcontracting.add(Subcontracting(contract_id, provider, rank, recipient, service))

    if reader.problems:
        problems = reader.problems
        raise RegisterError(problems[:MAX_PROBLEMS], truncated=len(problems) > MAX_PROBLEMS)
    return Register(
        organisations=organisations,
        lots=lots,
        functions=functions,
        contracts=contracts,
        dependencies=dependencies,
        subcontracting=subcontracting,
        source=source,
    )


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
    return _build_register(_index(graph), source, _vocab(ontology))


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
    limits = limits or Limits()
    if isinstance(path, str | Path):
        source = str(path)
        try:
            too_large = limits.file_too_large(Path(path).stat().st_size)
            if too_large:
                problem = Problem(source, 1, 1, too_large, None, limits.expected("max_file_mb"))
                raise RegisterError([problem])
            data = Path(path).read_bytes()
        except OSError as exc:
            problem = Problem(source, 1, 1, f"cannot read the file: {exc.strerror or exc}")
            raise RegisterError([problem]) from exc
    else:
        source = str(getattr(path, "name", "<stream>"))
        raw = path.read()
        data = raw.encode("utf-8") if isinstance(raw, str) else raw
    try:
        fmt = _rdflib_format(format) if format else (guess_format(source) or "turtle")
    except ValueError as exc:
        raise RegisterError([Problem(source, 1, 1, str(exc))]) from exc
    with _quiet_rdflib():
        return _parse(data, fmt, source, ontology)


@contextmanager
def _quiet_rdflib() -> Iterator[None]:
    """rdflib logs a traceback (and warns) for each literal it cannot convert, such as
    ``"8GZ"^^xsd:double``; the reader reports those itself, as problems of the register."""
    logger = logging.getLogger("rdflib.term")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        logger.setLevel(level)


def _parse(data: bytes, fmt: str, source: str, ontology: OntologyData | None) -> Register:
    index: _Index | None = None
    if fmt in ("turtle", "nt"):
        try:
            text = data.decode("utf-8-sig")
            index = _index(_fast_parse(text))
        except (UnicodeDecodeError, _Unsupported):
            index = None
    if index is None:
        graph = Graph()
        try:
            graph.parse(data=data, format=fmt)
        except Exception as exc:  # rdflib raises many kinds of parser errors
            message = " ".join(str(exc).split())[:300]
            problem = Problem(source, 1, 1, f"not valid RDF: {message}", None, f"{fmt} data")
            raise RegisterError([problem]) from exc
        index = _index(graph)
    return _build_register(index, source, _vocab(ontology))
