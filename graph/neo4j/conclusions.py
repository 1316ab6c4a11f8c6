"""The conclusions stage in Neo4j: R1, R2 and R7 stored, the analyses run on them, the findings and
organisation properties written and the digests recorded, all in the caller's transaction.

:func:`conclude_in` runs after the register writes of a load (and in ``refresh``), so no reader
ever sees a register without its conclusions. Its steps:

1. ``contract-modes`` (``queries/internal/conclusions.cypher``), the one place R1 is written in
   Cypher: ``Contract.effectiveMode``, ``Contract.modeBasis``, ``EFFECTIVE_MODE``;
2. ``lot-modes``: ``Lot.mode`` (R2), ``Lot.recommendedMode`` (R7), ``RUNS_IN``;
3. the analyses: for a ``refresh``, the named analysis queries (which read the stored modes) in
   the same transaction, with names and words read from the graph (so rule data changed in the
   graph is what the sentences use); for a load, drawn from the register in memory by the
   embedded engine while the server writes it (:func:`draw`: the graph's register part is that
   register, and the rule data the load writes). Their rows become findings by
   :mod:`sourcing_graph.graph.conclusions`;
4. ``:Finding`` nodes with ``ABOUT {role}`` and ``BY_RULE``, written as a difference: each
   finding carries ``contentHash`` (:func:`content_hash`), the hash of everything it is written
   from (its row whole, what it is about, the names its sentences may use, the rules digest),
   computed before its sentences, which only the new and changed findings get;
   a finding whose stored hash equals the new one is kept untouched, the new and changed ones are
   created, then the stale and changed ones' old nodes deleted (removals last:
   :func:`_create_findings`). The stored hashes are only trusted when nothing was
   committed since our own last load or refresh (``trusted``: the caller checks,
   :mod:`.freshness`); else every finding is rewritten. The R5 and R9 properties set on
   organisations (and removed where they no longer apply);
5. the digests of the register part (a load's computed from its rows when the graph holds only
   what it wrote, else read back) and the rule data (:mod:`.digest`), ``concludedAt``, the
   reference date the conclusions were drawn at (``asOf``: R14's windows depend on it), R15
   (:func:`posture_properties`) and R5's and R9's rows whole (:func:`row_properties`) on the
   ``SourcingGraphMeta`` node. Every finding keeps its row whole too (``rowJson``, ``rowOrder``):
   the Neo4j engine reads the analyses back from these.

The derive statements take a scope (``$contracts``, ``$lots``; None here: everything), so that a
later incremental load can conclude only what changed.
"""

from __future__ import annotations

import hashlib
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import date
from typing import TYPE_CHECKING, Any, NamedTuple

from sourcing_graph.errors import QueryError
from sourcing_graph.graph.conclusions import (
    ORGANISATION_PROPERTIES,
    Finding,
    FindingRow,
    Names,
    entity_conclusions,
    finding_rows,
    named,
    names_needed,
    row_json,
)
from sourcing_graph.graph.embedded.engine import EmbeddedEngine
from sourcing_graph.graph.neo4j.digest import (
    compact_json,
    register_as_written,
    register_digest,
    rules_digest,
)
from sourcing_graph.graph.neo4j.engine import Neo4jEngine
from sourcing_graph.graph.neo4j.schema import VERSION_PROPERTY
from sourcing_graph.model import Register
from sourcing_graph.ontology.data import Wording
from sourcing_graph.ontology.rules import Rules
from sourcing_graph.queries.statements import statements

if TYPE_CHECKING:  # register_diff imports what imports this module
    from sourcing_graph.graph.neo4j.register_diff import Scope

__all__ = [
    "BATCH_SIZE",
    "Drawn",
    "HASH_FORM",
    "POSTURE_PROPERTIES",
    "ROW_PROPERTIES",
    "TransactionReader",
    "conclude_in",
    "conclusion_record",
    "conclusions_kept",
    "changed_rows",
    "content_hash",
    "draw",
    "organisation_rows",
    "posture_properties",
    "read_names",
    "read_wording",
    "row_properties",
    "row_texts",
]

BATCH_SIZE = 5000
"""Rows per statement when writing findings."""

_LABELS = ("Lot", "Contract", "Organisation", "Function")

POSTURE_PROPERTIES = (
    "postureVerdict",
    "postureBasis",
    "postureReasons",
    "postureExternalPrimeContractors",
    "postureValueModes",
    "postureValueAmounts",
)
"""R15 as properties of the ``SourcingGraphMeta`` node (a map is no property value: the
``external_value_by_mode`` map is two lists in its order, its modes and their amounts)."""


ROW_PROPERTIES: dict[str, tuple[str, str]] = {
    "coordination_load": ("coordinationRows", "coordinationKeys"),
    "concentration": ("concentrationRows", "concentrationKeys"),
}
"""R5's and R9's rows whole on the ``SourcingGraphMeta`` node (they are no findings): result key
-> (the property holding the rows as JSON text, in the analysis' order: :func:`row_texts`; the
property holding each row's prime contractor or supplier, in the same order, for the filter)."""

_ROW_KEY_FIELD = {"coordination_load": "prime_contractor", "concentration": "supplier"}


def row_properties(result: Mapping[str, Any]) -> dict[str, list[str]]:
    """R5's and R9's rows of ``result`` as the properties :data:`ROW_PROPERTIES`."""
    props: dict[str, list[str]] = {}
    for key, (rows_property, keys_property) in ROW_PROPERTIES.items():
        rows = result.get(key) or []
        props[rows_property] = row_texts([row_json(row) for row in rows])
        props[keys_property] = [row[_ROW_KEY_FIELD[key]] for row in rows]
    return props


def row_texts(texts: list[str]) -> list[str]:
    """Rows' JSON texts as one list property holds them: joined by commas into one text (none
    without rows). Neo4j reckons a list of strings written in a transaction at its length times
    its longest string (two bytes a character): one text a row, R9's 712 rows at 30,000
    contracts (the longest 27,356 characters) at 37.2 MiB, which the batched load's switch asked
    for on top of 39.2 MiB, over a 64 MiB cap; one text is reckoned at twice its length.
    Readers join the texts with commas (:func:`~.engine.decode_rows`), so rows stored one a text
    (by an earlier version) read the same.

    >>> row_texts(['{"a":1}', '{"a":2}']), row_texts([])
    (['{"a":1},{"a":2}'], [])
    """
    return [",".join(texts)] if texts else []


def conclusion_record(
    result: Mapping[str, Any], digest: str, rules: str, as_of: Any
) -> dict[str, Any]:
    """The parameters of the meta node's record of a load's or refresh's conclusions (the
    ``conclusions:record`` statement, and the batched load's switch)."""
    return {
        "registerDigest": digest,
        "rulesDigest": rules,
        "supplyChainData": "parent_concentration" in result,
        "asOf": as_of,
        "posture": posture_properties(result.get("posture")),
        "rows": row_properties(result),
    }


def organisation_rows(organisations: Mapping[str, Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The ``set-organisations`` rows: each organisation's R5/R9 properties, every property of
    :data:`ORGANISATION_PROPERTIES` it lacks set to None (removed)."""
    cleared: dict[str, Any] = dict.fromkeys(ORGANISATION_PROPERTIES)
    return [{"id": ident, "props": {**cleared, **props}} for ident, props in organisations.items()]


def posture_properties(posture: Mapping[str, Any] | None) -> dict[str, Any]:
    """R15's object as the properties :data:`POSTURE_PROPERTIES` (all None when there is none)."""
    if posture is None:
        return dict.fromkeys(POSTURE_PROPERTIES)
    values = posture["external_value_by_mode"]
    return {
        "postureVerdict": posture["verdict"],
        "postureBasis": posture["basis"],
        "postureReasons": list(posture["reasons"]),
        "postureExternalPrimeContractors": list(posture["external_prime_contractors"]),
        "postureValueModes": list(values),
        "postureValueAmounts": [values[mode] for mode in values],
    }


class Drawn(NamedTuple):
    """A load's conclusions drawn from its register in memory (:func:`draw`), for
    :func:`conclude_in` to write: the unfiltered result, the names, the findings' rows with their
    :func:`content_hash` (same order), the wording of the rules the load writes and, when asked
    for, every finding with its sentences (by key)."""

    result: dict[str, Any]
    names: Names
    rows: list[FindingRow]
    hashes: list[str]
    wording: Wording
    findings: dict[str, Finding] | None


def draw(
    register: Register,
    rules: Rules,
    as_of: date,
    names: Names,
    rules_digest: str,
    *,
    sentences: bool = False,
) -> Drawn:
    """The conclusions of ``register`` under ``rules`` (whose digest is ``rules_digest``) at
    ``as_of``, drawn by the embedded engine (the same analyses as the named queries: the parity
    tests hold them equal), ``names`` being the names the load writes; with every finding's
    sentences when ``sentences`` (a load that will write every finding). A single-transaction
    load draws them while the server writes the register, instead of reading them back through
    its transaction."""
    result = EmbeddedEngine(register, rules, as_of=as_of).analyze()
    rows = finding_rows(result, names)
    found = {r.key: r.finding(names, rules.wording) for r in rows} if sentences else None
    return Drawn(result, names, rows, _hashes(rows, names, rules_digest), rules.wording, found)


class TransactionReader:
    """A store-like reader (``read(cypher, params)``) over an open transaction, so that the
    Neo4j engine's queries see the transaction's own writes."""

    def __init__(self, tx: Any) -> None:
        self.tx = tx

    def read(self, cypher: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        return [dict(record) for record in self.tx.run(cypher, params or {})]

    def run(self, cypher: str, params: dict[str, Any]) -> Iterable[Any]:
        """Records of one statement (for the digests)."""
        return self.tx.run(cypher, params)


def read_names(reader: TransactionReader, wanted: dict[str, set[str]]) -> Names:
    """``{label: {id: name}}`` of the entities in ``wanted`` that exist."""
    cypher = statements("conclusions")
    names: dict[str, dict[str, str | None]] = {}
    for label in _LABELS:
        ids = sorted(wanted.get(label, ()))
        rows = reader.read(cypher[f"names:{label}"], {"ids": ids}) if ids else []
        names[label] = {row["id"]: row["name"] for row in rows}
    return names


def read_wording(reader: TransactionReader) -> Wording:
    """The labels, rule names and finding sentence templates stored in the graph."""
    cypher = statements("conclusions")
    labels: dict[str, dict[str, dict[str, str]]] = {}
    rules: dict[str, dict[str, str]] = {}
    for row in reader.read(cypher["wording"]):
        texts = {lang: row[lang] for lang in ("nl", "en") if row[lang] is not None}
        if row["kind"] == "rule":
            rules[row["key"]] = texts
        else:
            labels.setdefault(row["kind"], {})[row["key"]] = texts
    templates = {
        row["rule"]: {lang: row[lang] for lang in ("nl", "en") if row[lang] is not None}
        for row in reader.read(cypher["templates"])
    }
    return Wording(labels=labels, templates={k: v for k, v in templates.items() if v}, rules=rules)


def conclude_in(
    tx: Any,
    meta_key: str,
    as_of: date | None = None,
    *,
    trusted: bool = False,
    planned_digest: Callable[[], str] | None = None,
    drawn: Callable[[], Drawn] | None = None,
    version: str | None = None,
    known_digest: Callable[[], str] | None = None,
    scope: Scope | None = None,
) -> dict[str, Any]:
    """Derive and write every conclusion in ``tx`` (see the module) at the reference date
    ``as_of`` (None: the one the stored conclusions were drawn at, else today); record it and
    the digests on the meta node ``meta_key``. ``trusted``: nothing was committed since our own
    last load or refresh, so the stored findings are as their ``contentHash`` says and only the
    changed ones are rewritten. ``drawn``: the analyses drawn from the register a load wrote
    (:func:`draw`; the graph's register part is that register), instead of the named queries
    read back through ``tx`` (a refresh: the graph as it stands). ``version``: the load id the
    findings written get (a load's; None: a fresh one, as a refresh's). ``known_digest``: the
    register digest of the graph as it stands, known without reading it again (a refresh's
    read-back, :mod:`.read_back`). ``scope``: the only contracts and lots whose R1 and R2/R7 may have
    changed (a diffed load's, :func:`~.register_diff.modes_scope`: the graph's register part
    is then known to hold only what the loads wrote); None, every one. Returns ``findings`` (how many), and the keys ``added`` and
    ``removed`` compared with the findings stored before (sorted), ``registerDigest`` and
    ``asOf``."""
    cypher = statements("conclusions")
    reader = TransactionReader(tx)
    if as_of is None:
        last = reader.read(cypher["stored-as-of"], {"key": meta_key})
        found_as_of = last[0]["asOf"] if last else None
        as_of = date.fromisoformat(found_as_of) if found_as_of else date.today()
    tx.run(
        cypher["contract-modes"], {"contracts": None if scope is None else scope.contracts}
    ).consume()
    tx.run(cypher["lot-modes"], {"lots": None if scope is None else scope.lots}).consume()
    rules = rules_digest(reader.run)
    if drawn is None:
        result = Neo4jEngine(reader, stored=False, as_of=as_of).analyze()
        names = read_names(reader, names_needed(result))
        found = finding_rows(result, names)
        ready = Drawn(
            result, names, found, _hashes(found, names, rules), read_wording(reader), None
        )
    else:
        ready = drawn()
        result, names, found = ready.result, ready.names, ready.rows
    _refuse_twice(found)
    listed = reader.read(cypher["finding-hashes"])[0]
    hashes = [(value or None) if trusted else None for value in listed["hashes"]]
    stored = dict(zip(listed["keys"], hashes, strict=True))
    before = set(stored)
    keys = {f.key for f in found}
    pending = _changed(ready, stored)
    stale = ({row.key for row, _ in pending} & before) | (before - keys)  # changed or gone
    gone = _stored_nodes(reader, stale, before)
    _create_findings(tx, _built_ahead(ready, pending), version or uuid.uuid4().hex)
    _write_organisations(tx, entity_conclusions(result, (), ())[2])
    for part in _batches(gone):  # removals last (see _create_findings)
        tx.run(cypher["remove-findings"], {"nodes": part}).consume()
    digest = (
        known_digest()
        if known_digest is not None
        else _register_digest(reader, meta_key, trusted, planned_digest, scope is not None)
    )
    tx.run(
        cypher["record"], {"key": meta_key, **conclusion_record(result, digest, rules, as_of)}
    ).consume()
    return {
        "findings": len(found),
        "added": sorted(keys - before),
        "removed": sorted(before - keys),
        "registerDigest": digest,
        "asOf": as_of.isoformat(),
    }


def _refuse_twice(found: list[FindingRow]) -> None:
    """Raise :class:`~sourcing_graph.errors.QueryError` when a finding's key comes out twice: a
    graph edited with Cypher into what no register says (a contract in two lots, say) makes the
    named queries give two rows of one finding, which cannot both be stored (nothing is)."""
    counted = Counter(row.key for row in found)
    twice = sorted(key for key, times in counted.items() if times > 1)
    if twice:
        shown = ", ".join(twice[:5]) + (f" and {len(twice) - 5} more" if len(twice) > 5 else "")
        raise QueryError(
            "the graph holds what no register says, so its conclusions cannot be stored: the "
            f"findings {shown} come out twice (a contract in two lots, or with two suppliers, "
            "say); correct it with Cypher, then refresh again (nothing was written)"
        )


def conclusions_kept(tx: Any, meta_key: str, as_of: date) -> dict[str, Any] | None:
    """What :func:`conclude_in` would return when the stored conclusions are the ones it would
    draw: the caller knows nothing was committed since our own last load or refresh and the rule
    data stays, so the register part and the rules are the ones they were drawn from; here, the
    reference date must be the one they were drawn at too. None when it is not (or none are
    stored): then :func:`conclude_in` must run. Reads one row; writes nothing."""
    rows = TransactionReader(tx).read(statements("conclusions")["stored-record"], {"key": meta_key})
    if not rows or rows[0]["asOf"] != as_of.isoformat():
        return None
    row = rows[0]
    return {
        "findings": row["findings"],
        "added": [],
        "removed": [],
        "registerDigest": row["digest"],
        "asOf": row["asOf"],
    }


def _register_digest(
    reader: TransactionReader,
    meta_key: str,
    trusted: bool,
    planned_digest: Callable[[], str] | None,
    diffed: bool = False,
) -> str:
    """The register digest to record (see :func:`conclude_in`): a load's from its rows when the
    graph holds only what it wrote (known when ``diffed``: the load wrote the changes to a
    register whose recorded node hashes sum to its digest, nothing committed since), a trusted
    refresh's the one recorded last, else read back."""
    if planned_digest is not None:
        if diffed or register_as_written(reader.run):
            return planned_digest()
    elif trusted:
        rows = reader.read(statements("conclusions")["stored-digest"], {"key": meta_key})
        if rows and rows[0]["digest"] is not None:
            return str(rows[0]["digest"])  # nothing committed since it was recorded
    return register_digest(reader.run)


def _batches(rows: list[Any]) -> Iterable[list[Any]]:
    for start in range(0, len(rows), BATCH_SIZE):
        yield rows[start : start + BATCH_SIZE]


_ABOUT_FIELDS = {label: label.lower() + "s" for label in _LABELS}
"""The row field of ``create-findings`` that holds the entities of each label a finding is about."""


def _hashes(found: list[FindingRow], names: Names, rules: str) -> list[str]:
    return [content_hash(rules, r.spec.rule, r.key, r.order, r.row, r.about, names) for r in found]


def changed_rows(drawn: Drawn, stored: Mapping[str, str | None]) -> list[dict[str, Any]]:
    """The ``create-findings`` rows of the findings whose :func:`content_hash` is not the
    ``stored`` one (new ones too; every one when nothing is stored): only theirs get sentences
    (drawn already, or written here)."""
    return _rows_of(drawn, _changed(drawn, stored))


def _changed(drawn: Drawn, stored: Mapping[str, str | None]) -> list[tuple[FindingRow, str]]:
    """The drawn findings (with their hash) whose hash is not the ``stored`` one, new ones too."""
    return [
        (row, digest)
        for row, digest in zip(drawn.rows, drawn.hashes, strict=True)
        if row.key not in stored or stored[row.key] != digest
    ]


def _rows_of(drawn: Drawn, pending: Iterable[tuple[FindingRow, str]]) -> list[dict[str, Any]]:
    """The ``create-findings`` rows of ``pending`` findings, with their sentences (drawn
    already, or written here)."""
    ready = drawn.findings or {}
    return [
        _row_of(ready.get(row.key) or row.finding(drawn.names, drawn.wording), digest)
        for row, digest in pending
    ]


def _built_ahead(
    drawn: Drawn, pending: list[tuple[FindingRow, str]]
) -> Iterator[list[dict[str, Any]]]:
    """The ``create-findings`` rows of ``pending``, a batch at a time: the next batch is made in a
    worker thread while the server writes this one (the driver waits for it without holding the
    interpreter lock), so a load that writes every finding (233k at 100k contracts) spends no
    extra time making their rows."""
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="sourcing-graph-rows") as pool:
        ahead: Future[list[dict[str, Any]]] | None = None
        for part in _batches(pending):
            made = pool.submit(_rows_of, drawn, part)
            if ahead is not None:
                yield ahead.result()
            ahead = made
        if ahead is not None:
            yield ahead.result()


def _stored_nodes(reader: TransactionReader, keys: set[str], stored: set[str]) -> list[str]:
    """The stored nodes (element ids) of the findings ``keys`` (changed or no longer derived:
    some of the ``stored`` keys), of every stored finding when ``keys`` are all of them; read
    before anything is written."""
    cypher = statements("conclusions")
    if not keys:
        return []
    if keys >= stored:
        return list(reader.read(cypher["all-finding-nodes"])[0]["nodes"])
    return list(reader.read(cypher["finding-nodes"], {"keys": sorted(keys)})[0]["nodes"])


def _create_findings(tx: Any, batches: Iterable[list[dict[str, Any]]], version: str) -> None:
    """Create the new and changed findings' rows ``batches`` (with their relationships), with the load id
    ``version`` (the load's, or a refresh's own): the stored nodes of the changed ones, and of
    those no longer derived, are removed after every other write (:func:`conclude_in`).

    In that order because in one transaction Neo4j checks a key constraint (here ``(key,
    loadId)``) in time proportional to the index entries removed earlier in the transaction, and
    creates a relationship slower on a node that lost some: deleting first made a replace of
    5,000 contracts (10,666 findings) spend 14.6 s on its findings, 1.6 s created first. The
    findings kept are not touched: their load id stays that of the load or refresh that wrote
    them (a batched load first gives every node the visible version's: see :mod:`.batched`)."""
    cypher = statements("conclusions")
    create = cypher["create-findings"] + "\n" + cypher["relate-findings"]
    for batch in batches:
        tx.run(create, {"rows": [_versioned(row, version) for row in batch]}).consume()


def _versioned(row: dict[str, Any], version: str | None) -> dict[str, Any]:
    return {**row, "props": {**row["props"], VERSION_PROPERTY: version}}


_HASHED_JSON = compact_json(sort_keys=False, default=str)
"""What :func:`content_hash` hashes: ``json.dumps(value, separators=(",", ":"),
ensure_ascii=False, default=str)``."""

HASH_FORM = "inputs-1"
"""Part of every :func:`content_hash`: change it with any change to how a finding's properties
are made from its inputs (the sentences' code, the stored fields), so every finding is written
again."""


def content_hash(
    rules: str,
    rule: str,
    key: str,
    order: int | None,
    fields: Mapping[str, Any],
    about: Iterable[tuple[str, str, str]],
    names: Names,
) -> str:
    """A finding's ``contentHash``: the BLAKE2b-128 hash of everything its node and relationships
    are written from: the rule data's digest ``rules`` (the wording of its sentences), its rule,
    key, row order and fields (in the row's order), the entities it is about (those that exist)
    and the names its sentences may use (:func:`~sourcing_graph.graph.conclusions.named`)."""
    text = _HASHED_JSON(
        [
            HASH_FORM,
            rules,
            rule,
            key,
            order,
            fields,
            [list(a) for a in about],
            named(fields, names),
        ]
    )
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


def _row_of(found: Finding, digest: str) -> dict[str, Any]:
    """One row of ``create-findings`` of ``found`` with its :func:`content_hash` ``digest``."""
    row: dict[str, Any] = {"key": found.key, "rule": found.rule, "props": found.properties()}
    row.update((field, []) for field in _ABOUT_FIELDS.values())
    for role, label, ident in found.about:
        row[_ABOUT_FIELDS[label]].append([role, ident])
    row["props"]["contentHash"] = digest
    return row


def _write_organisations(tx: Any, organisations: dict[str, dict[str, Any]]) -> None:
    """R5 and R9 set where they apply, removed where they no longer do."""
    cypher = statements("conclusions")
    cleared: dict[str, Any] = dict.fromkeys(ORGANISATION_PROPERTIES)
    tx.run(
        cypher["clear-organisations"], {"ids": list(organisations), "cleared": cleared}
    ).consume()
    for batch in _batches(organisation_rows(organisations)):
        tx.run(cypher["set-organisations"], {"rows": batch}).consume()
