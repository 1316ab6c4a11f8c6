"""The benchmark's Neo4j database: refusing data it did not load, the loaded graph's shape, clean-up."""

from __future__ import annotations

import contextlib
import time
from typing import Any

from sourcing_graph.graph.neo4j.digest import CONCLUSION_PROPERTIES, CONCLUSION_RELATIONSHIPS
from sourcing_graph.graph.neo4j.schema import VERSION_PROPERTY

NOT_REGISTER = frozenset(CONCLUSION_PROPERTIES) | {VERSION_PROPERTY}
"""Node properties the shape leaves out: the conclusions, and the version our loader tags every
node with (``loadId``, see docs/schema.md), which the ``LOAD CSV`` baseline of the register alone
does not write."""

REGISTER_LABELS = ("Contract", "Lot", "Function", "Organisation")
REGISTER_RELS = (
    "SUPPLIED_BY",
    "PART_OF",
    "DECLARED_MODE",
    "HAS_CLAUSE",
    "DELIVERS",
    "DEPENDS_ON",
    "COORDINATED_BY",
)
RDFLIB_LABEL = "Resource"

OCCUPIED = (
    "MATCH (n) WHERE n:Contract OR n:Lot OR n:Function OR n:Organisation OR n:Resource "
    "RETURN count(n) AS n"
)
LABELS = "MATCH (n) UNWIND labels(n) AS l RETURN DISTINCT l AS v"
CONSTRAINTS = "SHOW CONSTRAINTS YIELD name RETURN name AS v"
INDEXES = "SHOW INDEXES YIELD name, type WHERE type <> 'LOOKUP' RETURN name AS v"
SAMPLE_CONTRACTS = (
    "MATCH (c:Contract) WITH c ORDER BY c.id LIMIT 25 "
    "OPTIONAL MATCH (c)-[r]->(x) WHERE NOT type(r) IN $skip "
    "WITH c, x, type(r) AS t ORDER BY t, coalesce(x.id, x.key) "
    "RETURN c.id AS id, properties(c) AS props, "
    "collect([t, coalesce(x.id, x.key)]) AS out ORDER BY id"
)
"""25 contracts with their register properties and relationships (the conclusions our loader
also stores left out: the LOAD CSV baseline writes the register alone)."""
OTHER_TRANSACTIONS = (
    "SHOW TRANSACTIONS YIELD currentQuery "
    "WHERE NOT currentQuery STARTS WITH 'SHOW TRANSACTIONS' RETURN count(*) AS n"
)


class Occupied(Exception):
    """The database holds register or RDF nodes that the benchmark did not load."""

    def __init__(self, count: int) -> None:
        super().__init__(f"{count} register or RDF nodes")
        self.count = count


def cypher_name(name: str) -> str:
    """A label, constraint or index name quoted for Cypher."""
    return "`" + name.replace("`", "``") + "`"


class BenchDatabase:
    """A connected ``Neo4jStore`` and what the benchmark did to its database.

    ``loaded`` says which load wrote the register now in the database (``ours``, ``loadcsv``,
    ``rdflib``, ``unknown`` after a stopped load, or empty).
    """

    def __init__(self, store: Any) -> None:
        self.store = store
        self.start_state: dict[str, set[Any]] = {}
        self.loaded = ""

    @classmethod
    def open(cls, store: Any, wipe: bool, log: Any) -> BenchDatabase:
        """Check ``store``'s database is free (or ``wipe`` it), note its schema, ensure ours.

        Raises :class:`Occupied` (the store closed) when it holds register or RDF nodes and
        ``wipe`` is false.
        """
        db = cls(store)
        occupied = db.count(OCCUPIED)
        if occupied and not wipe:
            store.close()
            raise Occupied(occupied)
        if occupied:
            log(f"--wipe: deleting {occupied} register/RDF nodes already in the database")
            db.delete_loaded()
        db.start_state = {
            "labels": set(db.column(LABELS)),
            "constraints": set(db.column(CONSTRAINTS)),
            "indexes": set(db.column(INDEXES)),
        }
        store.ensure_schema()
        return db

    def close(self) -> None:
        """Delete what the benchmark loaded and the schema it created; close the store."""
        with contextlib.suppress(Exception):  # closing must not hide why the run ended
            self.delete_loaded()
            self.drop_created_schema()
        self.store.close()

    # -- statements ------------------------------------------------------------------------------

    def read(self, cypher: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        return list(self.store.read(cypher, params))

    def write(self, cypher: str, params: dict[str, Any] | None = None) -> None:
        """Run one statement in an auto-commit transaction (needed for IN TRANSACTIONS)."""
        with self.store.driver.session(database=self.store.database) as session:
            session.run(cypher, params or {}).consume()

    def column(self, cypher: str) -> list[Any]:
        return [row["v"] for row in self.store.read(cypher)]

    def count(self, cypher: str) -> int:
        return int(self.store.read(cypher)[0]["n"])

    # -- what is loaded ----------------------------------------------------------------------------

    def delete_loaded(self) -> None:
        """Delete the register nodes, their findings and the RDF resources (not timed)."""
        for label in (*REGISTER_LABELS, "Finding", RDFLIB_LABEL):
            self.write(
                f"MATCH (n:{label}) CALL (n) {{ DETACH DELETE n }} IN TRANSACTIONS OF 10000 ROWS"
            )

    def load_ours(self, register: Any) -> None:
        """``Neo4jStore.load_register`` (the caller times it)."""
        self.store.load_register(register)
        self.loaded = "ours"

    def ensure_ours(self, register: Any) -> bool:
        """Our register loaded (re-loaded if a baseline ran last), for the Neo4j analyses."""
        current = self.count("MATCH (c:Contract) RETURN count(c) AS n")
        resources = self.count(f"MATCH (r:{RDFLIB_LABEL}) RETURN count(r) AS n")
        if current == len(register.contracts) and not resources and self.loaded == "ours":
            return True
        self.delete_loaded()
        self.load_ours(register)
        return True

    def drop_created_schema(self) -> None:
        """Leave the database as found: drop the nodes of new labels, new constraints and indexes."""
        before = self.start_state
        if not before:
            return
        for label in sorted(set(self.column(LABELS)) - before["labels"]):
            self.write(
                f"MATCH (n:{cypher_name(label)}) CALL (n) {{ DETACH DELETE n }} "
                "IN TRANSACTIONS OF 10000 ROWS"
            )
        for name in sorted(set(self.column(CONSTRAINTS)) - before["constraints"]):
            self.write(f"DROP CONSTRAINT {cypher_name(name)} IF EXISTS")
        for name in sorted(set(self.column(INDEXES)) - before["indexes"]):
            self.write(f"DROP INDEX {cypher_name(name)} IF EXISTS")

    def wait_idle(self, limit: float = 600) -> None:
        """Wait until no other transaction runs (a stopped load is being rolled back)."""
        deadline = time.perf_counter() + limit
        while time.perf_counter() < deadline:
            rows = self.store.read(OTHER_TRANSACTIONS)
            if not rows or not rows[0]["n"]:
                return
            time.sleep(1)

    # -- the graph's shape -------------------------------------------------------------------------

    def shape(self) -> dict[str, Any]:
        """Counts per register label and relationship type, property keys per label (the
        register's: not the conclusions nor the version, :data:`NOT_REGISTER`)."""
        nodes = {
            label: self.count(f"MATCH (n:{label}) RETURN count(n) AS n")
            for label in REGISTER_LABELS
        }
        rels = {
            rel: self.count(f"MATCH ()-[r:{rel}]->() RETURN count(r) AS n") for rel in REGISTER_RELS
        }
        keys = {}
        conclusions = {"conclusions": sorted(NOT_REGISTER)}
        for label in REGISTER_LABELS:
            rows = self.store.read(
                f"MATCH (n:{label}) UNWIND keys(n) AS k WITH k WHERE NOT k IN $conclusions "
                "RETURN k, count(*) AS n ORDER BY k",
                conclusions,
            )
            keys[label] = {r["k"]: r["n"] for r in rows}
        sample = self.store.read(SAMPLE_CONTRACTS, {"skip": list(CONCLUSION_RELATIONSHIPS)})
        for row in sample:
            row["props"] = {k: v for k, v in row["props"].items() if k not in NOT_REGISTER}
        return {"nodes": nodes, "rels": rels, "keys": keys, "sample": sample}

    def rdflib_shape(self) -> tuple[int, int]:
        """The ``Resource`` nodes and the relationships between them that rdflib-neo4j wrote."""
        nodes = self.count(f"MATCH (r:{RDFLIB_LABEL}) RETURN count(r) AS n")
        rels = self.count(f"MATCH (:{RDFLIB_LABEL})-[r]->(:{RDFLIB_LABEL}) RETURN count(r) AS n")
        return nodes, rels


def rows_of(shape: dict[str, Any]) -> int:
    """Nodes plus relationships of a :meth:`BenchDatabase.shape`."""
    return int(sum(shape["nodes"].values()) + sum(shape["rels"].values()))
