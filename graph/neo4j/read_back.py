"""The register part of the graph read back into the model: the inverse of :mod:`.load_plan`.

A ``refresh`` after an edit made with Cypher draws its conclusions from the register in memory,
as a load does (:func:`~.conclusions.draw`), instead of running the named queries through its
transaction: :func:`read_back` reads every register node with its properties and outgoing
relationships (four statements of ``queries/internal/read_back.cypher``, one record each, the
rows the register digest reads) and makes the :class:`~sourcing_graph.model.Register` whose load
plan writes that graph. The register digest to record is computed from the rows read
(:func:`~.digest.item_hash` of each), so it is the one
:func:`~sourcing_graph.graph.neo4j.digest.register_digest` reads, without a second read.

What an architect can change with Cypher and the model can express is kept: a mode changed
(``DECLARED_MODE``), a clause added or removed (``HAS_CLAUSE``), a property added (an extra
column, when its value is text), a node or a dependency added or deleted. A relationship made by
hand lacks the provenance a load gives it (``source``, ``asWritten``, ``defaulted``): no analysis
reads those, so the model takes the node's instead (its plan then differs from the graph only
there, and the digest is the rows' anyway). Anything else (a contract with no or two suppliers,
lots or declared modes, a relationship the load does not write or one property on it the load
would not write, an end that is neither a register node nor a known ontology term, a node
without ``id`` or with a second label, a property of ours of another type or an extra one that
is not text...) makes :func:`read_back` return None: the refresh then takes the named queries,
so its result never differs. Last, each node's properties are checked against the load plan of
the register read back: the model holds every one, as stored.

Kept to the shapes of the rule data the caller names (a mode or clause node is found by how the
statements name it, its ``key``).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import Executor
from datetime import date
from decimal import Decimal
from typing import Any, NamedTuple

from neo4j.time import Date

from sourcing_graph.graph.neo4j.conclusions import Drawn, draw
from sourcing_graph.graph.neo4j.digest import (
    CONCLUSION_PROPERTIES,
    CONCLUSION_RELATIONSHIPS,
    Run,
    item_hash,
    rules_digest,
    sum_digest,
)
from sourcing_graph.graph.neo4j.load_plan import (
    Stage,
    load_plan,
    planned_names,
)
from sourcing_graph.graph.neo4j.load_plan import _end_name as end_name
from sourcing_graph.graph.neo4j.ontology import OntologyWriter
from sourcing_graph.graph.neo4j.schema import ONTOLOGY_TERM, VERSION_PROPERTY
from sourcing_graph.model import (
    Contract,
    Function,
    Lot,
    Organisation,
    Register,
    Subcontracting,
    subcontracts_to,
)
from sourcing_graph.queries.statements import statements

__all__ = ["FromGraph", "ReadBack", "draw_from_graph", "read_back"]

_DROPPED = CONCLUSION_PROPERTIES | {VERSION_PROPERTY}
"""Properties no part of the register (the digest leaves them out too)."""

_LEVELS = frozenset({"low", "high"})

_OURS = {
    "Organisation": frozenset({"id", "uri", "name", "internal", "parent", "source"}),
    "Function": frozenset({"id", "uri", "name", "critical", "retained", "source"}),
    "Lot": frozenset(
        {"id", "uri", "name", "complexity", "dynamics", "commodity", "source"}
        | {"primeContractorDefaulted"}
    ),
    "Contract": frozenset(
        {"id", "uri", "startDate", "endDate", "annualValue", "annualValueCents"}
        | {"selectionBasis", "source", "modeAsWritten"}
    ),
}
"""Per register label, the properties :mod:`.load_plan` writes; any other is an extra column."""

_STAGES = {"organisations": "Organisation", "functions": "Function", "lots": "Lot"}
_STAGES["contracts"] = "Contract"


class FromGraph(NamedTuple):
    """What a refresh passes :func:`~.conclusions.conclude_in` when it draws in memory: the
    conclusions drawn (``drawn``) and the register digest (``digest``), each computed in the
    background."""

    drawn: Callable[[], Drawn]
    digest: Callable[[], str]


def draw_from_graph(
    tx: Any, ontology: OntologyWriter, as_of: date, executor: Executor, *, sentences: bool
) -> FromGraph | None:
    """The conclusions of the graph as it stands drawn in memory (:func:`~.conclusions.draw`):
    when the graph holds the rule data ``ontology`` writes (its rules digest, computed from the
    graph, is ``ontology.digest``: the packaged ontology, or rule data just written) and
    :func:`read_back` can express its register part. The drawing and the hashing of the register
    digest from the rows read run on ``executor`` while the caller goes on; with every
    finding's sentences when ``sentences``. None: the caller takes the named queries."""

    def run(cypher: str, params: dict[str, Any]) -> Iterable[Any]:
        return tx.run(cypher, params)

    if rules_digest(run) != ontology.digest:
        return None
    rules = ontology.rules
    back = read_back(run, ontology.nodes, rules.selection_basis_words.values())
    if back is None:
        return None
    hashing = executor.submit(back.digest)
    drawing = executor.submit(
        draw,
        back.register,
        rules,
        as_of,
        planned_names(back.plan),
        ontology.digest,
        sentences=sentences,
    )
    return FromGraph(drawing.result, hashing.result)


class ReadBack(NamedTuple):
    """The register read back, its load plan, and the rows read (label, properties and
    outgoing relationships of each node, as the register digest takes them)."""

    register: Register
    plan: list[Stage]
    rows: list[tuple[str, dict[str, Any], list[Any]]]

    def digest(self) -> str:
        """The register digest of the graph read (:func:`~.digest.register_digest`'s)."""
        return sum_digest(item_hash([label], props, rels) for label, props, rels in self.rows)


class _Inexpressible(Exception):
    """The graph holds a shape the model cannot express."""


def read_back(
    run: Run, ontology: Mapping[str, list[dict[str, Any]]], selection_bases: Iterable[str]
) -> ReadBack | None:
    """The register part of the graph (through ``run``, a transaction's) as a model, with its
    load plan; None when the graph holds what the model cannot express (see the module).

    ``ontology`` is the ontology loader's node rows of the rule data the graph holds (label ->
    ``{key, props}``), ``selection_bases`` the selection basis keys of its rules."""
    cypher = statements("read_back")
    skip = {"skip": list(CONCLUSION_RELATIONSHIPS)}
    found = {label: list(run(cypher[f"nodes:{label}"], skip))[0]["nodes"] for label in _OURS}
    try:
        reader = _Reader(ontology, frozenset(selection_bases))
        register = reader.register(found)
        plan = list(load_plan(register))
        _check_properties(plan, reader.props)
    except _Inexpressible:
        return None
    return ReadBack(register, plan, reader.rows)


def _check_properties(plan: list[Stage], read: Mapping[str, Mapping[str, Any]]) -> None:
    """Every node the plan writes has exactly the properties read (none more, none less)."""
    for stage in plan:
        label = _STAGES.get(stage.name)
        if label is None:
            continue
        props = read[label]
        if len(stage.rows) != len(props):
            raise _Inexpressible(label)
        for row in stage.rows:
            written = {k: v for k, v in row["props"].items() if v is not None}
            if written != props.get(row["id"]):
                raise _Inexpressible(label, row["id"])


def _opt(props: Mapping[str, Any], key: str, kind: type) -> Any:
    """The property ``key`` (None when absent), which must be of type ``kind`` exactly."""
    value = props.get(key)
    if value is not None and type(value) is not kind:
        raise _Inexpressible(key)
    return value


def _required(props: Mapping[str, Any], key: str, kind: type) -> Any:
    value = _opt(props, key, kind)
    if value is None:
        raise _Inexpressible(key)
    return value


def _date(props: dict[str, Any], key: str) -> Any:
    """A date property as a :class:`datetime.date`, or None; kept in ``props`` as its ISO text,
    as the load plan's rows hold it (the digest's canonical text of a date is that text)."""
    value = _opt(props, key, Date)
    if value is None:
        return None
    native = value.to_native()
    props[key] = native.isoformat()
    return native


_RELATIONSHIPS = {
    "Organisation": {"PART_OF_GROUP": set(), "SUBCONTRACTS_TO": {"rank", "arrangement"}},
    "Lot": {"COORDINATED_BY": {"defaulted"}, "DEPENDS_ON": set()},
    "Contract": {
        "SUPPLIED_BY": set(),
        "PART_OF": set(),
        "DECLARED_MODE": set(),
        "HAS_CLAUSE": {"asWritten"},
        "DELIVERS": set(),
        "SUPPLY_CHAIN": {"rank", "recipient", "serviceType"},
    },
}
"""Per register label, the relationships a load writes from its nodes, each with the properties
it may carry besides ``source``."""
_ALLOWED = {
    (label, kind): frozenset(props | {"source"})
    for label, kinds in _RELATIONSHIPS.items()
    for kind, props in kinds.items()
}


def _provenance(label: str, kind: str, rprops: Mapping[str, Any]) -> None:
    """A relationship a load writes from a node ``label``, with no property it would not write:
    its ``source`` (text, or absent) and ``defaulted`` (true, or absent) checked here, the others
    where they are read."""
    allowed = _ALLOWED.get((label, kind))
    if allowed is None:
        raise _Inexpressible(kind)
    if rprops:  # most relationships carry their node's source at most
        source = rprops.get("source")
        if not rprops.keys() <= allowed or (source is not None and type(source) is not str):
            raise _Inexpressible(kind)
        if rprops.get("defaulted", True) is not True:
            raise _Inexpressible(kind, "defaulted")


def _extra(props: Mapping[str, Any], ours: frozenset[str]) -> dict[str, str]:
    """The extra columns: every property not ours, each text (the model holds nothing else).
    A column stored with a prefix (``extra_name``) keeps it: the named queries read it so."""
    extra = {key: value for key, value in props.items() if key not in ours}
    if any(type(value) is not str for value in extra.values()):
        raise _Inexpressible("extra")
    return extra


def _words(value: Any) -> tuple[str, ...] | None:
    if value is None:
        return None
    if type(value) is not list or any(type(word) is not str for word in value):
        raise _Inexpressible("asWritten")
    return tuple(value)


class _Reader:
    """Reads the rows of ``read_back.cypher`` into a register; :attr:`props` keeps each node's
    properties as read (dates as their ISO text), by label and id."""

    def __init__(
        self, ontology: Mapping[str, list[dict[str, Any]]], selection_bases: frozenset[str]
    ) -> None:
        self.terms = {
            label: {end_name(row["props"]): row["key"] for row in ontology.get(label, [])}
            for label in ("CollaborationMode", "ClauseType")
        }
        self.selection_bases = selection_bases
        self.props: dict[str, dict[str, Any]] = {label: {} for label in _OURS}
        self.rows: list[tuple[str, dict[str, Any], list[Any]]] = []
        self.groups: list[tuple[str, str]] = []
        self.subcontracts: list[tuple[str, str, int, str]] = []
        self.links: list[Subcontracting] = []
        self.dependencies: dict[tuple[str, str], str | None] = {}

    def register(self, found: Mapping[str, list[list[Any]]]) -> Register:
        organisations = dict(self._organisation(item) for item in found["Organisation"])
        functions = dict(self._function(item) for item in found["Function"])
        lots = dict(self._lot(item) for item in found["Lot"])
        contracts = dict(self._contract(item) for item in found["Contract"])
        links = set(self.links)
        if len(links) != len(self.links):
            raise _Inexpressible("SUPPLY_CHAIN")  # two alike: the model holds a set
        sources = {pair: s for pair, s in self.dependencies.items() if s is not None}
        register = Register(
            organisations,
            lots,
            functions,
            contracts,
            set(self.dependencies),
            links,
            dependency_sources=sources,
        )
        if Counter(self.groups) != Counter(register.part_of_group()):
            raise _Inexpressible("PART_OF_GROUP")
        derived = [
            (s.provider, s.subcontractor, s.rank, s.arrangement) for s in subcontracts_to(links)
        ]
        if Counter(self.subcontracts) != Counter(derived):
            raise _Inexpressible("SUBCONTRACTS_TO")
        return register

    def _node(self, item: list[Any], label: str) -> tuple[str, dict[str, Any], list[Any]]:
        """A node's id, its register properties (kept in :attr:`props`) and its relationships."""
        raw, labels, rels = item
        props = {key: value for key, value in raw.items() if key not in _DROPPED}
        ident = props.get("id")
        if labels != 1 or type(ident) is not str or ident in self.props[label]:
            raise _Inexpressible(label, ident)
        self.props[label][ident] = props
        self.rows.append((label, props, rels))
        return ident, props, rels

    def _term(self, labels: list[str], end: Any, label: str) -> str:
        """The key of the ontology node ``label`` a relationship ends at."""
        key = self.terms[label].get(end)
        if key is None or len(labels) != 2 or label not in labels or ONTOLOGY_TERM not in labels:
            raise _Inexpressible(label, end)
        return key

    @staticmethod
    def _end(labels: list[str], end: Any, label: str) -> str:
        """The id of the register node ``label`` a relationship ends at."""
        if labels != [label] or type(end) is not str:
            raise _Inexpressible(label, end)
        return end

    def _organisation(self, item: list[Any]) -> tuple[str, Organisation]:
        ident, props, rels = self._node(item, "Organisation")
        for kind, labels, end, rprops in rels:
            _provenance("Organisation", kind, rprops)
            other = self._end(labels, end, "Organisation")
            if kind == "PART_OF_GROUP":
                self.groups.append((ident, other))
            else:
                rank = _required(rprops, "rank", int)
                arrangement = _required(rprops, "arrangement", str)
                self.subcontracts.append((ident, other, rank, arrangement))
        return ident, Organisation(
            ident,
            _opt(props, "name", str),
            _required(props, "internal", bool),
            _extra(props, _OURS["Organisation"]),
            _opt(props, "parent", str),
            _opt(props, "source", str),
        )

    def _function(self, item: list[Any]) -> tuple[str, Function]:
        ident, props, rels = self._node(item, "Function")
        if rels:
            raise _Inexpressible("Function", ident)
        return ident, Function(
            ident,
            _opt(props, "name", str),
            _required(props, "critical", bool),
            _required(props, "retained", bool),
            _extra(props, _OURS["Function"]),
            _opt(props, "source", str),
        )

    def _lot(self, item: list[Any]) -> tuple[str, Lot]:
        ident, props, rels = self._node(item, "Lot")
        primes = []
        for kind, labels, end, rprops in rels:
            _provenance("Lot", kind, rprops)
            if kind == "COORDINATED_BY":
                primes.append(self._end(labels, end, "Organisation"))
            else:
                pair = (ident, self._end(labels, end, "Lot"))
                if pair[1] == ident or pair in self.dependencies:
                    raise _Inexpressible(kind, pair)
                self.dependencies[pair] = _opt(rprops, "source", str)
        levels = [_opt(props, key, str) for key in ("complexity", "dynamics")]
        if len(primes) != 1 or any(level not in _LEVELS for level in levels if level is not None):
            raise _Inexpressible("Lot", ident)
        return ident, Lot(
            ident,
            _opt(props, "name", str),
            primes[0],
            levels[0],
            levels[1],
            _opt(props, "commodity", bool),
            _extra(props, _OURS["Lot"]),
            _opt(props, "source", str),
            _required(props, "primeContractorDefaulted", bool),
        )

    def _contract(self, item: list[Any]) -> tuple[str, Contract]:
        ident, props, rels = self._node(item, "Contract")
        ends = _ContractEnds(self, ident)
        for rel in rels:
            ends.add(*rel)
        basis = _opt(props, "selectionBasis", str)
        if basis is not None and basis not in self.selection_bases:
            raise _Inexpressible("selectionBasis", basis)
        return ident, Contract(
            ident,
            ends.one("SUPPLIED_BY"),
            ends.one("PART_OF"),
            ends.mode(),
            frozenset(ends.clauses),
            frozenset(ends.functions),
            _date(props, "startDate"),
            _date(props, "endDate"),
            _money(props),
            basis,
            _extra(props, _OURS["Contract"]),
            _opt(props, "source", str),
            _opt(props, "modeAsWritten", str),
            {key: words for key, words in ends.clauses.items() if words is not None},
        )


class _ContractEnds:
    """A contract's outgoing relationships, checked as :mod:`.load_plan` writes them."""

    def __init__(self, reader: _Reader, ident: str) -> None:
        self.reader, self.ident = reader, ident
        self.ends: dict[str, list[str]] = {"SUPPLIED_BY": [], "PART_OF": [], "DECLARED_MODE": []}
        self.clauses: dict[str, tuple[str, ...] | None] = {}
        self.functions: set[str] = set()

    def add(self, kind: str, labels: list[str], end: Any, rprops: dict[str, Any]) -> None:
        reader = self.reader
        _provenance("Contract", kind, rprops)
        if kind == "SUPPLY_CHAIN":
            self._link(reader._end(labels, end, "Organisation"), rprops)
        elif kind == "HAS_CLAUSE":
            key = reader._term(labels, end, "ClauseType")
            if key in self.clauses:
                raise _Inexpressible(kind, self.ident)
            self.clauses[key] = _words(rprops.get("asWritten"))
        elif kind == "DELIVERS":
            function = reader._end(labels, end, "Function")
            if function in self.functions:
                raise _Inexpressible(kind, self.ident)
            self.functions.add(function)
        elif kind == "DECLARED_MODE":
            self.ends[kind].append(reader._term(labels, end, "CollaborationMode"))
        else:
            self.ends[kind].append(reader._end(labels, end, _END_LABELS[kind]))

    def _link(self, supplier: str, rprops: dict[str, Any]) -> None:
        self.reader.links.append(
            Subcontracting(
                self.ident,
                supplier,
                _required(rprops, "rank", int),
                _opt(rprops, "recipient", str),
                _opt(rprops, "serviceType", str),
                _opt(rprops, "source", str),
            )
        )

    def one(self, kind: str) -> str:
        """The one end of ``kind`` (a contract has one supplier and one lot)."""
        found = self.ends[kind]
        if len(found) != 1:
            raise _Inexpressible(kind, self.ident)
        return found[0]

    def mode(self) -> str | None:
        """The declared mode (None: none declared)."""
        found = self.ends["DECLARED_MODE"]
        if len(found) > 1:
            raise _Inexpressible("DECLARED_MODE", self.ident)
        return found[0] if found else None


_END_LABELS = {"SUPPLIED_BY": "Organisation", "PART_OF": "Lot"}


def _money(props: Mapping[str, Any]) -> Decimal | None:
    """The annual value from its cents (``annualValue``, the float beside it, must agree)."""
    cents = _opt(props, "annualValueCents", int)
    value = _opt(props, "annualValue", float)
    if cents is None:
        if value is not None:
            raise _Inexpressible("annualValue")
        return None
    amount = Decimal(f"{cents}e-2")
    if cents == 0 and value is not None and math.copysign(1.0, value) < 0:
        amount = Decimal("-0.00")  # an amount of minus zero: its float keeps the sign
    if value is None or repr(value) != repr(float(amount)):
        raise _Inexpressible("annualValue")
    return amount
