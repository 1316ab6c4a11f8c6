"""The RDF terms of a register: namespaces, the ontology's properties and individuals, IRIs.

Triples are pyoxigraph terms (:class:`NamedNode`, :class:`Literal`, :class:`BlankNode`), which
pyoxigraph parses and serializes without a Python object per character; :func:`to_rdflib` and
:func:`from_rdflib` cross to rdflib, whose :class:`~rdflib.Graph` the public API takes and returns.
"""

from __future__ import annotations

import functools
import logging
import warnings
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import quote

from pyoxigraph import BlankNode, Literal, NamedNode, RdfFormat
from rdflib import BNode, Namespace, URIRef
from rdflib import Literal as RdflibLiteral
from rdflib.term import Node

from sourcing_graph.model import INSTANCE_NS, Subcontracting, instance_uri
from sourcing_graph.ontology.rules import SG, OntologyData, read_ontology

Term = str | BlankNode | Literal
"""A node of a triple: an IRI (a ``str``), a blank node or a literal (pyoxigraph's)."""

OXIGRAPH_FORMATS = {"turtle": RdfFormat.TURTLE, "nt": RdfFormat.N_TRIPLES, "xml": RdfFormat.RDF_XML}
"""The formats pyoxigraph reads and writes (JSON-LD goes through rdflib, which writes it compacted)."""

MAX_PROBLEMS = 200
"""A RegisterError about RDF lists at most this many problems."""

SGR = Namespace(INSTANCE_NS)
"""Register instances (prefix ``sgr:``)."""
SGX = Namespace("https://w3id.org/sourcing-graph/extra/")
"""Extra register columns as properties (prefix ``sgx:``)."""

SGR_NS = INSTANCE_NS
SG_NS = str(SG)
SGX_NS = str(SGX)
XSD_NS = "http://www.w3.org/2001/XMLSchema#"
PREFIXES = {"sg": SG_NS, "sgr": SGR_NS, "sgx": SGX_NS, "xsd": XSD_NS}

KIND_ORGANISATION = "org"
KIND_LOT = "lot"
KIND_FUNCTION = "function"
KIND_CONTRACT = "contract"

XSD_STRING = XSD_NS + "string"
XSD_BOOLEAN = XSD_NS + "boolean"
XSD_DATE = XSD_NS + "date"
XSD_DECIMAL = XSD_NS + "decimal"
XSD_INTEGER = XSD_NS + "integer"
TRUE = Literal("true", datatype=NamedNode(XSD_BOOLEAN))
FALSE = Literal("false", datatype=NamedNode(XSD_BOOLEAN))

# The ontology's terms (sg:...)
TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
IDENTIFIER = SG_NS + "identifier"
NAME = SG_NS + "name"
INTERNAL = SG_NS + "internal"
COORDINATES = SG_NS + "coordinates"
PRIME = SG_NS + "primeContractor"
COMPLEXITY = SG_NS + "complexity"
DYNAMICS = SG_NS + "dynamics"
COMMODITY = SG_NS + "commodity"
DEPENDS_ON = SG_NS + "dependsOn"
CRITICAL = SG_NS + "critical"
RETAINED = SG_NS + "retained"
SUPPLIER = SG_NS + "supplier"
LOT = SG_NS + "lot"
MODE = SG_NS + "declaredMode"
CLAUSE = SG_NS + "hasClause"
DELIVERS = SG_NS + "delivers"
START = SG_NS + "startDate"
END = SG_NS + "endDate"
VALUE = SG_NS + "annualValue"
BASIS = SG_NS + "selectionBasis"
PARENT = SG_NS + "ultimateParent"
SUBCONTRACTS_TO = SG_NS + "subcontractsTo"
PART_OF_GROUP = SG_NS + "partOfGroup"
LINK_CONTRACT = SG_NS + "linkContract"
PROVIDER = SG_NS + "provider"
RECIPIENT = SG_NS + "recipient"
CHAIN_RANK = SG_NS + "chainRank"
SERVICE_TYPE = SG_NS + "ictServiceType"
# conclusions: written by the export, never read back as register data
EFFECTIVE_MODE = SG_NS + "effectiveMode"
MODE_BASIS = SG_NS + "modeBasis"
LOT_MODE = SG_NS + "lotMode"
RECOMMENDED_MODE = SG_NS + "recommendedMode"
FINDING_KEY = SG_NS + "findingKey"
RULE = SG_NS + "rule"
ABOUT = SG_NS + "about"
FINDING_SEVERITY = SG_NS + "findingSeverity"
STATEMENT = SG_NS + "statement"
FINDING_DATA = SG_NS + "findingData"
SOURCE = SG_NS + "source"
PRIME_DEFAULTED = SG_NS + "primeContractorDefaulted"
MODE_AS_WRITTEN = SG_NS + "modeAsWritten"
CLAUSE_WORDING = SG_NS + "clauseWording"
WORDING_OF = SG_NS + "wordingOf"
CLAUSE_WORD = SG_NS + "clauseWord"

CONTRACT_CLASS = SG_NS + "Contract"
LOT_CLASS = SG_NS + "Lot"
FUNCTION_CLASS = SG_NS + "Function"
OWN_IT_CLASS = SG_NS + "OwnITOrganisation"
INTERNAL_CLASS = SG_NS + "InternalSupplier"
EXTERNAL_CLASS = SG_NS + "ExternalSupplier"
LINK_CLASS = SG_NS + "SupplyChainLink"
FINDING_CLASS = SG_NS + "Finding"
WORDING_CLASS = SG_NS + "ClauseWording"
ORG_CLASSES = frozenset(
    SG_NS + name
    for name in (
        "Organisation",
        "Client",
        "Supplier",
        "InternalSupplier",
        "ExternalSupplier",
        "OwnITOrganisation",
        "PrimeContractor",
    )
)
INTERNAL_CLASSES = frozenset({INTERNAL_CLASS, OWN_IT_CLASS})

ORG_PROPS = frozenset(
    {IDENTIFIER, NAME, INTERNAL, COORDINATES, PARENT, PART_OF_GROUP, SOURCE, SUBCONTRACTS_TO}
)
LINK_PROPS = frozenset({LINK_CONTRACT, PROVIDER, RECIPIENT, CHAIN_RANK, SERVICE_TYPE, SOURCE})
CONCLUSION_PROPS = frozenset({EFFECTIVE_MODE, MODE_BASIS, LOT_MODE, RECOMMENDED_MODE})
"""Conclusions on register entities: the reader allows and ignores them (it recomputes)."""
LOT_PROPS = frozenset(
    {IDENTIFIER, NAME, PRIME, COMPLEXITY, DYNAMICS, COMMODITY, DEPENDS_ON, SOURCE, PRIME_DEFAULTED}
)
FUNCTION_PROPS = frozenset({IDENTIFIER, NAME, CRITICAL, RETAINED, SOURCE})
CONTRACT_PROPS = frozenset(
    {
        IDENTIFIER,
        SUPPLIER,
        LOT,
        MODE,
        CLAUSE,
        DELIVERS,
        START,
        END,
        VALUE,
        BASIS,
        SOURCE,
        MODE_AS_WRITTEN,
        CLAUSE_WORDING,
    }
)
WORDING_PROPS = frozenset({WORDING_OF, CLAUSE_WORD})


def instance_iri(kind: str, identifier: str) -> URIRef:
    """The IRI of a register instance: ``sgr:<kind>/<percent-encoded identifier>``.

    ``kind`` is ``org``, ``lot``, ``function`` or ``contract``. Every character but the
    unreserved ``A-Z a-z 0-9 - . _ ~`` is percent-encoded (UTF-8), so ``/``, ``#``, spaces and
    non-ASCII letters are safe. The Neo4j loader uses the same IRIs for ``uri``.
    """
    return URIRef(instance_uri(kind, identifier))


def link_uri(link: Subcontracting) -> str:
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
    return f"{SGR_NS}link/" + "/".join(quote(p, safe="") for p in parts)


def wording_uri(contract: str, clause: str) -> str:
    """The IRI of how the register wrote one clause type of a contract:
    ``sgr:wording/<contract>/<clause type key>`` (parts percent-encoded)."""
    return f"{SGR_NS}wording/{quote(contract, safe='')}/{quote(clause, safe='')}"


def extra_uri(column: str) -> str:
    """The IRI of the property of an extra register column (see :func:`extra_property`)."""
    return f"{SGX_NS}{quote(column, safe='')}"


def extra_property(column: str) -> URIRef:
    """The property of an extra register column: ``sgx:<percent-encoded column name>``."""
    return URIRef(extra_uri(column))


class Vocabulary:
    """Keys <-> IRIs of the ontology's modes, clause types, levels and selection bases (and
    key -> IRI of the mode bases and rules, for the conclusions)."""

    def __init__(self, data: OntologyData) -> None:
        def table(items: Iterable[Any]) -> dict[str, str]:
            return {item.key: str(item.uri) for item in items}

        self.modes = table(data.modes)
        self.clauses = table(data.clause_types)
        self.levels = table(data.levels)
        self.bases = table(data.selection_bases)
        self.mode_bases = table(data.mode_bases)
        self.rules = table(data.rules)
        self.mode_keys = {v: k for k, v in self.modes.items()}
        self.clause_keys = {v: k for k, v in self.clauses.items()}
        self.level_keys = {v: k for k, v in self.levels.items()}
        self.base_keys = {v: k for k, v in self.bases.items()}


@functools.lru_cache(maxsize=1)
def _default_vocabulary() -> Vocabulary:
    return Vocabulary(read_ontology())


def vocabulary(ontology: OntologyData | None) -> Vocabulary:
    """The vocabulary of ``ontology`` (default: the packaged ontology's, cached)."""
    return _default_vocabulary() if ontology is None else Vocabulary(ontology)


# ------------------------------------------------------------------------------------------------
# pyoxigraph <-> rdflib
# ------------------------------------------------------------------------------------------------


def to_rdflib(term: Term) -> Node:
    """The rdflib node of a term (a plain literal has no datatype in rdflib)."""
    if isinstance(term, str):
        return URIRef(term)
    if isinstance(term, BlankNode):
        return BNode(term.value)
    if term.language:
        return RdflibLiteral(term.value, lang=term.language)
    datatype = term.datatype.value
    if datatype == XSD_STRING:
        return RdflibLiteral(term.value)
    return RdflibLiteral(term.value, datatype=URIRef(datatype))


class FromRdflib:
    """Converts rdflib nodes to terms; each blank node of one graph keeps one identity.

    Raises ``ValueError`` for text with a lone surrogate (``"\\uD800"``), which rdflib accepts and
    no RDF file can hold.
    """

    def __init__(self) -> None:
        self.blank: dict[Node, BlankNode] = {}

    def __call__(self, node: Node) -> Term:
        try:
            return self._convert(node)
        except (ValueError, UnicodeError) as exc:
            text = ascii(str(node))
            text = text if len(text) <= 80 else f"{text[:60]}...{text[-17:]}"
            if any("\ud800" <= ch <= "\udfff" for ch in str(node)):
                raise ValueError(f"{text} holds a lone surrogate, which RDF cannot") from exc
            raise ValueError(f"{text}: {exc}") from exc

    def _convert(self, node: Node) -> Term:
        if isinstance(node, URIRef):
            return str.__str__(node)
        if isinstance(node, RdflibLiteral):
            if node.language:
                return Literal(str(node), language=node.language)
            if node.datatype is None:
                return Literal(str(node))
            if node.ill_typed and str(node.datatype) == XSD_BOOLEAN:
                # rdflib keeps no text of an ill-typed boolean ("tHtrue" shows as "false"): an
                # empty text keeps it ill-typed
                return Literal("", datatype=NamedNode(XSD_BOOLEAN))
            return Literal(str(node), datatype=NamedNode(str(node.datatype)))
        term = self.blank.get(node)
        if term is None:
            term = self.blank[node] = BlankNode()
        return term


def short(term: object) -> str:
    """A term for messages: ``sg:Trust``, ``sgr:contract/C-07``, a literal in N3 (as rdflib)."""
    if isinstance(term, str):
        text = term
        for prefix, namespace in PREFIXES.items():
            if text.startswith(namespace):
                return f"{prefix}:{text[len(namespace) :]}"
        return f"<{text}>"
    if isinstance(term, Literal | BlankNode):
        with quiet_rdflib():
            return to_rdflib(term).n3()
    return str(term)


@contextmanager
def quiet_rdflib() -> Iterator[None]:
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
