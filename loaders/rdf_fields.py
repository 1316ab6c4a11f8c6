"""Reading the values of register entities off triples: typed, checked, every problem collected.

Literal values mean what rdflib makes of them (the same conversions: ``xsd:date``, numbers), with
booleans held to the lexical space of ``xsd:boolean`` (``true``, ``false``, ``1``, ``0``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from urllib.parse import unquote

from pyoxigraph import Literal
from rdflib.term import XSDToPython

from sourcing_graph.errors import Problem, Text, alternatives
from sourcing_graph.loaders import rdf_terms as t
from sourcing_graph.loaders.rdf_terms import Term, short
from sourcing_graph.model import money

Props = dict[Term, list[Term]]
"""predicate -> objects of one subject."""
Index = dict[Term, Props]
"""subject -> predicate -> objects (duplicates dropped, as in a graph)."""

_AT_MOST_ONE = Text("at most one")
_BOOLEANS = {"true": True, "1": True, "false": False, "0": False}
_CONVERT: dict[str, Callable[[str], Any]] = {
    str(datatype): convert for datatype, convert in XSDToPython.items() if datatype and convert
}
_INTEGER_TYPES = frozenset(
    t.XSD_NS + name
    for name in (
        "integer",
        "int",
        "long",
        "short",
        "nonNegativeInteger",
        "positiveInteger",
        "unsignedInt",
        "unsignedLong",
    )
)
_NUMERIC_TYPES = _INTEGER_TYPES | {t.XSD_NS + "double", t.XSD_NS + "float", t.XSD_NS + "decimal"}


def index(triples: Iterable[tuple[Term, Term, Term]]) -> Index:
    """subject -> predicate -> objects (duplicates dropped, as in a graph)."""
    result: Index = {}
    for s, p, o in triples:
        props = result.get(s)
        if props is None:
            props = result[s] = {}
        values = props.get(p)
        if values is None:
            props[p] = [o]
        elif o not in values:
            values.append(o)
    return result


class FieldReader:
    """Reads typed values of entities, collecting every problem (at line 1, column 1)."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.problems: list[Problem] = []
        self.values: dict[tuple[str, str], Any] = {}  # (lexical form, datatype) -> value

    def problem(self, message: str, shown: str | None, expected: str | None = None) -> None:
        """A problem; ``shown`` is the value read, as text (:func:`short` for a term)."""
        self.problems.append(Problem(self.source, 1, 1, message, shown, expected))

    def value(self, node: Literal, datatypes: frozenset[str] | None = None) -> Any:
        """What rdflib reads ``node`` as (``None``: ill-formed), when its datatype is allowed."""
        datatype = node.datatype.value
        if datatypes is not None and datatype not in datatypes:
            return None
        key = (node.value, datatype)
        if key in self.values:
            return self.values[key]
        convert = _CONVERT.get(datatype)
        try:
            value = None if convert is None else convert(node.value)
        except Exception:  # the converters raise what they raise (ValueError, isodate errors...)
            value = None
        if len(self.values) < 100_000:
            self.values[key] = value
        return value

    def single(self, subject: Term, props: Props, prop: str) -> Term | None:
        values = props.get(prop)
        if not values:
            return None
        if len(values) > 1:
            self.problem(
                Text(
                    "{subject} has {n} values of {property}",
                    subject=short(subject),
                    n=len(values),
                    property=short(prop),
                ),
                ", ".join(sorted(short(v) for v in values)),
                _AT_MOST_ONE,
            )
            return None
        return values[0]

    def wrong(self, subject: Term, prop: str, what: Text, node: Term, expected: str) -> None:
        """A problem: ``node`` is not a ``what``, the kind of value ``prop`` takes."""
        subject_text, prop_text = short(subject), short(prop)
        message = Text(
            "{subject} {property} is not a {what}",
            subject=subject_text,
            property=prop_text,
            what=what,
        )
        self.problem(message, short(node), expected)

    def string(self, subject: Term, node: Term | None, prop: str) -> str | None:
        if node is None:
            return None
        if isinstance(node, Literal) and node.datatype.value == t.XSD_STRING:
            return node.value
        self.wrong(subject, prop, Text("string"), node, Text("a plain or xsd:string literal"))
        return None

    def boolean(self, subject: Term, node: Term | None, prop: str) -> bool | None:
        if node is None:
            return None
        expected = Text("an xsd:boolean literal (true or false)")
        if not (isinstance(node, Literal) and node.datatype.value == t.XSD_BOOLEAN):
            self.wrong(subject, prop, Text("boolean"), node, expected)
            return None
        value = _BOOLEANS.get(node.value)
        if value is None:
            # rdflib reads any text but true, false, 1, 0 ("tHtrue") as false, and shows it as
            # "false"; so the problem carries no value
            self.problem(
                Text(
                    "{subject} {property} is not a boolean: an xsd:boolean literal whose text is "
                    "not true, false, 1 or 0",
                    subject=short(subject),
                    property=short(prop),
                ),
                None,
                expected,
            )
        return value

    def date(self, subject: Term, node: Term | None, prop: str) -> date | None:
        if node is None:
            return None
        value = None
        if isinstance(node, Literal) and node.datatype.value == t.XSD_DATE:
            value = self.value(node)
        if isinstance(value, date) and not isinstance(value, datetime):
            return value
        self.wrong(subject, prop, Text("date"), node, Text("an xsd:date literal (yyyy-mm-dd)"))
        return None

    def number(self, subject: Term, node: Term | None, prop: str) -> Decimal | None:
        if node is None:
            return None
        value = self.value(node, _NUMERIC_TYPES) if isinstance(node, Literal) else None
        numeric = isinstance(value, int | float | Decimal) and not isinstance(value, bool)
        if isinstance(value, int | float | Decimal) and numeric and Decimal(value).is_finite():
            return money(value)
        expected = Text("an xsd:decimal (or other numeric) literal")
        self.wrong(subject, prop, Text("number"), node, expected)
        return None

    def rank(self, subject: Term, node: Term | None, prop: str) -> int | None:
        if node is None:
            self.problem(
                Text("{subject} has no {property}", subject=short(subject), property=short(prop)),
                None,
                Text("one integer of 1 or more"),
            )
            return None
        value = self.value(node, _INTEGER_TYPES) if isinstance(node, Literal) else None
        if isinstance(value, int) and not isinstance(value, bool) and value >= 1:
            return value
        self.wrong(subject, prop, Text("rank"), node, Text("an xsd:integer of 1 or more"))
        return None

    def individual(
        self,
        subject: Term,
        node: Term | None,
        prop: str,
        table: dict[str, str],
        what: Text,
    ) -> str | None:
        if node is None:
            return None
        key = table.get(node) if isinstance(node, str) else None
        if key is None:
            expected = alternatives(sorted(short(iri) for iri in table))
            message = Text(
                "{subject} {property}: unknown {what}",
                subject=short(subject),
                property=short(prop),
                what=what,
            )
            self.problem(message, short(node), expected)
        return key

    def identifier(self, subject: Term, props: Props, kind: str) -> str | None:
        if props.get(t.IDENTIFIER):
            node = self.single(subject, props, t.IDENTIFIER)
            return None if node is None else self.string(subject, node, t.IDENTIFIER)
        derived = derived_identifier(subject, kind)
        if derived is None:
            self.problem(
                Text("{subject} has no identifier", subject=short(subject)),
                None,
                Text("one sg:identifier string"),
            )
        return derived

    def extras(self, subject: Term, props: Props) -> dict[str, str]:
        extra: dict[str, str] = {}
        for prop, values in props.items():
            if not (isinstance(prop, str) and prop.startswith(t.SGX_NS)):
                continue
            column = unquote(prop[len(t.SGX_NS) :])
            if len(values) > 1:
                self.problem(
                    Text(
                        "{subject} has {n} values of the extra column {column!r}",
                        subject=short(subject),
                        n=len(values),
                        column=column,
                    ),
                    ", ".join(sorted(short(v) for v in values)),
                    _AT_MOST_ONE,
                )
                continue
            value = values[0]
            if not isinstance(value, Literal):
                self.problem(
                    Text(
                        "{subject} extra column {column!r} is not a literal",
                        subject=short(subject),
                        column=column,
                    ),
                    short(value),
                    Text("a literal"),
                )
                continue
            extra[column] = _text(value)
        return extra

    def unexpected(self, subject: Term, props: Props, allowed: frozenset[str]) -> None:
        for prop in props:
            ours = isinstance(prop, str) and prop.startswith(t.SG_NS)
            if ours and prop not in allowed:
                self.problem(
                    Text(
                        "{subject} has a property that does not belong to it",
                        subject=short(subject),
                    ),
                    short(prop),
                    ", ".join(sorted(short(p) for p in allowed)),
                )


def derived_identifier(subject: Term, kind: str) -> str | None:
    """The identifier in an instance IRI ``sgr:<kind>/<identifier>``, or ``None``."""
    prefix = f"{t.SGR_NS}{kind}/"
    if isinstance(subject, str) and subject.startswith(prefix):
        return unquote(subject[len(prefix) :])
    return None


def _text(node: Literal) -> str:
    """A literal's text as rdflib gives it (typed literals in canonical form: ``01`` -> ``1``)."""
    if node.language or node.datatype.value == t.XSD_STRING:
        return node.value
    with t.quiet_rdflib():
        return str(t.to_rdflib(node))
