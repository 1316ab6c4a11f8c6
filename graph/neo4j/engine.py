"""The Neo4j engine: the analyses as the named queries of ``queries/`` on the register a store holds.

The rules come from the ontology nodes in the database (loaded with the register, or with
``Neo4jStore.ensure_schema``), so changing the ontology's Turtle changes the results as it does on
the embedded engine. The named queries read the modes the last load or refresh stored (R1, R2,
R7). Every analysis is read from what that load or refresh stored when it can: each row whole as
JSON text (``Finding.rowJson``; R5's and R9's rows and R15 on the meta node), filtered in Cypher
as its named query filters (:meth:`Neo4jEngine.rows`), and an unfiltered
:meth:`Neo4jEngine.analyze` reads them all in one query (:meth:`Neo4jEngine.stored_result`).
R10-R15 are read so only when the engine's reference date is the one they were stored at; else,
and when nothing was stored whole (a graph loaded by an older version), the named query runs
live. With ``stored=False`` (a what-if, the load's own derivation) every analysis is derived.
Rows come back in the documented order (:func:`~sourcing_graph.graph.registry.in_code_point_order`).
"""

from __future__ import annotations

import gc
import json
from collections.abc import Callable
from datetime import date
from typing import Any, Protocol, TypeVar, cast

from sourcing_graph.graph.engine import EngineBase, Result
from sourcing_graph.graph.registry import (
    ANALYSES,
    DORA_ANALYSES,
    REVIEW_KEYS,
    Analysis,
    Row,
    assemble,
    camel,
    check_filters,
    exact_amounts,
    in_code_point_order,
)
from sourcing_graph.queries import get_query
from sourcing_graph.queries.statements import statements

STORED_REVIEW_KEYS = frozenset(REVIEW_KEYS) - {"posture"}
"""R10-R14: the analyses whose rows are stored as findings (R15 is stored on the meta node)."""

STORED_KEYS = frozenset(ANALYSES) | frozenset(DORA_ANALYSES)
"""The analyses :meth:`Neo4jEngine.rows` reads as stored when it can: R3-R15 and D1-D5 (the
helpers R1, R2 and ``supply_chain_data`` are always derived)."""

MONEY_KEYS = frozenset({"concentration", "parent_concentration"})
"""The analyses whose rows hold an amount (``annual_value``): decoded from the stored JSON as a
float, read back as the exact decimal it stands for."""


DEFAULT_FILTER_FIELDS: dict[str, Any] = {
    "supplierIs": ["supplier"],
    "supplierIn": [],
    "lotFields": [],
    "severityField": "severity",
}
"""The finding fields ``engine:stored-rows`` filters on, for most analyses: the supplier."""

FILTER_FIELDS: dict[str, dict[str, Any]] = {
    "mode_mismatches": {**DEFAULT_FILTER_FIELDS, "lotFields": ["lot", "depends_on"]},
    "parent_concentration": {
        **DEFAULT_FILTER_FIELDS,
        "supplierIs": [],
        "supplierIn": ["suppliers"],
    },
    "supply_chains": {**DEFAULT_FILTER_FIELDS, "supplierIs": [], "supplierIn": ["providers"]},
    "indirect_concentration": {
        **DEFAULT_FILTER_FIELDS,
        "supplierIs": [],
        "supplierIn": ["members"],
    },
    "shared_subcontractors": {
        **DEFAULT_FILTER_FIELDS,
        "supplierIs": ["subcontractor"],
        "supplierIn": ["direct_providers"],
    },
}
"""The analyses whose stored rows a filter tests on other fields, as their named queries do:
R3's prime contractor coordinates the lot or the lot it depends on; D1-D4's supplier is in a
list of the row (D4: or is the subcontractor itself)."""


def posture_row(stored: dict[str, Any]) -> Row:
    """R15 as the meta node stores it (``engine:stored-posture``: its properties, the external
    value per mode as two lists, ``modes`` and ``amounts``) made the row its named query gives:
    its fields in the query's order, ``external_value_by_mode`` a map in the modes' order.

    >>> row = posture_row({"modes": ["trust"], "amounts": [12.5], "basis": "trust",
    ...     "verdict": "A", "reasons": [], "external_prime_contractors": ["b", "a"]})
    >>> row["external_value_by_mode"], row["external_prime_contractors"]
    ({'trust': 12.5}, ['a', 'b'])
    """
    fields = {
        **stored,
        "external_value_by_mode": list(zip(stored["modes"], stored["amounts"], strict=True)),
    }
    columns = ANALYSES["posture"].query().columns
    return in_code_point_order("posture", [{column: fields[column] for column in columns}])[0]


def decode_rows(texts: dict[str, list[str]]) -> dict[str, list[Row]]:
    """The stored rows (each the JSON text of one row, ``rowJson``) of each analysis, decoded
    with one ``json.loads`` of them all, far faster than a value per field over Bolt.

    The rows are in order already and make no reference cycles: the cyclic garbage collector
    (which the many new objects would set off, again and again) waits until they are made.

    >>> decode_rows({"mode_fit": ['{"lot":"K1"}'], "posture": []})
    {'mode_fit': [{'lot': 'K1'}], 'posture': []}
    """
    text = "{" + ",".join(f'"{key}":[' + ",".join(rows) + "]" for key, rows in texts.items()) + "}"
    collecting = gc.isenabled()
    gc.disable()
    try:
        return cast("dict[str, list[Row]]", json.loads(text))
    finally:
        if collecting:
            gc.enable()


T = TypeVar("T")


def register_names(store: Any) -> list[dict[str, Any]]:
    """The names of the register in ``store`` (:meth:`Neo4jEngine.names`), without an engine:
    ``query`` turns an organisation given by name into its id with them."""
    return store.read(statements("engine")["names"])


def named_or_stored(
    store: Store, name: str, text: str, params: dict[str, Any]
) -> tuple[str, dict[str, Any]]:
    """The Cypher ``sourcing-graph query NAME`` runs for the named query ``name`` (its ``text``,
    with ``params``) when the stored conclusions are fresh: for R10-R14 the read of their stored
    findings (the internal ``engine:stored:NAME``; R14 only when they were drawn at the query's
    ``asOf``, default today: its windows depend on it), the same columns and rows in the same
    order; else ``text``. Returns the Cypher and its parameters. The caller runs both reads in
    one ``Neo4jStore.stable``."""
    cypher = statements("engine")
    stored = cypher.get(f"stored:{name}")
    if stored is None:
        return text, params
    if "asOf" in {param.name for param in get_query(name).params}:
        wanted = params.get("asOf") or date.today()
        found = store.read(cypher["stored-as-of"])
        iso = wanted.isoformat() if isinstance(wanted, date) else str(wanted)
        if not found or found[0]["asOf"] != iso:
            return text, params
    return stored, {"supplier": params.get("supplier")}


class Store(Protocol):
    """What the Neo4j engine needs of a store (``Neo4jStore`` has it).

    A store may also have ``stable(work)``, which runs ``work`` so that all its queries read one
    and the same loaded register (``Neo4jStore.stable``); :meth:`Neo4jEngine.analyze` uses it.
    """

    def read(self, cypher: str, params: dict[str, Any] | None = ...) -> list[dict[str, Any]]: ...


class Neo4jEngine(EngineBase):
    """The analyses of the register loaded in a store (load it first with ``store.load_register``).

    >>> class NoData:  # a stand-in for Neo4jStore: every query returns no row
    ...     def read(self, cypher, params=None):
    ...         return []
    >>> Neo4jEngine(NoData()).analyze()["mode_fit"]
    []
    """

    name = "neo4j"

    def __init__(self, store: Store, *, as_of: date | None = None, stored: bool = True) -> None:
        self.store = store
        self.as_of = as_of if as_of is not None else date.today()
        """The reference date of R14 (its query's ``$asOf``); default today."""
        self.stored = stored
        """Whether the analyses read the stored conclusions (the default) rather than running
        their named queries (R10-R15 only when they were stored at :attr:`as_of`)."""

    def analyze(self, **filters: Any) -> Result:
        check_filters(filters)
        if self.stored and all(value is None for value in filters.values()):
            return self.consistent(self.stored_result)
        return super().analyze(**filters)

    def names(self) -> list[dict[str, Any]]:
        """The register's lots, organisations and functions as rows of ``kind``, ``id`` and
        ``name`` (None when it has none): what a caller that read no register shows beside ids
        (``views.naming.Names.of_rows``)."""
        return register_names(self.store)

    def stored_result(self) -> Result:
        """The whole analysis result from the stored conclusions: every row as the last load or
        refresh stored it whole (the internal statement ``engine:stored-all``, one query, its rows
        decoded with one ``json.loads``); R10-R15 only when they were stored at :attr:`as_of`
        (the reference date of the last load or refresh, R14's windows depending on it), else run
        live at :attr:`as_of` on the stored modes. A graph stored by an older version (no rows
        whole) is read field by field (:meth:`stored_result_by_fields`)."""
        found = self.store.read(statements("engine")["stored-all"])
        by_rule = {row["rule"]: row for row in found}
        meta = by_rule.pop("meta", None)
        texts = {rule: row["rows"] for rule, row in by_rule.items()}
        if meta is None or any(None in rows for rows in texts.values()):
            return self.stored_result_by_fields()
        chosen = dict(ANALYSES)
        if meta["dora"]:
            chosen.update(DORA_ANALYSES)
        review_stored = meta["asOf"] == self.as_of.isoformat()
        wanted = [
            key
            for key, analysis in chosen.items()
            if not analysis.single and (review_stored or key not in REVIEW_KEYS)
        ]
        decoded = decode_rows(
            {key: texts.get(cast("str", chosen[key].rule)) or [] for key in wanted}
        )
        parts: dict[str, Any] = {}
        for key, analysis in chosen.items():
            if key in decoded:
                rows = decoded[key]
                parts[key] = exact_amounts(rows) if key in MONEY_KEYS else rows
            elif analysis.single and review_stored:
                posture = meta["posture"]
                parts[key] = posture_row(posture) if posture else None
            else:
                parts[key] = self.part(analysis, {})
        return assemble(parts, self.as_of)

    def stored_result_by_fields(self) -> Result:
        """:meth:`stored_result` from a graph whose conclusions hold no rows whole (stored by an
        older version): R3-R9 (and D1-D5) read field by field by the named query
        ``stored-result``, R10-R15 as in :meth:`stored_result`."""
        query = get_query("stored-result")
        rows = self.store.read(query.text, query.bind({}))
        stored = rows[0] if rows else {}
        review_stored = stored.get("as_of") == self.as_of.isoformat()
        parts: dict[str, Any] = {}
        for key, analysis in {**ANALYSES, **DORA_ANALYSES}.items():
            if key in REVIEW_KEYS and not review_stored:
                parts[key] = self.part(analysis, {})
                continue
            found = stored.get(key)
            if found is None and key in DORA_ANALYSES:
                continue
            if found is None and analysis.single:
                parts[key] = None
                continue
            columns = analysis.query().columns
            listed: list[Row] = (found or []) if not analysis.single else [found or {}]
            rebuilt = in_code_point_order(
                key,
                exact_amounts([{column: row.get(column) for column in columns} for row in listed]),
            )
            parts[key] = rebuilt[0] if analysis.single else rebuilt
        return assemble(parts, self.as_of)

    def rows(self, analysis: Analysis, filters: dict[str, Any]) -> list[Row]:
        query = analysis.query()
        if self.stored and analysis.key in STORED_KEYS:
            found = self.consistent(lambda: self.stored_rows(analysis, filters))
            if found is not None:
                return found
        given = {camel(k): v for k, v in filters.items()}
        if analysis.dated:
            given["asOf"] = self.as_of
        params = query.bind(given)
        rows = exact_amounts(self.store.read(query.text, params))
        return in_code_point_order(analysis.key, rows)

    def stored_rows(self, analysis: Analysis, filters: dict[str, Any]) -> list[Row] | None:
        """The rows of ``analysis`` (R3-R15, D1-D5) as the last load or refresh stored them
        (the internal statements ``engine:stored-rows``, ``engine:stored-posture``), filtered by
        ``filters`` as its named query filters; None when they were not stored (a graph loaded
        by an older version, without the rows whole), or (R10-R15) not at :attr:`as_of`, and the
        caller derives them. The same rows as the derivation (at the date they were stored at):
        the load stored them from it, in its order."""
        cypher = statements("engine")
        if analysis.single:
            found = self.store.read(cypher["stored-posture"], {"asOf": self.as_of.isoformat()})
            if not found:
                return None
            return [posture_row(found[0])]
        found = self.store.read(
            cypher["stored-rows"],
            {
                "rule": analysis.rule,
                "dated": analysis.key in REVIEW_KEYS,
                "dora": analysis.key in DORA_ANALYSES,
                "asOf": self.as_of.isoformat(),
                "supplier": filters.get("supplier"),
                "primeContractor": filters.get("prime_contractor"),
                "minSeverity": filters.get("min_severity"),
                **FILTER_FIELDS.get(analysis.key, DEFAULT_FILTER_FIELDS),
            },
        )
        if not found or not found[0]["current"]:
            return None
        texts: list[str | None] = found[0]["rows"]
        if None in texts:
            return None
        rows = decode_rows({analysis.key: cast("list[str]", texts)})[analysis.key]
        keys: list[str] | None = found[0]["keys"]  # R5's, R9's filtered: each row's key
        if keys is not None:
            rows = [row for row, key in zip(rows, keys, strict=True) if key == found[0]["key"]]
        return exact_amounts(rows) if analysis.key in MONEY_KEYS else rows

    def severity_ranks(self) -> dict[str, int]:
        query = get_query("severity-ranks")
        return {row["severity"]: row["rank"] for row in self.store.read(query.text, query.bind({}))}

    def consistent(self, work: Callable[[], T]) -> T:
        # a store that can (Neo4jStore.stable) makes all the queries see one and the same
        # register, even while other loads commit
        stable: Callable[[Callable[[], T]], T] | None = getattr(self.store, "stable", None)
        return stable(work) if callable(stable) else work()
