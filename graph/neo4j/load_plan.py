"""The load plan of a register: its rows in stages, each with the statement that writes them.

The statements are in ``queries/internal/load.cypher``; this module makes their parameters (rows
of plain values) from the model and refuses identifiers Neo4j cannot index.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import asdict
from datetime import date
from typing import Any, NamedTuple

from sourcing_graph.errors import Problem, RegisterError
from sourcing_graph.graph.embedded.collector import paused_gc
from sourcing_graph.graph.neo4j.digest import (
    CONCLUSION_PROPERTIES,
    canonical,
    relationship_head,
    sum_digest,
    texts_hash,
)
from sourcing_graph.graph.neo4j.schema import ONTOLOGY_TERM, VERSION_PROPERTY
from sourcing_graph.model import (
    MAX_ID_LENGTH,
    Register,
    cents,
    instance_uri,
    subcontracting_key,
    subcontracts_to,
)
from sourcing_graph.queries.statements import statements

BATCH_SIZE = 5000
"""Rows per statement (``UNWIND $rows``) of a load."""

EXTRA_PREFIX = "extra_"
"""Put before an extra column's name when a property of ours has that name."""


class Stage(NamedTuple):
    """One stage of a load: its name (for progress), the statement and the rows it writes."""

    name: str
    cypher: str
    rows: list[Any]


def load_plan(register: Register) -> Iterator[Stage]:
    """The stages that write ``register``'s nodes and relationships, in the order they must run.

    Made all at once with the cyclic garbage collector paused (:func:`paused_gc`): at 100,000
    contracts the rows are over a million new containers, none in a cycle, which set off full
    collections again and again (a third of the plan's time)."""
    cypher = statements("load")
    with paused_gc():
        stages = [
            Stage("organisations", cypher["merge-organisations"], _organisation_rows(register)),
            Stage(
                "groups",
                cypher["create-part-of-group"],
                [list(p) for p in register.part_of_group()],
            ),
            Stage("functions", cypher["merge-functions"], _function_rows(register)),
            Stage("lots", cypher["merge-lots"], _lot_rows(register)),
            Stage("dependencies", cypher["create-dependencies"], _dependency_rows(register)),
            Stage("contracts", cypher["merge-contracts"], _contract_rows(register)),
            Stage("supply chains", cypher["create-supply-chains"], _supply_chain_rows(register)),
            Stage("subcontracting", cypher["create-subcontracts-to"], _subcontracts_rows(register)),
        ]
    yield from stages


def planned_names(plan: Iterable[Stage]) -> dict[str, dict[str, str | None]]:
    """``{label: {id: name or None}}`` of the register nodes ``plan`` writes (the names the
    graph holds once it is written)."""
    labels = dict(_NODE_STAGES)
    names: dict[str, dict[str, str | None]] = {label: {} for label in labels.values()}
    for stage in plan:
        label = labels.get(stage.name)
        if label is not None:
            names[label].update((row["id"], row["props"].get("name")) for row in stage.rows)
    return names


def relationship_removals(*, whole: bool = True) -> Iterator[tuple[str, dict[str, Any]]]:
    """(statement, parameters) that remove, when the load writes every node (``whole``), every
    register relationship (the load writes them afresh)."""
    if whole:
        cypher = statements("load")
        yield cypher["remove-contract-relationships"], {}
        yield cypher["remove-lot-relationships"], {}
        yield cypher["remove-organisation-relationships"], {}


def stale_removals(register: Register) -> Iterator[tuple[str, dict[str, Any]]]:
    """(statement, parameters) that remove the nodes whose id ``register`` no longer has. Run
    after the load's writes: in one transaction, Neo4j checks a key constraint (and seeks an
    index) in time proportional to the entries removed from that index earlier in the
    transaction, so nodes written after many are removed slow down quadratically."""
    cypher = statements("load")
    for label, ids in register_ids(register).items():
        yield cypher[f"remove-stale:{label}"], {"ids": ids}


def register_ids(register: Register) -> dict[str, list[str]]:
    """The ids of ``register``'s nodes, per label."""
    return {
        "Contract": list(register.contracts),
        "Lot": list(register.lots),
        "Function": list(register.functions),
        "Organisation": list(register.organisations),
    }


def check_identifiers(register: Register) -> None:
    """Refuse identifiers Neo4j's id index cannot hold (the readers refuse them already)."""
    problems = [
        Problem(
            register.source or "<register>",
            1,
            1,
            f"{label.lower()} identifier of {len(ident)} characters is too long for Neo4j",
            ident[:40] + "...",
            f"at most {MAX_ID_LENGTH} characters",
        )
        for label, ids in register_ids(register).items()
        for ident in ids
        if len(ident) > MAX_ID_LENGTH
    ]
    if problems:
        raise RegisterError(problems[:100], truncated=len(problems) > 100)


def node_properties(extra: dict[str, str], **ours: Any) -> dict[str, Any]:
    """A node's whole property map: ours, then the register's extra columns, none lost.

    An extra column whose name a property of ours (or an earlier extra column) already has, or
    that the conclusions use (``mode``, ``effectiveMode``...) or ``loadId``, is stored as ``extra_<name>``
    (``extra_extra_<name>`` when that is taken too, and so on).
    """
    return _with_extra(ours, extra)


def _with_extra(props: dict[str, Any], extra: dict[str, str]) -> dict[str, Any]:
    """``props`` (ours, changed in place) with the extra columns added as
    :func:`node_properties` says."""
    if not extra:
        return props
    if props.keys().isdisjoint(extra) and _RESERVED.isdisjoint(extra):
        props.update(extra)  # no name taken: the common case, without a loop
        return props
    for column, value in extra.items():
        key = column
        while key in props or key in _RESERVED:
            key = EXTRA_PREFIX + key
        props[key] = value
    return props


_RESERVED = CONCLUSION_PROPERTIES | {VERSION_PROPERTY}
"""Property names an extra column never takes (:func:`node_properties`)."""


def _node_row(
    kind: str, node: Any, fields: dict[str, Any] | None = None, **ours: Any
) -> dict[str, Any]:
    """A node's row: its id, ``fields`` (for its relationships) and its whole property map
    (``id``, ``uri``, ``ours``, then its extra columns)."""
    props = _with_extra({"id": node.id, "uri": instance_uri(kind, node.id), **ours}, node.extra)
    return {"id": node.id, **(fields or {}), "props": props}


# Provenance: ``source`` (absent when the register did not say it) on every node; the statements
# give a node's relationships its source. A level or commodity not recorded is an absent property.


def _organisation_rows(register: Register) -> list[dict[str, Any]]:
    return [
        _node_row(
            "org",
            o,
            name=o.name,
            internal=register.is_internal(o.id),
            parent=o.parent,
            source=o.source,
        )
        for o in register.organisations.values()
    ]


def _function_rows(register: Register) -> list[dict[str, Any]]:
    return [
        _node_row(
            "function", f, name=f.name, critical=f.critical, retained=f.retained, source=f.source
        )
        for f in register.functions.values()
    ]


def _lot_rows(register: Register) -> list[dict[str, Any]]:
    return [
        _node_row(
            "lot",
            lot,
            {"prime": lot.prime_contractor, "defaulted": lot.prime_contractor_defaulted or None},
            name=lot.name,
            complexity=lot.complexity,
            dynamics=lot.dynamics,
            commodity=lot.commodity,
            source=lot.source,
            primeContractorDefaulted=lot.prime_contractor_defaulted,
        )
        for lot in register.lots.values()
    ]


def _dependency_rows(register: Register) -> list[list[str | None]]:
    """``[lot, the lot it depends on, source]`` per dependency."""
    sources = register.dependency_sources
    return [[a, b, sources.get((a, b))] for a, b in sorted(register.dependencies)]


def _contract_rows(register: Register) -> list[dict[str, Any]]:
    """One row per contract, each made in one expression (no keyword maps, no copies: a
    contract row is most of a plan's rows)."""
    uri, iso = instance_uri, _iso
    return [
        {
            "id": c.id,
            "supplier": c.supplier,
            "lot": c.lot,
            "mode": c.mode,
            "clauses": _clauses(c.clauses, c.clause_words),
            "functions": sorted(c.functions),
            "props": _with_extra(
                {
                    "id": c.id,
                    "uri": uri("contract", c.id),
                    "startDate": iso(c.start_date),
                    "endDate": iso(c.end_date),
                    # + 0.0: minus zero stored as zero (Neo4j keeps a stored 0.0 for a -0.0 set
                    # over it)
                    "annualValue": None if value is None else float(value) + 0.0,
                    "annualValueCents": None if value is None else cents(value),
                    "selectionBasis": c.selection_basis,
                    "source": c.source,
                    "modeAsWritten": c.mode_as_written,
                },
                c.extra,
            ),
        }
        for c in register.contracts.values()
        for value in (c.annual_value,)
    ]


def _iso(day: date | None) -> str | None:
    """A date as the statement takes it (``date()`` of its ISO text): the driver's own
    conversion of a ``date`` cost about 40 µs a value, 4-8 s of a load at 100k contracts. The
    digest's canonical text of a date is its ISO text either way."""
    return None if day is None else day.isoformat()


def _clauses(clauses: frozenset[str], words: dict[str, tuple[str, ...]]) -> list[list[Any]]:
    """``[key, words as written or None]`` per clause type, by key."""
    if not clauses:
        return []
    return [[key, list(words[key]) if key in words else None] for key in sorted(clauses)]


def _supply_chain_rows(register: Register) -> list[dict[str, Any]]:
    return [
        {
            "contract": s.contract,
            "supplier": s.supplier,
            "rank": s.rank,
            "recipient": s.recipient,
            "serviceType": s.service_type,
            "source": s.source,
        }
        for s in sorted(register.subcontracting, key=subcontracting_key)
    ]


def _subcontracts_rows(register: Register) -> list[dict[str, Any]]:
    """``{provider, subcontractor, rank, arrangement, source}`` per relationship (its fields)."""
    return [asdict(s) for s in subcontracts_to(register.subcontracting)]


_NODE_STAGES = (
    ("organisations", "Organisation"),
    ("functions", "Function"),
    ("lots", "Lot"),
    ("contracts", "Contract"),
)
"""The stages that write register nodes, with their label."""


def _present(props: Mapping[str, Any]) -> dict[str, Any]:
    """A property map as Neo4j stores it: a null value writes no property."""
    return {key: value for key, value in props.items() if value is not None}


def planned_register_digest(plan: list[Stage], ontology: Mapping[str, list[dict[str, Any]]]) -> str:
    """The register digest (:func:`~sourcing_graph.graph.neo4j.digest.register_digest`) the graph
    has once ``plan`` is written, computed from its rows, without reading the graph back.

    ``ontology`` is the ontology loader's node rows (label -> ``{key, props}``) written in the same
    transaction: a contract's mode and clause relationships end at those nodes, and only where the
    statement's ``MATCH`` finds its end (every ``MATCH`` of ``queries/internal/load.cypher`` is
    followed here). Equal to the read-back only when the register part holds nothing but what the
    load wrote (:func:`~sourcing_graph.graph.neo4j.digest.register_as_written` tells)."""
    return sum_digest(planned_node_hashes(plan, ontology).values())


NodeKey = tuple[str, Any]
"""A register node: ``(label, id)``."""


def planned_node_hashes(
    plan: list[Stage], ontology: Mapping[str, list[dict[str, Any]]]
) -> dict[NodeKey, int]:
    """Each register node ``plan`` writes, with the hash it adds to the register digest
    (:func:`~sourcing_graph.graph.neo4j.digest.item_hash` of the node and its outgoing
    relationships, as the graph has them once ``plan`` is written): the same canonical form the
    digest read back from the graph takes, node by node, so their sum is
    :func:`planned_register_digest`. A replacing load compares them with the loaded register's
    (:mod:`.register_diff`).

    Each relationship is kept as its canonical text, put together from pieces made once
    (:func:`~sourcing_graph.graph.neo4j.digest.relationship_head`): the same hashes as
    :func:`planned_rows` hashed with ``item_hash``, at a fraction of the cost."""
    labels = {label: [label] for _, label in _NODE_STAGES}
    with paused_gc():  # a text and a list per node, none in a cycle (see load_plan)
        return {
            node: texts_hash(labels[node[0]], props, rels)
            for node, props, rels in _PlannedGraph(plan, ontology, as_text=True).nodes()
        }


def planned_rows(
    plan: list[Stage], ontology: Mapping[str, list[dict[str, Any]]]
) -> Iterator[tuple[NodeKey, dict[str, Any]]]:
    """Each register node ``plan`` writes with its digest row as the digest statement reads it
    from the graph (``{labels, props, rels}``, ``rels`` as ``[type, end labels, end, props]``)."""
    for node, props, rels in _PlannedGraph(plan, ontology, as_text=False).nodes():
        yield node, {"labels": [node[0]], "props": props, "rels": [list(r) for r in rels]}


class _PlannedGraph:
    """The register nodes and their outgoing relationships a load plan writes: each
    relationship as ``(type, end labels, end, properties)``, or ``as_text`` its canonical text."""

    def __init__(
        self, plan: list[Stage], ontology: Mapping[str, list[dict[str, Any]]], *, as_text: bool
    ) -> None:
        self.rows = {stage.name: stage.rows for stage in plan}
        self.ends = {
            label: {row["key"]: _end_name(row["props"]) for row in ontology.get(label, [])}
            for label in ("CollaborationMode", "ClauseType")
        }
        self.as_text = as_text
        self.heads: dict[tuple[str, str], str] = {}
        self.props: dict[NodeKey, dict[str, Any]] = {}
        self.rels: dict[NodeKey, list[Any]] = {}
        for stage, label in _NODE_STAGES:
            for row in self.rows[stage]:
                self.props[(label, row["id"])] = _present(row["props"])
                self.rels[(label, row["id"])] = []

    def nodes(self) -> Iterator[tuple[NodeKey, dict[str, Any], list[Any]]]:
        """Each node with its properties (as stored, without the conclusions') and outgoing
        relationships."""
        self._lots()
        self._contracts()
        for row in self.rows["supply chains"]:
            fields = _present({k: row[k] for k in ("rank", "recipient", "serviceType", "source")})
            start = ("Contract", row["contract"])
            self._relate(start, "SUPPLY_CHAIN", "Organisation", row["supplier"], fields)
        for org, parent in self.rows["groups"]:
            start = ("Organisation", org)
            source = _present({"source": self.props.get(start, {}).get("source")})
            self._relate(start, "PART_OF_GROUP", "Organisation", parent, source)
        for row in self.rows["subcontracting"]:
            fields = _present({k: row[k] for k in ("rank", "arrangement", "source")})
            start = ("Organisation", row["provider"])
            self._relate(start, "SUBCONTRACTS_TO", "Organisation", row["subcontractor"], fields)
        conclusions = CONCLUSION_PROPERTIES
        for node, props in self.props.items():
            if not conclusions.isdisjoint(props):  # never in a plan's rows; left out all the same
                props = {k: v for k, v in props.items() if k not in conclusions}
            yield node, props, self.rels[node]

    def _rel(
        self, kind: str, labels: tuple[str, ...], end: Any, fields: dict[str, Any], text: str = ""
    ) -> Any:
        """A relationship as kept (``text``: its properties' canonical text, when made)."""
        if not self.as_text:
            return (kind, labels, end, fields)
        key = (kind, end) if type(end) is str else None  # 1, 1.0, True: one key, three texts
        head = self.heads.get(key) if key else None
        if head is None:
            head = relationship_head(kind, labels, end)
            if key:
                self.heads[key] = head
        return head + (text or canonical(fields)) + "]"

    def _relate(
        self, start: NodeKey, kind: str, label: str, ident: Any, fields: dict[str, Any]
    ) -> None:
        """A relationship to the register node ``(label, ident)``, when both ends exist
        (``fields``: its properties as stored, :func:`_present`)."""
        if start in self.props and (label, ident) in self.props:
            self.rels[start].append(self._rel(kind, (label,), ident, fields))

    def _lots(self) -> None:
        for row in self.rows["lots"]:
            lot = ("Lot", row["id"])
            fields = _present(
                {"source": self.props[lot].get("source"), "defaulted": row["defaulted"]}
            )
            self._relate(lot, "COORDINATED_BY", "Organisation", row["prime"], fields)
        for a, b, source in self.rows["dependencies"]:
            self._relate(("Lot", a), "DEPENDS_ON", "Lot", b, _present({"source": source}))

    def _contracts(self) -> None:
        """Every contract's relationships (most of a plan's), the text of their shared
        properties made once per contract."""
        nodes, rel = self.props, self._rel
        modes, clause_types = self.ends["CollaborationMode"], self.ends["ClauseType"]
        org, lot, function = ("Organisation",), ("Lot",), ("Function",)
        mode, clause = ("CollaborationMode", ONTOLOGY_TERM), ("ClauseType", ONTOLOGY_TERM)
        for row in self.rows["contracts"]:
            contract = ("Contract", row["id"])
            supplier, in_lot = row["supplier"], row["lot"]
            if ("Organisation", supplier) not in nodes or ("Lot", in_lot) not in nodes:
                continue  # the statement's MATCH drops the row: no relationship at all
            written = nodes[contract].get("source")
            source = {} if written is None else {"source": written}  # one map, read only
            text = canonical(source) if self.as_text else ""
            rels = self.rels[contract]
            rels.append(rel("SUPPLIED_BY", org, supplier, source, text))
            rels.append(rel("PART_OF", lot, in_lot, source, text))
            if row["mode"] in modes:
                rels.append(rel("DECLARED_MODE", mode, modes[row["mode"]], source, text))
            for key, words in row["clauses"]:
                if key in clause_types:
                    fields, fields_text = (
                        (source, text) if words is None else ({**source, "asWritten": words}, "")
                    )
                    rels.append(rel("HAS_CLAUSE", clause, clause_types[key], fields, fields_text))
            for f in row["functions"]:
                if ("Function", f) in nodes:
                    rels.append(rel("DELIVERS", function, f, source, text))


def _end_name(props: Mapping[str, Any]) -> Any:
    """How the digest statement names an end node: ``coalesce(m.id, m.key, m.uri)``."""
    for key in ("id", "key", "uri"):
        if props.get(key) is not None:
            return props[key]
    return None
